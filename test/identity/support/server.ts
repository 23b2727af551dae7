/**
 * Shared set-up for the identity integration tests: a real server with a known root access key,
 * GraphQL over HTTP with a chosen credential, and small helpers that fail loudly on errors.
 */
import { expect } from 'vitest';
import type { Clock } from '../../../src/clock.ts';
import { startTestServer, type GqlResponse, type TestServer } from '../../support/server.ts';

export const ACCOUNT = '111122223333';
export const ROOT_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
export const ROOT_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
export const ROOT_PASSWORD = 'Root-Password-123!';

/** `Authorization` header value for an access key. */
export function basic(accessKeyId: string, secret: string): string {
  return `Basic ${Buffer.from(`${accessKeyId}:${secret}`).toString('base64')}`;
}

/** `Authorization` header value for a session token. */
export function bearer(token: string): string {
  return `Bearer ${token}`;
}

export const ROOT = basic(ROOT_KEY_ID, ROOT_SECRET);

/** Starts a server whose root key and password are known; `clock` is the server's (the system's by default). */
export function startIdentityServer(env: Record<string, string> = {}, clock?: Clock): Promise<TestServer> {
  return startTestServer({
    env: { PORTCULLIS_ROOT_ACCESS_KEY: `${ROOT_KEY_ID}:${ROOT_SECRET}`, PORTCULLIS_ROOT_PASSWORD: ROOT_PASSWORD, ...env },
    clock,
  });
}

/** Sends an operation with `authorization` (or none). */
export function send(server: TestServer, authorization: string | undefined, query: string, variables?: Record<string, unknown>): Promise<GqlResponse> {
  return server.gql(query, variables, authorization === undefined ? {} : { authorization });
}

/** Sends an operation and returns `data`, failing the test on any GraphQL error. */
export async function ok(server: TestServer, authorization: string | undefined, query: string, variables?: Record<string, unknown>): Promise<Record<string, any>> {
  const response = await send(server, authorization, query, variables);
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  return response.body.data as Record<string, any>;
}

/**
 * Sends a write as `authorization`: its one root field must answer a Success that lists its
 * `revision`, and this waits until the server reflects that revision. Returns the Success.
 */
export async function write(server: TestServer, authorization: string, query: string, variables: Record<string, unknown> = {}): Promise<Record<string, any>> {
  const [result] = Object.values(await ok(server, authorization, query, variables)) as Array<Record<string, any> | undefined>;
  expect(result?.__typename, JSON.stringify(result)).toMatch(/Success$/);
  expect(await server.running.app.changes.bus.waitForRevision(BigInt(result!['revision']), 10_000)).toBe(true);
  return result!;
}

/**
 * A new member account of the organization (createAccount as `admin`, a principal of the
 * management account) and a session of its OrganizationAccountAccessRole (AdministratorAccess),
 * assumed as `admin`: the account id and the session's Authorization header.
 */
export async function memberAccountSession(server: TestServer, admin: string, accountName: string, email: string): Promise<{ accountId: string; header: string }> {
  const created = await write(server, admin, 'mutation($i: CreateAccountInput!) { createAccount(input: $i) { __typename ... on CreateAccountSuccess { revision roleArn account { id } } ... on ResultError { message } } }', {
    i: { accountName, email },
  });
  const assumed = (await ok(server, admin, 'mutation($i: AssumeRoleInput!) { assumeRole(input: $i) { __typename ... on AssumeRoleSuccess { credentials { sessionToken } } ... on ResultError { message } } }', {
    i: { roleArn: created['roleArn'], roleSessionName: 'setup' },
  }))['assumeRole'];
  expect(assumed.__typename, JSON.stringify(assumed)).toBe('AssumeRoleSuccess');
  return { accountId: created['account'].id, header: bearer(assumed.credentials.sessionToken) };
}

/** The ErrorCode of each refusal a mutation's result union carries as data. */
const REFUSAL_MEMBERS: Readonly<Record<string, string>> = { AccessDenied: 'ACCESS_DENIED', PasswordResetRequired: 'PASSWORD_RESET_REQUIRED' };

