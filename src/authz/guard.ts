/**
 * Self-authorization for one request: `require(action, arn, facts)` asks the policy engine whether
 * the authenticated caller may perform the action on the resource, from the caller's own effective
 * policy set (loaded once per request), the request's network facts, the clock, and the condition
 * keys the action accepts filled from `facts` (src/authz/action-keys.ts).
 */
import type { CompiledPolicy, Decision, RequestContext } from '../policy/types.ts';
import { actionContext, type ActionFacts } from './action-keys.ts';
import { federationForbids, mustChangePassword, type AccessGuard, type Caller } from './caller.ts';
import { evaluateSet, type EffectivePolicies } from './effective-set.ts';
import { AccessDeniedError, PasswordResetRequiredError, UnauthenticatedError, type DenialExplanation } from '../errors.ts';
import { explainDenial } from './denial-explanation.ts';
import { PASSWORD_SELF_SERVICE_ACTIONS } from './password-self-service.ts';
import { accountOfArn, sessionRef, type PrincipalRef } from './principal-ref.ts';
import { FAIL_CLOSED_PLACEMENT, type AccountPlacement, type OrganizationPlacementStore } from './organization-placements.ts';

/** Where decisions get accounts' organization placements (the process-wide store). */
export type PlacementSource = Pick<OrganizationPlacementStore, 'peek' | 'load'>;


/** Facts about the HTTP request (or WebSocket connection) that condition keys can test. */
export interface RequestFacts {
  /** Client address as aws:SourceIp sees it; absent for in-process requests. */
  readonly sourceIp?: string;
  /** Whether the client connected over TLS (aws:SecureTransport). */
  readonly secureTransport: boolean;
}

/** Where the guard gets a principal's effective policies (the request's batched loader). */
export type EffectivePolicyLoader = (ref: PrincipalRef) => Promise<EffectivePolicies>;

/** The policy ref that names a caller: its session for temporary credentials, else its ARN. */
export function callerRef(caller: Caller): PrincipalRef {
  return caller.credential.type === 'session' ? sessionRef(caller.credential.accessKeyId) : caller.arn;
}

/** The request context every decision of this request carries (network keys). */
export function requestContext(facts: RequestFacts): RequestContext {
  const context: Record<string, RequestContext[string]> = {
    'aws:SecureTransport': { type: 'boolean', multi: false, values: [String(facts.secureTransport)] },
  };
  if (facts.sourceIp !== undefined) context['aws:SourceIp'] = { type: 'ip', multi: false, values: [facts.sourceIp] };
  return context;
}

/** How the message of a denial names the caller, as AWS does ("user", "assumed-role", "root"). */
export function callerKind(caller: Caller): string {
  return caller.kind === 'role-session' ? 'assumed-role' : caller.kind;
}

/** `caller` may not perform `action` on `resourceArn`; `explanation` only when it may see why. */
export function accessDenied(caller: Caller, action: string, resourceArn: string, explanation?: DenialExplanation): AccessDeniedError {
  return AccessDeniedError.notAuthorized(`${callerKind(caller)} ${caller.arn}`, action, resourceArn, explanation);
}

/** What a request's guard reports to the process (buffered in memory, flushed in batches). */
export interface GuardObserver {
  /** The request's first check (allowed or not): the action its credential was used for. */
  firstCheck(caller: Caller, action: string): void;
  /** `require` refused the caller: an audit event. */
  denied(caller: Caller, action: string, resourceArn: string): void;
}

/**
 * The AccessGuard of one request. Its checks are not Decider questions: they ask about the
 * caller's own set only (loaded once, so `allowsNow` answers synchronously), need no
 * `iam:Authorize` permission to ask, fill condition keys from the request's facts, explain a
 * denial to a caller who may simulate, and are neither counted nor recorded as served decisions.
 * The Decider builds on this guard (its `iam:Authorize` checks), so both meet the engine through
 * the same `evaluateSet` instead of one calling the other.
 */
export class RequestGuard implements AccessGuard {
  private policies: Promise<EffectivePolicies> | undefined;
  private loaded: EffectivePolicies | undefined;
  private readonly context: RequestContext;
  private checked = false;
  /** Placements this request has used, kept so a synchronous check never races their eviction. */
  private readonly placed = new Map<string, AccountPlacement>();

