/**
 * GetSessionToken: temporary credentials for an IAM user (or root), typically to prove MFA:
 * with SerialNumber and TokenCode the session carries aws:MultiFactorAuthPresent = true.
 * Durations follow STS: 900 s to 129,600 s (36 h) for users, default 43,200 s; root at most 3,600 s.
 * Role sessions cannot call it. It needs no permission, as in AWS.
 */
import type { Database } from '../db/client.ts';
import { runWrite } from '../changes/outbox.ts';
import { mfaCodeOf, userMfaCodeIsValid } from './mfa-code.ts';
import type { StsRequest } from './assume-role.ts';
import { MIN_SESSION_SECONDS, sessionDuration } from './duration.ts';
import { AccessDeniedError } from '../errors.ts';
import { issueSession, type TemporaryCredentials } from './issue.ts';

/** GetSessionToken parameters. */
export interface GetSessionTokenInput {
  readonly durationSeconds?: number | null;
  readonly serialNumber?: string | null;
  readonly tokenCode?: string | null;
}

/** GetSessionToken's answer; credentials shown once. */
export interface SessionTokenResult {
  readonly credentials: TemporaryCredentials;
  readonly mfaAuthenticated: boolean;
  readonly revision: string;
}

/** GetSessionToken. */
export async function getSessionToken(database: Database, request: StsRequest, input: GetSessionTokenInput): Promise<SessionTokenResult> {
  const { caller } = request;
  const now = request.now ?? new Date();
  if (caller.kind === 'role-session' || caller.credential.type === 'session') {
    throw new AccessDeniedError('sts:GetSessionToken', caller.arn, 'GetSessionToken needs long-term credentials (an access key), not a session');
  }
  const durationSeconds = sessionDuration(
    input.durationSeconds,
    caller.kind === 'root'
      ? { min: MIN_SESSION_SECONDS, max: 3600, fallback: 3600, maxReason: 'root user sessions last at most one hour' }
      : { min: MIN_SESSION_SECONDS, max: 129_600, fallback: 43_200, maxReason: 'the GetSessionToken maximum of 36 hours' },
  );
  const mfaCode = mfaCodeOf(input);
  let mfa = false;
  if (mfaCode !== undefined) {
    mfa = await userMfaCodeIsValid(database, caller, mfaCode, await request.cipher(), now, 'sts:GetSessionToken');
    if (!mfa) {
      throw new AccessDeniedError('sts:GetSessionToken', caller.arn, 'MultiFactorAuthentication failed with an invalid serial number or one-time code');
    }
  }
  const { result, revision } = await runWrite(database, { arn: caller.arn, accountId: caller.accountId }, async (tx, record) => {
    const issued = await issueSession(tx, {
      accountId: caller.accountId,
      kind: 'session_token',
      userId: caller.userId,
      arn: caller.arn,
      sourceArn: caller.arn,
      mfaAuthenticated: mfa,
      issuedAt: now,
      expiresAt: new Date(now.getTime() + durationSeconds * 1000),
    });
    record({
      kind: 'SessionTokenIssued',
      entityType: 'session',
      entityArn: caller.arn,
      affectedPrincipalIds: [],
      payload: { accessKeyId: issued.credentials.accessKeyId, durationSeconds, mfaAuthenticated: mfa },
    });
    return issued;
  });
  return { credentials: result.credentials, mfaAuthenticated: mfa, revision };
}
