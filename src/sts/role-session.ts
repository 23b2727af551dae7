/**
 * The tail every role session shares once trust has allowed it (AssumeRole, AssumeRoleWithWebIdentity,
 * AssumeRoleWithSAML, console sign-in through an identity provider): in one transaction, whatever
 * the caller must do atomically with the issue (consume a SAML assertion id), the session with fresh
 * credentials, the role's last-used time and the audit row. One copy, so the four cannot drift.
 */
import { eq } from 'drizzle-orm';
import type { ChangeKind } from '../changes/change-kinds.ts';
import { runWrite, type WriteActor } from '../changes/outbox.ts';
import type { Database, Tx } from '../db/client.ts';
import { roles } from '../db/schema/index.ts';
import type { Role } from '../iam/roles.ts';
import { assumedRoleArn, type AssumedRoleUser } from './assume-role.ts';
import { issueSession, type SessionValues, type TemporaryCredentials } from './issue.ts';

/** What the session is; the tail fills in the role, the ARN and the times. */
export type RoleSessionValues = Omit<SessionValues, 'accountId' | 'roleId' | 'arn' | 'sessionName' | 'issuedAt' | 'expiresAt'>;

/** A role session to start. */
export interface RoleSessionStart {
  /** Who the change log names as the writer (the caller, or the identity provider's ARN). */
  readonly actor: WriteActor;
  readonly role: Role;
  readonly sessionName: string;
  readonly durationSeconds: number;
  readonly now: Date;
  readonly values: RoleSessionValues;
  /** The audit row's kind, its account when not the actor's, and what it says beyond role, session name and access key id. */
  readonly audit: { readonly kind: ChangeKind; readonly accountId?: string; readonly payload: Record<string, unknown> };
  /** Runs first in the same transaction; a throw issues nothing. */
  readonly inTransaction?: (tx: Tx) => Promise<void>;
}

/** The started session; credentials shown once. */
export interface StartedRoleSession {
  readonly credentials: TemporaryCredentials;
  readonly assumedRoleUser: AssumedRoleUser;
  readonly revision: string;
}

/** Issues the session, marks the role used and records the audit row, in one transaction. */
export async function startRoleSession(database: Database, start: RoleSessionStart): Promise<StartedRoleSession> {
  const { role, sessionName, now } = start;
  const arn = assumedRoleArn(role.accountId, role.name, sessionName);
  const { result, revision } = await runWrite(database, start.actor, async (tx, record) => {
    await start.inTransaction?.(tx);
    const issued = await issueSession(tx, {
      ...start.values,
      accountId: role.accountId,
      roleId: role.id,
      arn,
      sessionName,
      issuedAt: now,
      expiresAt: new Date(now.getTime() + start.durationSeconds * 1000),
    });
    await tx.update(roles).set({ lastUsedAt: now }).where(eq(roles.id, role.id));
    record({
      kind: start.audit.kind,
      entityType: 'role-session',
      entityArn: arn,
      affectedPrincipalIds: [],
      ...(start.audit.accountId === undefined ? {} : { accountId: start.audit.accountId }),
      payload: { roleName: role.name, roleSessionName: sessionName, accessKeyId: issued.credentials.accessKeyId, ...start.audit.payload },
    });
    return issued;
  });
  return { credentials: result.credentials, assumedRoleUser: { arn, assumedRoleId: `${role.id}:${sessionName}` }, revision };
}
