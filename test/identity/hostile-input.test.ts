/**
 * Hostile input (issue 5): malformed and oversized credentials, SQL and JSON injection in every
 * string argument of the operations that take strings, and a brute-force burst of sign-ins. Every
 * one is refused with a clear, typed error; none is masked as an unexpected failure, none leaks
 * internals, the server stays up, and the directory is unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GqlResponse, TestServer } from '../support/server.ts';
import { ACCOUNT, ROOT, ROOT_PASSWORD, ROOT_SECRET, createUser, expectNotLogged, send, startIdentityServer } from './support/server.ts';

/** Strings that break naive SQL, JSON, template or path handling. */
const PAYLOADS = [
  "' OR '1'='1",
  "alice'; DROP TABLE users; --",
  '"; DELETE FROM change_log; --',
  '{"$ne": null}',
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}, "x": "',
  '${jndi:ldap://127.0.0.1/x}',
  '../../etc/passwd',
  'nul\u0000byte',
  '\uD800 lone surrogate',
  'x'.repeat(20_000),
];

/** Each operation with one `$v` string slot; all of them must refuse every payload. */
const OPERATIONS: ReadonlyArray<{ name: string; query: string; variables: (v: string) => Record<string, unknown>; anonymous?: boolean }> = [
  { name: 'createUser.userName', query: 'mutation($v: String!) { createUser(input: { userName: $v }) { __typename ... on ResultError { code message } } }', variables: (v) => ({ v }) },
  { name: 'createUser.path', query: 'mutation($v: String!) { createUser(input: { userName: "hostile", path: $v }) { __typename ... on ResultError { code message } } }', variables: (v) => ({ v }) },
  { name: 'createGroup.groupName', query: 'mutation($v: String!) { createGroup(input: { groupName: $v }) { __typename ... on ResultError { code message } } }', variables: (v) => ({ v }) },
  {
    name: 'createRole.assumeRolePolicyDocument',
    query: 'mutation($v: String!) { createRole(input: { roleName: "Hostile", assumeRolePolicyDocument: $v }) { __typename ... on ResultError { code message } } }',
    variables: (v) => ({ v }),
  },
  {
    name: 'createPolicy.policyDocument',
    query: 'mutation($v: String!) { createPolicy(input: { policyName: "Hostile", policyDocument: $v }) { __typename ... on ResultError { code message } } }',
    variables: (v) => ({ v }),
  },
  { name: 'user.userName', query: 'query($v: String!) { user(userName: $v) { arn } }', variables: (v) => ({ v }) },
  { name: 'users.pathPrefix', query: 'query($v: String!) { users(first: 5, pathPrefix: $v) { edges { node { arn } } } }', variables: (v) => ({ v }) },
  {
    name: 'authorize.principalArn',
    query: 'mutation($v: String!) { authorize(input: { principalArn: $v, action: "s3:GetObject", resourceArn: "*" }) { __typename ... on Decision { decision } ... on AccessDenied { message } } }',
    variables: (v) => ({ v }),
  },
  {
    name: 'authorizeBatch.resourcePolicy',
    query:
      'mutation($v: String!) { authorizeBatch(requests: [{ action: "s3:GetObject", resourceArn: "arn:aws:s3:::b/k", resourcePolicy: $v }]) { __typename ... on ResultError { code message } } }',
    variables: (v) => ({ v }),
  },
  {
    name: 'simulateCustomPolicy.policyInputList',
    query: 'query($v: String!) { simulateCustomPolicy(input: { policyInputList: [$v], actionNames: ["s3:GetObject"] }) { evalDecision } }',
    variables: (v) => ({ v }),
  },
  {
    name: 'signIn.userName',
    query: 'mutation($v: String!, $a: String!) { signIn(input: { account: $a, userName: $v, password: "x" }) { __typename ... on ResultError { code message } } }',
    variables: (v) => ({ v, a: ACCOUNT }),
    anonymous: true,
  },
  {
    name: 'signIn.account',
    query: 'mutation($v: String!) { signIn(input: { account: $v, userName: "root", password: "x" }) { __typename ... on ResultError { code message } } }',
    variables: (v) => ({ v }),
    anonymous: true,
  },
];

/** What the directory looks like to root: compared before and after the attack. */
const SNAPSHOT = `{
  users(first: 100) { edges { node { arn } } }
  groups(first: 100) { edges { node { arn } } }
  roles(first: 100) { edges { node { arn } } }
  policies(scope: LOCAL, first: 100) { edges { node { arn defaultVersionId } } }
}`;

/** Internals that must never reach a client. */
const LEAKS = [/postgres/i, /drizzle/i, /\bselect\b.*\bfrom\b/i, /\n\s+at /, /node_modules/, /pglite/i];

