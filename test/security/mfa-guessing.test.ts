/**
 * Issue 13, item 4: with a stolen key (or password), MFA codes could be guessed without limit.
 * Wrong codes now count per device across every path that checks one; five in a row lock the
 * device for 15 minutes (even the right code is refused, with a typed error saying until when),
 * a right code resets the count, and the lock is recorded once in the change log with the count.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeLog, mfaDevices } from '../../src/db/schema/index.ts';
import { base32Decode } from '../../src/iam/mfa/base32.ts';
import { lockedDevices, MFA_LOCKOUT, MfaDeviceLockedError, verifyMfaCode } from '../../src/iam/mfa/lockout.ts';
import { seedCipherFor } from '../../src/iam/mfa/secrets-key.ts';
import { hotp, timeStep } from '../../src/iam/mfa/totp.ts';
import type { TestServer } from '../support/server.ts';
import { accessKeyFor, ACCOUNT, allow, createRole, createUser, errorCode, ok, ROOT, send, startIdentityServer } from '../identity/support/server.ts';

const GET_SESSION_TOKEN = `mutation($i: GetSessionTokenInput!) { getSessionToken(input: $i) {
  __typename ... on GetSessionTokenSuccess { mfaAuthenticated }
  ... on MFADeviceLocked { code message serialNumber unlockDate retryAfterSeconds } } }`;
const ASSUME_ROLE = `mutation($i: AssumeRoleInput!) { assumeRole(input: $i) {
  __typename ... on MFADeviceLocked { serialNumber unlockDate retryAfterSeconds } ... on ResultError { message } } }`;
const SIGN_IN = `mutation($i: SignInInput!) { signIn(input: $i) {
  __typename ... on SignInSuccess { mfaAuthenticated }
  ... on MFADeviceLocked { serialNumber unlockDate retryAfterSeconds } ... on ResultError { message } } }`;

/** A device for `userName`, enabled by root with the two codes before now; returns its serial and seed. */
async function enabledDevice(server: TestServer, userName: string): Promise<{ serialNumber: string; seed: Uint8Array }> {
  const created = (await ok(server, ROOT, `mutation { createVirtualMFADevice(input: { virtualMFADeviceName: "${userName}-mfa" }) { ... on CreateVirtualMFADeviceSuccess { serialNumber base32StringSeed } } }`))['createVirtualMFADevice'];
  const seed = base32Decode(created.base32StringSeed);
  const step = timeStep(new Date());
  // Enabled with the two codes before now, so the current and next steps are still unused.
  const enabled = await ok(server, ROOT, 'mutation($i: EnableMFADeviceInput!) { enableMFADevice(input: $i) { __typename } }', {
    i: { userName, serialNumber: created.serialNumber, authenticationCode1: hotp(seed, step - 2), authenticationCode2: hotp(seed, step - 1) },
  });
  expect(enabled['enableMFADevice'].__typename).toBe('EnableMFADeviceSuccess');
  return { serialNumber: created.serialNumber, seed };
}

/** A code that no step near now produces. */
function wrongCode(seed: Uint8Array, index: number): string {
  const step = timeStep(new Date());
  const near = new Set([-2, -1, 0, 1, 2].map((d) => hotp(seed, step + d)));
  for (let n = 100_000 + index * 7919; ; n++) if (!near.has(String(n))) return String(n);
}