/**
 * The code a response failed with: the first top-level error's `extensions.code`, else the code
 * of a refusal member (AccessDenied, PasswordResetRequired) a root field returned as data.
 */
export function errorCode(response: GqlResponse): unknown {
  const code = response.body.errors?.[0]?.extensions?.['code'];
  if (code !== undefined) return code;
  const data = (response.body.data ?? {}) as Record<string, { __typename?: string } | null>;
  for (const value of Object.values(data)) {
    const refusal = REFUSAL_MEMBERS[value?.__typename ?? ''];
    if (refusal !== undefined) return refusal;
  }
  return undefined;
}

/** Creates a user with an inline policy (if given) as root; returns nothing. */
export async function createUser(server: TestServer, userName: string, policy?: object): Promise<void> {
  const created = await ok(server, ROOT, 'mutation($i: CreateUserInput!) { createUser(input: $i) { __typename } }', { i: { userName } });
  expect(created['createUser'].__typename).toBe('CreateUserSuccess');
  if (policy !== undefined) await putUserPolicy(server, userName, 'Inline', policy);
}

/** Puts an inline user policy as root. */
export async function putUserPolicy(server: TestServer, userName: string, policyName: string, policy: object): Promise<void> {
  const put = await ok(server, ROOT, 'mutation($i: PutUserPolicyInput!) { putUserPolicy(input: $i) { __typename ... on ResultError { message } } }', {
    i: { userName, policyName, policyDocument: JSON.stringify(policy) },
  });
  expect(put['putUserPolicy'].__typename, JSON.stringify(put)).toBe('PutUserPolicySuccess');
}

/** Creates an access key for a user as root; returns its Authorization header. */
export async function accessKeyFor(server: TestServer, userName: string): Promise<{ header: string; accessKeyId: string; secret: string }> {
  const data = await ok(
    server,
    ROOT,
    'mutation($i: CreateAccessKeyInput!) { createAccessKey(input: $i) { __typename ... on CreateAccessKeySuccess { secretAccessKey accessKey { accessKeyId } } } }',
    { i: { userName } },
  );
  const result = data['createAccessKey'];
  expect(result.__typename).toBe('CreateAccessKeySuccess');
  return { header: basic(result.accessKey.accessKeyId, result.secretAccessKey), accessKeyId: result.accessKey.accessKeyId, secret: result.secretAccessKey };
}

/** Creates a role as root with a trust policy; returns its ARN. */
export async function createRole(server: TestServer, roleName: string, trust: object, extra: Record<string, unknown> = {}): Promise<string> {
  const data = await ok(server, ROOT, 'mutation($i: CreateRoleInput!) { createRole(input: $i) { __typename ... on CreateRoleSuccess { role { arn } } ... on ResultError { message } } }', {
    i: { roleName, assumeRolePolicyDocument: JSON.stringify(trust), ...extra },
  });
  expect(data['createRole'].__typename, JSON.stringify(data)).toBe('CreateRoleSuccess');
  return data['createRole'].role.arn;
}

/** Puts an inline role policy as root. */
export async function putRolePolicy(server: TestServer, roleName: string, policyName: string, policy: object): Promise<void> {
  const put = await ok(server, ROOT, 'mutation($i: PutRolePolicyInput!) { putRolePolicy(input: $i) { __typename ... on ResultError { message } } }', {
    i: { roleName, policyName, policyDocument: JSON.stringify(policy) },
  });
  expect(put['putRolePolicy'].__typename, JSON.stringify(put)).toBe('PutRolePolicySuccess');
}

/** An identity policy document allowing `actions` on `resources`. */
export function allow(actions: string | string[], resources: string | string[] = '*'): object {
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: resources }] };
}

/** Every secret must be absent from everything the server logged. */
export function expectNotLogged(server: TestServer, secrets: readonly string[]): void {
  const text = JSON.stringify(server.logs) + server.announcements.join('\n');
  for (const secret of secrets) expect(text.includes(secret), `a secret appeared in the logs`).toBe(false);
}
