/**
 * AssumeRoleWithSAML, as AWS documents it: the IdP's signed SAML response (base64) buys a session of
 * a role whose trust policy allows the SAML provider as a Federated principal, without any
 * Portcullis credential. The response is verified against the provider named by PrincipalArn
 * (saml-verify.ts); the (RoleArn, PrincipalArn) pair must be one the assertion's `Role` attribute
 * offers; `RoleSessionName`, `SessionDuration`, `SourceIdentity`, `PrincipalTag:*` and
 * `TransitiveTagKeys` come from its attributes; the trust policy sees the `saml:*` keys. Each
 * assertion id is accepted once (saml-replay.ts, in the transaction that issues the session). Every
 * refusal is written to the audit trail once (saml-audit.ts).
 */
import type { RequestFacts } from '../authz/guard.ts';
import type { Database } from '../db/client.ts';
import { AccessDeniedError, IamError, ValidationError } from '../errors.ts';
import { findSamlProviderByArn, parseSamlProviderArn } from '../iam/saml-providers.ts';
import { findRoleByArn, validateRoleArn, type AssumedRoleUser } from './assume-role.ts';
import { MIN_SESSION_SECONDS, ROLE_DEFAULT_SECONDS, sessionDuration } from './duration.ts';
import { InvalidIdentityTokenError } from './errors.ts';
import type { TemporaryCredentials } from './issue.ts';
import { startRoleSession } from './role-session.ts';
import { recordSamlRefusal } from './saml-audit.ts';
import { samlNameQualifier, samlRolePairs, samlSubjectType } from './saml-claims.ts';
import { consumeSamlAssertion } from './saml-replay.ts';
import { SAML_ACTION, samlSessionAttributes, samlTrustRefusal } from './saml-session.ts';
import { MAX_SAML_RESPONSE_CHARS, verifySamlResponse } from './saml-verify.ts';
import { validateSessionPolicies } from './session-request.ts';

const ACTION = SAML_ACTION;

/** AssumeRoleWithSAML parameters. */
export interface AssumeRoleWithSamlInput {
  readonly roleArn: string;
  /** The SAML provider's ARN. */
  readonly principalArn: string;
  /** The base64 SAML response from the IdP. */
  readonly samlAssertion: string;
  readonly durationSeconds?: number | null;
  readonly policy?: string | null;
  readonly policyArns?: readonly string[] | null;
}

/** Where the service provider stands: what its assertions must name (config SAML_AUDIENCE, SAML_RECIPIENT), and its decryption key. */
export interface SamlServiceProvider {
  readonly audience: string;
  readonly recipient: string;
  /** PEM private key for encrypted assertions (SAML_SP_DECRYPTION_KEY); without it they are refused. */
  readonly decryptionKey?: string | undefined;
}

/** The answer, with AWS's fields; credentials shown once. */
export interface AssumedRoleWithSaml {
  readonly credentials: TemporaryCredentials;
  readonly assumedRoleUser: AssumedRoleUser;
  /** NameID. */
  readonly subject: string;
  /** `persistent`, `transient` or the full Format URI. */
  readonly subjectType: string;
  readonly issuer: string;
  /** The Recipient the assertion was presented to. */
  readonly audience: string;
  readonly nameQualifier: string;
  readonly sourceIdentity: string | null;
  readonly revision: string;
}

/** AssumeRoleWithSAML. Anonymous: the assertion is the credential. */
export async function assumeRoleWithSaml(
  database: Database,
  facts: RequestFacts,
  sp: SamlServiceProvider,
  input: AssumeRoleWithSamlInput,
  now: Date = new Date(),
): Promise<AssumedRoleWithSaml> {
  try {
    validateRoleArn(input.roleArn);
    parseSamlProviderArn(input.principalArn, 'input.principalArn');
    if (input.samlAssertion.length < 4 || input.samlAssertion.length > MAX_SAML_RESPONSE_CHARS) {
      throw new ValidationError('input.samlAssertion', 'length', `input.samlAssertion must be 4-${MAX_SAML_RESPONSE_CHARS} characters long`);
    }
    return await exchange(database, facts, sp, input, now);
  } catch (error) {
    // A malformed request is a refusal too: audited once, like a bad assertion.
    if (error instanceof IamError) {
      await recordSamlRefusal(database, { accountId: aimedAccount(input.principalArn), providerArn: input.principalArn, operation: 'AssumeRoleWithSAML', error, clientAddress: facts.sourceIp });
    }
    throw error;
  }
}

