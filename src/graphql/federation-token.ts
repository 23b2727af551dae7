/**
 * getFederationToken on the wire (STS GetFederationToken): temporary credentials for a federated
 * user, authorized by sts:GetFederationToken on `arn:aws:sts::<account>:federated-user/<name>`.
 * The rules are the command's (src/sts/federation-token.ts); this file only maps in and out.
 */
import { MalformedPolicyDocumentError, NoSuchEntityError, ValidationError } from '../errors.ts';
import { getFederationToken, type FederatedUser, type FederationToken } from '../sts/federation-token.ts';
import { builder } from './builder.ts';
import { WriteSuccessInterface } from './errors.ts';
import { resultErrors } from './mutation-result.ts';
import { authenticated, CredentialsRef, stsRequest } from './sts.ts';
import { TagInputRef } from './tag.ts';

const FederatedUserRef = builder.objectRef<FederatedUser>('FederatedUser').implement({
  description: 'Who a federation session acts as (STS FederatedUser): its federated-user ARN, which `callerIdentity` reports for its requests, and its id.',
  fields: (t) => ({
    arn: t.exposeString('arn', { description: 'arn:aws:sts::<account>:federated-user/<name>' }),
    federatedUserId: t.exposeString('federatedUserId', { description: '`<account>:<name>`, what aws:userid reports for the session.' }),
  }),
});

const GetFederationTokenSuccess = builder.objectRef<FederationToken>('GetFederationTokenSuccess').implement({
  interfaces: [WriteSuccessInterface],
  description: "A federated-user session: its temporary credentials (shown once), who it acts as, and how much of the session-policy size limit its policies use; `revision` recorded its issue.",
  fields: (t) => ({
    credentials: t.field({ type: CredentialsRef, description: 'Send `Authorization: Bearer <sessionToken>`.', resolve: (r) => r.credentials }),
    federatedUser: t.field({ type: FederatedUserRef, description: 'The federated user the session acts as.', resolve: (r) => r.federatedUser }),
    packedPolicySize: t.exposeInt('packedPolicySize', { description: 'Percent of the 2,048-character session-policy limit the passed policies (compacted) and ARNs use.' }),
  }),
});

const GetFederationTokenInput = builder.inputType('GetFederationTokenInput', {
  description:
    "What getFederationToken (STS GetFederationToken) needs: the federated user's name, and the session policies that cut the calling user's permissions (without any, the session may do nothing but what a resource policy naming its federated-user ARN grants). Call it with an IAM user's (or the root user's) access key: from a session it is AccessDenied. Authorized by sts:GetFederationToken on arn:aws:sts::<account>:federated-user/<name>. The sessions it makes can call no IAM operation and no STS operation but callerIdentity; they may ask `authorize` about themselves when their policies allow iam:Authorize on their own ARN.",
  fields: (t) => ({
    name: t.string({ required: true, description: 'The federated user name, 2-32 characters of `[\\w+=,.@-]`.' }),
    durationSeconds: t.int({ description: 'IAM users: 900-129600, default 43200 (12 hours); the root user: 900-3600, default 3600.' }),
    policy: t.string({ description: 'Inline session policy JSON (at most 2048 characters); the session gets what it and the user both allow.' }),
    policyArns: t.stringList({ description: 'Managed session policies of the account, at most 10.' }),
    tags: t.field({
      type: [TagInputRef],
      description: "Session tags, at most 50: the session's aws:PrincipalTag/* (overriding the user's tags of the same key). Passing any also needs sts:TagSession on the federated-user ARN.",
    }),
  }),
});

builder.mutationFields((t) => ({
  getFederationToken: t.field({
    type: GetFederationTokenSuccess,
    description: "GetFederationToken: a federated-user session whose permissions are the calling user's policies cut by the session policies.",
    args: { input: t.arg({ type: GetFederationTokenInput, required: true }) },
    errors: resultErrors('GetFederationToken', [ValidationError, MalformedPolicyDocumentError, NoSuchEntityError]),
    resolve: (_root, { input }, context) =>
      getFederationToken(context.database, stsRequest(context, authenticated(context)), input, (action, arn, facts) => context.guard.require(action, arn, facts)),
  }),
}));
