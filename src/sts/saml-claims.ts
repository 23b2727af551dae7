/**
 * What a verified SAML assertion asks for and says, as AWS reads it ("Configure SAML assertions for the
 * authentication response"; "Available keys for SAML-based federation"): the role and provider pairs
 * of the `Role` attribute, the `RoleSessionName`, `SessionDuration`, `PrincipalTag:*`,
 * `TransitiveTagKeys` and `SourceIdentity` attributes, and the `saml:*` condition keys trust policies see.
 */
import { createHash } from 'node:crypto';
import type { RequestContext } from '../policy/types.ts';
import type { Tag } from '../db/schema/index.ts';
import { InvalidIdentityTokenError } from './errors.ts';
import type { VerifiedSamlAssertion } from './saml-verify.ts';
import { stringEntry, stringList } from './trust.ts';

/** The attribute names AWS reads, all under this prefix. */
export const AWS_SAML_ATTRIBUTE = 'https://aws.amazon.com/SAML/Attributes/';
const ROLE_ATTRIBUTE = `${AWS_SAML_ATTRIBUTE}Role`;
const PRINCIPAL_TAG = `${AWS_SAML_ATTRIBUTE}PrincipalTag:`;
const ROLE_ARN = /^arn:aws:iam::\d{12}:role\/[!-~]+$/;
const PROVIDER_ARN = /^arn:aws:iam::\d{12}:saml-provider\/[\w.-]{1,128}$/;
const NAMEID_PREFIX = 'urn:oasis:names:tc:SAML:2.0:nameid-format:';
/** Role pairs read from one assertion (AWS's console role chooser shows them all; a sane IdP sends a handful). */
const MAX_ROLE_PAIRS = 100;

/** One `Role` attribute value: a role the assertion offers and the provider it must come through. */
export interface SamlRolePair {
  readonly roleArn: string;
  readonly providerArn: string;
}

/** The `Role` attribute's pairs, in order (each value is "role ARN,provider ARN" in either order; others are skipped). */
export function samlRolePairs(assertion: VerifiedSamlAssertion): SamlRolePair[] {
  const pairs: SamlRolePair[] = [];
  for (const value of assertion.attributes.get(ROLE_ATTRIBUTE) ?? []) {
    const parts = value.split(',').map((p) => p.trim());
    if (parts.length !== 2) continue;
    const roleArn = parts.find((p) => ROLE_ARN.test(p));
    const providerArn = parts.find((p) => PROVIDER_ARN.test(p));
    if (roleArn !== undefined && providerArn !== undefined && !pairs.some((p) => p.roleArn === roleArn && p.providerArn === providerArn)) pairs.push({ roleArn, providerArn });
    if (pairs.length >= MAX_ROLE_PAIRS) break;
  }
  return pairs;
}

/** The single value of an AWS attribute, or undefined; several values are refused. */
function single(assertion: VerifiedSamlAssertion, name: string): string | undefined {
  const values = assertion.attributes.get(`${AWS_SAML_ATTRIBUTE}${name}`);
  if (values === undefined || values.length === 0) return undefined;
  if (values.length > 1) throw new InvalidIdentityTokenError(`the SAML attribute ${AWS_SAML_ATTRIBUTE}${name} must have one value`);
  return values[0];
}

/** The session the assertion asks for, beyond the role. */
export interface SamlSessionRequest {
  /** `RoleSessionName`: required by AWS. */
  readonly roleSessionName: string | undefined;
  /** `SessionDuration` in seconds, as text (validated by the caller against the role). */
  readonly sessionDuration: string | undefined;
  readonly sourceIdentity: string | undefined;
  /** `PrincipalTag:<key>` attributes as session tags. */
  readonly tags: Tag[];
  /** `TransitiveTagKeys` values. */
  readonly transitiveTagKeys: string[];
}

