/**
 * Revoking a role's active sessions the AWS way (IAM User Guide, "Revoking IAM role temporary
 * security credentials"): an inline role policy `AWSRevokeOlderSessions` that denies everything to
 * sessions whose aws:TokenIssueTime is before now. Sessions issued afterwards are unaffected; the
 * authorizer supplies aws:TokenIssueTime from each session. Written through putInlinePolicy, so
 * it is validated, sized, logged and invalidates caches like any PutRolePolicy.
 */
import type { Database } from '../db/client.ts';
import type { WriteActor, WriteResult } from '../changes/outbox.ts';
import { putInlinePolicy, type PutInlinePolicyResult } from '../iam/inline-policies.ts';

/** The policy name AWS uses for revocation. */
export const REVOKE_POLICY_NAME = 'AWSRevokeOlderSessions';

/** The revocation policy document for sessions issued before `now`. */
export function revokeOlderSessionsPolicy(now: Date): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Deny',
        Action: ['*'],
        Resource: ['*'],
        Condition: { DateLessThan: { 'aws:TokenIssueTime': now.toISOString() } },
      },
    ],
  });
}

/** Denies everything to the role's sessions issued before `now` (default: this instant). */
export function revokeRoleSessions(
  database: Database,
  actor: WriteActor,
  roleName: string,
  now: Date = new Date(),
  foundId?: string,
): Promise<WriteResult<PutInlinePolicyResult>> {
  return putInlinePolicy(
    database,
    actor,
    'role',
    { principalName: roleName, policyName: REVOKE_POLICY_NAME, policyDocument: revokeOlderSessionsPolicy(now) },
    foundId,
  );
}
