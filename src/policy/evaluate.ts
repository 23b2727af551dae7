/**
 * The AWS evaluation logic as one function, a rule per step, each citing the User Guide:
 * - Policy evaluation logic: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 *   ("Determining whether a request is allowed or denied within an account", including the
 *   resource-based policy table for users, roles, role sessions and federated user sessions)
 * - Cross-account: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
 * - Roles vs resource-based policies: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_compare-resource-policies.html
 * - SCP evaluation: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
 * - RCPs: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
 *   and their evaluation: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_evaluation.html
 *
 * Every present layer is scanned in full first (so every matching Deny is reported), then the
 * rules below decide. Pure: no I/O, no clock unless a policy reads aws:CurrentTime.
 */
import type { Decision, EvalDecision, EvaluationRequest, LayerOutcome, MatchedStatement, PolicyLayer, PolicySet } from './types.ts';
import { GRANT_DIRECT, GRANT_ROLE } from './compile/principal.ts';
import { BOUNDARY, GUARDRAIL, IDENTITY, RESOURCE, RESOURCE_GUARDRAIL, SESSION, Scan } from './evaluate/scan.ts';

/** Which Allow statements granted, for `matchedStatements` (limiting layers are never listed;
 *  their verdicts are in `layers`, as AWS reports boundary results apart from MatchedStatements). */
type Granted = 'none' | 'identity' | 'direct' | 'both' | 'cross';

const scan = new Scan();
const NONE: readonly never[] = Object.freeze([]);

/** What `evaluate` reports beyond the decision itself. */
export interface EvaluateOptions {
  /**
   * Collect `nearMisses` (statements that matched the action but failed on principal, resource or
   * a condition). Default true; callers that will not show them pass false, and get an empty list.
   */
  readonly nearMisses?: boolean;
}

/** Decide one request against the policies that bear on it, with the reasons. */
export function evaluate(request: EvaluationRequest, set: PolicySet, options?: EvaluateOptions): Decision {
  scan.reset(request, set.boundary !== undefined, options?.nearMisses !== false);
  return decideWith(scan, request, set);
}

/** Scans `set` for `request` with `s` (already reset for it) and applies the rules. */
export function decideWith(s: Scan, request: EvaluationRequest, set: PolicySet): Decision {
  // Scan every layer that is present, in the flowchart's order (RCPs, SCPs, resource, identity,
  // boundary, session). A missing optional layer is `undefined` (does not apply).
  const resourceGuardrailsAllow = set.resourceGuardrails === undefined ? undefined : s.scanLevels(set.resourceGuardrails, RESOURCE_GUARDRAIL);
  const guardrailsAllow = set.guardrails === undefined ? undefined : s.scanLevels(set.guardrails, GUARDRAIL);
  const resourceAllows = set.resource === undefined ? undefined : s.scanPolicy(set.resource, RESOURCE);
  const identityAllows = s.scanAny(set.identity, IDENTITY);
  const boundaryAllows = set.boundary === undefined ? undefined : s.scanAny(set.boundary, BOUNDARY);
  const sessionAllows = set.session === undefined ? undefined : s.scanAny(set.session, SESSION);
  return conclude(s, request, set.resource?.kind === 'trust', resourceGuardrailsAllow, guardrailsAllow, resourceAllows, identityAllows, boundaryAllows, sessionAllows);
}

/**
 * The rules, applied to a finished scan: what each present layer said (`undefined`: the layer is
 * absent) and every matching Deny. Shared by `evaluate` and the prepared evaluation
 * (evaluate/prepared.ts), which scans differently but must decide the same. Positional, so a
 * decision allocates no record of verdicts.
 */