/** Reads the session attributes of the assertion. */
export function samlSessionRequest(assertion: VerifiedSamlAssertion): SamlSessionRequest {
  const tags: Tag[] = [];
  for (const [name, values] of assertion.attributes) {
    if (!name.startsWith(PRINCIPAL_TAG)) continue;
    if (values.length !== 1) throw new InvalidIdentityTokenError(`the SAML attribute ${JSON.stringify(name.slice(0, 200))} must have one value`);
    tags.push({ key: name.slice(PRINCIPAL_TAG.length), value: values[0]! });
  }
  return {
    roleSessionName: single(assertion, 'RoleSessionName'),
    sessionDuration: single(assertion, 'SessionDuration'),
    sourceIdentity: single(assertion, 'SourceIdentity'),
    tags,
    transitiveTagKeys: [...(assertion.attributes.get(`${AWS_SAML_ATTRIBUTE}TransitiveTagKeys`) ?? [])],
  };
}

/** `saml:sub_type`: `persistent`, `transient`, or the full Format URI of any other format. */
export function samlSubjectType(assertion: VerifiedSamlAssertion): string {
  const format = assertion.nameIdFormat ?? `${NAMEID_PREFIX}transient`;
  return format.startsWith(NAMEID_PREFIX) ? format.slice(NAMEID_PREFIX.length) : format;
}

/** `saml:namequalifier`: BASE64(SHA1(issuer + account id + "/" + provider name)), as AWS computes it. */
export function samlNameQualifier(issuer: string, accountId: string, providerName: string): string {
  return createHash('sha1').update(`${issuer}${accountId}/${providerName}`).digest('base64');
}

/** Attribute keys AWS maps from well-known attribute OIDs; multi-valued ones become lists. */
const ATTRIBUTE_KEYS: readonly (readonly [key: string, oid: string, multi: boolean])[] = [
  ['saml:cn', 'urn:oid:2.5.4.3', false],
  ['saml:commonName', 'urn:oid:2.5.4.3', false],
  ['saml:givenName', 'urn:oid:2.5.4.42', false],
  ['saml:surname', 'urn:oid:2.5.4.4', false],
  ['saml:mail', 'urn:oid:0.9.2342.19200300.100.1.3', false],
  ['saml:uid', 'urn:oid:0.9.2342.19200300.100.1.1', false],
  ['saml:eduPersonAffiliation', 'urn:oid:1.3.6.1.4.1.5923.1.1.1.1', true],
  ['saml:eduPersonPrincipalName', 'urn:oid:1.3.6.1.4.1.5923.1.1.1.6', false],
  ['saml:eduPersonEntitlement', 'urn:oid:1.3.6.1.4.1.5923.1.1.1.7', true],
  ['saml:eduPersonOrgDN', 'urn:oid:1.3.6.1.4.1.5923.1.1.1.3', false],
  ['saml:eduPersonOrgUnitDN', 'urn:oid:1.3.6.1.4.1.5923.1.1.1.4', true],
  ['saml:eduPersonPrimaryAffiliation', 'urn:oid:1.3.6.1.4.1.5923.1.1.1.5', false],
  ['saml:eduPersonScopedAffiliation', 'urn:oid:1.3.6.1.4.1.5923.1.1.1.9', true],
];

/**
 * The `saml:*` condition keys of an assertion for a provider of `accountId` named `providerName`:
 * `saml:aud` (the Recipient the assertion was presented to, not its Audience, as AWS documents),
 * `saml:iss`, `saml:sub`, `saml:sub_type`, `saml:namequalifier`, `saml:doc` (`<account>/<provider name>`),
 * and the attribute keys of the table above when the assertion carries those attributes.
 */
export function samlConditionContext(assertion: VerifiedSamlAssertion, accountId: string, providerName: string): Record<string, RequestContext[string]> {
  const context: Record<string, RequestContext[string]> = {
    'saml:aud': stringEntry(assertion.recipient),
    'saml:iss': stringEntry(assertion.issuer),
    'saml:sub': stringEntry(assertion.nameId),
    'saml:sub_type': stringEntry(samlSubjectType(assertion)),
    'saml:namequalifier': stringEntry(samlNameQualifier(assertion.issuer, accountId, providerName)),
    'saml:doc': stringEntry(`${accountId}/${providerName}`),
  };
  for (const [key, oid, multi] of ATTRIBUTE_KEYS) {
    const values = assertion.attributes.get(oid);
    if (values === undefined || values.length === 0) continue;
    context[key] = multi ? stringList(values) : stringEntry(values[0]!);
  }
  return context;
}
