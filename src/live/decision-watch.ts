/**
 * Watched decisions (`decisionChanged`): the current decision of each check, then a new one
 * whenever a committed change flips it. Only changes whose affected principals include a watched
 * principal cause re-evaluation, and re-evaluation runs after the bus has delivered the batch to
 * the authorizer's caches (see live-hub.ts), so it reads state at least as new as the change.
 * Decisions come from the authorizer's own Decider (the one `authorize` uses); nothing here
 * evaluates policies itself.
 *
 * Re-evaluation is shared: every watch of one app that a batch hits joins one round
 * (DecisionRounds), which loads the policy sets all of them need in one batch, asks each distinct
 * (caller, check) pair once, reads the change log once to confirm nothing newer affects the
 * answers, and then hands each watch its flips synchronously. A thousand subscriptions flipped by
 * one write cost one catch-up and one evaluation per distinct question, not a thousand of each.
 */
import type { Caller } from '../authz/caller.ts';
import { Decider, type Answer, type AuthorizeQuestion, type RevisionedDecision } from '../authz/decide.ts';
import { callerRef, RequestGuard, type RequestFacts } from '../authz/guard.ts';
import type { EffectivePolicies } from '../authz/effective-set.ts';
import type { PrincipalRef } from '../authz/principal-ref.ts';
import type { AuthzRuntime } from '../authz/runtime.ts';
import { ValidationError } from '../errors.ts';
import type { EvalDecision } from '../policy/types.ts';
import type { ChangeEvent } from '../changes/change.ts';
import type { LiveBatch } from './live-batch.ts';
import type { LiveHub } from './live-hub.ts';
import { LiveQueue } from './live-queue.ts';
import { affects, mayRegroup, watchPrincipal, type WatchedPrincipal } from './watched-principals.ts';

/** Checks one subscription may watch. */
export const MAX_WATCHED_CHECKS = 100;

/**
 * Updates a subscription may have waiting for its client. A watch that has this many (less room
 * for one round's flips) sits out re-evaluation until its client catches up; the changes it misses
 * meanwhile are merged, so it then emits only the flips that still hold, as a back-pressured
 * stream would.
 */
export const MAX_BUFFERED_UPDATES = MAX_WATCHED_CHECKS * 10;

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
  /** The app's round runner, which the watch joins whenever a batch hits it. */
  readonly rounds: DecisionRounds;
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
  const { runtime, caller, facts } = options;
  if (options.checks.length === 0 || options.checks.length > MAX_WATCHED_CHECKS) {
    throw new ValidationError('checks', 'length', `checks must hold 1 to ${MAX_WATCHED_CHECKS} questions, got ${options.checks.length}`);
  }
  // minRevision is meaningless for a live watch: every answer is at least as new as the last change.
  const checks = options.checks.map((q) => ({ ...q, minRevision: null }));
  const watchers = await watchersOf(runtime, caller, checks);

  // Listen before the first evaluation, so a flip committed in between is not lost.
  const watch = new DecisionWatch(options.rounds, runtime, caller, facts, checks, watchers, options.toWireError);
  let initial: RevisionedDecision[];
  try {
    // The subscriber asked for these: they are served decisions, counted and recorded as such.
    const answers = await runtime.forRequest(caller, facts).decider.decideAll(checks, { record: true, field: (i) => `checks[${i}]` });
    const failure = answers.find((answer) => answer instanceof Error);
    if (failure !== undefined) throw failure;
    initial = answers as RevisionedDecision[];
  } catch (error) {
    watch.close();
    throw error;
  }
  watch.start(initial);
  return watch.updates;
}

/** The principals a subscription watches, each with the check positions that ask about it. */
interface Watcher {
  principal: WatchedPrincipal;
  readonly indexes: number[];
}

