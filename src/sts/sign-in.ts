/**
 * Console sign-in: account (id or alias) + user name + password (+ TOTP code when the user has an
 * enabled MFA device) buys a short-lived bearer session (sts_sessions kind `sign_in`).
 *
 * Nothing in the answer tells whether the account or user exists: every failure before the
 * password is proven is the same SignInFailedError, and scrypt runs on every attempt (against a
 * dummy hash when there is no user or password), so timing is the same too. Failures are
 * throttled per user name and client address and per address, and slowed per user name
 * (throttle.ts); they are recorded in the change log.
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { accounts, stsSessions, users } from '../db/schema/index.ts';
import { nameRules, satisfiesRule } from '../db/schema/rules.ts';
import { runWrite, type WriteActor } from '../changes/outbox.ts';
import { IamError, ValidationError } from '../errors.ts';
import { enabledDevicesOf } from '../iam/mfa/devices.ts';
import type { SeedCipher } from '../iam/mfa/seed-cipher.ts';
import { lockedDevices, verifyMfaCode } from '../iam/mfa/lockout.ts';
import { findAccountPasswordPolicy, passwordExpired } from '../iam/password-policy.ts';
import { hashPassword, verifySecret } from '../iam/secrets.ts';
import { issueSession, type TemporaryCredentials } from './issue.ts';
import { userThrottleKey, type SignInThrottle } from '../iam/throttle.ts';
import type { User } from '../iam/users.ts';

/** How long a dashboard session lasts. */
export const SIGN_IN_SESSION_SECONDS = 3600;

/** Wrong account, user, password or MFA code: deliberately one answer for all of them. */
export class SignInFailedError extends IamError {
  readonly code = 'SignInFailed';
  constructor() {
    super('the account, user name, password or MFA code is not valid');
  }
}

/** Too many failed attempts for this user name from this client address, or from this address at all; try again later. */
export class SignInThrottledError extends IamError {
  readonly code = 'Throttling';
  constructor(readonly retryAfterSeconds: number) {
    super(`too many failed sign-in attempts; try again in ${retryAfterSeconds} seconds`);
  }
}

/** The password was right and the user has an MFA device: send its current code as `mfaCode`. */
export class MfaRequiredError extends IamError {
  readonly code = 'MFARequired';
  constructor() {
    super('this user has an MFA device: input.mfaCode is required');
  }
}

/** The password passed the policy's maximum age and the policy has hard expiry: an administrator must reset it. */
export class PasswordExpiredError extends IamError {
  readonly code = 'PasswordExpired';
  constructor() {
    super('the password has expired; an administrator must set a new one');
  }
}

/** SignIn parameters. */
export interface SignInInput {
  /** 12-digit account id or the account alias. */
  readonly account: string;
  /** User name, or `root` for the account's root user. */
  readonly userName: string;
  readonly password: string;
  readonly mfaCode?: string | null;
}

/** Per-attempt facts. */
export interface SignInContext {
  readonly throttle: SignInThrottle;
  readonly cipher: () => Promise<SeedCipher>;
  /** The client address (aws:SourceIp), for the per-address throttle and the audit trail. */
  readonly clientAddress?: string;
  readonly now?: Date;
}

/** A successful sign-in: the bearer token is shown once. */
export interface SignedIn {
  readonly credentials: TemporaryCredentials;
  readonly accountId: string;
  readonly userName: string;
  readonly arn: string;
  readonly mfaAuthenticated: boolean;
  /** The password must be changed (set by an administrator, or expired without hard expiry). */
  readonly passwordResetRequired: boolean;
  /** The change-log revision that recorded the sign-in. */
  readonly revision: string;
}

// A real hash of a random password at the password cost, so a missing user costs one scrypt too.
let dummyHash: Promise<string> | undefined;
function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(`dummy-${Math.random()}-${Date.now()}`);
  return dummyHash;
}

function requireText(value: string, field: string, max: number): string {
  if (typeof value !== 'string' || value.length === 0) throw new ValidationError(field, 'required', `${field} is required`);
  if (value.length > max) throw new ValidationError(field, 'length', `${field} must be at most ${max} characters long`);
  return value;
}

/** Finds the user an attempt names; undefined when the account or user does not exist. */
async function findSignInUser(database: Database, account: string, userName: string): Promise<{ accountId?: string; user?: User }> {
  // A string outside the naming rules (a NUL byte, quotes, …) cannot name anything: answer as for
  // an unknown name, so the caller learns nothing more and the database never sees it.
  const byId = satisfiesRule(nameRules.accountId, account);
  if (!byId && !satisfiesRule(nameRules.accountAlias, account.toLowerCase())) return {};
  if (!satisfiesRule(nameRules.userName, userName)) return {};
  const [acct] = await database.db
    .select({ id: accounts.id, state: accounts.state })
    .from(accounts)
    .where(byId ? eq(accounts.id, account) : eq(accounts.alias, account.toLowerCase()));
  // A closed account (CloseAccount) signs nobody in: answered as an unknown account.
  if (acct === undefined || acct.state !== 'ACTIVE') return {};
  const [user] = await database.db
    .select()
    .from(users)
    .where(and(eq(users.accountId, acct.id), eq(sql`lower(${users.name})`, userName.toLowerCase())));
  return user === undefined ? { accountId: acct.id } : { accountId: acct.id, user };
}

