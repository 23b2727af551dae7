/**
 * Password self-service is a grant, not a bypass. AWS: AllowUsersToChangePassword "gives IAM
 * users permissions to iam:ChangePassword for only their user and to the
 * iam:GetAccountPasswordPolicy action … applied at the account-level for all users by IAM"; a
 * user who must set a new password at sign-in gets the same (IAMUserChangePassword). Like any
 * identity-based allow, it gives way to an explicit Deny, to a permissions boundary that does not
 * allow the action, and to an SCP of a member account.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/server.ts';
import { accessKeyFor, ACCOUNT, allow, bearer, createUser, errorCode, expectNotLogged, memberAccountSession, ok, putUserPolicy, ROOT, ROOT_PASSWORD, ROOT_SECRET, send, startIdentityServer, write } from './support/server.ts';

const SIGN_IN = `mutation($i: SignInInput!) { signIn(input: $i) { __typename ... on SignInSuccess { sessionToken passwordResetRequired } } }`;
const CHANGE = `mutation($i: ChangePasswordInput!) { changePassword(input: $i) { __typename ... on AccessDenied { action } ... on ResultError { code message } } }`;
const READ_POLICY = '{ accountPasswordPolicy { allowUsersToChangePassword } }';
const DENY_CHANGE = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'iam:ChangePassword', Resource: '*' }] };

describe('password self-service (AllowUsersToChangePassword, a forced reset) is an identity-based grant', () => {
  let server: TestServer;
  const secrets: string[] = [ROOT_SECRET, ROOT_PASSWORD];

  const setPolicy = async (allowUsersToChangePassword: boolean) => {
    const result = await ok(server, ROOT, 'mutation($i: UpdateAccountPasswordPolicyInput!) { updateAccountPasswordPolicy(input: $i) { __typename } }', {
      i: { minimumPasswordLength: 12, allowUsersToChangePassword },
    });
    expect(result['updateAccountPasswordPolicy'].__typename).toBe('UpdateAccountPasswordPolicySuccess');
  };
  /** A user with no policy of its own and a password; returns a sign-in session's Authorization header. */
  const userSignedIn = async (userName: string, passwordResetRequired = false): Promise<string> => {
    await createUser(server, userName);
    const password = `${userName}-Password-1!`;
    secrets.push(password);
    const profile = await ok(server, ROOT, 'mutation($i: CreateLoginProfileInput!) { createLoginProfile(input: $i) { __typename } }', {
      i: { userName, password, passwordResetRequired },
    });
    expect(profile['createLoginProfile'].__typename).toBe('CreateLoginProfileSuccess');
    return signIn(userName, password);
  };
  const signIn = async (userName: string, password: string): Promise<string> => {
    const result = (await ok(server, undefined, SIGN_IN, { i: { account: ACCOUNT, userName, password } }))['signIn'];
    expect(result.__typename).toBe('SignInSuccess');
    secrets.push(result.sessionToken);
    return bearer(result.sessionToken);
  };
  const change = async (authorization: string, userName: string) => {
    const newPassword = `${userName}-Changed-2!`;
    secrets.push(newPassword);
    return (await ok(server, authorization, CHANGE, { i: { oldPassword: `${userName}-Password-1!`, newPassword } }))['changePassword'];
  };

  beforeAll(async () => {
    server = await startIdentityServer();
  }, 60_000);
  afterAll(async () => {
    expectNotLogged(server, secrets);
    await server.dispose();
  });

  it('without the setting a user with no policy may neither change its password nor read the policy', async () => {
    await setPolicy(false);
    const erin = await userSignedIn('erin');
    expect(await change(erin, 'erin')).toMatchObject({ __typename: 'AccessDenied', action: 'iam:ChangePassword' });
    expect(errorCode(await send(server, erin, READ_POLICY))).toBe('ACCESS_DENIED');
  });

  it('with the setting every user may change its own password and read the policy', async () => {
    await setPolicy(true);
    const fay = await userSignedIn('fay');
    expect((await ok(server, fay, READ_POLICY))['accountPasswordPolicy']).toEqual({ allowUsersToChangePassword: true });
    expect((await change(fay, 'fay')).__typename).toBe('ChangePasswordSuccess');
    await signIn('fay', 'fay-Changed-2!');
  });

  it('an explicit Deny on iam:ChangePassword still refuses, and the password stays as it was', async () => {
    await setPolicy(true);
    const gus = await userSignedIn('gus');
    await putUserPolicy(server, 'gus', 'NoPasswordChange', DENY_CHANGE);
    expect(await change(gus, 'gus')).toMatchObject({ __typename: 'AccessDenied', action: 'iam:ChangePassword' });
    await signIn('gus', 'gus-Password-1!');
  });

  it('a permissions boundary that does not allow iam:ChangePassword refuses it, as it would the attached policy', async () => {
    await setPolicy(true);
    const hal = await userSignedIn('hal');
    const created = await ok(server, ROOT, 'mutation($i: CreatePolicyInput!) { createPolicy(input: $i) { __typename ... on CreatePolicySuccess { policy { arn } } } }', {
      i: { policyName: 'ReadOnlyBoundary', policyDocument: JSON.stringify(allow('iam:Get*')) },
    });
    const boundary = created['createPolicy'].policy.arn;
    const put = await ok(server, ROOT, 'mutation($i: PutUserPermissionsBoundaryInput!) { putUserPermissionsBoundary(input: $i) { __typename } }', {
      i: { userName: 'hal', permissionsBoundary: boundary },
    });
    expect(put['putUserPermissionsBoundary'].__typename).toBe('PutUserPermissionsBoundarySuccess');
    expect(await change(hal, 'hal')).toMatchObject({ __typename: 'AccessDenied', action: 'iam:ChangePassword' });
    // The boundary allows iam:Get*, so the granted GetAccountPasswordPolicy stands.
    expect((await ok(server, hal, READ_POLICY))['accountPasswordPolicy']).toEqual({ allowUsersToChangePassword: true });
  });

  it('a sign-in that must set a new password may, without the setting, unless a Deny says otherwise', async () => {
    await setPolicy(false);
    const ivy = await userSignedIn('ivy', true);
    // The rules the new password must follow are readable too (the grant's other action).
    expect((await ok(server, ivy, READ_POLICY))['accountPasswordPolicy']).toEqual({ allowUsersToChangePassword: false });
    expect((await change(ivy, 'ivy')).__typename).toBe('ChangePasswordSuccess');

    const jon = await userSignedIn('jon', true);
    await putUserPolicy(server, 'jon', 'NoPasswordChange', DENY_CHANGE);
    expect(await change(jon, 'jon')).toMatchObject({ __typename: 'AccessDenied', action: 'iam:ChangePassword' });
  });
});