/** One subscription's state between rounds. */
class DecisionWatch {
  readonly updates: LiveQueue<DecisionUpdate>;
  /** The decision last emitted per check. */
  readonly last: EvalDecision[] = [];
  /** Hits not yet re-evaluated: the latest affecting change per check, merged across batches. */
  pending = new Map<number, ChangeEvent>();
  /** Watchers whose group membership may have changed since they were resolved. */
  readonly regroup = new Set<Watcher>();
  /** What identifies the asker for sharing a Decider: the same guard answers for equal keys. */
  readonly askerKey: string;
  /** Per check: the asker and the question, for sharing one evaluation per round. */
  readonly checkKeys: readonly string[];
  /** Held back from rounds because the client is behind (see MAX_BUFFERED_UPDATES). */
  stalled = false;
  private started = false;
  private closed = false;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly rounds: DecisionRounds,
    readonly runtime: AuthzRuntime,
    readonly caller: Caller,
    readonly facts: RequestFacts,
    readonly checks: readonly AuthorizeQuestion[],
    private readonly watchers: readonly Watcher[],
    private readonly toWireError: (error: unknown) => unknown,
  ) {
    this.askerKey = JSON.stringify([caller.arn, callerRef(caller), caller.accountId, facts.sourceIp ?? null, facts.secureTransport]);
    this.checkKeys = checks.map((q) => `${this.askerKey}\n${questionKey(q)}`);
    this.updates = new LiveQueue<DecisionUpdate>({
      onClose: () => this.close(),
      lowWater: MAX_BUFFERED_UPDATES - checks.length,
      onDrain: () => this.resume(),
    });
    this.unsubscribe = rounds.hub.subscribe((batch) => this.onBatch(batch));
  }

  /** Emits the initial decisions and starts reacting to the batches heard since listening. */
  start(initial: readonly RevisionedDecision[]): void {
    for (const [index, decision] of initial.entries()) {
      this.last[index] = decision.decision;
      this.updates.push({ index, decision, revision: decision.revision, change: null });
    }
    this.started = true;
    if (this.pending.size > 0) this.rounds.schedule(this);
  }

  /** Whether a round may re-evaluate this watch now. */
  get ready(): boolean {
    return !this.closed && this.pending.size > 0 && !this.stalled;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Whether the client has room for one round's flips. */
  get hasRoom(): boolean {
    return this.updates.length <= MAX_BUFFERED_UPDATES - this.checks.length;
  }

  /** Takes the hits a round is about to evaluate; later hits collect anew for the next round. */
  takeHits(): Map<number, ChangeEvent> {
    const hits = this.pending;
    this.pending = new Map();
    return hits;
  }

  /** Re-resolves the watchers whose groups may have changed (one lookup each). */
  async refreshPrincipals(): Promise<void> {
    for (const watcher of this.regroup) watcher.principal = await watchPrincipal(this.runtime.database, watcher.principal.arn, 'checks.principalArn');
    this.regroup.clear();
  }

  /** Emits the flips among `decisions` (for `indexes`), crediting each to its hit. */
  deliver(indexes: readonly number[], decisions: readonly RevisionedDecision[], hits: ReadonlyMap<number, ChangeEvent>): void {
    for (const [k, index] of indexes.entries()) {
      const decision = decisions[k]!;
      if (decision.decision === this.last[index]) continue;
      this.last[index] = decision.decision;
      this.updates.push({ index, decision, revision: decision.revision, change: hits.get(index)! });
    }
  }

  /** Ends the stream with `error` (after what it already emitted) and stops listening. */
  fail(error: unknown): void {
    this.updates.fail(this.toWireError(error));
    this.close();
  }

  /** Stops listening; idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe();
    this.pending.clear();
  }

  private onBatch(batch: LiveBatch): void {
    if (this.closed) return;
    let hit = false;
    for (const event of batch.events) {
      for (const watcher of this.watchers) {
        if (!affects(event, watcher.principal)) continue;
        hit = true;
        for (const index of watcher.indexes) this.pending.set(index, event);
        if (mayRegroup(event, watcher.principal)) this.regroup.add(watcher);
      }
    }
    if (!hit) return;
    this.rounds.offer(batch.policies);
    if (this.started) this.rounds.schedule(this);
  }

  /** The client took enough updates: rejoin rounds if changes piled up meanwhile. */
  private resume(): void {
    if (!this.stalled || this.closed) return;
    this.stalled = false;
    if (this.pending.size > 0) this.rounds.schedule(this);
  }
}