/** The refusal is typed: either a result-union error member, or a GraphQL error with a code that is not the masked one. */
function expectTypedRefusal(label: string, response: GqlResponse): void {
  const text = JSON.stringify(response.body);
  for (const leak of LEAKS) expect(text, `${label} leaks ${leak}`).not.toMatch(leak);
  expect(response.status, `${label}: HTTP ${response.status} ${text.slice(0, 300)}`).toBeLessThan(500);
  for (const error of response.body.errors ?? []) {
    expect(error.extensions?.['code'], `${label}: ${text.slice(0, 300)}`).toBeDefined();
    expect(error.extensions?.['code'], `${label}: ${text.slice(0, 300)}`).not.toBe('INTERNAL_SERVER_ERROR');
    expect(error.message).not.toBe('Unexpected error.');
  }
  const data = response.body.data;
  if (data != null && response.body.errors === undefined) {
    // A result union answered: it must be an error member (or a plain refusal like IMPLICIT_DENY), never a success.
    expect(text, `${label} succeeded: ${text.slice(0, 300)}`).not.toMatch(/"__typename":"\w+Success"/);
    expect(text, `${label} allowed: ${text.slice(0, 300)}`).not.toMatch(/"ALLOWED"/);
  }
}

describe('hostile input', () => {
  let server: TestServer;
  let before: unknown;
  beforeAll(async () => {
    // Trust the loopback proxy so each brute-force burst below can come from its own address.
    server = await startIdentityServer({ TRUST_PROXY: '127.0.0.1' });
    await createUser(server, 'alice');
    before = (await send(server, ROOT, SNAPSHOT)).body.data;
  }, 60_000);
  afterAll(async () => {
    expectNotLogged(server, [ROOT_SECRET, ROOT_PASSWORD]);
    await server.dispose();
  });

  it('refuses malformed and oversized credentials with 401 (or 431 for a header over the size limit)', async () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const headers = [
      'Basic',
      'Basic !!!not-base64!!!',
      `Basic ${b64('no-colon-here')}`,
      `Basic ${b64(':')}`,
      `Basic ${b64("AKIA' OR '1'='1:secret")}`,
      `Basic ${b64(`AKIAIOSFODNN7EXAMPLE:${'x'.repeat(5_000)}`)}`,
      'Bearer',
      "Bearer ' OR '1'='1",
      `Bearer ${'A'.repeat(8_000)}`,
      'Digest username="root"',
      'basic\tweird',
    ];
    for (const authorization of headers) {
      const response = await send(server, authorization, '{ callerIdentity { arn } }');
      expect(response.status, authorization.slice(0, 40)).toBe(401);
      expect(response.body.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
      expect(JSON.stringify(response.body)).not.toMatch(/postgres|drizzle|\n\s+at /i);
    }
    const huge = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${'A'.repeat(100_000)}` },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect([401, 431]).toContain(huge.status);
  });

  it.each(OPERATIONS)('$name refuses every injection payload with a typed error', async (operation) => {
    for (const payload of PAYLOADS) {
      const response = await send(server, operation.anonymous ? undefined : ROOT, operation.query, operation.variables(payload));
      expectTypedRefusal(`${operation.name} <- ${JSON.stringify(payload.slice(0, 40))}`, response);
    }
  });

  it('throttles a brute-force burst of sign-ins without revealing whether the user exists', async () => {
    // Each name is tried from its own address, so the two sequences meet the same throttles.
    const attempt = (userName: string, address: string) =>
      server.gql<{ signIn: { __typename: string; code?: string; message?: string; retryAfterSeconds?: number } }>(
        'mutation($i: SignInInput!) { signIn(input: $i) { __typename ... on ResultError { code message } ... on SignInThrottled { retryAfterSeconds } } }',
        { i: { account: ACCOUNT, userName, password: 'guess' } },
        { 'x-forwarded-for': address },
      );
    const answers = async (userName: string, address: string) => {
      const seen = [];
      for (let i = 0; i < 8; i++) {
        const response = await attempt(userName, address);
        const answer = response.body.data!.signIn;
        expect(answer.retryAfterSeconds ?? 1).toBeGreaterThan(0);
        // The wait counts down between attempts; everything else must match exactly.
        seen.push({
          status: response.status,
          errors: response.body.errors,
          ...answer,
          message: answer.message?.replace(/\d+ seconds/, 'N seconds'),
          retryAfterSeconds: answer.retryAfterSeconds === undefined ? undefined : 'N',
        });
      }
      return seen;
    };
    const existing = await answers('alice', '198.51.100.7');
    const missing = await answers('nobody-here', '198.51.100.8');
    expect(missing).toEqual(existing);
    expect(existing.map((a) => a.__typename)).toContain('SignInFailed');
    expect(existing.map((a) => a.__typename)).toContain('SignInThrottled');
  });

  it('stays up, and the directory is exactly as it was', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await send(server, ROOT, SNAPSHOT)).body.data).toEqual(before);
  });
});
