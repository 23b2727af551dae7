/** Access-key last use over HTTP: a request's first guard check is remembered in memory and shows in accessKeyLastUsed after a flush. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/server.ts';
import { accessKeyFor, allow, createUser, expectNotLogged, ok, ROOT, ROOT_SECRET, startIdentityServer } from './support/server.ts';

const LAST_USED = 'query($id: String!) { accessKeyLastUsed(accessKeyId: $id) { accessKeyId userName lastUsedDate serviceName actionName } }';

describe('accessKeyLastUsed', () => {
  let server: TestServer;
  const secrets: string[] = [ROOT_SECRET];
  beforeAll(async () => {
    server = await startIdentityServer();
    await createUser(server, 'carol', allow(['iam:ListAccessKeys'], 'arn:aws:iam::*:user/${aws:username}'));
  }, 60_000);
  afterAll(async () => {
    expectNotLogged(server, secrets);
    await server.dispose();
  });

  it('records the time, action and service of a key\'s use, written by the batched flush', async () => {
    const key = await accessKeyFor(server, 'carol');
    secrets.push(key.secret);
    await server.running.app.authz.flushUsage();
    const unused = await ok(server, ROOT, LAST_USED, { id: key.accessKeyId });
    expect(unused['accessKeyLastUsed']).toEqual({ accessKeyId: key.accessKeyId, userName: 'carol', lastUsedDate: null, serviceName: null, actionName: null });

    const before = Date.now();
    const listed = await ok(server, key.header, '{ accessKeys { accessKeyId } }');
    expect(listed['accessKeys']).toEqual([{ accessKeyId: key.accessKeyId }]);
    await server.running.app.authz.flushUsage();

    const used = (await ok(server, ROOT, LAST_USED, { id: key.accessKeyId }))['accessKeyLastUsed'];
    expect(used).toMatchObject({ accessKeyId: key.accessKeyId, userName: 'carol', serviceName: 'iam', actionName: 'iam:ListAccessKeys' });
    const at = Date.parse(used.lastUsedDate);
    expect(at).toBeGreaterThanOrEqual(before - 1_000);
    expect(at).toBeLessThanOrEqual(Date.now());
    expect(server.running.app.authz.keyLastUsed.flushedRows).toBeGreaterThanOrEqual(1);
  });
});