describe('MFA code guessing is locked out per device', () => {
  let server: TestServer;
  beforeAll(async () => {
    // TRUST_PROXY lets the sign-in test come from several addresses, as a distributed guesser would.
    server = await startIdentityServer({ TRUST_PROXY: '127.0.0.1' });
  }, 60_000);
  afterAll(async () => {
    await server.dispose();
  });

  const lockRows = (serialNumber: string) =>
    server.running.app.database.db.select().from(changeLog).where(and(eq(changeLog.kind, 'MFADeviceLocked'), eq(changeLog.entityArn, serialNumber)));

  it('getSessionToken: five wrong codes lock the device; then even the right code is refused, saying until when', async () => {
    await createUser(server, 'gus');
    const key = await accessKeyFor(server, 'gus');
    const { serialNumber, seed } = await enabledDevice(server, 'gus');
    const guess = (tokenCode: string) => send(server, key.header, GET_SESSION_TOKEN, { i: { serialNumber, tokenCode } });

    for (let i = 0; i < MFA_LOCKOUT.maxFailures - 1; i++) expect(errorCode(await guess(wrongCode(seed, i)))).toBe('ACCESS_DENIED');
    const locking = (await guess(wrongCode(seed, 9))).body.data?.['getSessionToken'] as Record<string, any>;
    expect(locking).toMatchObject({ __typename: 'MFADeviceLocked', code: 'MFA_DEVICE_LOCKED', serialNumber });
    expect(locking.retryAfterSeconds).toBeGreaterThan(MFA_LOCKOUT.lockSeconds - 60);
    expect(locking.retryAfterSeconds).toBeLessThanOrEqual(MFA_LOCKOUT.lockSeconds);
    expect(locking.message).toContain(locking.unlockDate);

    const right = (await guess(hotp(seed, timeStep(new Date())))).body.data?.['getSessionToken'] as Record<string, any>;
    expect(right).toMatchObject({ __typename: 'MFADeviceLocked', serialNumber, unlockDate: locking.unlockDate });
    // Further guesses while locked are refused alike and neither extend the lock nor add rows.
    expect((await guess(wrongCode(seed, 11))).body.data?.['getSessionToken']).toMatchObject({ unlockDate: locking.unlockDate });

    const rows = await lockRows(serialNumber);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.payload).toMatchObject({ failedAttempts: MFA_LOCKOUT.maxFailures, lockedUntil: locking.unlockDate, via: 'sts:GetSessionToken' });
    // One aggregated row, not one per guess.
    const allRows = await server.running.app.database.db.select().from(changeLog).where(eq(changeLog.entityArn, serialNumber));
    expect(allRows.map((r) => r.kind)).toEqual(['VirtualMFADeviceCreated', 'MFADeviceEnabled', 'MFADeviceLocked']);
  });

  it('a parallel burst of guesses cannot slip past the count: exactly five are judged, one lock row', async () => {
    await createUser(server, 'max');
    const key = await accessKeyFor(server, 'max');
    const { serialNumber, seed } = await enabledDevice(server, 'max');
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => send(server, key.header, GET_SESSION_TOKEN, { i: { serialNumber, tokenCode: wrongCode(seed, i) } })),
    );
    const kinds = answers.map((a) => (errorCode(a) as string | undefined) ?? (a.body.data?.['getSessionToken'] as Record<string, string>).__typename);
    expect(kinds.filter((k) => k === 'ACCESS_DENIED')).toHaveLength(MFA_LOCKOUT.maxFailures - 1);
    expect(kinds.filter((k) => k === 'MFADeviceLocked')).toHaveLength(20 - (MFA_LOCKOUT.maxFailures - 1));
    expect(await lockRows(serialNumber)).toHaveLength(1);
  });

  it('a right code resets the count: four wrong, one right, four wrong never lock', async () => {
    await createUser(server, 'hal');
    const key = await accessKeyFor(server, 'hal');
    const { serialNumber, seed } = await enabledDevice(server, 'hal');
    const guess = (tokenCode: string) => send(server, key.header, GET_SESSION_TOKEN, { i: { serialNumber, tokenCode } });
    const step = timeStep(new Date());
    for (const round of [0, 1]) {
      for (let i = 0; i < MFA_LOCKOUT.maxFailures - 1; i++) expect(errorCode(await guess(wrongCode(seed, round * 10 + i)))).toBe('ACCESS_DENIED');
      const right = await guess(hotp(seed, step + round));
      expect(right.body.data?.['getSessionToken'], JSON.stringify(right.body)).toMatchObject({ __typename: 'GetSessionTokenSuccess', mfaAuthenticated: true });
    }
    expect(await lockRows(serialNumber)).toEqual([]);
  });

  it('assumeRole shares the count with getSessionToken, and a locked device refuses the right code', async () => {
    await createUser(server, 'ivy', allow('sts:AssumeRole'));
    const key = await accessKeyFor(server, 'ivy');
    const { serialNumber, seed } = await enabledDevice(server, 'ivy');
    const roleArn = await createRole(server, 'ivy-admin', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/ivy` }, Action: 'sts:AssumeRole', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }],
    });
    const assume = (tokenCode: string) => send(server, key.header, ASSUME_ROLE, { i: { roleArn, roleSessionName: 'guess', serialNumber, tokenCode } });

    for (let i = 0; i < 2; i++) expect(errorCode(await send(server, key.header, GET_SESSION_TOKEN, { i: { serialNumber, tokenCode: wrongCode(seed, i) } }))).toBe('ACCESS_DENIED');
    for (let i = 2; i < MFA_LOCKOUT.maxFailures - 1; i++) expect(errorCode(await assume(wrongCode(seed, i)))).toBe('ACCESS_DENIED');
    const locking = (await assume(wrongCode(seed, 8))).body.data?.['assumeRole'];
    expect(locking).toMatchObject({ __typename: 'MFADeviceLocked', serialNumber });
    const right = (await assume(hotp(seed, timeStep(new Date())))).body.data?.['assumeRole'];
    expect(right).toMatchObject({ __typename: 'MFADeviceLocked', serialNumber });
    const rows = await lockRows(serialNumber);
    expect(rows.map((r) => r.payload)).toMatchObject([{ failedAttempts: MFA_LOCKOUT.maxFailures, via: 'sts:AssumeRole' }]);
  });

  it('signIn: wrong codes from many addresses lock the device; the right password and code then get MFADeviceLocked', async () => {
    await createUser(server, 'jay');
    const password = 'Jay-password-123!';
    const profile = await ok(server, ROOT, 'mutation($i: CreateLoginProfileInput!) { createLoginProfile(input: $i) { __typename } }', { i: { userName: 'jay', password } });
    expect(profile['createLoginProfile'].__typename).toBe('CreateLoginProfileSuccess');
    const { serialNumber, seed } = await enabledDevice(server, 'jay');
    const attempt = async (mfaCode: string, address: string) =>
      (await server.gql(SIGN_IN, { i: { account: ACCOUNT, userName: 'jay', password, mfaCode } }, { 'x-forwarded-for': address })).body.data?.['signIn'] as Record<string, any>;
    // One address per guess, so no per-address sign-in throttle is what stops them.
    for (let i = 0; i < MFA_LOCKOUT.maxFailures - 1; i++) expect((await attempt(wrongCode(seed, i), `198.51.100.${i + 1}`)).__typename).toBe('SignInFailed');
    expect(await attempt(wrongCode(seed, 9), '198.51.100.50')).toMatchObject({ __typename: 'MFADeviceLocked', serialNumber });
    const right = await attempt(hotp(seed, timeStep(new Date())), '203.0.113.7');
    expect(right).toMatchObject({ __typename: 'MFADeviceLocked', serialNumber });
    expect(right.retryAfterSeconds).toBeGreaterThan(0);
    expect((await lockRows(serialNumber)).map((r) => r.payload)).toMatchObject([{ failedAttempts: MFA_LOCKOUT.maxFailures, via: 'signin:SignIn' }]);
  });

  it('enableMFADevice counts wrong code pairs against the device too', async () => {
    await createUser(server, 'kim');
    const created = (await ok(server, ROOT, 'mutation { createVirtualMFADevice(input: { virtualMFADeviceName: "kim-mfa" }) { ... on CreateVirtualMFADeviceSuccess { serialNumber base32StringSeed } } }'))['createVirtualMFADevice'];
    const seed = base32Decode(created.base32StringSeed);
    const enable = async (code1: string, code2: string) =>
      (await ok(server, ROOT, 'mutation($i: EnableMFADeviceInput!) { enableMFADevice(input: $i) { __typename ... on MFADeviceLocked { serialNumber } } }', {
        i: { userName: 'kim', serialNumber: created.serialNumber, authenticationCode1: code1, authenticationCode2: code2 },
      }))['enableMFADevice'];
    for (let i = 0; i < MFA_LOCKOUT.maxFailures - 1; i++) expect((await enable(wrongCode(seed, i), wrongCode(seed, i + 50))).__typename).toBe('ValidationError');
    expect(await enable(wrongCode(seed, 9), wrongCode(seed, 59))).toEqual({ __typename: 'MFADeviceLocked', serialNumber: created.serialNumber });
    const step = timeStep(new Date());
    expect(await enable(hotp(seed, step - 1), hotp(seed, step))).toEqual({ __typename: 'MFADeviceLocked', serialNumber: created.serialNumber });
  });

  it('the lock ends after its time: the same check at a later instant accepts the right code and resets the count', async () => {
    await createUser(server, 'lee');
    const { serialNumber, seed } = await enabledDevice(server, 'lee');
    const database = server.running.app.database;
    const [row] = await database.db.select().from(mfaDevices).where(eq(mfaDevices.serialNumber, serialNumber));
    const cipher = await seedCipherFor(server.config);
    const check = (code: string, now: Date) =>
      verifyMfaCode(database, { actor: { arn: `arn:aws:iam::${ACCOUNT}:user/lee`, accountId: ACCOUNT }, devices: lockedDevices(row!.userId!, serialNumber), cipher, code, now, via: 'test' });
    const start = new Date();
    for (let i = 0; i < MFA_LOCKOUT.maxFailures - 1; i++) expect(await check(wrongCode(seed, i), start)).toBe(false);
    await expect(check(wrongCode(seed, 9), start)).rejects.toBeInstanceOf(MfaDeviceLockedError);
    const justBefore = new Date(start.getTime() + MFA_LOCKOUT.lockSeconds * 1000 - 1000);
    await expect(check(hotp(seed, timeStep(justBefore)), justBefore)).rejects.toBeInstanceOf(MfaDeviceLockedError);
    const after = new Date(start.getTime() + MFA_LOCKOUT.lockSeconds * 1000 + 1000);
    expect(await check(hotp(seed, timeStep(after)), after)).toBe(true);
    const [cleared] = await database.db.select().from(mfaDevices).where(eq(mfaDevices.serialNumber, serialNumber));
    expect(cleared).toMatchObject({ failedCodeCount: 0, lockedUntil: null });
  });
});
