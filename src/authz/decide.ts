/**
 * The decision service behind `authorize` and `authorizeBatch`: validate one question, make sure
 * this instance reflects `minRevision`, check the caller may ask (`iam:Authorize` on the
 * principal), evaluate against the principal's cached effective set and record last-accessed
 * data in memory. Per-question failures are typed IamErrors so a batch can report them per item.
 */
import { createHash } from 'node:crypto';
import { IamError, MalformedPolicyDocumentError, ValidationError } from '../errors.ts';
import { evaluate, type EvaluateOptions } from '../policy/index.ts';
import type { CompiledPolicy, Decision, EvaluationRequest, RequestContext } from '../policy/types.ts';
import { toRequestContext, type ContextEntry } from './context-entries.ts';
import { PolicyCompileFailure } from './compiled-policies.ts';
import { checkDocumentLength } from './input-caps.ts';
import { callerKind, callerRef } from './guard.ts';
import type { Caller } from './caller.ts';
import { policySetFor, type EffectivePolicies } from './effective-set.ts';
import type { RequestGuard } from './guard.ts';
import type { PrincipalRef } from './principal-ref.ts';
import type { AuthzRuntime } from './runtime.ts';
import { accountOfArn, parsePrincipalArn } from './principal-ref.ts';

/** One authorization question, as `AuthorizeInput` carries it. */
export interface AuthorizeQuestion {
  readonly principalArn?: string | null;
  readonly action: string;
  readonly resourceArn: string;
  readonly resourceOwner?: string | null;
  readonly resourcePolicy?: string | null;
  readonly contextEntries?: readonly ContextEntry[] | null;
  readonly minRevision?: string | null;
}

/** The engine's decision plus the change-log revision it was evaluated at. */
export interface RevisionedDecision extends Decision {
  readonly revision: string;
}

/** A decision still being stamped with its revision. */
type Stampable<T> = { -readonly [K in keyof T]: T[K] };

/** The caller may not ask about this principal (a batch item's error; single calls throw ACCESS_DENIED). */
export class AccessDeniedError extends IamError {
  readonly code = 'AccessDenied';
  constructor(
    readonly action: string,
    readonly resource: string,
    caller: Caller,
  ) {
    super(`${callerKind(caller)} ${caller.arn} is not authorized to perform ${action} on resource ${resource}`);
  }
}

const ACTION = /^[A-Za-z0-9_-]{1,64}:[A-Za-z0-9_.*?-]{1,128}$/;
const ACCOUNT = /^\d{12}$/;
const REVISION = /^\d{1,19}$/;
const MAX_ARN_LENGTH = 2048;

/** Parses a `minRevision`/`afterRevision` string, or throws a ValidationError naming `field`. */
export function parseRevision(value: string, field: string): bigint {
  if (!REVISION.test(value)) throw new ValidationError(field, 'revision', `${field} must be a string of digits, got "${value.slice(0, 40)}"`);
  return BigInt(value);
}

/** Checks the fields every question shares; throws ValidationError naming the field. */
function validateQuestion(q: AuthorizeQuestion, field: string): void {
  if (!ACTION.test(q.action)) {
    throw new ValidationError(`${field}.action`, 'pattern', `${field}.action must look like "service:Action", got "${q.action.slice(0, 80)}"`);
  }
  if (q.resourceArn === '' || q.resourceArn.length > MAX_ARN_LENGTH) {
    throw new ValidationError(`${field}.resourceArn`, 'length', `${field}.resourceArn must be 1 to ${MAX_ARN_LENGTH} characters`);
  }
  if (q.principalArn != null && parsePrincipalArn(q.principalArn) === undefined) {
    throw new ValidationError(
      `${field}.principalArn`,
      'principal-arn',
      `${field}.principalArn must be a user, role, assumed-role session or root ARN, got "${q.principalArn.slice(0, 120)}"`,
    );
  }
  if (q.resourceOwner != null && !ACCOUNT.test(q.resourceOwner)) {
    throw new ValidationError(`${field}.resourceOwner`, 'pattern', `${field}.resourceOwner must be a 12-digit account id, got "${q.resourceOwner.slice(0, 40)}"`);
  }
}

/**
 * Compiles a resource policy passed with a question, cached by its text's hash among caller
 * documents; it must fit MAX_DOCUMENT_LENGTH and the resource-policy quota (20,480 characters).
 */
export function compileResourcePolicy(runtime: AuthzRuntime, text: string, field: string): CompiledPolicy {
  checkDocumentLength(text, field);
  const digest = createHash('sha256').update(text).digest('base64');
  try {
    return runtime.compiled.callerDocument(digest, 'resource', text, { id: 'ResourcePolicy', name: 'ResourcePolicy' });
  } catch (error) {
    if (error instanceof PolicyCompileFailure) throw new MalformedPolicyDocumentError(field, error.findings);
    throw error;
  }
}

/**
 * Whose policies answer `q` for `caller`: the principal it names, or the caller's own session
 * (and so its session policies) when it names none or the caller itself.
 */
export function questionRef(q: AuthorizeQuestion, caller: Caller): PrincipalRef {
  return q.principalArn == null || q.principalArn === caller.arn ? callerRef(caller) : q.principalArn;
}

/** Answers questions for one request; create one per request (it memoises `iam:Authorize` checks). */
export class Decider {
  private readonly permitted = new Map<string, Promise<boolean>>();
  private readonly permittedNow = new Map<string, boolean>();
  private preloading: Promise<void> | undefined;
  /** The request's time: every question of one operation is decided (and recorded) at the same instant. */
  private readonly now = new Date();

