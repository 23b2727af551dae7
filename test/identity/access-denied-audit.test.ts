/** Denials as audit events: a refused guard check becomes an AccessDenied change-log row after the batched flush. */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DenialAuditBuffer, MAX_PENDING_DENIALS } from '../../src/authz/denial-audit.ts';
import { changeLog } from '../../src/db/schema/change-log.ts';
import type { TestServer } from '../support/server.ts';
import { accessKeyFor, ACCOUNT, createUser, errorCode, expectNotLogged, ROOT_SECRET, send, startIdentityServer } from './support/server.ts';

describe('AccessDenied audit rows', () => {
  let server: TestServer;
  const secrets: string[] = [ROOT_SECRET];
  beforeAll(async () => {
    server = await startIdentityServer();
    await createUser(server, 'dave');
  }, 60_000);
  afterAll(async () => {
    expectNotLogged(server, secrets);
    await server.dispose();
  });

  it('appends one row per denial, naming the caller, action and resource, and no affected principals', async () => {
    const key = await accessKeyFor(server, 'dave');
    secrets.push(key.secret);
    const callerArn = `arn:aws:iam::${ACCOUNT}:user/dave`;
    const denied = await send(server, key.header, '{ user(userName: "dave") { userName } }');
    expect(errorCode(denied)).toBe('ACCESS_DENIED');
    expect(errorCode(await send(server, key.header, '{ user(userName: "dave") { userName } }'))).toBe('ACCESS_DENIED');
    const authz = server.running.app.authz;
    await authz.flushUsage();

    const rows = await server.running.app.database.db
      .select()
      .from(changeLog)
      .where(and(eq(changeLog.kind, 'AccessDenied'), eq(changeLog.actorArn, callerArn)));
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row).toMatchObject({ accountId: ACCOUNT, entityType: 'audit', entityArn: `arn:aws:iam::${ACCOUNT}:user/dave`, affectedPrincipalIds: [] });
      expect(row.payload).toMatchObject({ action: 'iam:GetUser', resource: `arn:aws:iam::${ACCOUNT}:user/dave` });
      expect(JSON.stringify(row.payload)).not.toContain(key.secret);
    }
    expect(authz.denials.flushedRows).toBeGreaterThanOrEqual(2);
    const metrics = await (await fetch(`${server.metricsUrl}/metrics`)).text();
    expect(metrics).toMatch(/^portcullis_access_denied_events_written_total [1-9]/m);
    expect(metrics).toMatch(/^portcullis_access_denied_events_dropped_total 0$/m);
    // The rows name dave's own ARN, yet once applied his key is still cached: audit rows invalidate nothing.
    await authz.reachRevision(rows.reduce((max, r) => (r.revision > max ? r.revision : max), 0n), 'revision');
    expect(authz.authenticator.keys.get(key.accessKeyId)).toBeDefined();
  });

  it('bounds the buffer, counting what it drops', () => {
    const buffer = new DenialAuditBuffer();
    const denial = { accountId: ACCOUNT, callerArn: 'arn:aws:iam::111122223333:user/x', action: 'iam:GetUser', resourceArn: '*', at: new Date() };
    for (let i = 0; i < MAX_PENDING_DENIALS + 3; i++) buffer.record(denial);
    expect(buffer.dropped).toBe(3);
  });
});
