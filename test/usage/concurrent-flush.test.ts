/**
 * Two instances flushing the same keys at the same moment: each writes its chunks in key order,
 * so their upserts lock rows in the same order and neither is aborted as a deadlock (which would
 * lose that chunk's tallies). PostgreSQL only: PGlite has one connection and one instance.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { ActionUsageBuffer } from '../../src/authz/action-usage.ts';
import { LastAccessedRecorder } from '../../src/authz/last-accessed.ts';
import type { Database } from '../../src/db/client.ts';
import { openDatabase } from '../../src/db/open.ts';
import { selectRows } from '../../src/db/rows.ts';
import { internAction } from '../../src/policy/index.ts';
import { openTestDatabase, postgresAdminUrl, type TestDatabase } from '../support/database.ts';

const ACCOUNT = '111122223333';
const KEYS = 4_000;

describe.skipIf(postgresAdminUrl() === undefined)('concurrent usage flushes from two instances', () => {
  let testDb: TestDatabase;
  let second: Database;
  beforeAll(async () => {
    testDb = await openTestDatabase({ backend: 'postgres' });
    second = await openDatabase({ databaseUrl: testDb.url!, dataDir: 'unused' });
  });
  afterAll(async () => {
    await second?.close();
    await testDb?.cleanup();
  });

  it('the same keys, recorded in opposite orders, flush at once without a deadlock and add up', async () => {
    const at = new Date();
    const keys = Array.from({ length: KEYS }, (_, i) => ({ principal: `AIDA${String(i % 400).padStart(16, '0')}`, resource: `arn:aws:s3:::bucket/${i}` }));
    const instance = (database: Database, order: typeof keys) => {
      const usage = new ActionUsageBuffer();
      const recorder = new LastAccessedRecorder(database, () => {}, 3_600_000, [usage]);
      for (const { principal, resource } of order) {
        usage.record(principal, ACCOUNT, 's3:GetObject', internAction('s3:GetObject'), resource, true, at);
        recorder.record(principal, ACCOUNT, `s${resource.length % 7}:GetObject`, internAction(`s${resource.length % 7}:GetObject`), at);
      }
      return recorder;
    };
    for (let round = 0; round < 3; round++) {
      const one = instance(testDb.database, keys);
      const two = instance(second, [...keys].reverse());
      const outcomes = await Promise.allSettled([one.flush(), two.flush()]);
      expect(outcomes.flatMap((o) => (o.status === 'rejected' ? [String(o.reason)] : []))).toEqual([]);
    }
    const [usage] = await selectRows<{ rows: number; requests: number }>(testDb.database.db, sql`select count(*)::int as rows, sum(requests)::int as requests from action_usage`);
    expect(usage).toEqual({ rows: KEYS, requests: KEYS * 2 * 3 });
  });
});
