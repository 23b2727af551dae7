/**
 * Login profiles (console passwords): CreateLoginProfile, UpdateLoginProfile, DeleteLoginProfile,
 * GetLoginProfile and the user's own ChangePassword. A profile is the user's scrypt password hash;
 * every new password passes the account password policy (length, character classes, reuse of the
 * last N passwords, kept as hashes in password_history).
 */
import { and, eq, isNull, ne } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { stsSessions, users } from '../db/schema/index.ts';
import type { Tx } from '../db/client.ts';
import type { ChangeKind } from '../changes/change-kinds.ts';
import { runWrite, type ChangeInput, type WriteActor, type WriteResult } from '../changes/outbox.ts';
import { ownerName, resolveCredentialOwner, type SelfUser } from './credential-owner.ts';
import { EntityAlreadyExistsError, NoSuchEntityError, ValidationError } from '../errors.ts';
import {
  checkPasswordReuse,
  checkPasswordRules,
  findAccountPasswordPolicy,
  nextPasswordHistory,
} from './password-policy.ts';
import { hashPassword, verifySecret } from './secrets.ts';
import { getUser, type User } from './users.ts';

/** What GetLoginProfile shows: never the password or its hash. */
export interface LoginProfile {
  /** The owner's unique id (AIDA…), the root user's included: a user has at most one login profile. */
  readonly userId: string;
  readonly userName: string;
  /** When the current password was set. */
  readonly createDate: Date;
  readonly passwordResetRequired: boolean;
}

function profileOf(user: User): LoginProfile {
  return { userId: user.id, userName: ownerName(user), createDate: user.passwordChangedAt ?? user.createdAt, passwordResetRequired: user.passwordResetRequired };
}

function requirePassword(value: string | null | undefined, field: string): string {
  if (value === undefined || value === null || value === '') throw new ValidationError(field, 'required', `${field} is required`);
  return value;
}

/**
 * Checks `password` against the policy and stores its hash, moving the old hash into the history.
 * Runs inside the caller's transaction, after the user row is locked.
 */
async function setPassword(tx: Tx, user: User, password: string, field: string, resetRequired: boolean): Promise<User> {
  const policy = await findAccountPasswordPolicy(tx, user.accountId);
  checkPasswordRules(password, policy, field);
  await checkPasswordReuse(password, policy, user.passwordHash, user.passwordHistory, field);
  const [row] = await tx
    .update(users)
    .set({
      passwordHash: await hashPassword(password),
      passwordChangedAt: new Date(),
      passwordResetRequired: resetRequired,
      passwordHistory: nextPasswordHistory(user.passwordHash, user.passwordHistory),
    })
    .where(eq(users.id, user.id))
    .returning();
  return row!;
}

/**
 * The user a password write changes, locked so two password writes for one user apply one after
 * the other. `foundId`: the user a guard already found by `userName` (see FindPrincipalOptions).
 */
function lockedUser(tx: Tx, accountId: string, userName: string, foundId: string | undefined): Promise<User> {
  return getUser(tx, accountId, userName, 'input.userName', { lock: true, foundId });
}

/**
 * Revokes the user's sign-in sessions, except `keep` (the requesting session), once its password
 * changed or went away: whoever signed in with the old password is signed out. The change row names
 * the user's ARN, which drops those sessions from every authenticator cache.
 */
async function revokeSignInSessions(tx: Tx, userId: string, keep?: string): Promise<number> {
  const revoked = await tx
    .update(stsSessions)
    .set({ revokedAt: new Date() })
    .where(
      and(
        eq(stsSessions.userId, userId),
        eq(stsSessions.kind, 'sign_in'),
        isNull(stsSessions.revokedAt),
        ...(keep === undefined ? [] : [ne(stsSessions.accessKeyId, keep)]),
      ),
    )
    .returning({ accessKeyId: stsSessions.accessKeyId });
  return revoked.length;
}

function passwordChange(kind: ChangeKind, user: User, extra: Record<string, unknown> = {}): ChangeInput {
  return { kind, entityType: 'login-profile', entityArn: user.arn, affectedPrincipalIds: [], payload: { userName: ownerName(user), ...extra } };
}

/** CreateLoginProfile parameters. */
export interface CreateLoginProfileInput {
  readonly userName: string;
  readonly password: string;
  readonly passwordResetRequired?: boolean | null;
}

/** CreateLoginProfile: gives a user a console password; EntityAlreadyExists if it has one. `foundId`: see lockedUser. */
export async function createLoginProfile(
  database: Database,
  actor: WriteActor,
  input: CreateLoginProfileInput,
  foundId?: string,
): Promise<WriteResult<LoginProfile>> {
  const password = requirePassword(input.password, 'input.password');
  return runWrite(database, actor, async (tx, record) => {
    const user = await lockedUser(tx, actor.accountId, input.userName, foundId);
    if (user.passwordHash !== null) throw new EntityAlreadyExistsError('LoginProfile', user.name);
    const updated = await setPassword(tx, user, password, 'input.password', input.passwordResetRequired ?? false);
    record(passwordChange('LoginProfileCreated', updated, { passwordResetRequired: updated.passwordResetRequired }));
    return profileOf(updated);
  });
}

