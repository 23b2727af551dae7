/**
 * STS on the wire: assumeRole, assumeRoleWithWebIdentity (anonymous: the token is the credential),
 * getSessionToken, `callerIdentity`, and revokeRoleSessions. Role assumption is decided by the
 * role's trust policy and the caller's own permissions (src/sts/trust.ts), not by a guard
 * check; a refusal is a top-level ACCESS_DENIED error naming the action, like any denial.
 */
import { callerRef } from '../authz/guard.ts';
import type { Caller } from '../authz/caller.ts';
import { LimitExceededError, MalformedPolicyDocumentError, NoSuchEntityError, UnauthenticatedError, ValidationError } from '../errors.ts';
import { MfaDeviceLockedError } from '../iam/mfa/lockout.ts';
import { seedCipherFor } from '../iam/mfa/secrets-key.ts';
import { assumeRole, type AssumedRole, type AssumedRoleUser, type StsRequest } from '../sts/assume-role.ts';
import { getCallerIdentity, type CallerIdentity } from '../sts/caller-identity.ts';
import { ExpiredTokenError, IdpCommunicationError, InvalidIdentityTokenError } from '../sts/errors.ts';
import type { TemporaryCredentials } from '../sts/issue.ts';
import { revokeRoleSessions } from '../sts/revoke.ts';
import { getSessionToken, type SessionTokenResult } from '../sts/session-token.ts';
import { assumeRoleWithWebIdentity, type AssumedRoleWithWebIdentity } from '../sts/web-identity.ts';
import { builder } from './builder.ts';
import type { GraphQLContext } from './context.ts';
import { settled } from './credential-guard.ts';
import { requireOnPrincipal } from './directory-guard.ts';
import { errorObjectType, WriteSuccessInterface } from './errors.ts';
import { resultErrors } from './mutation-result.ts';
import { TagInputRef } from './tag.ts';

errorObjectType(InvalidIdentityTokenError, {
  name: 'InvalidIdentityToken',
  description: "The web identity token is malformed, not signed by the provider's keys, or for another issuer or audience.",
});
errorObjectType(ExpiredTokenError, { name: 'ExpiredToken', description: 'The web identity token has expired.' });
errorObjectType(IdpCommunicationError, {
  name: 'IDPCommunicationError',
  description: "The provider's issuer could not be reached for its signing keys, or answered something unusable.",
});

/** Temporary credentials on the wire (also returned by getFederationToken, federation-token.ts). */
export const CredentialsRef = builder.objectRef<TemporaryCredentials>('Credentials').implement({
  description: 'Temporary credentials, shown once. Authenticate with `Authorization: Bearer <sessionToken>`.',
  fields: (t) => ({
    accessKeyId: t.exposeString('accessKeyId', { description: 'ASIA…' }),
    secretAccessKey: t.exposeString('secretAccessKey'),
    sessionToken: t.exposeString('sessionToken'),
    expiration: t.field({ type: 'DateTime', resolve: (c) => c.expiration }),
  }),
});
export const AssumedRoleUserRef = builder.objectRef<AssumedRoleUser>('AssumedRoleUser').implement({
  description:
    "Who a new role session acts as (STS AssumedRoleUser): its assumed-role ARN, which `callerIdentity` reports for the session's requests, and its id (the role id and session name, aws:userid).",
  fields: (t) => ({
    arn: t.exposeString('arn', { description: 'arn:aws:sts::<account>:assumed-role/<role>/<session>' }),
    assumedRoleId: t.exposeString('assumedRoleId', { description: '`AROA…:<session name>`.' }),
  }),
});
const AssumeRoleSuccess = builder.objectRef<AssumedRole>('AssumeRoleSuccess').implement({
  interfaces: [WriteSuccessInterface],
  description: 'A role session: its temporary credentials (shown once) and who it acts as; `revision` recorded its issue.',
  fields: (t) => ({
    credentials: t.field({ type: CredentialsRef, resolve: (r) => r.credentials }),
    assumedRoleUser: t.field({ type: AssumedRoleUserRef, resolve: (r) => r.assumedRoleUser }),
    sourceIdentity: t.exposeString('sourceIdentity', { nullable: true }),
  }),
});
const AssumeRoleWithWebIdentitySuccess = builder.objectRef<AssumedRoleWithWebIdentity>('AssumeRoleWithWebIdentitySuccess').implement({
  interfaces: [WriteSuccessInterface],
  description: 'A role session for a web identity: its temporary credentials (shown once), the token\'s subject, provider and audience.',
  fields: (t) => ({
    credentials: t.field({ type: CredentialsRef, resolve: (r) => r.credentials }),
    assumedRoleUser: t.field({ type: AssumedRoleUserRef, resolve: (r) => r.assumedRoleUser }),
    subjectFromWebIdentityToken: t.exposeString('subjectFromWebIdentityToken'),
    provider: t.exposeString('provider'),
    audience: t.exposeString('audience'),
  }),
});
const GetSessionTokenSuccess = builder.objectRef<SessionTokenResult>('GetSessionTokenSuccess').implement({
  interfaces: [WriteSuccessInterface],
  description: "Temporary credentials for the calling IAM user (shown once), with the user's own permissions.",
  fields: (t) => ({
    credentials: t.field({ type: CredentialsRef, resolve: (r) => r.credentials }),
    mfaAuthenticated: t.exposeBoolean('mfaAuthenticated'),
  }),
});
const RevokeRoleSessionsSuccess = builder.objectRef<{ roleName: string; revokedBefore: Date; revision: string }>('RevokeRoleSessionsSuccess').implement({
  interfaces: [WriteSuccessInterface],
  description: 'Sessions of the role issued before `revokeDate` are now denied everything (inline policy AWSRevokeOlderSessions).',
  fields: (t) => ({
    roleName: t.exposeString('roleName'),
    revokeDate: t.field({ type: 'DateTime', description: 'When the revocation took effect: sessions issued earlier are denied.', resolve: (r) => r.revokedBefore }),
  }),
});
const CallerIdentityRef = builder.objectRef<CallerIdentity>('CallerIdentity').implement({
  description: 'GetCallerIdentity.',
  fields: (t) => ({ account: t.exposeString('account'), arn: t.exposeString('arn'), userId: t.exposeString('userId') }),
});