export function conclude(
  s: Scan,
  request: EvaluationRequest,
  trustPolicy: boolean,
  resourceGuardrailsAllow: boolean | undefined,
  guardrailsAllow: boolean | undefined,
  resourceAllows: boolean | undefined,
  identityAllows: boolean,
  boundaryAllows: boolean | undefined,
  sessionAllows: boolean | undefined,
): Decision {
  const p = request.principal;
  const sameAccount = (request.resourceAccount ?? p.accountId) === p.accountId;
  const rootUser = p.type === 'Account';
  const directGrant = s.resourceGrants.includes(GRANT_DIRECT);
  const roleGrant = s.resourceGrants.includes(GRANT_ROLE);

  // The identity side: identity-based permission cut by the boundary and the session policy.
  // Same account, a resource policy naming the session's ROLE (not the session) adds to the role's
  // identity permissions before the session exists, so it counts here and is cut the same way
  // ("Resource-based policies that grant permissions to an IAM role ARN are limited by an implicit
  // deny in a permissions boundary or session policy"). Naming only the account grants nothing by itself.
  const identityGrant = identityAllows || (sameAccount && roleGrant);
  // "If there is no session policy, the code checks whether the principal is a role session. If the
  // principal is a role session, then the request is Allowed. Otherwise [federated user] ... Deny."
  const sessionOk = sessionAllows ?? p.type !== 'FederatedUser';
  const identitySide = rootUser || (identityGrant && (boundaryAllows ?? true) && sessionOk);

  let decision: EvalDecision;
  let granted: Granted = 'none';
  if (s.denies.size > 0) {
    // Rule 1 — Deny evaluation: an explicit Deny in ANY policy (guardrail, resource, identity,
    // boundary, session) is final. It also binds the root user.
    decision = 'EXPLICIT_DENY';
  } else if (resourceGuardrailsAllow === false) {
    // Rule 2a — Organizations RCPs: for a resource of a member account, every level from the root
    // to the account must allow, whoever the caller is (another account's principals included),
    // or the request is implicitly denied. RCPs never grant (orgs_manage_policies_rcps).
    decision = 'IMPLICIT_DENY';
  } else if (guardrailsAllow === false) {
    // Rule 2b — Organizations SCPs: for a principal of a member account, every level from the root
    // to the account must allow, or the request is implicitly denied; this binds the member
    // account's root user and limits resource-based grants to its principals
    // (orgs_manage_policies_scps_evaluation). SCPs never grant.
    decision = 'IMPLICIT_DENY';
  } else if (rootUser && sameAccount && !trustPolicy) {
    // Rule 3 — "all requests are implicitly denied with the exception of the AWS account root user,
    // which has full access" (in its own account).
    decision = 'ALLOWED';
  } else if (p.type === 'AWSService' || p.type === 'Anonymous') {
    // Rule 3b — A service principal or an anonymous caller has no identity-based policies, so
    // only a resource-based policy naming it (or everyone) can grant.
    decision = directGrant ? 'ALLOWED' : 'IMPLICIT_DENY';
    if (directGrant) granted = 'direct';
  } else if (!sameAccount) {
    // Rule 4 — Cross-account: the resource's policy (in the resource's account) must allow the
    // principal, naming it in any form (account, role, user, session), AND the identity side in the
    // principal's account must allow. A root user's identity side is its full access.
    const both = resourceAllows === true && identitySide;
    decision = both ? 'ALLOWED' : 'IMPLICIT_DENY';
    if (both) granted = 'cross';
  } else if (trustPolicy) {
    // Rule 5 — Role trust policies "must explicitly allow access for principals": the trust policy
    // has to allow; then a grant naming the user/session is enough, otherwise (account or role
    // named) the identity side must allow too.
    const ok = resourceAllows === true && (directGrant || identitySide);
    decision = ok ? 'ALLOWED' : 'IMPLICIT_DENY';
    if (ok) granted = 'cross';
  } else {
    // Rule 6 — Same account: an Allow in the resource policy that names the requesting IAM user,
    // role session or federated user session ARN (or everyone, or the calling service) grants by
    // itself, untouched by implicit denies in identity policies, boundary or session policy.
    // Otherwise the identity side decides.
    decision = directGrant || identitySide ? 'ALLOWED' : 'IMPLICIT_DENY';
    if (directGrant && identitySide) granted = 'both';
    else if (directGrant) granted = 'direct';
    else if (identitySide) granted = 'identity';
  }

  const layers = layerOutcomes(
    guardrailsAllow === undefined ? 3 : outcomeCode(s, GUARDRAIL, guardrailsAllow),
    resourceAllows === undefined ? 4 : outcomeCode(s, RESOURCE, resourceAllows),
    outcomeCode(s, IDENTITY, identityAllows),
    boundaryAllows === undefined ? 3 : outcomeCode(s, BOUNDARY, boundaryAllows),
    sessionAllows === undefined ? 3 : outcomeCode(s, SESSION, sessionAllows),
    resourceGuardrailsAllow === undefined ? 3 : outcomeCode(s, RESOURCE_GUARDRAIL, resourceGuardrailsAllow),
  );
  return {
    decision,
    allowed: decision === 'ALLOWED',
    matchedStatements: decision === 'EXPLICIT_DENY' ? s.denies.toArray(NONE) : grantingStatements(s, granted),
    layers,
    missingContextValues: s.missingKeys.toArray(NONE),
    nearMisses: s.nearMisses.toArray(NONE),
  };
}