describe('password self-service in a member account gives way to an SCP', () => {
  let server: TestServer;
  let admin: string;
  let asAdminOfB: string;
  let memberAccount: string;

  beforeAll(async () => {
    server = await startIdentityServer({ LOG_LEVEL: 'warn' });
    await createUser(server, 'admin', allow('*'));
    admin = (await accessKeyFor(server, 'admin')).header;
    ({ accountId: memberAccount, header: asAdminOfB } = await memberAccountSession(server, admin, 'Team K', 'team-k@example.com'));
    await write(server, asAdminOfB, 'mutation { updateAccountPasswordPolicy(input: { allowUsersToChangePassword: true }) { __typename ... on WriteSuccess { revision } ... on ResultError { message } } }');
    await write(server, asAdminOfB, 'mutation { createUser(input: { userName: "kim" }) { __typename ... on WriteSuccess { revision } ... on ResultError { message } } }');
    await write(server, asAdminOfB, 'mutation { createLoginProfile(input: { userName: "kim", password: "Kim-Password-1!" }) { __typename ... on WriteSuccess { revision } ... on ResultError { message } } }');
  }, 120_000);
  afterAll(async () => {
    await server?.dispose();
  });

  it("an SCP denying iam:ChangePassword on the member account refuses it; detached, the account's grant applies again", async () => {
    const signIn = async (password: string) => {
      const result = (await ok(server, undefined, SIGN_IN, { i: { account: memberAccount, userName: 'kim', password } }))['signIn'];
      expect(result.__typename).toBe('SignInSuccess');
      return bearer(result.sessionToken);
    };
    const change = async (oldPassword: string, newPassword: string) =>
      (await ok(server, await signIn(oldPassword), CHANGE, { i: { oldPassword, newPassword } }))['changePassword'];

    const scp = await write(server, admin, 'mutation($i: CreateOrganizationPolicyInput!) { createOrganizationPolicy(input: $i) { __typename ... on CreateOrganizationPolicySuccess { revision policy { id } } ... on ResultError { message } } }', {
      i: { name: 'NoPasswordChange', type: 'SERVICE_CONTROL_POLICY', content: JSON.stringify(DENY_CHANGE) },
    });
    const target = { policyId: scp['policy'].id, targetId: memberAccount };
    await write(server, admin, 'mutation($i: AttachOrganizationPolicyInput!) { attachOrganizationPolicy(input: $i) { __typename ... on WriteSuccess { revision } ... on ResultError { message } } }', { i: target });
    expect(await change('Kim-Password-1!', 'Kim-Changed-2!')).toMatchObject({ __typename: 'AccessDenied', action: 'iam:ChangePassword' });

    await write(server, admin, 'mutation($i: DetachOrganizationPolicyInput!) { detachOrganizationPolicy(input: $i) { __typename ... on WriteSuccess { revision } ... on ResultError { message } } }', { i: target });
    expect((await change('Kim-Password-1!', 'Kim-Changed-2!')).__typename).toBe('ChangePasswordSuccess');
  });
});
