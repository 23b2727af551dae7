/**
 * GetFederationToken, as the STS API reference and the IAM User Guide ("Permissions for
 * GetFederationToken") define it: an IAM user with long-term credentials (an access key) gets
 * temporary credentials for a federated user `arn:aws:sts::<account>:federated-user/<Name>`.
 * - Authorized by sts:GetFederationToken on that federated-user ARN, from the user's own policies.
 * - The session's permissions are the user's identity policies cut by the session policies passed
 *   here (inline `policy`, managed `policyArns`); without any the session may do nothing, except
 *   what a resource policy naming the federated-user ARN grants (the engine's FederatedUser rules).
 * - Name: 2-32 characters of `[\w+=,.@-]`. DurationSeconds: 900-129,600, default 43,200; for
 *   the root user (allowed by AWS though discouraged) at most 3,600, default 3,600.
 * - Sessions cannot call it (AWS requires long-term credentials), and the sessions it makes can
 *   call no IAM operation and no STS operation but GetCallerIdentity (authz/caller.ts).
 * They end with their duration, by signOut, when the user is deleted, and when a Deny on the
 * user (e.g. aws:TokenIssueTime before a date) cuts them, as AWS documents for revoking them.
 */
import type { ActionFacts } from '../authz/action-keys.ts';
import type { Database } from '../db/client.ts';
import type { Tag } from '../db/schema/index.ts';
import { runWrite } from '../changes/outbox.ts';
import { AccessDeniedError, ValidationError } from '../errors.ts';
import type { StsRequest } from './assume-role.ts';
import { MIN_SESSION_SECONDS, sessionDuration } from './duration.ts';
import { issueSession, type TemporaryCredentials } from './issue.ts';
import { SESSION_POLICY_MAX_CHARS, sessionTagging, validateSessionPolicies } from './session-request.ts';

/** GetFederationToken parameters, named as in the STS API. */
export interface GetFederationTokenInput {
  readonly name: string;
  readonly durationSeconds?: number | null;
  readonly policy?: string | null;
  readonly policyArns?: readonly string[] | null;
  /** Session tags: aws:PrincipalTag/* of the session's requests. */
  readonly tags?: readonly Tag[] | null;
}

/** Checks one action of the request on the federated-user ARN with the caller's own policies (the guard). */
export type FederationAuthorizer = (action: string, arn: string, facts: ActionFacts) => Promise<unknown>;

/** The federated user as GetFederationToken reports it. */
export interface FederatedUser {
  /** `arn:aws:sts::<account>:federated-user/<name>`. */
  readonly arn: string;
  /** `<account>:<name>`, what aws:userid reports for the session. */
  readonly federatedUserId: string;
}

/** GetFederationToken's answer; the credentials are shown once. */
export interface FederationToken {
  readonly credentials: TemporaryCredentials;
  readonly federatedUser: FederatedUser;
  /** Percentage of the allowed session-policy size used by the policies passed (AWS's PackedPolicySize). */
  readonly packedPolicySize: number;
  readonly revision: string;
}

const NAME = /^[\w+=,.@-]{2,32}$/;

/** Validates Name (2-32 of `[\w+=,.@-]`). */
export function validateFederatedUserName(value: string, field = 'input.name'): string {
  if (!NAME.test(value)) throw new ValidationError(field, 'pattern', `${field} must be 2-32 characters of letters, digits and _+=,.@-; got ${JSON.stringify(value.slice(0, 40))}`);
  return value;
}

/** The federated-user ARN for a name. */
export function federatedUserArn(accountId: string, name: string): string {
  return `arn:aws:sts::${accountId}:federated-user/${name}`;
}

/**
 * The share of the session-policy limit the passed policies take, in percent: the inline policy
 * without insignificant whitespace plus the ARNs, against the 2,048-character plaintext limit.
 */
function packedPolicySize(policy: string | null, policyArns: readonly string[]): number {
  const inline = policy === null ? 0 : JSON.stringify(JSON.parse(policy)).length;
  const arns = policyArns.reduce((n, arn) => n + arn.length, 0);
  return Math.ceil(((inline + arns) * 100) / SESSION_POLICY_MAX_CHARS);
}

/** GetFederationToken. */
export async function getFederationToken(database: Database, request: StsRequest, input: GetFederationTokenInput, authorize: FederationAuthorizer): Promise<FederationToken> {
  const { caller } = request;
  const now = request.now ?? new Date();
  if (caller.kind === 'role-session' || caller.kind === 'federated-user' || caller.credential.type === 'session') {
    throw new AccessDeniedError('sts:GetFederationToken', caller.arn, 'GetFederationToken needs the long-term credentials (an access key) of an IAM user, not a session');
  }
  const name = validateFederatedUserName(input.name);
  const arn = federatedUserArn(caller.accountId, name);
  const tagging = sessionTagging(input.tags, null, undefined);
  // The root user is allowed everything in its account; a user needs sts:GetFederationToken on the
  // ARN, and sts:TagSession too when it passes tags (both see the tags as aws:RequestTag/*).
  const facts: ActionFacts = { requestTags: tagging.requestTags };
  await authorize('sts:GetFederationToken', arn, facts);
  if (tagging.requestTags.length > 0) await authorize('sts:TagSession', arn, facts);
  const durationSeconds = sessionDuration(
    input.durationSeconds,
    caller.kind === 'root'
      ? { min: MIN_SESSION_SECONDS, max: 3600, fallback: 3600, maxReason: 'root user sessions last at most one hour' }
      : { min: MIN_SESSION_SECONDS, max: 129_600, fallback: 43_200, maxReason: 'the GetFederationToken maximum of 36 hours' },
  );
  const sessionPolicies = await validateSessionPolicies(database.db, caller.accountId, input.policy, input.policyArns);
  const { result, revision } = await runWrite(database, { arn: caller.arn, accountId: caller.accountId }, async (tx, record) => {
    const issued = await issueSession(tx, {
      accountId: caller.accountId,
      kind: 'federation_token',
      userId: caller.userId,
      arn,
      sessionName: name,
      sessionPolicy: sessionPolicies.policy,
      sessionPolicyArns: sessionPolicies.policyArns,
      sessionTags: tagging.tags,
      sourceArn: caller.arn,
      issuedAt: now,
      expiresAt: new Date(now.getTime() + durationSeconds * 1000),
    });
    record({
      kind: 'FederationTokenIssued',
      entityType: 'session',
      entityArn: arn,
      affectedPrincipalIds: [],
      payload: {
        accessKeyId: issued.credentials.accessKeyId,
        name,
        durationSeconds,
        policyArns: sessionPolicies.policyArns,
        inlinePolicy: sessionPolicies.policy !== null,
        tagKeys: tagging.tags.map((t) => t.key),
      },
    });
    return issued;
  });
  return {
    credentials: result.credentials,
    federatedUser: { arn, federatedUserId: `${caller.accountId}:${name}` },
    packedPolicySize: packedPolicySize(sessionPolicies.policy, sessionPolicies.policyArns),
    revision,
  };
}
