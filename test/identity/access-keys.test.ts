import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/server.ts';
import { accessKeyFor, allow, basic, createUser, errorCode, expectNotLogged, ok, ROOT, ROOT_SECRET, send, startIdentityServer } from './support/server.ts';

const WHO = '{ callerIdentity { arn account userId } }';
const CREATE = `mutation($i: CreateAccessKeyInput!) { createAccessKey(input: $i) {
  __typename ... on CreateAccessKeySuccess { secretAccessKey accessKey { accessKeyId userName status } }
  ... on LimitExceeded { code message } ... on ResultError { message } } }`;
const UPDATE = `mutation($i: UpdateAccessKeyInput!) { updateAccessKey(input: $i) { __typename ... on UpdateAccessKeySuccess { accessKey { status } } } }`;
const DELETE = `mutation($i: DeleteAccessKeyInput!) { deleteAccessKey(input: $i) { __typename } }`;

describe('access keys over HTTP', () => {
  let server: TestServer;
  const secrets: string[] = [ROOT_SECRET];
  beforeAll(async () => {
    server = await startIdentityServer();
    await createUser(server, 'alice');
    // Self-service keys, as AWS's "manage own access keys" example policy allows with ${aws:username}.
    await createUser(server, 'bob', allow(['iam:CreateAccessKey', 'iam:ListAccessKeys', 'iam:UpdateAccessKey', 'iam:DeleteAccessKey'], 'arn:aws:iam::*:user/${aws:username}'));
  }, 60_000);
  afterAll(async () => {
    expectNotLogged(server, secrets);
    await server.dispose();
  });

  it('issues an AKIA key whose 40-character secret is shown once and authenticates', async () => {
    const key = await accessKeyFor(server, 'alice');
    secrets.push(key.secret);
    expect(key.accessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(key.secret).toHaveLength(40);
    const who = await ok(server, key.header, WHO);
    expect(who['callerIdentity']).toMatchObject({ account: '111122223333', arn: 'arn:aws:iam::111122223333:user/alice' });
    const listed = await ok(server, ROOT, '{ accessKeys(userName: "alice") { accessKeyId status userName createDate } }');
    expect(listed['accessKeys']).toEqual([expect.objectContaining({ accessKeyId: key.accessKeyId, status: 'ACTIVE', userName: 'alice' })]);
    expect(JSON.stringify(listed)).not.toContain(key.secret);
  });

  it('refuses a wrong secret and an unknown key id with 401', async () => {
    const key = await accessKeyFor(server, 'alice');
    secrets.push(key.secret);
    const wrong = await send(server, basic(key.accessKeyId, key.secret.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))), WHO);
    expect(wrong.status).toBe(401);
    expect(errorCode(wrong)).toBe('UNAUTHENTICATED');
    const unknown = await send(server, basic('AKIAAAAAAAAAAAAAAAAA', key.secret), WHO);
    expect(unknown.status).toBe(401);
  });

  it('allows at most two keys per user', async () => {
    const third = await ok(server, ROOT, CREATE, { i: { userName: 'alice' } });
    expect(third['createAccessKey']).toMatchObject({ __typename: 'LimitExceeded', code: 'LIMIT_EXCEEDED' });
  });

  it('an Inactive key is refused with 401 until reactivated, a deleted key for good', async () => {
    const key = await accessKeyFor(server, 'bob');
    secrets.push(key.secret);
    expect((await send(server, key.header, WHO)).status).toBe(200);
    await ok(server, ROOT, UPDATE, { i: { userName: 'bob', accessKeyId: key.accessKeyId, status: 'INACTIVE' } });
    const inactive = await send(server, key.header, WHO);
    expect(inactive.status).toBe(401);
    // The read right after the write sees it too (no stale status on either backend).
    const listed = await ok(server, ROOT, '{ accessKeys(userName: "bob") { accessKeyId status } }');
    expect(listed['accessKeys']).toEqual([{ accessKeyId: key.accessKeyId, status: 'INACTIVE' }]);
    await ok(server, ROOT, UPDATE, { i: { userName: 'bob', accessKeyId: key.accessKeyId, status: 'ACTIVE' } });
    expect((await send(server, key.header, WHO)).status).toBe(200);
    expect((await ok(server, ROOT, DELETE, { i: { userName: 'bob', accessKeyId: key.accessKeyId } }))['deleteAccessKey'].__typename).toBe('DeleteAccessKeySuccess');
    expect((await send(server, key.header, WHO)).status).toBe(401);
  });

  it('a user manages its own keys under ${aws:username}, and no one else\'s', async () => {
    const bob = await accessKeyFor(server, 'bob');
    secrets.push(bob.secret);
    const own = await ok(server, bob.header, CREATE, { i: {} });
    expect(own['createAccessKey']).toMatchObject({ __typename: 'CreateAccessKeySuccess', accessKey: { userName: 'bob' } });
    secrets.push(own['createAccessKey'].secretAccessKey);
    const others = await send(server, bob.header, CREATE, { i: { userName: 'alice' } });
    expect(errorCode(others)).toBe('ACCESS_DENIED');
    const list = await send(server, bob.header, '{ accessKeys(userName: "alice") { accessKeyId } }');
    expect(errorCode(list)).toBe('ACCESS_DENIED');
    // Deleting your own key with your own key works; the key then stops authenticating.
    const otherKeyId = own['createAccessKey'].accessKey.accessKeyId;
    expect((await ok(server, bob.header, DELETE, { i: { accessKeyId: otherKeyId } }))['deleteAccessKey'].__typename).toBe('DeleteAccessKeySuccess');
  });

  it('reports last use and validates ids', async () => {
    const lastUsed = await ok(server, ROOT, '{ accessKeys(userName: "alice") { accessKeyId } }');
    const id = lastUsed['accessKeys'][0].accessKeyId as string;
    const info = await ok(server, ROOT, `{ accessKeyLastUsed(accessKeyId: "${id}") { accessKeyId userName } }`);
    expect(info['accessKeyLastUsed']).toEqual({ accessKeyId: id, userName: 'alice' });
    const bad = await ok(server, ROOT, DELETE.replace('{ __typename }', '{ __typename ... on ValidationError { field rule } }'), { i: { userName: 'alice', accessKeyId: 'nope' } });
    expect(bad['deleteAccessKey']).toEqual({ __typename: 'ValidationError', field: 'input.accessKeyId', rule: 'pattern' });
  });
});