  constructor(
    private readonly runtime: AuthzRuntime,
    private readonly policies: { load(ref: PrincipalRef): Promise<EffectivePolicies> },
    private readonly guard: RequestGuard,
  ) {}

  /** Loads what every question needs first (the caller's own policies), so cached questions run synchronously. */
  prepare(): Promise<void> {
    return this.guard.ready();
  }

  /**
   * Loads the principals of questions the operation will ask later, in one batch. Mutation fields
   * run one after another, so aliased `authorize` fields would otherwise each load alone; the
   * first one calls this with every sibling's question. Runs once per request; failures are left
   * for each question to report.
   */
  preload(questions: () => readonly AuthorizeQuestion[]): Promise<void> {
    this.preloading ??= this.loadAhead(questions());
    return this.preloading;
  }

  private async loadAhead(questions: readonly AuthorizeQuestion[]): Promise<void> {
    const caller = this.guard.caller;
    if (caller === undefined || questions.length < 2) return;
    let highest = 0n;
    for (const q of questions) {
      if (q.minRevision != null && REVISION.test(q.minRevision) && BigInt(q.minRevision) > highest) highest = BigInt(q.minRevision);
    }
    if (highest > 0n) await this.runtime.reachRevision(highest, 'minRevision').catch(() => {});
    // Only what the cache lacks: a warm batch then starts deciding without a promise per principal.
    const refs = new Set<PrincipalRef>();
    for (const q of questions) {
      if (q.principalArn != null && parsePrincipalArn(q.principalArn) === undefined) continue;
      const ref = questionRef(q, caller);
      if (this.runtime.effective.peek(ref) === undefined) refs.add(ref);
    }
    if (refs.size > 0) await Promise.all([...refs].map((ref) => this.policies.load(ref).catch(() => undefined)));
  }

  /**
   * Waits until this instance reflects `revision` (or the highest of a batch): briefly for the
   * listener, then by reading the change log itself. A revision the log has not reached is a
   * ValidationError on `field`.
   */
  async reach(revision: bigint, field: string): Promise<void> {
    await this.runtime.reachRevision(revision, field);
  }

  /**
   * Decides one question. `field` is its input path for error messages (e.g. `requests[4]`).
   * Throws (synchronously, or by rejecting) UNAUTHENTICATED for anonymous requests, and IamErrors
   * (AccessDenied, NoSuchEntity, ValidationError, MalformedPolicyDocument) for this question only.
   * Invariant: with everything cached it answers synchronously, so a batch of questions costs no
   * promise per question. `explain` passes to the engine (near misses only when they will be shown).
   */
  decide(q: AuthorizeQuestion, field: string, explain?: EvaluateOptions): RevisionedDecision | Promise<RevisionedDecision> {
    validateQuestion(q, field);
    const context = toRequestContext(q.contextEntries, `${field}.contextEntries`);
    const resource = q.resourcePolicy == null ? undefined : compileResourcePolicy(this.runtime, q.resourcePolicy, `${field}.resourcePolicy`);
    if (q.minRevision == null) return this.decideAtCurrentRevision(q, context, resource, explain);
    const revision = parseRevision(q.minRevision, `${field}.minRevision`);
    return this.reach(revision, `${field}.minRevision`).then(() => this.decideAtCurrentRevision(q, context, resource, explain));
  }

  private decideAtCurrentRevision(
    q: AuthorizeQuestion,
    context: RequestContext,
    resource: CompiledPolicy | undefined,
    explain: EvaluateOptions | undefined,
  ): RevisionedDecision | Promise<RevisionedDecision> {
    const caller = this.guard.caller;
    const principalArn = q.principalArn ?? caller?.arn;
    if (caller === undefined || principalArn === undefined) {
      return this.guard.require('iam:Authorize', q.principalArn ?? '*').then(() => {
        throw new Error('unreachable: the guard allowed an anonymous request');
      });
    }
    let permitted = this.permittedNow.get(principalArn);
    if (permitted === undefined) {
      permitted = this.guard.allowsNow('iam:Authorize', principalArn);
      if (permitted === undefined) return this.mayAsk(principalArn).then(() => this.decideAtCurrentRevision(q, context, resource, explain));
      this.permittedNow.set(principalArn, permitted);
    }
    if (!permitted) throw new AccessDeniedError('iam:Authorize', principalArn, caller);
    const ref = questionRef(q, caller);
    const cached = this.runtime.effective.peek(ref);
    if (cached !== undefined) return this.evaluateFor(cached, q, context, resource, explain);
    return this.policies.load(ref).then((set) => this.evaluateFor(set, q, context, resource, explain));
  }

  private evaluateFor(
    set: EffectivePolicies,
    q: AuthorizeQuestion,
    context: RequestContext,
    resource: CompiledPolicy | undefined,
    explain: EvaluateOptions | undefined,
  ): RevisionedDecision {
    const now = this.now;
    const request: EvaluationRequest = {
      principal: set.principal,
      action: q.action,
      resource: q.resourceArn,
      resourceAccount: q.resourceOwner ?? accountOfArn(q.resourceArn) ?? set.principal.accountId,
      context,
      now,
    };
    const decision = evaluate(request, policySetFor(set, resource), explain) as Stampable<RevisionedDecision>;
    this.runtime.countDecision(decision.decision);
    this.runtime.lastAccessed.record(set.principalId, set.principal.accountId, q.action, now);
    // evaluate returns a fresh object: stamping it saves a copy per decision (batches make millions).
    decision.revision = this.runtime.bus.currentRevisionText;
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