/** A question's identity for sharing its evaluation (minRevision is always null here). */
function questionKey(q: AuthorizeQuestion): string {
  return JSON.stringify([q.principalArn ?? null, q.action, q.resourceArn, q.resourceOwner ?? null, q.resourcePolicy ?? null, q.contextEntries ?? null]);
}

/**
 * Runs the re-evaluation rounds of one hub's decision watches, one round at a time, so each
 * watch's flips go out in revision order. A round takes every watch waiting at its start; a watch
 * hit again while its round runs waits for the next one. One per app (see live-services.ts).
 */
export class DecisionRounds {
  private readonly waiting = new Set<DecisionWatch>();
  /** The loader of the newest batch that hit a watch: state at least as new as every hit so far. */
  private policies: LiveBatch['policies'] | undefined;
  private running = false;

  /** @param hub the hub every watch of these rounds listens on. */
  constructor(
    private readonly runtime: AuthzRuntime,
    readonly hub: LiveHub,
  ) {}

  /** Records the loader of a batch that hit a watch (called before `schedule`). */
  offer(policies: LiveBatch['policies']): void {
    this.policies = policies;
  }

  /** Queues `watch` for the next round, starting one once the current batch has reached every listener. */
  schedule(watch: DecisionWatch): void {
    this.waiting.add(watch);
    if (this.running) return;
    this.running = true;
    // Deferred: the hub calls every listener of a batch synchronously, and all of them should share a round.
    queueMicrotask(() => void this.run());
  }

  private async run(): Promise<void> {
    // `running` is cleared in the same microtask that sees nothing waiting, so no watch can slip between.
    try {
      while (this.waiting.size > 0 && this.policies !== undefined) {
        const watches: DecisionWatch[] = [];
        for (const watch of this.waiting) {
          if (!watch.ready) continue;
          if (!watch.hasRoom) {
            watch.stalled = true;
            continue;
          }
          watches.push(watch);
        }
        this.waiting.clear();
        if (watches.length === 0) continue;
        try {
          await this.round(watches, this.policies);
        } catch (error) {
          // A bug, not a directory error (those fail their own watch): end the round's streams
          // rather than let them silently miss the flips they were about to get.
          this.runtime.logger.error({ err: error }, 'decisionChanged round failed');
          for (const watch of watches) watch.fail(error);
        }
      }
    } finally {
      this.running = false;
    }
  }