/** The account a provider ARN names, for the audit row of a refusal; null when it does not parse. */
function aimedAccount(principalArn: string): string | null {
  try {
    return parseSamlProviderArn(principalArn, 'input.principalArn').accountId;
  } catch {
    return null;
  }
}

/** Verification, trust and issue; every throw is a refusal the caller audits. */
async function exchange(database: Database, facts: RequestFacts, sp: SamlServiceProvider, input: AssumeRoleWithSamlInput, now: Date): Promise<AssumedRoleWithSaml> {
  // One answer for "no such role" and "not trusted", as AssumeRoleWithWebIdentity gives.
  const notTrusted = (why: string, action = ACTION) => new AccessDeniedError(action, input.roleArn, `not authorized to perform ${action} on resource ${input.roleArn}: ${why}`);
  const provider = await findSamlProviderByArn(database.db, input.principalArn);
  if (provider === undefined) throw new InvalidIdentityTokenError(`no SAML provider ${JSON.stringify(input.principalArn)} is registered`);
  const assertion = await verifySamlResponse({ samlResponse: input.samlAssertion, provider, expectedAudience: sp.audience, expectedRecipient: sp.recipient, decryptionKey: sp.decryptionKey, now });

  if (!samlRolePairs(assertion).some((p) => p.roleArn === input.roleArn && p.providerArn === provider.arn)) {
    throw notTrusted("the assertion's Role attribute does not offer this role through this provider");
  }
  const attributes = samlSessionAttributes(assertion);
  const { sessionName, sourceIdentity, tagging } = attributes;

  const role = await findRoleByArn(database, input.roleArn);
  // The same words as a trust policy refusing the action: whether the role exists is not told.
  if (role === undefined) throw notTrusted(`the role's trust policy does not allow ${ACTION}`);
  const refused = await samlTrustRefusal(database, { assertion, provider, attributes }, role, facts, now);
  if (refused !== undefined) throw notTrusted(`the role's trust policy does not allow ${refused}`, refused);

  // DurationSeconds wins over the SessionDuration attribute; both are bounded by the role's maximum.
  const durationSeconds = sessionDuration(input.durationSeconds ?? attributes.durationSeconds, {
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
    values: {
      kind: 'saml',
      sessionPolicy: sessionPolicies.policy,
      sessionPolicyArns: sessionPolicies.policyArns,
      sessionTags: tagging.tags,
      transitiveTagKeys: tagging.transitiveTagKeys,
      sourceIdentity: sourceIdentity ?? null,
      sourceArn: provider.arn,
    },
    audit: {
      kind: 'RoleAssumedWithSAML',
      payload: { provider: provider.arn, subject: assertion.nameId, assertionId: assertion.assertionId, durationSeconds, tagKeys: tagging.tags.map((t) => t.key) },
    },
    // The assertion id is spent with the issue: a refused exchange consumes nothing.
    inTransaction: (tx) => consumeSamlAssertion(tx, assertion, now),
  });
  return {
    credentials: started.credentials,
    assumedRoleUser: started.assumedRoleUser,
    subject: assertion.nameId,
    subjectType: samlSubjectType(assertion),
    issuer: assertion.issuer,
    audience: assertion.recipient,
    nameQualifier: samlNameQualifier(assertion.issuer, provider.accountId, provider.name),
    sourceIdentity: sourceIdentity ?? null,
    revision: started.revision,
  };
}
