/**
 * Watched decisions (`decisionChanged`): the current result of each check, then a new one
 * whenever it changes. A check's result is its decision, or its own error: the subscriber may not
 * ask or watch it (AccessDenied), its principal does not exist (NoSuchEntity), it is malformed. A
 * failing check fails alone; the others go on. Only the service's own failures end the stream.
 *
 * What re-evaluates a check: a committed change whose affected principals include its principal,
 * or a change to the registered resource the check asks about when it brings no resource policy
 * of its own (registry rows name the resource's ARN, see authz/registered-resources.ts)
 * (re-evaluation runs after the bus has delivered the batch to the authorizer's caches, see
 * live-hub.ts, so it reads state at least as new as the change), shared with every other watch in
 * one round (decision-rounds.ts); and the subscriber's own permissions on the check's principal
 * (`checkPermissions`), decided again by a live permit whenever a change may alter them: refused,
 * the check's result becomes the refusal, and no older answer of it goes out after that change;
 * allowed again, it is evaluated again. Decisions come from the authorizer's own Decider (the one
 * `authorize` uses); nothing here evaluates policies itself.
 */
import type { Caller } from '../authz/caller.ts';
import { isQuestionError, type QuestionResult } from '../authz/decide.ts';
import type { AuthorizeQuestion } from '../authz/question.ts';
import { callerRef, RequestGuard, type RequestFacts } from '../authz/guard.ts';
import type { AuthzRuntime } from '../authz/runtime.ts';
import { parseRevision } from '../changes/revision.ts';
import { changesPlacements, placementNamesOf } from '../authz/organization-placements.ts';
import { isAuditOnly, type ChangeEvent } from '../changes/change.ts';
import { AccessDeniedError, NoSuchEntityError, ValidationError } from '../errors.ts';
import type { DecisionRounds, RoundWatch } from './decision-rounds.ts';
import type { LiveBatch } from './live-batch.ts';
import type { LivePermission } from './live-permits.ts';
import { LiveQueue } from './live-queue.ts';
import { PermittedStream } from './permitted-stream.ts';
import { affects, mayRegroup, mayReidentify, watchPrincipal, type WatchedPrincipal } from './watched-principals.ts';

/** Checks one subscription may watch. */
export const MAX_WATCHED_CHECKS = 100;

/**
 * Updates a subscription may have waiting for its client. A watch that has this many (less room
 * for one round's answers) sits out re-evaluation until its client catches up; the changes it
 * misses meanwhile are merged, so it then emits only the results that still hold, as a
 * back-pressured stream would.
 */
export const MAX_BUFFERED_UPDATES = MAX_WATCHED_CHECKS * 10;

/** One emitted result. */
export interface DecisionUpdate {
  /** Position of the check in the subscription's `checks`. */
  readonly index: number;
  /** The check's client key, as given. */
  readonly key: string | null;
  /** The check's decision, or its own error. */
  readonly result: QuestionResult;
  /** The revision the result reflects. */
  readonly revision: string;
  /** The change that altered it; null for the initial results and for a change of the subscriber's own permission. */
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
  /** The first results reflect at least this revision (decimal digits); a ValidationError when the change log has not reached it. */
  readonly minRevision?: string | null;
  /**
   * What the subscriber needs, besides `iam:Authorize`, to watch checks about a principal; decided
   * first with `guard` (the request's, so a refusal is audited), then again by a live permit.
   * Omitted: nothing more (the returned stream is then the bare queue).
   */
  readonly checkPermissions?: (principalArn: string) => readonly LivePermission[];
  readonly guard?: Pick<RequestGuard, 'require'>;
  /** Turns a failure (a service error) into what the client should see when the stream ends on it. */
  readonly toWireError: (error: unknown) => unknown;
}

/**
 * Resolves the watched principals and evaluates every check once (a check's own error is its
 * first result; a service failure fails the subscription before it starts), then returns the
 * stream: those initial results in order, then changes. Ends (returns) cleanly and stops
 * listening when the consumer returns.
 */
