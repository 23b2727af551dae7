/**
 * AssumeRoleWithWebIdentity: an OIDC ID token from a provider registered in the role's account
 * buys a role session, without any Portcullis credential. The token is verified with `jose`
 * against the provider's registered keys (inline, or fetched from the issuer: remote-jwks.ts): signature, issuer (the provider URL), audience (one of
 * its client ids) and expiry. The trust policy then sees the principal `Federated: <provider ARN>`
 * and the condition keys `<issuer host/path>:sub`, `:aud`, `:amr` and aws:FederatedProvider.
 */
import { loadPlacementNow } from '../authz/organization-placements.ts';
import { createLocalJWKSet, decodeJwt, errors, jwtVerify, type JWTPayload } from 'jose';
import { actionContext } from '../authz/action-keys.ts';
import type { RequestFacts } from '../authz/guard.ts';
import { requestContext } from '../authz/guard.ts';
import type { Database } from '../db/client.ts';
import type { RequestContext, RequestPrincipal } from '../policy/types.ts';
import { AccessDeniedError, ValidationError } from '../errors.ts';
import { findOidcProviderByIssuer, issuerKey, type OidcProvider } from '../iam/oidc-providers.ts';
import type { Role } from '../iam/roles.ts';
import { findRoleByArn, validateRoleArn, type AssumedRoleUser } from './assume-role.ts';
import { MIN_SESSION_SECONDS, ROLE_DEFAULT_SECONDS, sessionDuration } from './duration.ts';
import { ExpiredTokenError, IdpCommunicationError, InvalidIdentityTokenError } from './errors.ts';
import type { TemporaryCredentials } from './issue.ts';
import { issuerKeySet, usesIssuerKeys } from './remote-jwks.ts';
import { startRoleSession } from './role-session.ts';
import { validateRoleSessionName, validateSessionPolicies } from './session-request.ts';
import { decideTrust, stringEntry, stringList } from './trust.ts';

const ACTION = 'sts:AssumeRoleWithWebIdentity';
/** The account of a role ARN that validateRoleArn accepted. */
const ROLE_ACCOUNT = /^arn:aws:iam::(\d{12}):role\//;

/** AssumeRoleWithWebIdentity parameters. */
export interface AssumeRoleWithWebIdentityInput {
  readonly roleArn: string;
  readonly roleSessionName: string;
  readonly webIdentityToken: string;
  readonly durationSeconds?: number | null;
  readonly policy?: string | null;
  readonly policyArns?: readonly string[] | null;
}

/** The answer; credentials shown once. */
export interface AssumedRoleWithWebIdentity {
  readonly credentials: TemporaryCredentials;
  readonly assumedRoleUser: AssumedRoleUser;
  /** The token's `sub`. */
  readonly subjectFromWebIdentityToken: string;
  /** The provider's issuer URL. */
  readonly provider: string;
  /** The client id the token was issued to. */
  readonly audience: string;
  readonly revision: string;
}

/** Claims as condition keys: `<host/path>:aud`, `:sub`, `:amr` (multi-valued), as AWS exposes them. */
function claimContext(prefix: string, payload: JWTPayload, audience: string): Record<string, RequestContext[string]> {
  const context: Record<string, RequestContext[string]> = {
    [`${prefix}:aud`]: stringEntry(audience),
    [`${prefix}:sub`]: stringEntry(String(payload.sub ?? '')),
  };
  const amr = payload['amr'];
  if (Array.isArray(amr)) context[`${prefix}:amr`] = stringList(amr.map(String));
  else if (typeof amr === 'string') context[`${prefix}:amr`] = stringList([amr]);
  return context;
}

/** A token verified against a registered provider: what trust policies see of it. */
export interface VerifiedWebIdentity {
  readonly provider: OidcProvider;
  readonly payload: JWTPayload;
  /** The one of the provider's client ids the token was issued to. */
  readonly audience: string;
}

/**
 * Whether `role`'s trust policy allows sts:AssumeRoleWithWebIdentity for this verified token:
 * principal `Federated: <provider ARN>`, the claims as `<issuer>:sub|aud|amr`, aws:FederatedProvider.
 * Shared by the API operation and the console's sign-in through an identity provider.
 */
export async function trustsWebIdentity(database: Database, identity: VerifiedWebIdentity, role: Role, sessionName: string, facts: RequestFacts, now: Date): Promise<boolean> {
  const { provider, payload, audience } = identity;
  const principal: RequestPrincipal = { type: 'FederatedUser', arn: provider.arn, accountId: role.accountId };
  // The provider's claims and aws:FederatedProvider, then the keys the Reference lists for the action.
  const context = await actionContext(ACTION, { roleSessionName: sessionName, resourceTags: role.tags }, {
    ...requestContext(facts),
    ...claimContext(issuerKey(provider.url), payload, audience),
    'aws:FederatedProvider': stringEntry(provider.arn),
  });
  // The role account's RCPs bind the exchange (a federated caller has no SCPs).
  const placements = { role: await loadPlacementNow(database, role.accountId) };
  const decision = decideTrust({ action: ACTION, role, principal, context, now, placements });
  return decision !== undefined && decision.allowed;
}

