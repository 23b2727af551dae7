/**
 * The shared re-evaluation of decisionChanged watches (decision-watch.ts): every watch of one app
 * that a batch hits joins one round, which loads the policy sets all of them need in one batch,
 * asks each distinct (caller, check) pair once, reads the change log once to confirm nothing newer
 * affects the answers, and then hands each watch its answers synchronously. A thousand
 * subscriptions flipped by one write cost one catch-up and one evaluation per distinct question,
 * not a thousand of each.
 */
import { Decider, isQuestionError, type Answer, type QuestionResult } from '../authz/decide.ts';
import type { AuthorizeQuestion } from '../authz/question.ts';
import { RequestGuard } from '../authz/guard.ts';
import type { EffectivePolicies } from '../authz/effective-set.ts';
import type { PrincipalRef } from '../authz/principal-ref.ts';
import type { AuthzRuntime } from '../authz/runtime.ts';
import type { LiveBatch } from './live-batch.ts';
import type { LiveHub } from './live-hub.ts';
import type { Caller } from '../authz/caller.ts';
import type { RequestFacts } from '../authz/guard.ts';
import type { ChangeEvent } from '../changes/change.ts';

/** What a round needs of one watch (decision-watch.ts's DecisionWatch). */
export interface RoundWatch {
  /** Whether a round may re-evaluate it now. */
  readonly ready: boolean;
  /** Whether its client has room for one round's answers. */
  readonly hasRoom: boolean;
  /** Set by a round that found no room: held back until its client catches up. */
  stalled: boolean;
  readonly isClosed: boolean;
  /** Watched principals to resolve again before evaluating. */
  readonly stale: ReadonlySet<unknown>;
  /** Hits that arrived since `takeHits`: the latest change per check (null: the subscriber's permission). */
  readonly pending: Map<number, ChangeEvent | null>;
  /** The asker's identity, for sharing a Decider, and per check, the question and its sharing key. */
  readonly askerKey: string;
  readonly caller: Caller;
  readonly facts: RequestFacts;
  readonly checks: readonly AuthorizeQuestion[];
  readonly checkKeys: readonly string[];
  takeHits(): Map<number, ChangeEvent | null>;
  refreshPrincipals(): Promise<void>;
  deliver(indexes: readonly number[], results: readonly QuestionResult[], hits: ReadonlyMap<number, ChangeEvent | null>): void;
  /**
   * Ends its part in a round: the organization placements (their `dependsOn`) the round's answers
   * used, undefined when not known. Called once per `takeHits` of a watch the round did not fail.
   */
  settle(placementDependencies: readonly string[] | undefined): void;
  fail(error: unknown): void;
}

/**
 * Runs the re-evaluation rounds of one hub's decision watches, one round at a time, so each
 * watch's answers go out in revision order. A round takes every watch waiting at its start; a
 * watch hit again while its round runs waits for the next one. One per app (see live-services.ts).
 */
export class DecisionRounds {
  private readonly waiting = new Set<RoundWatch>();
  /** The loader of the newest batch that hit a watch: state at least as new as every hit so far. */
  private policies: LiveBatch['policies'] | undefined;
  private running = false;
  /** Watches re-evaluated so far (one per watch per round): what a targeted change saves shows here. */
  private evaluated = 0;

  /** @param hub the hub every watch of these rounds listens on. */
  constructor(
    private readonly runtime: AuthzRuntime,
    readonly hub: LiveHub,
  ) {}

  /** How many watch re-evaluations rounds have run (a watch in a round counts once). */
  get watchesEvaluated(): number {
    return this.evaluated;
  }

  /** Records the loader of a batch that hit a watch (called before `schedule`). */
  offer(policies: LiveBatch['policies']): void {
    this.policies = policies;
  }

  /** Queues `watch` for the next round, starting one once the current batch has reached every listener. */
  schedule(watch: RoundWatch): void {
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
        const policies = this.policies;
        const watches: RoundWatch[] = [];
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
          await this.round(watches, policies);
        } catch (error) {
          // A bug, not a directory error (those are the checks' own answers): end the round's
          // streams rather than let them silently miss the answers they were about to get.
          this.runtime.logger.error({ err: error }, 'decisionChanged round failed');
          for (const watch of watches) watch.fail(error);
        }
      }
    } finally {
      this.running = false;
    }
  }

  private async round(watches: readonly RoundWatch[], policies: LiveBatch['policies']): Promise<void> {
    const runtime = this.runtime;
    this.evaluated += watches.length;
    const hits = watches.map((watch) => watch.takeHits());
    const failed = new Set<RoundWatch>();
    const fail = (watch: RoundWatch, error: unknown): void => {
      if (failed.has(watch)) return;
      failed.add(watch);
      watch.fail(error);
    };

    // Group changes, deleted or created principals: re-resolve the watched principals first (rare; one lookup per watcher).
    const resolving = watches.filter((watch) => watch.stale.size > 0);
    if (resolving.length > 0) {
      await Promise.all(resolving.map((watch) => watch.refreshPrincipals().catch((error: unknown) => fail(watch, error))));
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
        const guard = new RequestGuard(watch.caller, loader.load, watch.facts, runtime.placements);
        const decider = new Decider(runtime, loader, guard);
        decider.trackPlacements();
        asker = { decider, guard, questions: [], fields: [], slots: new Map(), watches: [] };
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

    const evaluated: Array<{ indexes: number[]; results: QuestionResult[] } | undefined> = [];
    for (const [w, watch] of watches.entries()) {
      const position = positions[w];
      const all = answers.get(askers.get(watch.askerKey)!);
      if (position === undefined || all === undefined || failed.has(watch)) continue;
      const results = position.slots.map((slot) => all[slot]!);
      // A check's own error (refused, missing principal, invalid) is its answer; any other failure is the service's.
      const failure = results.find((answer) => answer instanceof Error && !isQuestionError(answer));
      if (failure === undefined) evaluated[w] = { indexes: position.indexes, results: results as QuestionResult[] };
      else fail(watch, failure);
    }

    for (const [w, watch] of watches.entries()) {
      const result = evaluated[w];
      if (result === undefined || failed.has(watch) || watch.isClosed) continue;
      // Per asker, not per watch: an asker's questions are about its own account's principals (and
      // the resources' owners), so the union is barely wider than each watch's share.
      const asker = askers.get(watch.askerKey)!;
      const used = asker.decider.placementDependencies();
      watch.settle(used === undefined ? undefined : [...used, ...asker.guard.placementDependencies()]);
      const watchHits = hits[w]!;
      if (watch.pending.size > 0) {
        // Hit again meanwhile (and so waiting for the next round): keep the older hits it has no newer one for.
        for (const [index, event] of watchHits) if (!watch.pending.has(index)) watch.pending.set(index, event);
        continue;
      }
      watch.deliver(result.indexes, result.results, watchHits);
    }
  }
}

/** One asker's share of a round: its Decider and the distinct questions its watches ask. */
interface Asker {
  readonly decider: Decider;
  readonly guard: RequestGuard;
  readonly questions: AuthorizeQuestion[];
  /** Per question: the input path its errors name (the first watch's check position). */
  readonly fields: string[];
  /** Position in `questions` by check key. */
  readonly slots: Map<string, number>;
  readonly watches: RoundWatch[];
}

/** Where `watch`'s check `index` sits among `asker`'s questions, adding it the first time. */
function slotFor(asker: Asker, watch: RoundWatch, index: number): number {
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
