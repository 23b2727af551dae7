/**
 * Watched decisions (`decisionChanged`): the current decision of each check, then a new one
 * whenever a committed change flips it. Only changes whose affected principals include a watched
 * principal cause re-evaluation, and re-evaluation runs after the bus has delivered the batch to
 * the authorizer's caches (see live-hub.ts), so it reads state at least as new as the change.
 * Decisions come from the authorizer's own Decider (the one `authorize` uses); nothing here
 * evaluates policies itself.
 */
import { FixedBuffer, Repeater } from 'graphql-yoga';
import type { Caller } from '../authz/caller.ts';
import { Decider, type AuthorizeQuestion, type RevisionedDecision } from '../authz/decide.ts';
import { RequestGuard, type RequestFacts } from '../authz/guard.ts';
import type { EffectivePolicies } from '../authz/effective-policies.ts';
import type { PrincipalRef } from '../authz/principal-ref.ts';
import type { AuthzRuntime } from '../authz/runtime.ts';
import { ValidationError } from '../iam/errors.ts';
import type { ChangeEvent } from './change.ts';
import { liveHubOf, type LiveBatch } from './live-hub.ts';
import { affects, mayRegroup, watchPrincipal, type WatchedPrincipal } from './watched-principals.ts';

/** Checks one subscription may watch. */
export const MAX_WATCHED_CHECKS = 100;

/** One emitted decision. */
export interface DecisionUpdate {
  /** Position of the check in the subscription's `checks`. */
  readonly index: number;
  readonly decision: RevisionedDecision;
  /** The revision the decision reflects. */
  readonly revision: string;
  /** The change that flipped it; null for the initial decisions. */
  readonly change: ChangeEvent | null;
}

/** What to watch, for whom. */
export interface DecisionWatchOptions {
  readonly runtime: AuthzRuntime;
  /** The subscriber: asks the questions (needs iam:Authorize on each principal, re-checked each time). */
  readonly caller: Caller;
  readonly facts: RequestFacts;
  readonly checks: readonly AuthorizeQuestion[];
  /** Turns a failure (IamError, …) into what the client should see when the stream ends on it. */
  readonly toWireError: (error: unknown) => unknown;
}

/**
 * Resolves the watched principals and evaluates every check once (throwing the first failure, so
 * a bad subscription fails before it starts), then returns the stream: those initial decisions in
 * order, then flips. Ends (returns) cleanly and stops listening when the consumer returns.
 */
