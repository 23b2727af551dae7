/**
 * Service-level checks on what the identity services store: the formats the authenticator verifies
 * (scrypt secret hashes, SHA-256 token hashes), expiry and revocation refused, and no secret in any
 * stored column or change-log payload.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authenticator } from '../../src/authz/authenticate.ts';
import { ChangeBus } from '../../src/changes/bus.ts';
import { accessKeys, changeLog, mfaDevices, stsSessions, users } from '../../src/db/schema/index.ts';
import { UnauthenticatedError } from '../../src/errors.ts';
import { createAccessKey, updateAccessKey } from '../../src/iam/access-keys.ts';
import { bootstrapAccount } from '../../src/iam/bootstrap.ts';
import { createLoginProfile, deleteLoginProfile } from '../../src/iam/login-profiles.ts';
import { createVirtualMfaDevice } from '../../src/iam/mfa/devices.ts';
import { createSeedCipher } from '../../src/iam/mfa/seed-cipher.ts';
import { verifySecret } from '../../src/iam/secrets.ts';
import { PasswordExpiredError, signIn, signOut, SignInFailedError } from '../../src/sts/sign-in.ts';
import { deleteAccountPasswordPolicy, updateAccountPasswordPolicy } from '../../src/iam/password-policy.ts';
import { issueSession } from '../../src/sts/issue.ts';
import { SignInThrottle } from '../../src/iam/throttle.ts';
import { createUser } from '../../src/iam/users.ts';
import { openTestDatabase, type TestDatabase } from '../support/database.ts';
import { randomBytes } from 'node:crypto';

const ACCOUNT = '210987654321';
const actor = { arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT };

describe('stored credentials', () => {
  let test: TestDatabase;
  let authenticator: Authenticator;
  const cipher = createSeedCipher(randomBytes(32));
  const secrets: string[] = [];

  beforeAll(async () => {
    test = await openTestDatabase();
    await bootstrapAccount(test.database, { accountId: ACCOUNT, rootAccessKey: { accessKeyId: 'AKIAROOTROOTROOTROOT', secret: 'root-secret-root-secret-1' }, rootPassword: 'Root-password-1!' });
    await createUser(test.database, actor, { userName: 'gina' });
    authenticator = new Authenticator(test.database, verifySecret, new ChangeBus());
  }, 60_000);
  afterAll(async () => {
    await test.cleanup();
  });

  it('an access key is stored as a scrypt hash the authenticator verifies; Inactive is refused', async () => {
    const { result } = await createAccessKey(test.database, actor, undefined, { userName: 'gina' });
    secrets.push(result.secretAccessKey);
    const [row] = await test.database.db.select().from(accessKeys).where(eq(accessKeys.id, result.accessKey.accessKeyId));
    expect(row!.secretHash).toMatch(/^scrypt\$/);
    expect(await verifySecret(result.secretAccessKey, row!.secretHash)).toBe(true);
    const header = `Basic ${Buffer.from(`${result.accessKey.accessKeyId}:${result.secretAccessKey}`).toString('base64')}`;
    expect((await authenticator.authenticate(header))?.arn).toBe(`arn:aws:iam::${ACCOUNT}:user/gina`);
    await updateAccessKey(test.database, actor, undefined, { userName: 'gina', accessKeyId: result.accessKey.accessKeyId, status: 'Inactive' });
    // A fresh authenticator: no cache, straight from the rows.
    const fresh = new Authenticator(test.database, verifySecret, new ChangeBus());
    await expect(fresh.authenticate(header)).rejects.toBeInstanceOf(UnauthenticatedError);
  });

  it('session tokens are stored as SHA-256; expired and revoked sessions are refused', async () => {
    const [gina] = await test.database.db.select().from(users).where(eq(users.name, 'gina'));
    const past = new Date(Date.now() - 7200_000);
    const expired = await test.database.db.transaction((tx) =>
      issueSession(tx, { accountId: ACCOUNT, kind: 'session_token', userId: gina!.id, arn: gina!.arn, issuedAt: past, expiresAt: new Date(past.getTime() + 900_000) }),
    );
    secrets.push(expired.credentials.sessionToken, expired.credentials.secretAccessKey);
    expect(expired.session.sessionTokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(expired.session.secretHash).toMatch(/^scrypt\$/);
    await expect(authenticator.authenticate(`Bearer ${expired.credentials.sessionToken}`)).rejects.toBeInstanceOf(UnauthenticatedError);

    await createLoginProfile(test.database, actor, { userName: 'gina', password: 'Gina-password-1' });
    secrets.push('Gina-password-1');
    const signedIn = await signIn(test.database, { throttle: new SignInThrottle(test.database), cipher: async () => cipher }, { account: ACCOUNT, userName: 'gina', password: 'Gina-password-1' });
    secrets.push(signedIn.credentials.sessionToken, signedIn.credentials.secretAccessKey);
    const bearerHeader = `Bearer ${signedIn.credentials.sessionToken}`;
    expect((await authenticator.authenticate(bearerHeader))?.arn).toBe(gina!.arn);
    await signOut(test.database, { arn: gina!.arn, accountId: ACCOUNT }, signedIn.credentials.accessKeyId);
    const fresh = new Authenticator(test.database, verifySecret, new ChangeBus());
    await expect(fresh.authenticate(bearerHeader)).rejects.toBeInstanceOf(UnauthenticatedError);
  });

  it('deleting the login profile ends the user\'s dashboard sessions', async () => {
    const context = { throttle: new SignInThrottle(test.database), cipher: async () => cipher };
    const signedIn = await signIn(test.database, context, { account: ACCOUNT, userName: 'gina', password: 'Gina-password-1' });
    secrets.push(signedIn.credentials.sessionToken, signedIn.credentials.secretAccessKey);
    const header = `Bearer ${signedIn.credentials.sessionToken}`;
    expect((await new Authenticator(test.database, verifySecret, new ChangeBus()).authenticate(header))?.arn).toBe(signedIn.arn);
    await deleteLoginProfile(test.database, actor, 'gina');
    await expect(new Authenticator(test.database, verifySecret, new ChangeBus()).authenticate(header)).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(signIn(test.database, context, { account: ACCOUNT, userName: 'gina', password: 'Gina-password-1' })).rejects.toBeInstanceOf(SignInFailedError);
  });

  it('sign-in with an unknown account or user fails the same way and is still recorded', async () => {
    const context = { throttle: new SignInThrottle(test.database), cipher: async () => cipher };
    await expect(signIn(test.database, context, { account: ACCOUNT, userName: 'nobody', password: 'whatever-1' })).rejects.toBeInstanceOf(SignInFailedError);
    await expect(signIn(test.database, context, { account: '000000000000', userName: 'gina', password: 'whatever-1' })).rejects.toBeInstanceOf(SignInFailedError);
    const failures = await test.database.db.select().from(changeLog).where(eq(changeLog.kind, 'SignInFailed'));
    // A name that matches no user is recorded masked, as CloudTrail does (it is often a password).
    expect(failures.some((f) => f.payload['userName'] === 'HIDDEN_DUE_TO_SECURITY_REASONS' && f.accountId === ACCOUNT)).toBe(true);
    expect(failures.some((f) => f.payload['userName'] === 'HIDDEN_DUE_TO_SECURITY_REASONS' && f.accountId === null)).toBe(true);
    expect(failures.every((f) => f.payload['userName'] !== 'nobody')).toBe(true);
    expect(failures.every((f) => !JSON.stringify(f.payload).includes('whatever-1'))).toBe(true);
  });

  it('an expired password asks for a reset, or under hard expiry refuses sign-in', async () => {
    await createUser(test.database, actor, { userName: 'ivan' });
    await createLoginProfile(test.database, actor, { userName: 'ivan', password: 'Ivan-password-1' });
    secrets.push('Ivan-password-1');
    await test.database.db.update(users).set({ passwordChangedAt: new Date(Date.now() - 3 * 86_400_000) }).where(eq(users.name, 'ivan'));
    const context = { throttle: new SignInThrottle(test.database), cipher: async () => cipher };
    const attempt = () => signIn(test.database, context, { account: ACCOUNT, userName: 'ivan', password: 'Ivan-password-1' });
    expect((await attempt()).passwordResetRequired).toBe(false);
    await updateAccountPasswordPolicy(test.database, actor, { maxPasswordAge: 2 });
    const soft = await attempt();
    secrets.push(soft.credentials.sessionToken);
    expect(soft.passwordResetRequired).toBe(true);
    await updateAccountPasswordPolicy(test.database, actor, { maxPasswordAge: 2, hardExpiry: true });
    await expect(attempt()).rejects.toBeInstanceOf(PasswordExpiredError);
    await deleteAccountPasswordPolicy(test.database, actor);
  });

  it('MFA seeds are stored encrypted', async () => {
    const { result } = await createVirtualMfaDevice(test.database, actor, cipher, { virtualMFADeviceName: 'gina-phone' });
    secrets.push(result.base32StringSeed);
    const [row] = await test.database.db.select().from(mfaDevices).where(eq(mfaDevices.serialNumber, result.serialNumber));
    expect(row!.encryptedSeed.startsWith('v1:')).toBe(true);
    expect(cipher.decrypt(row!.encryptedSeed, row!.serialNumber).length).toBe(20);
  });

  it('no secret appears in any stored row or change-log payload', async () => {
    const tables = [changeLog, accessKeys, stsSessions, mfaDevices, users] as const;
    let dump = '';
    for (const table of tables) dump += JSON.stringify(await test.database.db.select().from(table), (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
    expect(secrets.length).toBeGreaterThan(6);
    for (const secret of secrets) expect(dump.includes(secret), 'a secret was stored in clear').toBe(false);
    const kinds = new Set((await test.database.db.select({ kind: changeLog.kind }).from(changeLog)).map((r) => r.kind));
    for (const kind of ['AccessKeyCreated', 'AccessKeyStatusChanged', 'LoginProfileCreated', 'SignInSucceeded', 'SignInFailed', 'SessionRevoked', 'VirtualMFADeviceCreated']) {
      expect(kinds.has(kind), kind).toBe(true);
    }
  });
});
