/**
 * What a principal's effective policy set is (identity policies, boundary, session policies, and
 * the principal as the engine sees it) and how a question meets the engine with it. The store
 * (effective-policies.ts) caches these sets and the assembler (assemble-policies.ts) builds them;
 * the guard and the Decider both evaluate through `evaluateSet`.
 */
import { evaluate, type EvaluateOptions } from '../policy/index.ts';
import type { CompiledPolicy, Decision, EvaluationRequest, GuardrailLevels, PolicySet, RequestContext, RequestPrincipal } from '../policy/types.ts';
import type { AccountPlacement } from './organization-placements.ts';
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
 * The engine's PolicySet for `set`, with a question's resource policy and the organization's
 * SCP and RCP levels when given. The set itself when nothing is added, so the engine's per-array
 * action index stays with the cached entry (the levels' arrays are the placements' own, so theirs
 * stay too).
 */
export function policySetFor(set: EffectivePolicies, resource?: CompiledPolicy, guardrails?: GuardrailLevels, resourceGuardrails?: GuardrailLevels): PolicySet {
  if (resource === undefined && set.boundary === undefined && set.session === undefined && guardrails === undefined && resourceGuardrails === undefined) return set;
  const out: { -readonly [K in keyof PolicySet]: PolicySet[K] } = { identity: set.identity };
  if (resource !== undefined) out.resource = resource;
  if (set.boundary !== undefined) out.boundary = set.boundary;
  if (set.session !== undefined) out.session = set.session;
  if (guardrails !== undefined) out.guardrails = guardrails;
  if (resourceGuardrails !== undefined) out.resourceGuardrails = resourceGuardrails;
  return out;
}

/**
 * Whether organization guardrails bind `principal` at all: "SCPs don't affect service-linked
 * roles" and RCPs do not apply to them either (orgs_manage_policies_scps,
 * orgs_manage_policies_rcps); a service-linked role lives under the path `/aws-service-role/`.
 */
export function guardrailsBind(principal: RequestPrincipal): boolean {
  const role = principal.roleArn ?? (principal.arn.includes(':role/') ? principal.arn : undefined);
  return role === undefined || !role.includes(':role/aws-service-role/');
}

/**
 * Evaluates `action` on `resource` (owned by `resourceAccount`) for the principal of `set`, with
 * a resource policy when the question brings one, and the organization's guardrails: the SCPs of
 * the principal's account (`principalPlacement`) and the RCPs of the resource's account
 * (`resourcePlacement`), with the organization condition keys both give. A placement left out
 * means no organization (no guardrails, no keys). `now` undefined means the engine's clock.
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
  principalPlacement?: AccountPlacement,
  resourcePlacement?: AccountPlacement,
): Decision {
  const request: EvaluationRequest = {
    principal: set.principal,
    action,
    resource,
    resourceAccount,
    principalOrganization: principalPlacement?.organization,
    resourceOrganization: resourcePlacement?.organization,
    context,
    now,
  };
  const binds = (principalPlacement?.serviceControl !== undefined || resourcePlacement?.resourceControl !== undefined) && guardrailsBind(set.principal);
  const guardrails = binds ? principalPlacement?.serviceControl : undefined;
  const resourceGuardrails = binds ? resourcePlacement?.resourceControl : undefined;
  return evaluate(request, policySetFor(set, resourcePolicy, guardrails, resourceGuardrails), explain);
}
