/**
 * Issue 13, low: a NUL character (U+0000) in any string input — a cursor, a principal ARN, an OIDC
 * client id, a name — is refused with a typed VALIDATION_ERROR naming the argument, never a masked
 * internal error (PostgreSQL text cannot hold NUL), and nothing changes. Literals and variables,
 * HTTP and the credential header alike.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GqlResponse, TestServer } from '../support/server.ts';
import { ACCOUNT, basic, ok, ROOT, send, startIdentityServer } from '../identity/support/server.ts';

function refusal(response: GqlResponse): { code: unknown; field: unknown } {
  const error = response.body.errors?.[0];
  return { code: error?.extensions?.['code'], field: error?.extensions?.['field'] };
}

describe('NUL characters in string inputs', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startIdentityServer();
  }, 60_000);
  afterAll(async () => {
    await server.dispose();
  });

  it('a cursor', async () => {
    const response = await send(server, ROOT, 'query($a: String) { users(first: 5, after: $a) { edges { node { userName } } } }', { a: 'eyJ\u0000' });
    expect(response.status).toBeLessThan(500);
    expect(refusal(response)).toEqual({ code: 'VALIDATION_ERROR', field: 'after' });
    expect(response.body.errors?.[0]?.message).toBe('after must not contain a NUL character (\\u0000)');
    // A well-formed cursor whose decoded position holds a NUL is refused as a cursor, not masked.
    for (const userName of ['nul-a', 'nul-b']) await ok(server, ROOT, 'mutation($i: CreateUserInput!) { createUser(input: $i) { __typename } }', { i: { userName } });
    const page = await ok(server, ROOT, '{ users(first: 1) { pageInfo { endCursor } } }');
    const parts = JSON.parse(Buffer.from(page['users'].pageInfo.endCursor, 'base64url').toString('utf8')) as string[];
    const forged = Buffer.from(JSON.stringify([...parts.slice(0, -1), 'nul\u0000'])).toString('base64url');
    const next = await send(server, ROOT, 'query($a: String) { users(first: 5, after: $a) { edges { node { userName } } } }', { a: forged });
    expect(response.status).toBeLessThan(500);
    expect(refusal(next).code).toBe('VALIDATION_ERROR');
    expect(next.body.errors?.[0]?.message).toMatch(/is not a cursor from this list/);
  });

  it('a lone surrogate, which PostgreSQL cannot store either, refused without creating anything', async () => {
    const create = 'mutation($i: CreateOpenIDConnectProviderInput!) { createOpenIDConnectProvider(input: $i) { __typename } }';
    const response = await send(server, ROOT, create, {
      i: { url: 'https://surrogate.example.com', clientIdList: ['\udc00x'], thumbprintList: ['9e99a48a9960b14926bb7f3b02e22da2b0ab7280'] },
    });
    expect(response.status).toBeLessThan(500);
    expect(refusal(response)).toEqual({ code: 'VALIDATION_ERROR', field: 'input.clientIdList[0]' });
    expect(response.body.errors?.[0]?.extensions?.['rule']).toBe('wellFormedUnicode');
    const list = await ok(server, ROOT, '{ openIDConnectProviders { arn } }');
    expect(JSON.stringify(list)).not.toContain('surrogate.example.com');
  });

  it('a principal ARN to authorize', async () => {
    const response = await send(server, ROOT, 'mutation($i: AuthorizeInput!) { authorize(input: $i) { __typename } }', {
      i: { principalArn: `arn:aws:iam::${ACCOUNT}:user/a\u0000b`, action: 's3:GetObject', resourceArn: '*' },
    });
    expect(refusal(response)).toEqual({ code: 'VALIDATION_ERROR', field: 'input.principalArn' });
  });

  it('an OIDC client id, refused without creating the provider', async () => {
    const create = 'mutation($i: CreateOpenIDConnectProviderInput!) { createOpenIDConnectProvider(input: $i) { __typename } }';
    const response = await send(server, ROOT, create, {
      i: { url: 'https://nul.example.com', clientIdList: ['ok', 'app\u0000'], thumbprintList: ['9e99a48a9960b14926bb7f3b02e22da2b0ab7280'] },
    });
    expect(refusal(response)).toEqual({ code: 'VALIDATION_ERROR', field: 'input.clientIdList[1]' });
    const list = await ok(server, ROOT, '{ openIDConnectProviders { arn } }');
    expect(JSON.stringify(list)).not.toContain('nul.example.com');
  });

  it('a literal in the document, and an anonymous web identity exchange', async () => {
    expect(refusal(await send(server, ROOT, '{ user(userName: "a\\u0000") { userName } }'))).toEqual({ code: 'VALIDATION_ERROR', field: 'userName' });
    const exchange = await send(server, undefined, 'mutation($i: AssumeRoleWithWebIdentityInput!) { assumeRoleWithWebIdentity(input: $i) { __typename } }', {
      i: { roleArn: `arn:aws:iam::${ACCOUNT}:role/r`, roleSessionName: 's\u0000s', webIdentityToken: 'a.b.c' },
    });
    expect(refusal(exchange)).toEqual({ code: 'VALIDATION_ERROR', field: 'input.roleSessionName' });
  });

  it('an access key id in the Authorization header', async () => {
    const response = await send(server, basic('AKIA\u0000NUL', 'secret-secret-secret'), '{ callerIdentity { arn } }');
    expect(response.status).toBe(401);
    expect(refusal(response).code).toBe('UNAUTHENTICATED');
  });

  it('the server is still up', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