  private async round(watches: readonly DecisionWatch[], policies: LiveBatch['policies']): Promise<void> {
    const runtime = this.runtime;
    const hits = watches.map((watch) => watch.takeHits());
    const failed = new Set<DecisionWatch>();
    const fail = (watch: DecisionWatch, error: unknown): void => {
      if (failed.has(watch)) return;
      failed.add(watch);
      watch.fail(error);
    };

    // Group changes: re-resolve the watched principals first (rare; one lookup per watcher).
    const regrouping = watches.filter((watch) => watch.regroup.size > 0);
    if (regrouping.length > 0) {
      await Promise.all(regrouping.map((watch) => watch.refreshPrincipals().catch((error: unknown) => fail(watch, error))));
    }

    // Loads that start after the catch-up below began read state it may not cover (see there).
    let catchingUp = false;
    let loadedLate = false;
    const loader = {
      load: (ref: PrincipalRef): Promise<EffectivePolicies> => {
        if (catchingUp) loadedLate = true;
        return policies.load(ref);
      },
    };
    // One Decider per asker (it memoises iam:Authorize per principal), all on this batch's loader,
    // each asking its distinct questions once: watches with the same asker and check share an answer.
    const askers = new Map<string, Asker>();
    const positions: Array<{ indexes: number[]; slots: number[] } | undefined> = [];
    for (const [w, watch] of watches.entries()) {
      if (failed.has(watch)) continue;
      let asker = askers.get(watch.askerKey);
      if (asker === undefined) {
        const guard = new RequestGuard(watch.caller, loader.load, watch.facts);
        asker = { decider: new Decider(runtime, loader, guard), questions: [], fields: [], slots: new Map(), watches: [] };
        askers.set(watch.askerKey, asker);
      }
      asker.watches.push(watch);
      const indexes = [...hits[w]!.keys()].sort((a, b) => a - b);
      positions[w] = { indexes, slots: indexes.map((index) => slotFor(asker, watch, index)) };
    }
    // Every asker's and every asked-about principal's policy set, in one batch, before deciding.
    await Promise.all([...askers.values()].map((asker) => asker.decider.preload(() => asker.questions)));

    // The state the answers read is loaded now. The database may already hold a later change the
    // bus has not delivered, and that state may include it: catch up (one read of the log for the
    // whole round), started now so the read runs while the answers are computed. If such a change
    // affects a watch, that watch evaluates again next round and credits the flip to it instead.
    let caughtUp = runtime.listener.catchUp().catch(() => {});
    catchingUp = true;

    // Re-evaluations nobody asked for are not served decisions: neither counted nor recorded.
    const answers = new Map<Asker, Answer[]>();
    await Promise.all(
      [...askers.values()].map((asker) =>
        asker.decider.decideAll(asker.questions, { record: false, field: (i) => asker.fields[i]! }).then(
          (all) => void answers.set(asker, all),
          (error: unknown) => {
            for (const watch of asker.watches) fail(watch, error);
          },
        ),
      ),
    );
    // Some answers loaded state of their own, after the catch-up began: catch up again after them.
    if (loadedLate) caughtUp = runtime.listener.catchUp().catch(() => {});
    await caughtUp;

    const evaluated: Array<{ indexes: number[]; decisions: RevisionedDecision[] } | undefined> = [];
    for (const [w, watch] of watches.entries()) {
      const position = positions[w];
      const all = answers.get(askers.get(watch.askerKey)!);
      if (position === undefined || all === undefined || failed.has(watch)) continue;
      const decisions = position.slots.map((slot) => all[slot]!);
      const failure = decisions.find((answer) => answer instanceof Error);
      if (failure === undefined) evaluated[w] = { indexes: position.indexes, decisions: decisions as RevisionedDecision[] };
      else fail(watch, failure);
    }

    for (const [w, watch] of watches.entries()) {
      const result = evaluated[w];
      if (result === undefined || failed.has(watch) || watch.isClosed) continue;
      const watchHits = hits[w]!;
      if (watch.pending.size > 0) {
        // Hit again meanwhile (and so waiting for the next round): keep the older hits it has no newer one for.
        for (const [index, event] of watchHits) if (!watch.pending.has(index)) watch.pending.set(index, event);
        continue;
      }
      watch.deliver(result.indexes, result.decisions, watchHits);
    }
  }
}

/** One asker's share of a round: its Decider and the distinct questions its watches ask. */
interface Asker {
  readonly decider: Decider;
  readonly questions: AuthorizeQuestion[];
  /** Per question: the input path its errors name (the first watch's check position). */
  readonly fields: string[];
  /** Position in `questions` by check key. */
  readonly slots: Map<string, number>;
  readonly watches: DecisionWatch[];
}

/** Where `watch`'s check `index` sits among `asker`'s questions, adding it the first time. */
function slotFor(asker: Asker, watch: DecisionWatch, index: number): number {
  const key = watch.checkKeys[index]!;
  let slot = asker.slots.get(key);
  if (slot === undefined) {
    slot = asker.questions.length;
    asker.questions.push(watch.checks[index]!);
    asker.fields.push(`checks[${index}]`);
    asker.slots.set(key, slot);
  }
  return slot;
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