  constructor(
    readonly caller: Caller | undefined,
    private readonly load: EffectivePolicyLoader,
    facts: RequestFacts,
    /** Accounts' organization placements: the SCPs of the caller's account, the RCPs of the resource's. */
    private readonly placements: PlacementSource,
    private readonly observer?: GuardObserver,
    /** The caller's set when the process already holds it (so `readyNow` needs no promise). */
    private readonly cached?: (ref: PrincipalRef) => EffectivePolicies | undefined,
  ) {
    this.context = requestContext(facts);
  }

  /** Whether the caller's set is loaded, taking it from `cached` when it is there: `allowsNow` then answers. */
  readyNow(): boolean {
    if (this.loaded !== undefined) return true;
    if (this.caller === undefined || this.cached === undefined) return false;
    if (this.placementNow(this.caller.accountId) === undefined) return false;
    const set = this.cached(callerRef(this.caller));
    if (set === undefined) return false;
    this.loaded = set;
    this.policies ??= Promise.resolve(set);
    return true;
  }

  require(action: string, resourceArn: string, facts?: ActionFacts): Promise<Caller> {
    return this.check(action, resourceArn, facts, undefined);
  }

  requireGranted(action: string, resourceArn: string, grant: CompiledPolicy | undefined, facts?: ActionFacts): Promise<Caller> {
    return this.check(action, resourceArn, facts, grant);
  }

  private async check(action: string, resourceArn: string, facts: ActionFacts | undefined, grant: CompiledPolicy | undefined): Promise<Caller> {
    const caller = this.caller;
    if (caller === undefined) throw UnauthenticatedError.needsCredential();
    // Defence in depth behind the operation gate (src/server/password-reset-gate.ts): such a
    // session may only change its own password (and read the rules for it), still subject to the
    // engine below.
    if (mustChangePassword(caller) && !PASSWORD_SELF_SERVICE_ACTIONS.has(action)) throw new PasswordResetRequiredError(action);
    if (federationForbids(caller, action, resourceArn)) {
      this.observer?.denied(caller, action, resourceArn);
      throw accessDenied(caller, action, resourceArn);
    }
    const decision = await this.decide(caller, action, resourceArn, facts, grant);
    if (!decision.allowed) {
      this.observer?.denied(caller, action, resourceArn);
      throw accessDenied(caller, action, resourceArn, this.mayExplain(caller) ? explainDenial(decision) : undefined);
    }
    return caller;
  }

  /**
   * The error for a check `allowsNow` (or `allows`) refused, explained as `require` explains it.
   * For callers such as the Decider that decide on the caller's loaded set and report the refusal
   * themselves (a batch item, not an audited guard denial).
   */
  refusal(caller: Caller, action: string, resourceArn: string): AccessDeniedError {
    if (this.loaded === undefined || mustChangePassword(caller) || federationForbids(caller, action, resourceArn)) return accessDenied(caller, action, resourceArn);
    const decision = this.evaluateWith(this.loaded, caller, action, resourceArn);
    return accessDenied(caller, action, resourceArn, this.mayExplain(caller) ? explainDenial(decision) : undefined);
  }

  /** As AWS's console does, only a caller who may simulate its own policies learns why it was denied. */
  private mayExplain(caller: Caller): boolean {
    const self = caller.kind === 'role-session' ? caller.roleArn : caller.arn;
    if (federationForbids(caller, 'iam:SimulatePrincipalPolicy', self)) return false;
    return this.evaluateWith(this.loaded!, caller, 'iam:SimulatePrincipalPolicy', self).allowed;
  }

  async requireConcealed(action: string, resourceArn: string, shownArn: string, readAction: string, facts?: ActionFacts): Promise<Caller> {
    try {
      return await this.require(action, resourceArn, facts);
    } catch (error) {
      const caller = this.caller;
      if (caller === undefined || resourceArn === shownArn || !(error instanceof AccessDeniedError) || federationForbids(caller, action, resourceArn)) throw error;
      // Who may read the entity could learn its ARN anyway; nobody else learns it exists.
      if (this.evaluateWith(this.loaded!, caller, readAction, resourceArn).allowed) throw error;
      // Explained as for a missing entity: at the shown ARN and without the entity's own tags.
      const shown = await this.decide(caller, action, shownArn, facts === undefined ? undefined : { ...facts, resourceTags: null });
      const explained = error.explanation !== undefined && !shown.allowed;
      throw accessDenied(caller, action, shownArn, explained ? explainDenial(shown) : undefined);
    }
  }

