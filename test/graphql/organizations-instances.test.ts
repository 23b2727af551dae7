/**
 * Closing an account stops its credentials on every instance: two servers share one PostgreSQL
 * database; a member account's access key is verified (and cached) on B, the account is closed
 * through A, and B refuses the key once it has applied that revision, without a restart.
 * Needs PostgreSQL (TEST_DATABASE_URL): PGlite is one process's database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStorage, startTestServer, type TestServer, type TestStorage } from '../support/server.ts';
import { accessKeyFor, allow, basic, bearer, createUser, errorCode, ok, ROOT, ROOT_KEY_ID, ROOT_PASSWORD, ROOT_SECRET, send } from '../identity/support/server.ts';

describe.skipIf(!process.env['TEST_DATABASE_URL'])('closeAccount across instances', () => {
  let storage: TestStorage;
  let a: TestServer;
  let b: TestServer;
  const env = { PORTCULLIS_ROOT_ACCESS_KEY: `${ROOT_KEY_ID}:${ROOT_SECRET}`, PORTCULLIS_ROOT_PASSWORD: ROOT_PASSWORD };

  beforeAll(async () => {
    storage = await createTestStorage();
    a = await startTestServer({ storage, env });
    b = await startTestServer({ storage, env });
  }, 120_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await storage?.destroy();
  });

  it('drops the closed account’s cached credentials on the other instance', async () => {
    const created = (await ok(a, ROOT, 'mutation { createAccount(input: { accountName: "Shared", email: "shared@example.com" }) { ... on CreateAccountSuccess { roleArn account { id } } } }'))['createAccount'];
    await createUser(a, 'admin', allow('sts:AssumeRole', created.roleArn));
    const admin = await accessKeyFor(a, 'admin');
    const assumed = await ok(a, admin.header, `mutation { assumeRole(input: { roleArn: "${created.roleArn}", roleSessionName: "shared" }) { __typename ... on AssumeRoleSuccess { credentials { sessionToken } } ... on ResultError { message } } }`);
    expect(assumed['assumeRole'].__typename, JSON.stringify(assumed)).toBe('AssumeRoleSuccess');
    const session = bearer(assumed['assumeRole'].credentials.sessionToken);
    const made = await ok(a, session, 'mutation { createUser(input: { userName: "dev" }) { __typename } createAccessKey(input: { userName: "dev" }) { ... on CreateAccessKeySuccess { secretAccessKey accessKey { accessKeyId } } } }');
    const key = basic(made['createAccessKey'].accessKey.accessKeyId, made['createAccessKey'].secretAccessKey);
    // Verified and cached on B.
    expect((await ok(b, key, '{ callerIdentity { account } }'))['callerIdentity'].account).toBe(created.account.id);
    expect((await ok(b, session, '{ callerIdentity { account } }'))['callerIdentity'].account).toBe(created.account.id);

    const closed = (await ok(a, ROOT, `mutation { closeAccount(input: { accountId: "${created.account.id}" }) { ... on CloseAccountSuccess { revision } } }`))['closeAccount'];
    expect(await b.running.app.changes.bus.waitForRevision(BigInt(closed.revision), 10_000)).toBe(true);
    for (const credential of [key, session]) {
      const response = await send(b, credential, '{ callerIdentity { account } }');
      expect(response.status).toBe(401);
      expect(errorCode(response)).toBe('UNAUTHENTICATED');
    }
  }, 60_000);
});