const AssumeRoleInput = builder.inputType('AssumeRoleInput', {
  description:
    "What assumeRole (STS AssumeRole) needs: the role ARN and a session name, and optionally the duration, session policies (the session gets what they and the role's policies both allow), session tags, an external id, MFA (serialNumber with tokenCode, giving aws:MultiFactorAuthPresent) and a source identity. A role that does not exist and one whose trust policy does not allow the caller get the same AccessDenied; the root user cannot assume roles.",
  fields: (t) => ({
    roleArn: t.string({ required: true }),
    roleSessionName: t.string({ required: true, description: '2-64 characters of `[\\w+=,.@-]`.' }),
    durationSeconds: t.int({ defaultValue: 3600, description: "900 to the role's MaxSessionDuration (one hour when a role session assumes a role)." }),
    policy: t.string({ description: 'Inline session policy JSON (at most 2048 characters); the session gets the intersection.' }),
    policyArns: t.stringList({ description: 'Managed session policies, at most 10.' }),
    tags: t.field({ type: [TagInputRef], description: 'Session tags (aws:PrincipalTag); need sts:TagSession.' }),
    transitiveTagKeys: t.stringList({ description: 'Tag keys that carry over to roles this session assumes.' }),
    externalId: t.string(),
    serialNumber: t.string({ description: "The caller's MFA device ARN." }),
    tokenCode: t.string({ description: 'Its current 6-digit code.' }),
    sourceIdentity: t.string({ description: 'Needs sts:SetSourceIdentity; fixed for chained sessions.' }),
  }),
});
const AssumeRoleWithWebIdentityInput = builder.inputType('AssumeRoleWithWebIdentityInput', {
  description:
    "What assumeRoleWithWebIdentity (STS AssumeRoleWithWebIdentity) needs: the role ARN, a session name and an OIDC ID token from a provider registered in the role's account, and optionally the duration and session policies. Sent without a credential: the token is the credential. Its signature, issuer, audience and expiry are checked (InvalidIdentityToken, ExpiredToken, IDPCommunicationError), then the role's trust policy must allow the provider as a Federated principal (else AccessDenied).",
  fields: (t) => ({
    roleArn: t.string({ required: true }),
    roleSessionName: t.string({ required: true }),
    webIdentityToken: t.string({ required: true, description: 'An OIDC ID token (JWT) from a provider registered in the role account.' }),
    durationSeconds: t.int({ defaultValue: 3600, description: "900 to the role's MaxSessionDuration." }),
    policy: t.string(),
    policyArns: t.stringList(),
  }),
});
const GetSessionTokenInput = builder.inputType('GetSessionTokenInput', {
  description:
    "What getSessionToken (STS GetSessionToken) needs: optionally a duration, and the caller's MFA device serial number with its current code for a session with aws:MultiFactorAuthPresent. Call it with an IAM user's or the root user's access key (from any session it is AccessDenied); it needs no permission. A wrong code is AccessDenied and counts toward the device's lockout (MFADeviceLocked).",
  fields: (t) => ({
    // No SDL default: it depends on the caller.
    durationSeconds: t.int({ description: 'IAM users: 900-129600, default 43200 (12 hours); the root user: 900-3600, default 3600.' }),
    serialNumber: t.string(),
    tokenCode: t.string(),
  }),
});
const RevokeRoleSessionsInput = builder.inputType('RevokeRoleSessionsInput', {
  description:
    "What revokeRoleSessions needs: the role whose sessions issued before now are denied everything. Done as the IAM console does it, with no API operation of its own: it puts the inline role policy AWSRevokeOlderSessions, so it is authorized by iam:PutRolePolicy on the role's ARN. Sessions issued afterwards are unaffected.",
  fields: (t) => ({ roleName: t.string({ required: true }) }) });