export async function watchDecisions(options: DecisionWatchOptions): Promise<AsyncIterableIterator<DecisionUpdate>> {
  const { runtime, caller, facts, toWireError } = options;
  if (options.checks.length === 0 || options.checks.length > MAX_WATCHED_CHECKS) {
    throw new ValidationError('checks', 'length', `checks must hold 1 to ${MAX_WATCHED_CHECKS} questions, got ${options.checks.length}`);
  }
  // minRevision is meaningless for a live watch: every answer is at least as new as the last change.
  const checks = options.checks.map((q) => ({ ...q, minRevision: null }));
  const watchers = await watchersOf(runtime, caller, checks);

  // Listen before the first evaluation, so a flip committed in between is not lost.
  const hub = liveHubOf(runtime);
  const backlog: LiveBatch[] = [];
  let sink: ((batch: LiveBatch) => void) | undefined;
  let unsubscribe: (() => void) | undefined = hub.subscribe((batch) => (sink === undefined ? backlog.push(batch) : sink(batch)));
  const cleanup = (): void => {
    unsubscribe?.();
    unsubscribe = undefined;
  };

  const evaluate = (indexes: readonly number[], policies: { load(ref: PrincipalRef): Promise<EffectivePolicies> }): Promise<RevisionedDecision[]> => {
    const decider = new Decider(runtime, policies, new RequestGuard(caller, (ref) => policies.load(ref), facts));
    return Promise.all(indexes.map((i) => decider.decide(checks[i]!, `checks[${i}]`)));
  };

  let initial: RevisionedDecision[];
  try {
    initial = await evaluate(checks.map((_, i) => i), runtime.forRequest(caller, facts).policies);
  } catch (error) {
    cleanup();
    throw error;
  }

  const repeater = new Repeater<DecisionUpdate>(async (push, stop) => {
    const last = initial.map((d) => d.decision);
    for (const [index, decision] of initial.entries()) await push({ index, decision, revision: decision.revision, change: null });

    // Hits not yet re-evaluated (the latest affecting change per check), merged across batches,
    // and the loader of the newest batch. One round runs at a time, so flips go out in order.
    let pending = new Map<number, ChangeEvent>();
    const regroup = new Set<Watcher>();
    let policies: LiveBatch['policies'] | undefined;
    let running = false;

    const round = async (): Promise<void> => {
      // `running` is cleared in the same microtask that sees nothing pending, so no batch can slip between.
      try {
        await rounds();
      } finally {
        running = false;
      }
    };
    const rounds = async (): Promise<void> => {
      while (pending.size > 0 && policies !== undefined) {
        const hits = pending;
        pending = new Map();
        for (const watcher of regroup) watcher.principal = await watchPrincipal(runtime.database, watcher.principal.arn, 'checks.principalArn');
        regroup.clear();
        const indexes = [...hits.keys()].sort((a, b) => a - b);
        const decisions = await evaluate(indexes, policies);
        // The database may already hold a later change the bus has not delivered, and the state
        // just read may include it. Catch up (one shared read of the log): if such a change
        // affects a watched principal, evaluate again and credit the flip to it instead.
        await runtime.listener.catchUp().catch(() => {});
        if (pending.size > 0) {
          for (const [index, event] of hits) if (!pending.has(index)) pending.set(index, event);
          continue;
        }
        for (const [k, index] of indexes.entries()) {
          const decision = decisions[k]!;
          if (decision.decision === last[index]) continue;
          last[index] = decision.decision;
          await push({ index, decision, revision: decision.revision, change: hits.get(index)! });
        }
      }
    };

    const onBatch = (batch: LiveBatch): void => {
      let hit = false;
      for (const event of batch.events) {
        for (const watcher of watchers) {
          if (!affects(event, watcher.principal)) continue;
          hit = true;
          for (const index of watcher.indexes) pending.set(index, event);
          if (mayRegroup(event, watcher.principal)) regroup.add(watcher);
        }
      }
      if (!hit) return;
      policies = batch.policies;
      if (running) return;
      running = true;
      round().catch((error: unknown) => stop(toWireError(error)));
    };
    sink = onBatch;
    for (const batch of backlog.splice(0)) onBatch(batch);
    await stop;
    cleanup();
  }, new FixedBuffer(MAX_WATCHED_CHECKS * 10));

  return withCleanup(repeater, cleanup);
}

/** The principals a subscription watches, each with the check positions that ask about it. */
interface Watcher {
  principal: WatchedPrincipal;
  readonly indexes: number[];
}

async function watchersOf(runtime: AuthzRuntime, caller: Caller, checks: readonly AuthorizeQuestion[]): Promise<Watcher[]> {
  const byArn = new Map<string, number[]>();
  for (const [i, q] of checks.entries()) {
    const arn = q.principalArn ?? caller.arn;
    const list = byArn.get(arn) ?? [];
    list.push(i);
    byArn.set(arn, list);
  }
  return Promise.all(
    [...byArn].map(async ([arn, indexes]) => ({
      principal: await watchPrincipal(runtime.database, arn, `checks[${indexes[0]!}].principalArn`),
      indexes,
    })),
  );
}

/**
 * Wraps a Repeater so that returning it also runs `cleanup`, even if it was never started (a
 * Repeater's executor, and so its own cleanup, runs only on the first `next`).
 */
function withCleanup<T>(source: Repeater<T>, cleanup: () => void): AsyncIterableIterator<T> {
  return {
    next: () => source.next(),
    return: (value?: unknown) => {
      cleanup();
      return source.return(value as T);
    },
    throw: (error?: unknown) => {
      cleanup();
      return source.throw(error);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
