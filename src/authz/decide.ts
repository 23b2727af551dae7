/**
 * The decision service behind `authorize`, `authorizeBatch` and the `decisionChanged` watches:
 * `Decider.decideAll` validates each question, brings this instance to the questions' highest
 * `minRevision` once, checks the caller may ask (`iam:Authorize` on the principal), evaluates
 * against the principal's cached effective set and, for served decisions, counts them and records
 * last-accessed data in memory. Per-question failures come back in the question's slot.
 */
import type { ChangeBus } from '../changes/bus.ts';
import { isAccountId } from '../db/schema/rules.ts';
import { isRevision, parseRevision, revisionAhead } from '../changes/revision.ts';
import { AccessDeniedError, MalformedPolicyDocumentError, NoSuchEntityError, ValidationError } from '../errors.ts';
import { internAction, type EvaluateOptions } from '../policy/index.ts';
import type { Decision, EvalDecision } from '../policy/types.ts';
import type { ActionUsageBuffer } from './action-usage.ts';
import type { Caller } from './caller.ts';
import type { CompiledPolicyCache } from './compiled-policies.ts';
import { NO_CONTEXT, toRequestContext } from './context-entries.ts';
import type { EffectivePolicyStore } from './effective-policies.ts';
import type { EffectivePolicies } from './effective-set.ts';
import type { RequestGuard } from './guard.ts';
import type { LastAccessedRecorder } from './last-accessed.ts';
import type { AccountPlacement, OrganizationPlacementStore } from './organization-placements.ts';
import { accountOfArn, parsePrincipalArn, type PrincipalRef } from './principal-ref.ts';
import { compileResourcePolicy, isWellFormedQuestion, questionRef, validateQuestion, type AuthorizeQuestion } from './question.ts';
import type { RegisteredResourceStore } from './registered-resources.ts';
import { concealOwnersStatements, evaluateQuestion, resourceAccountOf, resourceFacts, type ResourceFacts } from './resource-facts.ts';
import { mapSliced } from './time-slice.ts';

/**
 * The highest well-formed `minRevision` among `questions` (0n for none): the one revision an
 * operation waits for. A malformed one is left for its own question to report.
 */
function highestMinRevision(questions: readonly AuthorizeQuestion[]): bigint {
  let highest = 0n;
  for (const q of questions) {
    if (q.minRevision == null || !isRevision(q.minRevision)) continue;
    const revision = BigInt(q.minRevision);
    if (revision > highest) highest = revision;
  }
  return highest;
}

/** The engine's decision plus the change-log revision it was evaluated at. */
export interface RevisionedDecision extends Decision {
  readonly revision: string;
}

/** A decision still being stamped with its revision. */
type Stampable<T> = { -readonly [K in keyof T]: T[K] };

/** What deciding needs from the process: caches, revision tracking and usage counters (AuthzRuntime provides them). */
export interface DecisionServices {
  readonly compiled: CompiledPolicyCache;
  readonly effective: Pick<EffectivePolicyStore, 'peek'>;
  /** Registered resources, whose stored policy, tags and owner answer questions that bring no resource policy. */
  readonly resources: Pick<RegisteredResourceStore, 'peek' | 'loadMany' | 'load'>;
  /** Accounts' organization placements: SCPs of the principal's account, RCPs of the resource's, the organization keys. */
  readonly placements: Pick<OrganizationPlacementStore, 'peek' | 'load' | 'loadMany'>;
  readonly bus: Pick<ChangeBus, 'currentRevision' | 'currentRevisionText'>;
  readonly lastAccessed: Pick<LastAccessedRecorder, 'record'>;
  /** Action-level use (action, resource, allowed) for access advisor and policy generation. */
  readonly actionUsage: Pick<ActionUsageBuffer, 'record'>;
  /** Resolves once this instance has applied `revision`; a ValidationError on `field` when the change log has not reached it. */
  reachRevision(revision: bigint, field: string): Promise<void>;
  /** Counts one served decision for /metrics. */
  countDecision(decision: EvalDecision): void;
}

/** How one `decideAll` call treats its questions. */
export interface DecideOptions {
  /**
   * Whether the answers are served decisions: counted in /metrics and recorded as last-accessed
   * data. Background re-evaluations nobody asked for (decisionChanged rounds) pass false.
   */
  readonly record: boolean;
  /** The input path of question `index`, for error messages (e.g. `requests[4]`). */
  readonly field: (index: number) => string;
  /** Passed to the engine (near misses only when they will be shown). */
  readonly explain?: EvaluateOptions;
}