export async function watchDecisions(options: DecisionWatchOptions): Promise<AsyncIterableIterator<DecisionUpdate>> {
  const { runtime, caller, facts } = options;
  if (options.checks.length === 0 || options.checks.length > MAX_WATCHED_CHECKS) {
    throw new ValidationError('checks', 'length', `checks must hold 1 to ${MAX_WATCHED_CHECKS} questions, got ${options.checks.length}`);
  }
  if (options.minRevision != null) await runtime.reachRevision(parseRevision(options.minRevision, 'minRevision'), 'minRevision');
  const watchers = await watchersOf(runtime, caller, options.checks);
  const refusals = await initialRefusals(options, watchers);

  // Listen before the first evaluation, so a change committed in between is not lost.
  const watch = new DecisionWatch(options.rounds, runtime, caller, facts, options.checks, watchers, refusals, options.toWireError);
  let initial: QuestionResult[];
  try {
    initial = await watch.evaluateInitial(options.checks);
  } catch (error) {
    watch.close();
    throw error;
  }
  watch.start(initial);
  if (options.checkPermissions === undefined) return watch.updates;

  const partial = watchers.flatMap((watcher) => options.checkPermissions!(watcher.arn).map((permission) => ({ watcher, permission })));
  const stream: PermittedStream<DecisionUpdate> = new PermittedStream<DecisionUpdate>(watch.updates, {
    toWireError: options.toWireError,
    admits: (update) => watch.admits(update),
  });
  const permit = options.rounds.hub.permits.open({
    caller,
    facts,
    permissions: [],
    partial: partial.map((p) => p.permission),
    onPartial: (refused) => {
      const byWatcher = new Map<Watcher, AccessDeniedError>();
      for (const { watcher, permission } of partial) {
        const refusal = refused.get(permission);
        if (refusal !== undefined && !byWatcher.has(watcher)) byWatcher.set(watcher, refusal);
      }
      watch.applyRefusals(byWatcher);
    },
    onDenied: (error) => stream.fail(error),
  });
  return stream.guardedBy(permit);
}

/** The subscriber's refusals per watched principal at the start, decided with the request's guard. */
async function initialRefusals(options: DecisionWatchOptions, watchers: readonly Watcher[]): Promise<Map<Watcher, AccessDeniedError>> {
  const refusals = new Map<Watcher, AccessDeniedError>();
  if (options.checkPermissions === undefined || options.guard === undefined) return refusals;
  for (const watcher of watchers) {
    for (const { action, resource } of options.checkPermissions(watcher.arn)) {
      try {
        await options.guard.require(action, resource);
      } catch (error) {
        if (!(error instanceof AccessDeniedError)) throw error;
        refusals.set(watcher, error);
        break;
      }
    }
  }
  return refusals;
}

/** The principals a subscription watches, each with the check positions that ask about it. */
export interface Watcher {
  readonly arn: string;
  /** Its ids; undefined while the ARN names no principal (malformed, not created yet, deleted). */
  principal: WatchedPrincipal | undefined;
  readonly indexes: number[];
}

/** What a result is, for telling whether it changed: the decision, or the error's code. */
function outcomeOf(result: QuestionResult): string {
  return result instanceof Error ? `error:${result.code}` : result.decision;
}

