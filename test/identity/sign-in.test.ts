import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base32Decode } from '../../src/iam/mfa/base32.ts';
import { hotp, timeStep } from '../../src/iam/mfa/totp.ts';
import type { TestServer } from '../support/server.ts';
import { ACCOUNT, allow, bearer, createUser, errorCode, expectNotLogged, ok, putUserPolicy, ROOT, ROOT_PASSWORD, ROOT_SECRET, send, startIdentityServer } from './support/server.ts';

const SIGN_IN = `mutation($i: SignInInput!) { signIn(input: $i) {
  __typename
  ... on SignInSuccess { sessionToken expiration arn mfaAuthenticated passwordResetRequired }
  ... on SignInThrottled { retryAfterSeconds }
  ... on ResultError { code message } } }`;
const WHO = '{ callerIdentity { arn } }';

describe('sign-in, passwords and MFA over HTTP', () => {
  let server: TestServer;
  const secrets: string[] = [ROOT_SECRET, ROOT_PASSWORD];
  beforeAll(async () => {
    server = await startIdentityServer();
    // carol may change her own password and manage her own MFA, as AWS's example policies allow.
    await createUser(
      server,
      'carol',
      allow(['iam:ChangePassword', 'iam:EnableMFADevice', 'iam:ListMFADevices', 'iam:CreateVirtualMFADevice', 'iam:GetUser'], ['arn:aws:iam::*:user/${aws:username}', 'arn:aws:iam::*:mfa/${aws:username}']),
    );
    await createUser(server, 'dave');
  }, 60_000);
  afterAll(async () => {
    expectNotLogged(server, secrets);
    await server.dispose();
  });

  const signIn = async (userName: string, password: string, extra: Record<string, unknown> = {}) =>
    (await ok(server, undefined, SIGN_IN, { i: { account: ACCOUNT, userName, password, ...extra } }))['signIn'];

  it('the root user signs in with the account id and `root`; the token is a Bearer credential', async () => {
    const result = await signIn('root', ROOT_PASSWORD);
    expect(result).toMatchObject({ __typename: 'SignInSuccess', arn: `arn:aws:iam::${ACCOUNT}:root`, mfaAuthenticated: false });
    secrets.push(result.sessionToken);
    expect(new Date(result.expiration).getTime() - Date.now()).toBeLessThanOrEqual(3600_000);
    expect((await ok(server, bearer(result.sessionToken), WHO))['callerIdentity'].arn).toBe(`arn:aws:iam::${ACCOUNT}:root`);
    // signOut revokes it: the same token is then refused with 401.
    expect((await ok(server, bearer(result.sessionToken), 'mutation { signOut { ... on WriteSuccess { revision } } }'))['signOut'].revision).toMatch(/^\d+$/);
    const after = await send(server, bearer(result.sessionToken), WHO);
    expect(after.status).toBe(401);
    expect(errorCode(after)).toBe('UNAUTHENTICATED');
  });

  it('password policy is enforced on set and change, naming the rule', async () => {
    const policy = await ok(server, ROOT, `mutation { updateAccountPasswordPolicy(input: { minimumPasswordLength: 12, requireSymbols: true, requireNumbers: true, passwordReusePrevention: 2, allowUsersToChangePassword: true }) { __typename } }`);
    expect(policy['updateAccountPasswordPolicy'].__typename).toBe('UpdateAccountPasswordPolicySuccess');
    const create = (password: string) =>
      ok(server, ROOT, 'mutation($i: CreateLoginProfileInput!) { createLoginProfile(input: $i) { __typename ... on ValidationError { field rule message } } }', {
        i: { userName: 'carol', password },
      });
    expect((await create('Short1!'))['createLoginProfile']).toMatchObject({ __typename: 'ValidationError', field: 'input.password', rule: 'MinimumPasswordLength' });
    expect((await create('longenoughbutnosymbol1'))['createLoginProfile']).toMatchObject({ rule: 'RequireSymbols' });
    expect((await create('long-enough-no-number!'))['createLoginProfile']).toMatchObject({ rule: 'RequireNumbers' });
    expect((await create('Carol-first-pass-1'))['createLoginProfile'].__typename).toBe('CreateLoginProfileSuccess');
    secrets.push('Carol-first-pass-1', 'Carol-second-pass-2');

    const session = await signIn('carol', 'Carol-first-pass-1');
    expect(session.__typename).toBe('SignInSuccess');
    secrets.push(session.sessionToken);
    const change = (oldPassword: string, newPassword: string) =>
      ok(server, bearer(session.sessionToken), 'mutation($i: ChangePasswordInput!) { changePassword(input: $i) { __typename ... on ValidationError { field rule } } }', {
        i: { oldPassword, newPassword },
      });
    expect((await change('wrong-old-password-1!', 'Carol-second-pass-2'))['changePassword']).toEqual({ __typename: 'ValidationError', field: 'input.oldPassword', rule: 'mismatch' });
    expect((await change('Carol-first-pass-1', 'Carol-first-pass-1'))['changePassword']).toEqual({ __typename: 'ValidationError', field: 'input.newPassword', rule: 'PasswordReusePrevention' });
    expect((await change('Carol-first-pass-1', 'Carol-second-pass-2'))['changePassword'].__typename).toBe('ChangePasswordSuccess');
    // Reuse prevention of 2 covers the password before the current one too.
    expect((await change('Carol-second-pass-2', 'Carol-first-pass-1'))['changePassword']).toMatchObject({ rule: 'PasswordReusePrevention' });
    expect((await signIn('carol', 'Carol-first-pass-1')).__typename).toBe('SignInFailed');
    expect((await signIn('carol', 'Carol-second-pass-2')).__typename).toBe('SignInSuccess');
  });

  it('a wrong password and a user that does not exist get the same answer', async () => {
    const wrongPassword = await signIn('carol', 'not-the-password-1!');
    const noUser = await signIn('nobody-here', 'not-the-password-1!');
    const noAccount = (await ok(server, undefined, SIGN_IN, { i: { account: '999999999999', userName: 'carol', password: 'x-Password-1' } }))['signIn'];
    expect(wrongPassword).toEqual(noUser);
    expect(noAccount).toEqual(noUser);
    expect(noUser).toEqual({ __typename: 'SignInFailed', code: 'SIGN_IN_FAILED', message: 'the account, user name, password or MFA code is not valid' });
  });

  it('a burst of failed sign-ins for one user from one address is throttled, even with the right password afterwards', async () => {
    // dave has a password, so the last attempt would succeed were it not throttled.
    const profile = await ok(server, ROOT, 'mutation($i: CreateLoginProfileInput!) { createLoginProfile(input: $i) { __typename } }', { i: { userName: 'dave', password: 'Dave-password-123!' } });
    expect(profile['createLoginProfile'].__typename).toBe('CreateLoginProfileSuccess');
    secrets.push('Dave-password-123!');
    const results: string[] = [];
    for (let i = 0; i < 7; i++) results.push((await signIn('dave', `wrong-password-${i}!`)).__typename);
    expect(results.slice(0, 5)).toEqual(Array(5).fill('SignInFailed'));
    expect(results.slice(5)).toEqual(['SignInThrottled', 'SignInThrottled']);
    const throttled = await signIn('dave', 'Dave-password-123!');
    expect(throttled.__typename).toBe('SignInThrottled');
    expect(throttled.retryAfterSeconds).toBeGreaterThan(0);
  });

  it('with an enabled virtual MFA device, sign-in needs a fresh code and sets MFA on the session', async () => {
    const carol = await signIn('carol', 'Carol-second-pass-2');
    const auth = bearer(carol.sessionToken);
    const created = await ok(server, auth, 'mutation { createVirtualMFADevice(input: { virtualMFADeviceName: "carol" }) { __typename ... on CreateVirtualMFADeviceSuccess { serialNumber base32StringSeed otpauthUri } ... on ResultError { message } } }');
    const device = created['createVirtualMFADevice'];
    expect(device.__typename, JSON.stringify(device)).toBe('CreateVirtualMFADeviceSuccess');
    expect(device.serialNumber).toBe(`arn:aws:iam::${ACCOUNT}:mfa/carol`);
    expect(device.otpauthUri).toContain(`secret=${device.base32StringSeed}`);
    secrets.push(device.base32StringSeed);
    const seed = base32Decode(device.base32StringSeed);
    const now = timeStep(new Date());
    const enable = (code1: string, code2: string) =>
      ok(server, auth, 'mutation($i: EnableMFADeviceInput!) { enableMFADevice(input: $i) { __typename ... on ValidationError { rule } } }', {
        i: { serialNumber: device.serialNumber, authenticationCode1: code1, authenticationCode2: code2 },
      });
    expect((await enable(hotp(seed, now), hotp(seed, now - 1)))['enableMFADevice']).toEqual({ __typename: 'ValidationError', rule: 'InvalidAuthenticationCode' });
    expect((await enable(hotp(seed, now - 1), hotp(seed, now)))['enableMFADevice'].__typename).toBe('EnableMFADeviceSuccess');
    expect((await ok(server, auth, '{ mfaDevices { serialNumber userName } }'))['mfaDevices']).toEqual([{ serialNumber: device.serialNumber, userName: 'carol' }]);

    const listed = await ok(
      server,
      ROOT,
      '{ assigned: virtualMFADevices(assignmentStatus: ASSIGNED) { edges { node { serialNumber userName } } } unassigned: virtualMFADevices(assignmentStatus: UNASSIGNED) { edges { node { serialNumber } } } }',
    );
    const nodes = (connection: { edges: Array<{ node: unknown }> }) => connection.edges.map((e) => e.node);
    expect(nodes(listed['assigned'])).toContainEqual({ serialNumber: device.serialNumber, userName: 'carol' });
    expect(nodes(listed['unassigned'])).not.toContainEqual({ serialNumber: device.serialNumber });
    expect((await signIn('carol', 'Carol-second-pass-2')).__typename).toBe('MFARequired');
    // The step used to enable is spent: only a later code is accepted.
    expect((await signIn('carol', 'Carol-second-pass-2', { mfaCode: hotp(seed, now) })).__typename).toBe('SignInFailed');
    const code = hotp(seed, now + 1);
    const withMfa = await signIn('carol', 'Carol-second-pass-2', { mfaCode: code });
    expect(withMfa).toMatchObject({ __typename: 'SignInSuccess', mfaAuthenticated: true });
    secrets.push(withMfa.sessionToken);
    // The session carries aws:MultiFactorAuthPresent: a policy conditioned on it now matches.
    await putUserPolicy(server, 'carol', 'ListWithMfa', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }],
    });
    const users = '{ users(first: 1) { edges { node { userName } } } }';
    expect(errorCode(await send(server, auth, users))).toBe('ACCESS_DENIED');
    expect((await ok(server, bearer(withMfa.sessionToken), users))['users'].edges).toHaveLength(1);
    // Replaying the same code is refused.
    expect((await signIn('carol', 'Carol-second-pass-2', { mfaCode: code })).__typename).toBe('SignInFailed');
  });
});