  async allows(action: string, resourceArn: string, facts?: ActionFacts): Promise<boolean> {
    const caller = this.caller;
    return caller !== undefined && !mustChangePassword(caller) && !federationForbids(caller, action, resourceArn) && (await this.decide(caller, action, resourceArn, facts)).allowed;
  }

  /** Loads the caller's effective set (once per request), so `allowsNow` can answer synchronously. */
  async ready(): Promise<void> {
    if (this.caller === undefined || this.loaded !== undefined) return;
    this.policies ??= this.load(callerRef(this.caller));
    // The placement is almost always cached: no extra promise then (this runs once per request).
    const placing = this.placementNow(this.caller.accountId) === undefined ? this.placeAll(this.caller.accountId) : undefined;
    this.loaded = await this.policies;
    if (placing !== undefined) await placing;
  }

  /** The placement of `accountId` when at hand without I/O (remembered for the rest of the request). */
  placementNow(accountId: string): AccountPlacement | undefined {
    let placement = this.placed.get(accountId);
    if (placement === undefined) {
      placement = this.placements.peek(accountId);
      if (placement !== undefined) this.placed.set(accountId, placement);
    }
    return placement;
  }

  /** What the placements this guard used were built from (targets and policies): a change naming one may change its answers. */
  placementDependencies(): string[] {
    const out: string[] = [];
    for (const placement of this.placed.values()) out.push(...placement.dependsOn);
    return out;
  }

  /** Loads the placements of `accountIds` this request lacks. */
  async placeAll(...accountIds: string[]): Promise<void> {
    const missing = accountIds.filter((id) => this.placementNow(id) === undefined);
    if (missing.length === 0) return;
    const loaded = await Promise.all(missing.map((id) => this.placements.load(id)));
    for (const placement of loaded) this.placed.set(placement.accountId, placement);
  }

  /** `allows`, answered synchronously once `ready()` has loaded the caller's set; undefined before. */
  allowsNow(action: string, resourceArn: string): boolean | undefined {
    const caller = this.caller;
    if (caller === undefined || mustChangePassword(caller) || federationForbids(caller, action, resourceArn)) return false;
    if (this.loaded === undefined || this.placementNow(accountOfArn(resourceArn) ?? caller.accountId) === undefined) return undefined;
    return this.evaluateWith(this.loaded, caller, action, resourceArn).allowed;
  }

  private async decide(caller: Caller, action: string, resourceArn: string, facts: ActionFacts | undefined, grant?: CompiledPolicy): Promise<Decision> {
    if (this.loaded === undefined) await this.ready();
    const resourceAccount = accountOfArn(resourceArn) ?? caller.accountId;
    if (this.placementNow(resourceAccount) === undefined) await this.placeAll(resourceAccount);
    // Without facts the request's shared context serves (the authorize path adds nothing to it).
    const context = facts === undefined ? this.context : await actionContext(action, facts, this.context);
    // A grant is one more identity-based policy, for this check only (a new array: the cached set's own index stays as it is).
    const set = grant === undefined ? this.loaded! : { ...this.loaded!, identity: [...this.loaded!.identity, grant] };
    return this.evaluateWith(set, caller, action, resourceArn, context);
  }

  private evaluateWith(set: EffectivePolicies, caller: Caller, action: string, resourceArn: string, context: RequestContext = this.context): Decision {
    if (!this.checked) {
      this.checked = true;
      this.observer?.firstCheck(caller, action);
    }
    // The account in the ARN owns the resource; another account's resources need its consent.
    // SCPs of the caller's account and RCPs of the resource's apply (loaded by `decide`/`ready`).
    const resourceAccount = accountOfArn(resourceArn) ?? caller.accountId;
    const principalPlacement = this.placementNow(set.principal.accountId) ?? FAIL_CLOSED_PLACEMENT;
    const resourcePlacement = this.placementNow(resourceAccount) ?? FAIL_CLOSED_PLACEMENT;
    return evaluateSet(set, action, resourceArn, resourceAccount, context, undefined, undefined, undefined, principalPlacement, resourcePlacement);
  }
}