/** One subscription's state between rounds. */
export class DecisionWatch implements RoundWatch {
  readonly updates: LiveQueue<DecisionUpdate>;
  /** The outcome last emitted per check (see outcomeOf). */
  readonly last: string[] = [];
  /** Hits not yet re-evaluated: the latest change per check (null: the subscriber's permission), merged across batches. */
  pending = new Map<number, ChangeEvent | null>();
  /** Watchers whose ids may have changed (group membership, the principal deleted or created) since they were resolved. */
  readonly stale = new Set<Watcher>();
  /** What identifies the asker for sharing a Decider: the same guard answers for equal keys. */
  readonly askerKey: string;
  /** Per check, the question rounds ask (minRevision is for the first answers only). */
  readonly checks: readonly AuthorizeQuestion[];
  /** Per check: the asker and the question, for sharing one evaluation per round. */
  readonly checkKeys: readonly string[];
  /** Per check, its watcher. */
  private readonly watcherOf: readonly Watcher[];
  /** Check positions by resource ARN, for the checks the registry answers (they bring no resource policy). */
  private readonly byResource = new Map<string, number[]>();
  /**
   * What the organization placements its answers used were built from (targets, policies,
   * accounts), gathered over every evaluation (a round may evaluate some checks only). Undefined
   * while not known (before the first answers, or while a round computes new ones): then every
   * organization change re-asks every check.
   */
  private placementDependencies: Set<string> | undefined;
  /** Set from `takeHits` to `settle`: answers being computed may read placements not in `placementDependencies` yet. */
  private inRound = false;
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
    checks: readonly AuthorizeQuestion[],
    private readonly watchers: readonly Watcher[],
    /** Watchers whose checks the subscriber may not watch now, with the refusal. */
    private readonly refused: Map<Watcher, AccessDeniedError>,
    private readonly toWireError: (error: unknown) => unknown,
  ) {
    this.checks = checks.map((q) => ({ ...q, minRevision: null }));
    this.askerKey = JSON.stringify([caller.arn, callerRef(caller), caller.accountId, facts.sourceIp ?? null, facts.secureTransport]);
    this.checkKeys = this.checks.map((q) => `${this.askerKey}\n${questionKey(q)}`);
    const watcherOf: Watcher[] = [];
    for (const watcher of watchers) for (const index of watcher.indexes) watcherOf[index] = watcher;
    this.watcherOf = watcherOf;
    for (const [index, q] of this.checks.entries()) {
      if (q.resourcePolicy != null) continue;
      const list = this.byResource.get(q.resourceArn);
      if (list === undefined) this.byResource.set(q.resourceArn, [index]);
      else list.push(index);
    }
    this.updates = new LiveQueue<DecisionUpdate>({
      onClose: () => this.close(),
      lowWater: MAX_BUFFERED_UPDATES - checks.length,
      onDrain: () => this.resume(),
    });
    this.unsubscribe = rounds.hub.subscribe((batch) => this.onBatch(batch));
  }

  /**
   * The first result of every check: the questions (with their own minRevision) the subscriber
   * may watch are asked as served decisions, counted and recorded; the others get their refusal.
   * Rejects on a service failure.
   */
  async evaluateInitial(questions: readonly AuthorizeQuestion[]): Promise<QuestionResult[]> {
    const asked = questions.map((_, index) => index).filter((index) => !this.refused.has(this.watcherOf[index]!));
    const { decider, guard } = this.runtime.forRequest(this.caller, this.facts);
    decider.trackPlacements();
    const answers = await decider.decideAll(
      asked.map((index) => questions[index]!),
      { record: true, field: (i) => `checks[${asked[i]!}]` },
    );
    this.placementDependencies = new Set([...decider.placementDependencies()!, ...guard.placementDependencies()]);
    const results: QuestionResult[] = questions.map((_, index) => this.refused.get(this.watcherOf[index]!)!);
    for (const [i, answer] of answers.entries()) {
      if (answer instanceof Error && !isQuestionError(answer)) throw answer;
      results[asked[i]!] = answer as QuestionResult;
    }
    return results;
  }

  /** Emits the initial results and starts reacting to the batches heard since listening. */
  start(initial: readonly QuestionResult[]): void {
    for (const [index, result] of initial.entries()) this.emit(index, result, null);
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

  /** Whether the client has room for one round's answers. */
  get hasRoom(): boolean {
    return this.updates.length <= MAX_BUFFERED_UPDATES - this.checks.length;
  }

  /** Takes the hits a round is about to evaluate; later hits collect anew for the next round. */
  takeHits(): Map<number, ChangeEvent | null> {
    const hits = this.pending;
    this.pending = new Map();
    this.inRound = true;
    return hits;
  }

  /** The round that took the hits is done: its answers' placements join the ones watched for organization changes. */
  settle(placementDependencies: readonly string[] | undefined): void {
    this.inRound = false;
    if (placementDependencies === undefined) this.placementDependencies = undefined;
    else if (this.placementDependencies !== undefined) for (const id of placementDependencies) this.placementDependencies.add(id);
  }

  /** Whether an organization change row may alter an answer: it names a target, policy or account they were built from. */
  private dependsOnPlacementsOf(event: ChangeEvent): boolean {
    const dependencies = this.placementDependencies;
    if (dependencies === undefined || this.inRound) return true;
    const names = placementNamesOf(event);
    return names === undefined || names.some((name) => dependencies.has(name));
  }

  /** Re-resolves the stale watchers (one lookup each); a principal that no longer exists is left unresolved, its checks answer NoSuchEntity. */
  async refreshPrincipals(): Promise<void> {
    for (const watcher of this.stale) watcher.principal = await resolve(this.runtime, watcher.arn, `checks[${watcher.indexes[0]!}].principalArn`);
    this.stale.clear();
  }

  /** Emits the changed results among `results` (for `indexes`), crediting each to its hit. */
  deliver(indexes: readonly number[], results: readonly QuestionResult[], hits: ReadonlyMap<number, ChangeEvent | null>): void {
    for (const [k, index] of indexes.entries()) {
      // A check the subscriber may not watch keeps its refusal as its result, whatever was evaluated.
      if (this.refused.has(this.watcherOf[index]!)) continue;
      this.emit(index, results[k]!, hits.get(index) ?? null);
    }
  }

  /**
   * The permit decided the subscriber's permissions again: checks newly refused get the refusal as
   * their result (older answers still waiting are dropped, see `admits`), checks allowed again
   * are evaluated again.
   */
  applyRefusals(refusals: ReadonlyMap<Watcher, AccessDeniedError>): void {
    if (this.closed) return;
    let regained = false;
    for (const watcher of this.watchers) {
      const refusal = refusals.get(watcher);
      const was = this.refused.has(watcher);
      if (refusal !== undefined) {
        this.refused.set(watcher, refusal);
        if (!was) for (const index of watcher.indexes) this.emit(index, refusal, null);
      } else if (was) {
        this.refused.delete(watcher);
        for (const index of watcher.indexes) this.pending.set(index, null);
        regained = true;
      }
    }
    if (!regained || !this.started) return;
    this.rounds.offer(this.rounds.hub.freshLoader());
    this.rounds.schedule(this);
  }

  /** Whether an update may still go out: not a result the subscriber was refused since it was queued. */
  admits(update: DecisionUpdate): boolean {
    return update.result instanceof AccessDeniedError || !this.refused.has(this.watcherOf[update.index]!);
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

  /** Pushes check `index`'s result when it differs from the one last emitted. */
  private emit(index: number, result: QuestionResult, change: ChangeEvent | null): void {
    const outcome = outcomeOf(result);
    if (outcome === this.last[index]) return;
    this.last[index] = outcome;
    const revision = result instanceof Error ? this.runtime.bus.currentRevisionText : result.revision;
    this.updates.push({ index, key: this.checks[index]!.key ?? null, result, revision, change });
  }

  private onBatch(batch: LiveBatch): void {
    if (this.closed) return;
    let hit = false;
    for (const event of batch.events) {
      if (isAuditOnly(event)) continue;
      if (event.entityType === 'resource') {
        // A registered resource's policy, tags or existence changed: the checks about it that bring no policy of their own.
        const indexes = this.byResource.get(event.entityArn);
        if (indexes === undefined) continue;
        hit = true;
        for (const index of indexes) this.pending.set(index, event);
        continue;
      }
      if (changesPlacements(event)) {
        // An SCP or RCP attached, detached or changed, or an account moved: the row names the
        // target (root, OU, account), never the principals below it. A watch whose answers used
        // a placement built from what it names asks every check again (rounds share one
        // evaluation per distinct question; only flips are emitted), so a change on an OU reaches
        // the watches of every account under it and no other.
        if (!this.dependsOnPlacementsOf(event)) continue;
        hit = true;
        for (let index = 0; index < this.checks.length; index++) this.pending.set(index, event);
        continue;
      }
      for (const watcher of this.watchers) {
        const principal = watcher.principal;
        // An unresolved principal is hit by a change to its ARN (its creation, say).
        const named = event.entityArn === watcher.arn;
        if (!named && (principal === undefined || !affects(event, principal))) continue;
        hit = true;
        for (const index of watcher.indexes) this.pending.set(index, event);
        if (mayReidentify(event, watcher.arn) || (principal !== undefined && mayRegroup(event, principal))) this.stale.add(watcher);
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

/** A question's identity for sharing its evaluation (minRevision is always null here; the client key does not change the answer). */
function questionKey(q: AuthorizeQuestion): string {
  return JSON.stringify([q.principalArn ?? null, q.action, q.resourceArn, q.resourceOwner ?? null, q.resourcePolicy ?? null, q.contextEntries ?? null]);
}

/** The principal's ids, or undefined when its ARN names none (its checks report why). */
async function resolve(runtime: AuthzRuntime, arn: string, field: string): Promise<WatchedPrincipal | undefined> {
  try {
    return await watchPrincipal(runtime.database, arn, field);
  } catch (error) {
    if (error instanceof NoSuchEntityError || error instanceof ValidationError) return undefined;
    throw error;
  }
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
    [...byArn].map(async ([arn, indexes]) => ({ arn, principal: await resolve(runtime, arn, `checks[${indexes[0]!}].principalArn`), indexes })),
  );
}
