/**
 * `evaluateQuestion` (src/authz/decide.ts) partially applied, for the reverse questions, in both
 * directions: one principal's effective set, one action, one request context and clock prepared
 * once (the engine's `prepareEvaluation`), then each resource decided with only the work its ARN,
 * owner, tags and policy need (what can?); or one resource prepared once and each principal
 * decided (who can?, the engine's `PreparedResourceQuestion`). Same rule for the resource's account as `evaluateQuestion`: the question's
 * owner, else the registered resource's, else the ARN's, else the principal's. Same guardrails
 * too: the SCPs of the principal's account and the RCPs of the resource's (their placements).
 */
import { PreparedResourceQuestion, prepareEvaluation } from '../../policy/index.ts';
import type { Decision, RequestContext } from '../../policy/types.ts';
import type { ResourceFacts } from '../resource-facts.ts';
import { guardrailsBind, type EffectivePolicies } from '../effective-set.ts';
import type { AccountPlacement } from '../organization-placements.ts';
import { accountOfArn } from '../principal-ref.ts';

/** Decides the prepared question on one resource (`facts` from `resourceFacts` with the prepared context). */
export type ResourceDecider = (resourceArn: string, facts: ResourceFacts, resourceOwner?: string | null) => Decision;

/**
 * The decider for `set`'s principal asking `action` in `context` at `now`. Decisions carry no
 * near misses (reverse answers never show them), like `evaluateQuestion` with `nearMisses: false`.
 */
export function prepareQuestion(
  set: EffectivePolicies,
  action: string,
  context: RequestContext,
  now: Date,
  principalPlacement: AccountPlacement,
  placementOf: (accountId: string) => AccountPlacement,
): ResourceDecider {
  const binds = guardrailsBind(set.principal);
  const guardrails = binds ? principalPlacement.serviceControl : undefined;
  const prepared = prepareEvaluation(
    { principal: set.principal, action, context, now, principalOrganization: principalPlacement.organization },
    guardrails === undefined ? set : { identity: set.identity, boundary: set.boundary, session: set.session, guardrails },
  );
  const principalAccount = set.principal.accountId;
  return (resourceArn, facts, resourceOwner) => {
    const resourceAccount = resourceOwner ?? facts.owner ?? accountOfArn(resourceArn) ?? principalAccount;
    const placement = resourceAccount === principalAccount ? principalPlacement : placementOf(resourceAccount);
    return prepared.decide({
      resource: resourceArn,
      resourceAccount,
      context: facts.context,
      policy: facts.policy,
      resourceOrganization: placement.organization,
      resourceGuardrails: binds ? placement.resourceControl : undefined,
    });
  };
}

/** Decides the prepared question for one principal's effective set. */
export type PrincipalDecider = (set: EffectivePolicies) => Decision;

/** The decider for `action` on the resource `resourceArn` (`facts` from `resourceFacts`), owned by `resourceOwner` if given, at `now`. */
export function prepareResourceQuestion(
  action: string,
  resourceArn: string,
  facts: ResourceFacts,
  now: Date,
  resourceOwner: string | null | undefined,
  principalPlacement: AccountPlacement,
  ownerPlacement: AccountPlacement,
): PrincipalDecider {
  // Unknown owner (no account in the ARN): each principal's own account, as evaluateQuestion falls
  // back; who-can asks about the principals of one account, whose placement is `principalPlacement`.
  const owner = resourceOwner ?? facts.owner ?? accountOfArn(resourceArn);
  const placement = owner === undefined ? principalPlacement : ownerPlacement;
  const shared = {
    action,
    resource: resourceArn,
    ...(owner === undefined ? {} : { resourceAccount: owner }),
    context: facts.context,
    now,
    ...(facts.policy === undefined ? {} : { policy: facts.policy }),
    ...(placement.organization === undefined ? {} : { resourceOrganization: placement.organization }),
  };
  const question = new PreparedResourceQuestion(shared);
  const withRcps = placement.resourceControl === undefined ? question : new PreparedResourceQuestion({ ...shared, resourceGuardrails: placement.resourceControl });
  const guardrails = principalPlacement.serviceControl;
  return (set) => {
    // Service-linked roles are bound by neither SCPs nor RCPs.
    if (!guardrailsBind(set.principal)) return question.decide(set.principal, set, principalPlacement.organization);
    const policies = guardrails === undefined ? set : { identity: set.identity, boundary: set.boundary, session: set.session, guardrails };
    return withRcps.decide(set.principal, policies, principalPlacement.organization);
  };
}