/** The authenticated caller, or UNAUTHENTICATED (STS calls need a credential but no guard permission). */
export function authenticated(context: GraphQLContext): Caller {
  const caller = context.guard.caller;
  if (caller === undefined) throw UnauthenticatedError.needsCredential();
  return caller;
}

/** What the STS commands need to know about this request. */
export function stsRequest(context: GraphQLContext, caller: Caller): StsRequest {
  return {
    caller,
    callerPolicies: () => context.authz.policies.load(callerRef(caller)),
    placement: (accountId) => context.authz.runtime.placements.load(accountId),
    facts: context.authz.facts,
    cipher: () => seedCipherFor(context.config),
    now: new Date(context.clock.now()),
  };
}

builder.queryFields((t) => ({
  callerIdentity: t.field({
    type: CallerIdentityRef,
    description: 'Who the request is authenticated as (GetCallerIdentity); needs no permission.',
    resolve: (_root, _args, context) => getCallerIdentity(authenticated(context)),
  }),
}));

builder.mutationFields((t) => ({
  assumeRole: t.field({
    type: AssumeRoleSuccess,
    description: "AssumeRole: allowed when the role's trust policy and (unless it names you exactly, in the same account) your own policies allow sts:AssumeRole.",
    args: { input: t.arg({ type: AssumeRoleInput, required: true }) },
    errors: resultErrors('AssumeRole', [ValidationError, MalformedPolicyDocumentError, NoSuchEntityError, MfaDeviceLockedError]),
    resolve: (_root, { input }, context) => assumeRole(context.database, stsRequest(context, authenticated(context)), input),
  }),
  assumeRoleWithWebIdentity: t.field({
    type: AssumeRoleWithWebIdentitySuccess,
    description: 'AssumeRoleWithWebIdentity: exchange an OIDC ID token for a role session; needs no credential.',
    args: { input: t.arg({ type: AssumeRoleWithWebIdentityInput, required: true }) },
    errors: resultErrors('AssumeRoleWithWebIdentity', [ValidationError, MalformedPolicyDocumentError, NoSuchEntityError, InvalidIdentityTokenError, ExpiredTokenError, IdpCommunicationError]),
    resolve: (_root, { input }, context) => assumeRoleWithWebIdentity(context.database, context.authz.facts, input, new Date(context.clock.now())),
  }),
  getSessionToken: t.field({
    type: GetSessionTokenSuccess,
    description: 'GetSessionToken: temporary credentials for an IAM user, with MFA when serialNumber and tokenCode are given.',
    args: { input: t.arg({ type: GetSessionTokenInput, required: true }) },
    errors: resultErrors('GetSessionToken', [ValidationError, MfaDeviceLockedError]),
    resolve: (_root, { input }, context) => getSessionToken(context.database, stsRequest(context, authenticated(context)), input),
  }),
  revokeRoleSessions: t.field({
    type: RevokeRoleSessionsSuccess,
    description: "Deny everything to the role's sessions issued before now (puts inline policy AWSRevokeOlderSessions; needs iam:PutRolePolicy).",
    args: { input: t.arg({ type: RevokeRoleSessionsInput, required: true }) },
    errors: resultErrors('RevokeRoleSessions', [ValidationError, NoSuchEntityError, LimitExceededError, MalformedPolicyDocumentError]),
    resolve: async (_root, { input }, context) => {
      authenticated(context);
      const { caller, principal } = await requireOnPrincipal(context, 'iam:PutRolePolicy', 'role', input.roleName);
      const now = new Date(context.clock.now());
      const { revision, result } = await revokeRoleSessions(context.database, caller, input.roleName, now, principal?.id);
      return settled(context, { roleName: result.principal.name, revokedBefore: now, revision });
    },
  }),
}));
