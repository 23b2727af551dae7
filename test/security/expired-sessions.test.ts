/**
 * Session rows must not pile up. Every AssumeRole, GetSessionToken, federation token and console
 * sign-in stores a row, and nothing deleted it after expiry: a caller allowed sts:AssumeRole
 * could grow the table by the rate limiter's rate for ever, and ordinary use grew it too. Now
 * each issue deletes up to ten expired sessions (oldest first), so the table holds the live
 * sessions and a backlog that shrinks while sessions are issued; live sessions are never touched.
 */
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { stsSessions } from '../../src/db/schema/index.ts';
import { databaseOf } from '../live/support/servers.ts';
import { TestClock } from '../support/clock.ts';
import type { TestServer } from '../support/server.ts';
import { ACCOUNT, accessKeyFor, allow, bearer, createRole, createUser, ok, startIdentityServer } from '../identity/support/server.ts';

const ASSUME = `mutation($i: AssumeRoleInput!) { assumeRole(input: $i) {
  __typename ... on AssumeRoleSuccess { credentials { accessKeyId sessionToken } } ... on ResultError { code message } } }`;
const WHO = '{ callerIdentity { arn } }';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/Short`;

describe('expired sessions', () => {
  const clock = TestClock.running();
  let server: TestServer;
  let db: Database;
  let caller: string;

  beforeAll(async () => {
    server = await startIdentityServer({}, clock);
    db = databaseOf(server);
    await createUser(server, 'es-caller', allow('sts:AssumeRole'));
    caller = (await accessKeyFor(server, 'es-caller')).header;
    await createRole(server, 'Short', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/es-caller` }, Action: 'sts:AssumeRole' }] });
  }, 90_000);
  afterAll(async () => {
    await server?.dispose();
  });

  const assume = async (name: string) => {
    const data = await ok(server, caller, ASSUME, { i: { roleArn: ROLE, roleSessionName: name, durationSeconds: 900 } });
    expect(data['assumeRole'].__typename).toBe('AssumeRoleSuccess');
    return data['assumeRole'].credentials as { accessKeyId: string; sessionToken: string };
  };
  const stored = async () => (await db.db.select({ n: count() }).from(stsSessions).where(eq(stsSessions.kind, 'assume_role')))[0]!.n;

  it('deletes up to ten expired sessions per issue, oldest first, and never a live one', async () => {
    for (let i = 0; i < 12; i++) await assume(`old-${i}`);
    expect(await stored()).toBe(12);
    // 15 minutes on, the twelve have expired; a live one issued now must survive what follows.
    clock.advance(16 * 60 * 1000);
    const live = await assume('live-1');
    expect(await stored()).toBe(12 - 10 + 1);
    await assume('live-2');
    expect(await stored()).toBe(2);
    const left = await db.db.select({ name: stsSessions.sessionName }).from(stsSessions).where(eq(stsSessions.kind, 'assume_role'));
    expect(left.map((r) => r.name).sort()).toEqual(['live-1', 'live-2']);
    expect((await ok(server, bearer(live.sessionToken), WHO))['callerIdentity'].arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/Short/live-1`);
  });
});