/**
 * One question's outcome: its decision, or the error that question alone failed with. The
 * QuestionErrors are the question's own fault; anything else (a failed load) is the service's.
 */
export type Answer = RevisionedDecision | Error;

/** The errors that are one question's own: it is refused, names nothing that exists, or is malformed. */
export type QuestionError = AccessDeniedError | NoSuchEntityError | ValidationError | MalformedPolicyDocumentError;

/** A question's decision, or its own error: what a client is shown as that question's answer. */
export type QuestionResult = RevisionedDecision | QuestionError;

/** Whether a failed answer is the question's own (see QuestionError) rather than the service's. */
export function isQuestionError(error: unknown): error is QuestionError {
  return error instanceof AccessDeniedError || error instanceof NoSuchEntityError || error instanceof ValidationError || error instanceof MalformedPolicyDocumentError;
}

/** Answers questions for one request (or one decisionChanged round); it memoises `iam:Authorize` checks. */
export class Decider {
  private readonly permitted = new Map<string, Promise<boolean>>();
  private readonly permittedNow = new Map<string, boolean>();
  private preloading: Promise<void> | undefined;
  /** The placements answers used, once `trackPlacements` asked for them (live watches do; requests need not pay for it). */
  private placementsUsed: Set<AccountPlacement> | undefined;
  /** The request's time: every question of one operation is decided (and recorded) at the same instant. */
  private readonly now = new Date();

  constructor(
    private readonly services: DecisionServices,
    private readonly policies: { load(ref: PrincipalRef): Promise<EffectivePolicies> },
    private readonly guard: RequestGuard,
  ) {}

  /** From now on, remembers the organization placements the answers use (see `placementDependencies`). */
  trackPlacements(): void {
    this.placementsUsed ??= new Set();
  }

  /**
   * What the placements the answers used since `trackPlacements` were built from (targets and
   * policies, each account's own id among them): an organization change naming none of them
   * leaves those answers as they are. Undefined when not tracking.
   */
  placementDependencies(): string[] | undefined {
    if (this.placementsUsed === undefined) return undefined;
    const out: string[] = [];
    for (const placement of this.placementsUsed) out.push(...placement.dependsOn);
    return out;
  }

  /**
   * Decides `questions`, in order, one answer per question. Rejects (UNAUTHENTICATED) for an
   * anonymous request, and when this instance cannot read the change log or the caller's own
   * policies; every other failure is that question's answer. First it waits once for the
   * questions' highest `minRevision`, then loads the caller's and every uncached principal's
   * policies in one batch. Invariant: with everything cached the questions are answered
   * synchronously, so a batch costs no promise per question (only the call itself is async). A
   * long batch yields to the event loop between slices, so it never holds the process for long.
   */
  async decideAll(questions: readonly AuthorizeQuestion[], options: DecideOptions): Promise<Answer[]> {
    if (this.guard.caller === undefined) {
      await this.guard.require('iam:Authorize', '*');
      throw new Error('unreachable: the guard allowed an anonymous request');
    }
    await this.reachHighest(questions);
    await this.loadAhead(questions);
    let waiting = false;
    const answers = await mapSliced(questions.length, (i): Answer | Promise<Answer> => {
      try {
        const decided = this.decide(questions[i]!, i, options);
        if (!(decided instanceof Promise)) return decided;
        waiting = true;
        return decided.catch(asFailure);
      } catch (error) {
        return asFailure(error);
      }
    });
    return waiting ? Promise.all(answers) : (answers as Answer[]);
  }

  /**
   * `decideAll` of one question, answered synchronously when everything it needs is cached (the
   * caller's and the principal's sets, the resource's registry entry) and it waits for no
   * revision: the fast path of a lone AuthZEN evaluation, with no promise on the way. Otherwise
   * the same answer through `decideAll`.
   */
  decideOne(q: AuthorizeQuestion, options: DecideOptions): Answer | Promise<Answer> {
    const caller = this.guard.caller;
    if (caller !== undefined && q.minRevision == null && this.guard.readyNow() && this.cachedFor(q, caller)) {
      try {
        const decided = this.decide(q, 0, options);
        if (!(decided instanceof Promise)) return decided;
        return decided.catch(asFailure);
      } catch (error) {
        return asFailure(error);
      }
    }
    return this.decideAll([q], options).then((answers) => answers[0]!);
  }

