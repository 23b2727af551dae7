/**
 * assumeRoleWithSAML on the wire (STS AssumeRoleWithSAML): anonymous, the IdP's signed SAML response
 * is the credential. Bad assertions are result-union errors (InvalidIdentityToken, ExpiredToken,
 * IDPRejectedClaim); a role the assertion does not offer, or whose trust policy refuses, is the
 * top-level ACCESS_DENIED every STS refusal is. The service provider's audience and recipient come
 * from the configuration (SAML_AUDIENCE, SAML_RECIPIENT).
 */
import { MalformedPolicyDocumentError, NoSuchEntityError, ValidationError } from '../errors.ts';
import { ExpiredTokenError, IdpRejectedClaimError, InvalidIdentityTokenError } from '../sts/errors.ts';
import { assumeRoleWithSaml, type AssumedRoleWithSaml } from '../sts/saml-assume-role.ts';
import { builder } from './builder.ts';
import { errorObjectType, WriteSuccessInterface } from './errors.ts';
import { resultErrors } from './mutation-result.ts';
import { AssumedRoleUserRef, CredentialsRef } from './sts.ts';

errorObjectType(IdpRejectedClaimError, { name: 'IDPRejectedClaim', description: 'The identity provider reported that authentication failed (its SAML response status is not Success).' });

const AssumeRoleWithSamlSuccess = builder.objectRef<AssumedRoleWithSaml>('AssumeRoleWithSAMLSuccess').implement({
  interfaces: [WriteSuccessInterface],
  description: "A role session for a SAML assertion: its temporary credentials (shown once) and what the assertion said, with AWS's field names.",
  fields: (t) => ({
    credentials: t.field({ type: CredentialsRef, resolve: (r) => r.credentials }),
    assumedRoleUser: t.field({ type: AssumedRoleUserRef, resolve: (r) => r.assumedRoleUser }),
    subject: t.exposeString('subject', { description: 'The NameID of the assertion.' }),
    subjectType: t.exposeString('subjectType', { description: '`persistent`, `transient`, or the full NameID Format URI.' }),
    issuer: t.exposeString('issuer'),
    audience: t.exposeString('audience', { description: 'The Recipient of the SubjectConfirmationData (the SAML endpoint), as AWS reports it.' }),
    nameQualifier: t.exposeString('nameQualifier', { description: 'BASE64(SHA1(issuer + account id + "/" + provider name)); with `subject` it names the user uniquely.' }),
    sourceIdentity: t.exposeString('sourceIdentity', { nullable: true }),
  }),
});

const AssumeRoleWithSamlInput = builder.inputType('AssumeRoleWithSAMLInput', {
  description:
    "What assumeRoleWithSAML (STS AssumeRoleWithSAML) needs: the role ARN, the SAML provider ARN (principalArn) and the IdP's base64 SAML response, and optionally the duration and session policies. Sent without a credential. The response's signature, issuer, audience, recipient, time window (120 s skew) and one-time use are checked; the role and provider must be a pair of its https://aws.amazon.com/SAML/Attributes/Role attribute; the role's trust policy must allow the provider as a Federated principal, with the saml:* keys.",
  fields: (t) => ({
    roleArn: t.string({ required: true }),
    principalArn: t.string({ required: true, description: 'The SAML provider ARN, arn:aws:iam::<account>:saml-provider/<name>.' }),
    samlAssertion: t.string({ required: true, description: 'The base64 SAMLResponse the IdP posted (at most 100,000 characters).' }),
    durationSeconds: t.int({ description: "900 to the role's MaxSessionDuration; default: the assertion's SessionDuration attribute, else 3600." }),
    policy: t.string({ description: 'Inline session policy JSON (at most 2048 characters); the session gets the intersection.' }),
    policyArns: t.stringList({ description: 'Managed session policies, at most 10.' }),
  }),
});

builder.mutationFields((t) => ({
  assumeRoleWithSAML: t.field({
    type: AssumeRoleWithSamlSuccess,
    description: "AssumeRoleWithSAML: exchange an IdP's signed SAML response for a role session; needs no credential.",
    args: { input: t.arg({ type: AssumeRoleWithSamlInput, required: true }) },
    errors: resultErrors('AssumeRoleWithSAML', [ValidationError, MalformedPolicyDocumentError, NoSuchEntityError, InvalidIdentityTokenError, ExpiredTokenError, IdpRejectedClaimError]),
    resolve: (_root, { input }, context) =>
      assumeRoleWithSaml(context.database, context.authz.facts, { audience: context.config.samlAudience, recipient: context.config.samlRecipient, decryptionKey: context.config.samlDecryptionKey }, input, new Date(context.clock.now())),
  }),
}));