/** SignIn: checks the credentials and opens a dashboard session. */
export async function signIn(database: Database, context: SignInContext, input: SignInInput): Promise<SignedIn> {
  const account = requireText(input.account, 'input.account', 63);
  const userName = requireText(input.userName, 'input.userName', 64);
  const password = requireText(input.password, 'input.password', 128);
  const now = context.now ?? new Date();
  const { accountId, user } = await findSignInUser(database, account, userName);
  // Keyed by the resolved account, so switching between its id and alias does not reset the window.
  const throttleKey = userThrottleKey(accountId ?? account.toLowerCase(), userName);
  const attempt = await context.throttle.attempt(throttleKey, context.clientAddress);
  if (!attempt.allowed) throw new SignInThrottledError(Math.ceil(attempt.retryAfterMs / 1000));

  const passwordOk = await verifySecret(password, user?.passwordHash ?? (await dummyPasswordHash()));
  const fail = async (reason: 'credentials' | 'mfa'): Promise<never> => {
    await recordFailure(database, accountId, user, userName, reason, context.clientAddress);
    throw new SignInFailedError();
  };
  if (user === undefined || user.passwordHash === null || !passwordOk) return fail('credentials');

  const policy = await findAccountPasswordPolicy(database.db, user.accountId);
  const expired = passwordExpired(policy, user.passwordChangedAt, now);
  if (expired && policy?.hardExpiry === true) throw new PasswordExpiredError();

  const devices = await enabledDevicesOf(database.db, user.id);
  let mfaAuthenticated = false;
  if (devices.length > 0) {
    const code = input.mfaCode ?? '';
    if (code === '') throw new MfaRequiredError();
    // Wrong codes count against the devices and lock them after a few (MfaDeviceLockedError).
    mfaAuthenticated = await verifyMfaCode(database, {
      actor: { arn: user.arn, accountId: user.accountId },
      devices: lockedDevices(user.id),
      cipher: await context.cipher(),
      code,
      now,
      via: 'signin:SignIn',
    });
    if (!mfaAuthenticated) return fail('mfa');
  }

  const passwordResetRequired = user.passwordResetRequired || expired;
  const actor: WriteActor = { arn: user.arn, accountId: user.accountId };
  const { revision, result } = await runWrite(database, actor, async (tx, record) => {
    const issued = await issueSession(tx, {
      accountId: user.accountId,
      kind: 'sign_in',
      userId: user.id,
      arn: user.arn,
      sourceArn: user.arn,
      mfaAuthenticated,
      // The session can do nothing but change the password until it does (password-reset-gate.ts).
      passwordResetRequired,
      issuedAt: now,
      expiresAt: new Date(now.getTime() + SIGN_IN_SESSION_SECONDS * 1000),
    });
    await tx.update(users).set({ passwordLastUsedAt: now }).where(eq(users.id, user.id));
    record({
      kind: 'SignInSucceeded',
      entityType: 'sign-in',
      entityArn: user.arn,
      affectedPrincipalIds: [],
      payload: { userName: user.isRoot ? 'root' : user.name, accessKeyId: issued.credentials.accessKeyId, mfaAuthenticated, clientAddress: context.clientAddress ?? null },
    });
    return issued;
  });
  await context.throttle.succeed(attempt.ticket);
  return {
    credentials: result.credentials,
    accountId: user.accountId,
    userName: user.isRoot ? 'root' : user.name,
    arn: user.arn,
    mfaAuthenticated,
    passwordResetRequired,
    revision,
  };
}

/** What a SignInFailed row shows for a user name that names no user (CloudTrail's placeholder). */
export const HIDDEN_USER_NAME = 'HIDDEN_DUE_TO_SECURITY_REASONS';

/** Appends a SignInFailed row (never the password). Written even when no account matched, so every failure costs the same. */
async function recordFailure(
  database: Database,
  accountId: string | undefined,
  user: User | undefined,
  _typedName: string,
  reason: 'credentials' | 'mfa',
  clientAddress: string | undefined,
): Promise<void> {
  // A name that matches no user is often a password typed in the wrong box: as CloudTrail does,
  // the audit trail keeps only the names of users that exist.
  const shownName = user === undefined ? HIDDEN_USER_NAME : user.isRoot ? 'root' : user.name;
  const entityArn = user?.arn ?? `arn:aws:iam::${accountId ?? 'unknown'}:user/${HIDDEN_USER_NAME}`;
  await runWrite(database, { arn: 'anonymous', accountId: accountId ?? '' }, async (_tx, record) => {
    record({
      kind: 'SignInFailed',
      entityType: 'sign-in',
      entityArn,
      affectedPrincipalIds: [],
      payload: { userName: shownName, reason, clientAddress: clientAddress ?? null },
      accountId: accountId ?? null,
    });
  });
}

/** SignOut: revokes the session the caller is using; later requests with its token get 401. */
export async function signOut(database: Database, actor: WriteActor, accessKeyId: string): Promise<{ revision: string }> {
  const { revision } = await runWrite(database, actor, async (tx, record) => {
    const [row] = await tx
      .update(stsSessions)
      .set({ revokedAt: new Date() })
      .where(and(eq(stsSessions.accessKeyId, accessKeyId), isNull(stsSessions.revokedAt)))
      .returning({ arn: stsSessions.arn, kind: stsSessions.kind });
    if (row === undefined) return;
    // The key id in the payload drops the cached session from every instance's authenticator.
    record({ kind: 'SessionRevoked', entityType: 'session', entityArn: row.arn, affectedPrincipalIds: [], payload: { accessKeyId, sessionKind: row.kind } });
  });
  return { revision };
}
