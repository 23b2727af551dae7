/**
 * What a verified SAML assertion asks of a role session, and whether a role's trust policy allows
 * it: shared by AssumeRoleWithSAML (saml-assume-role.ts) and console sign-in through a SAML
 * provider (saml-sign-in.ts), so both read the attributes and decide trust the same way.
 */
import type { Database } from '../db/client.ts';
import { loadPlacementNow } from '../authz/organization-placements.ts';
import { actionContext } from '../authz/action-keys.ts';
import { requestContext, type RequestFacts } from '../authz/guard.ts';
import { ValidationError } from '../errors.ts';
import type { SamlProvider } from '../iam/saml-providers.ts';
import type { Role } from '../iam/roles.ts';
import type { RequestPrincipal } from '../policy/types.ts';
import { InvalidIdentityTokenError } from './errors.ts';
import { samlConditionContext, samlSessionRequest } from './saml-claims.ts';
import type { VerifiedSamlAssertion } from './saml-verify.ts';
import { sessionTagging, validateRoleSessionName, validateSourceIdentity, type SessionTagging } from './session-request.ts';
import { decideTrust, stringEntry } from './trust.ts';

/** The action a SAML session is assumed with. */
export const SAML_ACTION = 'sts:AssumeRoleWithSAML';

/** The session attributes of an assertion, validated. */
export interface SamlSessionAttributes {
  readonly sessionName: string;
  readonly sourceIdentity: string | undefined;
  readonly tagging: SessionTagging;
  /** The `SessionDuration` attribute in seconds, when given. */
  readonly durationSeconds: number | undefined;
}

/**
 * Reads and validates `RoleSessionName` (required), `SourceIdentity`, `PrincipalTag:*`,
 * `TransitiveTagKeys` and `SessionDuration`. The attributes come from the IdP: a bad one makes the
 * assertion unusable (InvalidIdentityTokenError), as AWS answers.
 */
export function samlSessionAttributes(assertion: VerifiedSamlAssertion): SamlSessionAttributes {
  const requested = samlSessionRequest(assertion);
  if (requested.roleSessionName === undefined) throw new InvalidIdentityTokenError('the SAML assertion has no https://aws.amazon.com/SAML/Attributes/RoleSessionName attribute');
  try {
    const sessionName = validateRoleSessionName(requested.roleSessionName, 'RoleSessionName attribute');
    const sourceIdentity = validateSourceIdentity(requested.sourceIdentity, 'SourceIdentity attribute');
    const tagging = sessionTagging(requested.tags, requested.transitiveTagKeys, undefined);
    const durationSeconds = requested.sessionDuration === undefined ? undefined : Number(requested.sessionDuration);
    if (durationSeconds !== undefined && !Number.isInteger(durationSeconds)) {
      throw new InvalidIdentityTokenError("the SAML assertion's SessionDuration attribute is not a whole number of seconds");
    }
    return { sessionName, sourceIdentity, tagging, durationSeconds };
  } catch (error) {
    if (error instanceof ValidationError) throw new InvalidIdentityTokenError(`the SAML assertion's attributes are not usable: ${error.message}`);
    throw error;
  }
}

/**
 * The first action `role`'s trust policy refuses for this assertion through `provider`, or undefined
 * when it allows them all: sts:AssumeRoleWithSAML, plus sts:TagSession when the assertion passes
 * tags and sts:SetSourceIdentity when it sets a source identity. The policy sees the principal
 * `Federated: <provider ARN>`, the `saml:*` keys, aws:FederatedProvider and the action's request keys.
 */
export async function samlTrustRefusal(
  database: Database,
  identity: { assertion: VerifiedSamlAssertion; provider: SamlProvider; attributes: SamlSessionAttributes },
  role: Role,
  facts: RequestFacts,
  now: Date,
): Promise<string | undefined> {
  const { assertion, provider, attributes } = identity;
  const principal: RequestPrincipal = { type: 'FederatedUser', arn: provider.arn, accountId: role.accountId };
  const context = await actionContext(
    SAML_ACTION,
    {
      roleSessionName: attributes.sessionName,
      sourceIdentity: attributes.sourceIdentity,
      requestTags: attributes.tagging.requestTags,
      transitiveTagKeys: attributes.tagging.requestTransitiveKeys,
      resourceTags: role.tags,
    },
    { ...requestContext(facts), ...samlConditionContext(assertion, provider.accountId, provider.name), 'aws:FederatedProvider': stringEntry(provider.arn) },
  );
  // The role account's RCPs bind the exchange (a federated caller has no SCPs).
  const placements = { role: await loadPlacementNow(database, role.accountId) };
  const actions = [SAML_ACTION];
  if (attributes.tagging.requestTags.length > 0) actions.push('sts:TagSession');
  if (attributes.sourceIdentity !== undefined) actions.push('sts:SetSourceIdentity');
  for (const action of actions) {
    const decision = decideTrust({ action, role, principal, context, now, placements });
    if (decision === undefined || !decision.allowed) return action;
  }
  return undefined;
}