  /** Whether `q`'s principal set and resource facts are cached (what `loadAhead` would otherwise load). */
  private cachedFor(q: AuthorizeQuestion, caller: Caller): boolean {
    if (q.resourcePolicy == null && this.services.resources.peek(q.resourceArn) === undefined) return false;
    if (q.principalArn != null && parsePrincipalArn(q.principalArn) === undefined) return true;
    return this.services.effective.peek(questionRef(q, caller)) !== undefined;
  }

  /**
   * Brings forward what `decideAll` will need for questions the operation asks later: waits for
   * their highest `minRevision` and loads their principals in one batch. Mutation fields run one
   * after another, so aliased `authorize` fields would otherwise each load alone; the first one
   * calls this with every sibling's question. Runs once per Decider; failures are left for each
   * question to report.
   */
  preload(questions: () => readonly AuthorizeQuestion[]): Promise<void> {
    this.preloading ??= this.bringForward(questions());
    return this.preloading;
  }

  private async bringForward(questions: readonly AuthorizeQuestion[]): Promise<void> {
    if (this.guard.caller === undefined) return;
    await this.reachHighest(questions).catch(() => {});
    await this.loadAhead(questions).catch(() => {});
  }

  /**
   * Waits once until this instance reflects the questions' highest `minRevision`: briefly for the
   * listener, then by reading the change log itself. A question whose revision the log has not
   * reached fails alone (see `decide`), so only other failures reject.
   */
  private async reachHighest(questions: readonly AuthorizeQuestion[]): Promise<void> {
    const highest = highestMinRevision(questions);
    if (highest === 0n) return;
    try {
      await this.services.reachRevision(highest, 'minRevision');
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
    }
  }

  /**
   * Loads the caller's own policies, every question's principal the cache lacks and every
   * resource the registry may hold that the cache cannot answer for, in one batch (a warm batch
   * then decides without a promise per principal or resource). A principal or resource that fails
   * to load is left for its questions to report; the caller's own policies failing rejects.
   */
  private async loadAhead(questions: readonly AuthorizeQuestion[]): Promise<void> {
    const caller = this.guard.caller;
    if (caller === undefined) return;
    const refs = new Set<PrincipalRef>();
    const arns = new Set<string>();
    // The accounts the questions name (principals', resources'): their placements in one batch.
    const accounts = new Set<string>();
    const registry = this.services.resources;
    const placements = this.services.placements;
    // A batch's questions mostly name one or two accounts: each is peeked once.
    let lastPlaced: string | undefined;
    const place = (id: string | undefined): void => {
      if (id === undefined || id === lastPlaced) return;
      lastPlaced = id;
      if (isAccountId(id) && placements.peek(id) === undefined) accounts.add(id);
    };
    for (const q of questions) {
      if (q.resourcePolicy == null && registry.peek(q.resourceArn) === undefined) arns.add(q.resourceArn);
      const principalAccount = q.principalArn == null ? caller.accountId : accountOfArn(q.principalArn);
      place(principalAccount);
      place(q.resourceOwner ?? accountOfArn(q.resourceArn) ?? principalAccount);
      if (q.principalArn != null && parsePrincipalArn(q.principalArn) === undefined) continue;
      const ref = questionRef(q, caller);
      if (this.services.effective.peek(ref) === undefined) refs.add(ref);
    }
    const resources = arns.size === 0 ? undefined : registry.loadMany([...arns]).catch(() => undefined);
    const placed = accounts.size === 0 ? undefined : placements.loadMany([...accounts]).catch(() => undefined);
    if (resources === undefined && placed === undefined && refs.size === 0) {
      await this.guard.ready();
      return;
    }
    await Promise.all([this.guard.ready(), resources, placed, ...[...refs].map((ref) => this.policies.load(ref).catch(() => undefined))]);
  }

