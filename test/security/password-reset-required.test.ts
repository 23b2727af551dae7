/**
 * Issue 13, item 7: a sign-in session whose password must be changed may only change it, sign out
 * and read its own identity (and the password rules); everything else is PASSWORD_RESET_REQUIRED and changes nothing.
 * Changing or resetting a password ends the user's other sign-in sessions.
 */
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/server.ts';
import { ACCOUNT, allow, bearer, createUser, errorCode, ok, ROOT, send, startIdentityServer } from '../identity/support/server.ts';

const SIGN_IN = `mutation($i: SignInInput!) { signIn(input: $i) { __typename ... on SignInSuccess { sessionToken passwordResetRequired } } }`;
const CREATE_USER = 'mutation($i: CreateUserInput!) { createUser(input: $i) { __typename } }';
const CHANGE = 'mutation($i: ChangePasswordInput!) { changePassword(input: $i) { __typename ... on ResultError { message } } }';
const WHO = '{ callerIdentity { arn } }';
const USERS = '{ users(first: 50) { edges { node { userName } } } }';

describe('a session that must change its password', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startIdentityServer();
    // pat may do anything in IAM; ChangePassword aside, the reset flag alone must hold pat back.
    await createUser(server, 'pat', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', NotAction: 'iam:ChangePassword', Resource: '*' }] });
    await createUser(server, 'quinn', allow('iam:ListUsers'));
    for (const userName of ['pat', 'quinn']) {
      const created = await ok(server, ROOT, 'mutation($i: CreateLoginProfileInput!) { createLoginProfile(input: $i) { __typename } }', {
        i: { userName, password: 'First-Password-1!', passwordResetRequired: true },
      });
      expect(created['createLoginProfile'].__typename).toBe('CreateLoginProfileSuccess');
    }
  }, 90_000);
  afterAll(async () => {
    await server.dispose();
  });

  const signIn = async (userName: string, password: string) => {
    const result = (await ok(server, undefined, SIGN_IN, { i: { account: ACCOUNT, userName, password } }))['signIn'];
    expect(result.__typename).toBe('SignInSuccess');
    return { header: bearer(result.sessionToken as string), passwordResetRequired: result.passwordResetRequired as boolean };
  };
  const userNames = async () => ((await ok(server, ROOT, USERS))['users'].edges as Array<{ node: { userName: string } }>).map((e) => e.node.userName);

  it('may not create users or read the directory, whatever its policies allow; nothing changes', async () => {
    const pat = await signIn('pat', 'First-Password-1!');
    expect(pat.passwordResetRequired).toBe(true);
    const before = await userNames();

    const created = await send(server, pat.header, CREATE_USER, { i: { userName: 'mallory' } });
    expect(errorCode(created)).toBe('PASSWORD_RESET_REQUIRED');
    expect(created.body.errors?.[0]?.message).toMatch(/changePassword/);
    expect(created.body.data ?? null).toBeNull();
    expect(errorCode(await send(server, pat.header, USERS))).toBe('PASSWORD_RESET_REQUIRED');
    // An allowed field does not carry a forbidden one, nor does a fragment hide it.
    expect(errorCode(await send(server, pat.header, `{ callerIdentity { arn } ${USERS.slice(1, -1)} }`))).toBe('PASSWORD_RESET_REQUIRED');
    expect(errorCode(await send(server, pat.header, `query { ...F } fragment F on Query { users(first: 1) { edges { node { userName } } } }`))).toBe('PASSWORD_RESET_REQUIRED');
    expect(errorCode(await send(server, pat.header, 'mutation { getSessionToken(input: {}) { __typename } }'))).toBe('PASSWORD_RESET_REQUIRED');
    expect(await userNames()).toEqual(before);

    // What the change-password screen needs still works.
    expect((await ok(server, pat.header, WHO))['callerIdentity'].arn).toBe(`arn:aws:iam::${ACCOUNT}:user/pat`);
    expect((await ok(server, pat.header, '{ __typename }'))['__typename']).toBe('Query');
    // So do the account's password rules (none stored here: null, AWS's default applies).
    expect((await ok(server, pat.header, '{ accountPasswordPolicy { minimumPasswordLength } }'))['accountPasswordPolicy']).toBeNull();
  });

  it('may not open a subscription over WebSocket either', async () => {
    const pat = await signIn('pat', 'First-Password-1!');
    const client = createClient({ url: server.graphqlUrl.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { authorization: pat.header } });
    try {
      const outcome = await new Promise<unknown>((resolve) => {
        client.subscribe({ query: 'subscription { changes(afterRevision: "0") { kind } }' }, { next: (r) => resolve(r), error: (e) => resolve(e), complete: () => resolve('complete') });
      });
      expect(JSON.stringify(outcome)).toContain('PASSWORD_RESET_REQUIRED');
    } finally {
      await client.dispose();
    }
  });

  it('may change its own password without iam:ChangePassword, then does what its policies allow; other sign-ins end', async () => {
    const other = await signIn('pat', 'First-Password-1!');
    const pat = await signIn('pat', 'First-Password-1!');
    const changed = await ok(server, pat.header, CHANGE, { i: { oldPassword: 'First-Password-1!', newPassword: 'Second-Password-2!' } });
    expect(changed['changePassword'].__typename).toBe('ChangePasswordSuccess');

    // The session that changed the password carries on, no longer restricted.
    expect((await ok(server, pat.header, USERS))['users'].edges.length).toBeGreaterThan(0);
    // The other sign-in session (opened with the old password) is over.
    expect(errorCode(await send(server, other.header, WHO))).toBe('UNAUTHENTICATED');
    // A new sign-in is unrestricted.
    const again = await signIn('pat', 'Second-Password-2!');
    expect(again.passwordResetRequired).toBe(false);
    expect((await ok(server, again.header, USERS))['users'].edges.length).toBeGreaterThan(0);
  });

  it('an administrator setting a new password ends every sign-in session of the user', async () => {
    const quinn = await signIn('quinn', 'First-Password-1!');
    const changed = await ok(server, quinn.header, CHANGE, { i: { oldPassword: 'First-Password-1!', newPassword: 'Second-Password-2!' } });
    expect(changed['changePassword'].__typename).toBe('ChangePasswordSuccess');
    expect((await ok(server, quinn.header, USERS))['users'].edges.length).toBeGreaterThan(0);
    const updated = await ok(server, ROOT, 'mutation($i: UpdateLoginProfileInput!) { updateLoginProfile(input: $i) { __typename } }', {
      i: { userName: 'quinn', password: 'Third-Password-3!' },
    });
    expect(updated['updateLoginProfile'].__typename).toBe('UpdateLoginProfileSuccess');
    expect(errorCode(await send(server, quinn.header, WHO))).toBe('UNAUTHENTICATED');
  });

  it('signOut works for a restricted session', async () => {
    await ok(server, ROOT, 'mutation($i: UpdateLoginProfileInput!) { updateLoginProfile(input: $i) { __typename } }', {
      i: { userName: 'quinn', passwordResetRequired: true },
    });
    const quinn = await signIn('quinn', 'Third-Password-3!');
    expect(quinn.passwordResetRequired).toBe(true);
    expect((await ok(server, quinn.header, 'mutation { signOut { __typename } }'))['signOut'].__typename).toBe('SignOutSuccess');
    expect(errorCode(await send(server, quinn.header, WHO))).toBe('UNAUTHENTICATED');
  });
});