/**
 * The Allow statements that granted: identity statements (and resource statements naming the
 * session's role) when the identity side granted, resource statements naming the caller when they
 * granted directly, and for cross-account requests both sides.
 */
function grantingStatements(s: Scan, granted: Granted): readonly MatchedStatement[] {
  if (granted === 'none') return NONE;
  const out: MatchedStatement[] = [];
  const resource = s.allows[RESOURCE]!;
  if (granted !== 'direct') {
    const identity = s.allows[IDENTITY]!;
    for (let i = 0; i < identity.size; i++) out.push(identity.at(i));
  }
  for (let i = 0; i < resource.size; i++) {
    const kind = s.resourceGrants.at(i);
    const counts =
      granted === 'cross' ||
      (kind === GRANT_DIRECT && granted !== 'identity') ||
      (kind === GRANT_ROLE && granted !== 'direct');
    if (counts) out.push(resource.at(i));
  }
  return out;
}

/** Outcome codes: 0 DENY, 1 ALLOW, 2 NO_MATCH, 3 absent (key omitted), 4 NOT_APPLICABLE. */
function outcomeCode(s: Scan, layer: number, allowed: boolean): number {
  if (s.denyCount[layer]! > 0) return 0;
  return allowed ? 1 : 2;
}

const OUTCOMES: readonly (LayerOutcome | undefined)[] = ['DENY', 'ALLOW', 'NO_MATCH', undefined, 'NOT_APPLICABLE'];
const layerCache: (Readonly<Partial<Record<PolicyLayer, LayerOutcome>>> | undefined)[] = new Array(5 ** 6).fill(undefined);

/** The `layers` record for six outcome codes; there are few combinations, so each is built once and shared (frozen). */
function layerOutcomes(g: number, r: number, i: number, b: number, ss: number, rg: number): Readonly<Partial<Record<PolicyLayer, LayerOutcome>>> {
  const key = ((((g * 5 + r) * 5 + i) * 5 + b) * 5 + ss) * 5 + rg;
  let layers = layerCache[key];
  if (layers === undefined) {
    const out: Partial<Record<PolicyLayer, LayerOutcome>> = {};
    const codes: [PolicyLayer, number][] = [['resourceGuardrail', rg], ['guardrail', g], ['resource', r], ['identity', i], ['boundary', b], ['session', ss]];
    for (const [layer, code] of codes) {
      const o = OUTCOMES[code];
      if (o !== undefined) out[layer] = o;
    }
    layers = Object.freeze(out);
    layerCache[key] = layers;
  }
  return layers;
}