/** A remote key-set fetch that failed below jose's typed errors: network error, or a non-200 answer. */
function isFetchFailure(error: unknown): boolean {
  if (error instanceof TypeError || (error instanceof Error && error.name === 'AbortError')) return true;
  return error instanceof errors.JOSEError && error.code === 'ERR_JOSE_GENERIC' && /response|fetch|200/i.test(error.message);
}

/**
 * Verifies an ID token against a registered provider's keys (inline, or fetched from the issuer):
 * signature, issuer, audience (one of its client ids), expiry, `sub`. Typed errors:
 * InvalidIdentityToken, ExpiredToken, IDPCommunicationError.
 */
export async function verifyWebIdentityToken(database: Database, provider: OidcProvider, token: string, now: Date): Promise<{ payload: JWTPayload; audience: string }> {
  let payload: JWTPayload;
  try {
    const keys = usesIssuerKeys(provider) ? issuerKeySet(database, provider, now) : createLocalJWKSet(provider.jwks as Parameters<typeof createLocalJWKSet>[0]);
    ({ payload } = await jwtVerify(token, keys, {
      issuer: [provider.url, `${provider.url}/`],
      audience: provider.clientIds,
      currentDate: now,
      requiredClaims: ['sub', 'exp'],
    }));
  } catch (error) {
    if (error instanceof IdpCommunicationError) throw error;
    if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || isFetchFailure(error)) {
      throw new IdpCommunicationError(`could not fetch the signing keys of issuer ${provider.url}: ${(error as Error).name}`);
    }
    if (error instanceof errors.JWTExpired) throw new ExpiredTokenError('the web identity token has expired');
    if (error instanceof errors.JWTClaimValidationFailed) {
      throw new InvalidIdentityTokenError(`the web identity token's ${error.claim} claim is not valid for this provider`);
    }
    throw new InvalidIdentityTokenError('the web identity token signature does not verify with the provider keys');
  }
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud ?? ''];
  const audience = audiences.find((a) => provider.clientIds.includes(a)) ?? '';
  return { payload, audience };
}

/** AssumeRoleWithWebIdentity. Anonymous: the token is the credential. */
export async function assumeRoleWithWebIdentity(
  database: Database,
  facts: RequestFacts,
  input: AssumeRoleWithWebIdentityInput,
  now: Date = new Date(),
): Promise<AssumedRoleWithWebIdentity> {
  validateRoleArn(input.roleArn);
  const sessionName = validateRoleSessionName(input.roleSessionName);
  if (input.webIdentityToken.length < 4 || input.webIdentityToken.length > 20_000) {
    throw new ValidationError('input.webIdentityToken', 'length', 'input.webIdentityToken must be 4-20000 characters long');
  }
  let unverified: JWTPayload;
  try {
    unverified = decodeJwt(input.webIdentityToken);
  } catch {
    throw new InvalidIdentityTokenError('input.webIdentityToken is not a JSON Web Token');
  }
  // One answer for "no such role" and "not trusted"; the provider is looked up in the account the
  // ARN names, so whether the role exists is never revealed before trust allows the token.
  const notTrusted = () => AccessDeniedError.notAuthorized('the web identity', ACTION, input.roleArn);
  const roleAccountId = ROLE_ACCOUNT.exec(input.roleArn)![1]!;
  if (typeof unverified.iss !== 'string') throw new InvalidIdentityTokenError('the web identity token has no iss claim');
  const provider = await findOidcProviderByIssuer(database.db, roleAccountId, unverified.iss);
  if (provider === undefined) {
    throw new InvalidIdentityTokenError(`no OpenID Connect provider for issuer ${JSON.stringify(unverified.iss.slice(0, 200))} is registered in the role's account`);
  }

  const { payload, audience } = await verifyWebIdentityToken(database, provider, input.webIdentityToken, now);

  const role = await findRoleByArn(database, input.roleArn);
  if (role === undefined) throw notTrusted();
  if (!(await trustsWebIdentity(database, { provider, payload, audience }, role, sessionName, facts, now))) throw notTrusted();

  // Only now, with the token trusted, is the request checked against the role.
  const durationSeconds = sessionDuration(input.durationSeconds, {
    min: MIN_SESSION_SECONDS,
    max: role.maxSessionDuration,
    fallback: ROLE_DEFAULT_SECONDS,
    maxReason: "the role's MaxSessionDuration",
  });
  const sessionPolicies = await validateSessionPolicies(database.db, role.accountId, input.policy, input.policyArns);

  const started = await startRoleSession(database, {
    actor: { arn: provider.arn, accountId: role.accountId },
    role,
    sessionName,
    durationSeconds,
    now,
    values: { kind: 'web_identity', sessionPolicy: sessionPolicies.policy, sessionPolicyArns: sessionPolicies.policyArns, sourceArn: provider.arn },
    audit: { kind: 'RoleAssumedWithWebIdentity', payload: { subject: String(payload.sub), audience, durationSeconds } },
  });
  return {
    credentials: started.credentials,
    assumedRoleUser: started.assumedRoleUser,
    subjectFromWebIdentityToken: String(payload.sub),
    provider: provider.url,
    audience,
    revision: started.revision,
  };
}
