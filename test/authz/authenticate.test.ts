/** Authentication over real HTTP: Basic access keys, Bearer sessions, anonymous and invalid credentials. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/server.ts';
import { write } from './support/directory.ts';
import { ACCOUNT, basic, dataOf, ROOT_KEY, rootAuth, startAuthzServer } from './support/server.ts';

const AUTHORIZE = `mutation ($input: AuthorizeInput!) { authorize(input: $input) { __typename ... on Decision { allowed decision revision } ... on AccessDenied { message } } }`;

describe('authentication', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startAuthzServer();
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('answers an anonymous request that needs a caller with 401 UNAUTHENTICATED', async () => {
    const response = await server.gql(AUTHORIZE, { input: { action: 's3:GetObject', resourceArn: '*' } });
    expect(response.status).toBe(401);
    expect(response.body.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  });

  it('lets anonymous requests through when no field needs a caller', async () => {
    const response = await server.gql('{ __typename }');
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({ __typename: 'Query' });
  });

  it.each([
    ['a wrong secret', basic(ROOT_KEY.id, 'not-the-secret-at-all-000000')],
    ['an unknown key id', basic('AKIAUNKNOWNKEY234567', ROOT_KEY.secret)],
    ['malformed basic credentials', { authorization: 'Basic !!!' }],
    ['an unknown session token', { authorization: 'Bearer no-such-session-token' }],
    ['an unsupported scheme', { authorization: 'Digest abc' }],
  ])('refuses %s with 401 before running anything', async (_name, headers) => {
    const response = await server.gql('{ __typename }', undefined, headers);
    expect(response.status).toBe(401);
    expect(response.body.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    expect(response.body.data ?? null).toBeNull();
    expect(JSON.stringify(response.body)).not.toContain(ROOT_KEY.secret);
  });

  it('authenticates the root access key, and again from the verified-credential cache', async () => {
    for (let i = 0; i < 3; i++) {
      const data = dataOf(await server.gql<{ authorize: { allowed: boolean; decision: string } }>(
        AUTHORIZE,
        { input: { action: 'iam:CreateUser', resourceArn: `arn:aws:iam::${ACCOUNT}:user/alice` } },
        rootAuth,
      ));
      expect(data.authorize).toMatchObject({ allowed: true, decision: 'ALLOWED' });
    }
  });

  it('stops accepting a cached access key once it is deactivated or deleted', async () => {
    await write(server, 'createUser', { userName: 'keyholder' });
    const created = dataOf(
      await server.gql<{ createAccessKey: { accessKey: { accessKeyId: string }; secretAccessKey: string } }>(
        'mutation { createAccessKey(input: { userName: "keyholder" }) { ... on CreateAccessKeySuccess { accessKey { accessKeyId } secretAccessKey } } }',
        undefined,
        rootAuth,
      ),
    ).createAccessKey;
    const key = basic(created.accessKey.accessKeyId, created.secretAccessKey);
    const whoAmI = () => server.gql<{ callerIdentity: { arn: string } }>('{ callerIdentity { arn } }', undefined, key);
    // Twice: the second answer comes from the verified-credential cache.
    expect(dataOf(await whoAmI()).callerIdentity.arn).toBe(`arn:aws:iam::${ACCOUNT}:user/keyholder`);
    expect(dataOf(await whoAmI()).callerIdentity.arn).toBe(`arn:aws:iam::${ACCOUNT}:user/keyholder`);

    await write(server, 'updateAccessKey', { userName: 'keyholder', accessKeyId: created.accessKey.accessKeyId, status: 'INACTIVE' });
    expect((await whoAmI()).status).toBe(401);
    await write(server, 'updateAccessKey', { userName: 'keyholder', accessKeyId: created.accessKey.accessKeyId, status: 'ACTIVE' });
    expect((await whoAmI()).status).toBe(200);
    await write(server, 'deleteAccessKey', { userName: 'keyholder', accessKeyId: created.accessKey.accessKeyId });
    expect((await whoAmI()).status).toBe(401);
  });

  it('denies the root user another account\'s resources', async () => {
    const data = dataOf(await server.gql<{ authorize: { allowed: boolean; decision: string } }>(
      AUTHORIZE,
      { input: { action: 's3:GetObject', resourceArn: 'arn:aws:s3:::other-bucket/key', resourceOwner: '444455556666' } },
      rootAuth,
    ));
    expect(data.authorize).toMatchObject({ allowed: false, decision: 'IMPLICIT_DENY' });
  });

  it('refuses to let root ask about a principal in another account', async () => {
    const response = await server.gql(
      AUTHORIZE,
      { input: { principalArn: 'arn:aws:iam::444455556666:user/mallory', action: 's3:GetObject', resourceArn: '*' } },
      rootAuth,
    );
    // The refusal is the question's answer, not an error of the request.
    expect(response.body.errors).toBeUndefined();
    const answer = (response.body.data as { authorize: { __typename: string; message: string } }).authorize;
    expect(answer.__typename).toBe('AccessDenied');
    expect(answer.message).toContain('iam:Authorize');
  });
});
