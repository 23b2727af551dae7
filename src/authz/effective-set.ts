/**
 * What a principal's effective policy set is (identity policies, boundary, session policies, and
 * the principal as the engine sees it) and how a question meets the engine with it. The store
 * (effective-policies.ts) caches these sets and the assembler (assemble-policies.ts) builds them;
 * the guard and the Decider both evaluate through `evaluateSet`.
 */
import { evaluate, type EvaluateOptions } from '../policy/index.ts';
import type { CompiledPolicy, Decision, EvaluationRequest, PolicySet, RequestContext, RequestPrincipal } from '../policy/types.ts';
import type { PrincipalRef } from './principal-ref.ts';

/** Everything the engine needs about one principal except the request itself. */
export interface EffectivePolicies {
  readonly ref: PrincipalRef;
  /** The principal as the engine sees it (request-specific facts like MFA are added per request). */
  readonly principal: RequestPrincipal;
  /** The unique id (AIDA…/AROA…) last-accessed data is recorded under. */
  readonly principalId: string;
  readonly identity: readonly CompiledPolicy[];
  /** Present when the principal has a permissions boundary. */
  readonly boundary?: readonly CompiledPolicy[];
  /** Present for sessions created with session policies. */
  readonly session?: readonly CompiledPolicy[];
  /**
   * Ids, ARNs and key ids this entry was built from, each once; a change naming any of them drops
   * it. An array, not a Set: it is only ever scanned, and a cache of 100,000 sets holds 100,000 of them.
   */
  readonly dependsOn: readonly string[];
  /** For a session: when it expires (ms since epoch); the entry is not served after that. */
  readonly validUntil?: number;
}

/**
 * The engine's PolicySet for `set`, with a question's resource policy when given. The set itself
 * when nothing is added, so the engine's per-array action index stays with the cached entry.
 */
export function policySetFor(set: EffectivePolicies, resource?: CompiledPolicy): PolicySet {
  if (resource === undefined && set.boundary === undefined && set.session === undefined) return set;
  return {
    identity: set.identity,
    ...(resource === undefined ? {} : { resource }),
    ...(set.boundary === undefined ? {} : { boundary: set.boundary }),
    ...(set.session === undefined ? {} : { session: set.session }),
  };
}

/**
 * Evaluates `action` on `resource` (owned by `resourceAccount`) for the principal of `set`, with
 * a resource policy when the question brings one. `now` undefined means the engine's clock.
 * Returns the engine's fresh Decision object (callers may stamp it).
 */
export function evaluateSet(
  set: EffectivePolicies,
  action: string,
  resource: string,
  resourceAccount: string,
  context: RequestContext,
  now?: Date,
  resourcePolicy?: CompiledPolicy,
  explain?: EvaluateOptions,
): Decision {
  const request: EvaluationRequest = { principal: set.principal, action, resource, resourceAccount, context, now };
  return evaluate(request, policySetFor(set, resourcePolicy), explain);
}