/** UpdateLoginProfile parameters: a new password and/or the reset flag. */
export interface UpdateLoginProfileInput {
  readonly userName: string;
  readonly password?: string | null;
  readonly passwordResetRequired?: boolean | null;
}

/**
 * UpdateLoginProfile: an administrator sets a user's password or reset flag. A new password signs
 * the user out of its sign-in sessions (all but `currentSession`, the one making this request).
 * `foundId`: see lockedUser.
 */
export async function updateLoginProfile(
  database: Database,
  actor: WriteActor,
  input: UpdateLoginProfileInput,
  currentSession?: string,
  foundId?: string,
): Promise<WriteResult<LoginProfile>> {
  return runWrite(database, actor, async (tx, record) => {
    const user = await lockedUser(tx, actor.accountId, input.userName, foundId);
    if (user.passwordHash === null) throw new NoSuchEntityError('LoginProfile', user.name);
    let updated = user;
    let signInSessionsRevoked = 0;
    if (input.password !== undefined && input.password !== null) {
      updated = await setPassword(tx, user, input.password, 'input.password', input.passwordResetRequired ?? user.passwordResetRequired);
      signInSessionsRevoked = await revokeSignInSessions(tx, user.id, currentSession);
    } else if (input.passwordResetRequired !== undefined && input.passwordResetRequired !== null) {
      [updated] = (await tx.update(users).set({ passwordResetRequired: input.passwordResetRequired }).where(eq(users.id, user.id)).returning()) as [User];
    }
    record(
      passwordChange('LoginProfileUpdated', updated, {
        passwordChanged: updated.passwordHash !== user.passwordHash,
        passwordResetRequired: updated.passwordResetRequired,
        signInSessionsRevoked,
      }),
    );
    return profileOf(updated);
  });
}

/**
 * DeleteLoginProfile: removes the password; the user can no longer sign in. Sign-in sessions are
 * revoked. `foundId`: see lockedUser.
 */
export async function deleteLoginProfile(database: Database, actor: WriteActor, userName: string, foundId?: string): Promise<WriteResult<LoginProfile>> {
  return runWrite(database, actor, async (tx, record) => {
    const user = await lockedUser(tx, actor.accountId, userName, foundId);
    if (user.passwordHash === null) throw new NoSuchEntityError('LoginProfile', user.name);
    await tx
      .update(users)
      .set({ passwordHash: null, passwordChangedAt: null, passwordResetRequired: false, passwordHistory: nextPasswordHistory(user.passwordHash, user.passwordHistory) })
      .where(eq(users.id, user.id));
    // Without a password there is no console access: end the dashboard sessions it opened. The
    // change names the user's ARN, which drops those sessions from every authenticator cache.
    const revoked = await revokeSignInSessions(tx, user.id);
    record(passwordChange('LoginProfileDeleted', user, { signInSessionsRevoked: revoked }));
    return profileOf(user);
  });
}

/** GetLoginProfile: the login profile of `owner` (see resolveCredentialOwner); NoSuchEntity when it has no password. */
export function getLoginProfile(owner: User): LoginProfile {
  if (owner.passwordHash === null) throw new NoSuchEntityError('LoginProfile', ownerName(owner));
  return profileOf(owner);
}

/** ChangePassword parameters. */
export interface ChangePasswordInput {
  readonly oldPassword: string;
  readonly newPassword: string;
}

/**
 * ChangePassword: the calling user (or root) replaces its own password, proving the old one.
 * Clears `passwordResetRequired`, on the user and on `currentSession` (the requesting session,
 * which may then do what its policies allow), and signs the user out of its other sign-in sessions.
 */
export async function changePassword(
  database: Database,
  actor: WriteActor,
  self: SelfUser,
  input: ChangePasswordInput,
  currentSession?: string,
): Promise<WriteResult<LoginProfile>> {
  const oldPassword = requirePassword(input.oldPassword, 'input.oldPassword');
  const newPassword = requirePassword(input.newPassword, 'input.newPassword');
  return runWrite(database, actor, async (tx, record) => {
    const user = await resolveCredentialOwner(tx, actor.accountId, undefined, self, { lock: true });
    if (user.passwordHash === null) throw new NoSuchEntityError('LoginProfile', ownerName(user));
    if (!(await verifySecret(oldPassword, user.passwordHash))) {
      throw new ValidationError('input.oldPassword', 'mismatch', 'input.oldPassword is not the current password');
    }
    const updated = await setPassword(tx, user, newPassword, 'input.newPassword', false);
    const signInSessionsRevoked = await revokeSignInSessions(tx, user.id, currentSession);
    if (currentSession !== undefined) {
      await tx.update(stsSessions).set({ passwordResetRequired: false }).where(eq(stsSessions.accessKeyId, currentSession));
    }
    // The payload names the session, so every authenticator reloads it without the reset flag.
    record(passwordChange('PasswordChanged', updated, { signInSessionsRevoked, ...(currentSession === undefined ? {} : { accessKeyId: currentSession }) }));
    return profileOf(updated);
  });
}