  /**
   * Decides question `index`. Throws, synchronously or by rejecting, the question's own failure.
   * Answers synchronously when the principal's set is cached. The question's input path
   * (`options.field`) is built only to name a field in an error: a batch's well-formed questions
   * build no strings.
   */
  private decide(q: AuthorizeQuestion, index: number, options: DecideOptions): RevisionedDecision | Promise<RevisionedDecision> {
    if (!isWellFormedQuestion(q)) validateQuestion(q, options.field(index));
    const entries = q.contextEntries;
    const context = entries == null || entries.length === 0 ? NO_CONTEXT : toRequestContext(entries, `${options.field(index)}.contextEntries`);
    if (q.minRevision != null) {
      // decideAll reached the highest revision it could: one past the log fails here, alone.
      const field = `${options.field(index)}.minRevision`;
      const revision = parseRevision(q.minRevision, field);
      const current = this.services.bus.currentRevision;
      if (revision > current) throw revisionAhead(field, revision, current);
    }
    if (q.resourcePolicy != null) {
      const resource = compileResourcePolicy(this.services.compiled, q.resourcePolicy, `${options.field(index)}.resourcePolicy`);
      return this.decideAsCaller(q, { context, policy: resource, owner: undefined }, options);
    }
    // No policy brought: the registered resource's, if the ARN is registered (loaded ahead in the batch).
    const registered = this.services.resources.peek(q.resourceArn);
    if (registered === undefined) {
      return this.services.resources.load(q.resourceArn).then((loaded) => this.decideAsCaller(q, resourceFacts(loaded, context), options));
    }
    return this.decideAsCaller(q, resourceFacts(registered, context), options);
  }

  private decideAsCaller(q: AuthorizeQuestion, resource: ResourceFacts, options: DecideOptions): RevisionedDecision | Promise<RevisionedDecision> {
    const caller = this.guard.caller!;
    const principalArn = q.principalArn ?? caller.arn;
    let permitted = this.permittedNow.get(principalArn);
    if (permitted === undefined) {
      permitted = this.guard.allowsNow('iam:Authorize', principalArn);
      if (permitted === undefined) return this.mayAsk(principalArn).then(() => this.decideAsCaller(q, resource, options));
      this.permittedNow.set(principalArn, permitted);
    }
    if (!permitted) throw this.guard.refusal(caller, 'iam:Authorize', principalArn);
    const ref = questionRef(q, caller);
    const cached = this.services.effective.peek(ref);
    if (cached !== undefined) return this.evaluateFor(cached, q, resource, options);
    return this.policies.load(ref).then((set) => this.evaluateFor(set, q, resource, options));
  }

  /** Evaluates with the placements of the principal's and the resource's accounts, loading them first when not cached. */
  private evaluateFor(set: EffectivePolicies, q: AuthorizeQuestion, resource: ResourceFacts, options: DecideOptions): RevisionedDecision | Promise<RevisionedDecision> {
    const placements = this.services.placements;
    const resourceAccount = resourceAccountOf(set, q, resource);
    const principalPlacement = placements.peek(set.principal.accountId);
    const resourcePlacement = resourceAccount === set.principal.accountId ? principalPlacement : placements.peek(resourceAccount);
    if (principalPlacement !== undefined && resourcePlacement !== undefined) return this.evaluatePlaced(set, q, resource, options, principalPlacement, resourcePlacement);
    return Promise.all([placements.load(set.principal.accountId), placements.load(resourceAccount)]).then(([p, r]) => this.evaluatePlaced(set, q, resource, options, p, r));
  }

  private evaluatePlaced(
    set: EffectivePolicies,
    q: AuthorizeQuestion,
    resource: ResourceFacts,
    options: DecideOptions,
    principalPlacement: AccountPlacement,
    resourcePlacement: AccountPlacement,
  ): RevisionedDecision {
    const now = this.now;
    if (this.placementsUsed !== undefined) this.placementsUsed.add(principalPlacement).add(resourcePlacement);
    const decision = evaluateQuestion(set, q, resource, now, options.explain, principalPlacement, resourcePlacement) as Stampable<RevisionedDecision>;
    concealOwnersStatements(decision, resource, this.guard.caller!.accountId);
    if (options.record) {
      this.services.countDecision(decision.decision);
      // The engine interned the action while deciding: this lookup finds its key, hash cached.
      const action = internAction(q.action);
      this.services.lastAccessed.record(set.principalId, set.principal.accountId, q.action, action, now);
      this.services.actionUsage.record(set.principalId, set.principal.accountId, q.action, action, q.resourceArn, decision.allowed, now);
    }
    // evaluate returns a fresh object: stamping it saves a copy per decision (batches make millions).
    decision.revision = this.services.bus.currentRevisionText;
    return decision;
  }

  /** Whether the caller may ask about `principalArn`, memoised per request (settled answers in `permittedNow`). */
  private mayAsk(principalArn: string): Promise<boolean> {
    let answer = this.permitted.get(principalArn);
    if (answer === undefined) {
      answer = this.guard.allows('iam:Authorize', principalArn).then((ok) => {
        this.permittedNow.set(principalArn, ok);
        return ok;
      });
      this.permitted.set(principalArn, answer);
    }
    return answer;
  }
}

/** A thrown value as a question's answer. */
function asFailure(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
