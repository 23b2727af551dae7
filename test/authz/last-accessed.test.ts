/** The last-accessed recorder: aggregates in memory, writes one row per principal and service, never moves backwards. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LastAccessedRecorder, MAX_PENDING_ACCESSES } from '../../src/authz/last-accessed.ts';
import { serviceLastAccessed } from '../../src/db/schema/last-accessed.ts';
import { openTestDatabase, type TestDatabase } from '../support/database.ts';

describe('LastAccessedRecorder', () => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await openTestDatabase();
  });
  afterAll(async () => {
    await testDb.cleanup();
  });

  it('folds accesses into one row per principal and service, keeping the latest', async () => {
    const errors: unknown[] = [];
    const recorder = new LastAccessedRecorder(testDb.database, (error) => errors.push(error), 600_000);
    const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
    recorder.record('AIDAEXAMPLEUSER00001', '111122223333', 's3:GetObject', t(1));
    recorder.record('AIDAEXAMPLEUSER00001', '111122223333', 'S3:PutObject', t(3));
    recorder.record('AIDAEXAMPLEUSER00001', '111122223333', 's3:ListBucket', t(2));
    recorder.record('AIDAEXAMPLEUSER00001', '111122223333', 'kms:Decrypt', t(1));
    recorder.record('AROAEXAMPLEROLE00001', '111122223333', 's3:GetObject', t(5));
    await recorder.flush();
    // A later flush with an older access (say, from another instance's backlog) does not move backwards.
    recorder.record('AIDAEXAMPLEUSER00001', '111122223333', 's3:DeleteObject', t(0));
    await recorder.stop();
    const rows = await testDb.database.db.select().from(serviceLastAccessed);
    const view = rows.map((r) => [r.principalId, r.serviceNamespace, r.lastAction, r.lastAccessedAt.toISOString()]).sort();
    expect(view).toEqual([
      ['AIDAEXAMPLEUSER00001', 'kms', 'kms:Decrypt', t(1).toISOString()],
      ['AIDAEXAMPLEUSER00001', 's3', 'S3:PutObject', t(3).toISOString()],
      ['AROAEXAMPLEROLE00001', 's3', 's3:GetObject', t(5).toISOString()],
    ]);
    expect(recorder.flushedRows).toBe(4);
    expect(errors).toEqual([]);
  });

  it('holds at most MAX_PENDING_ACCESSES principal and service pairs until a flush, counting what it drops', async () => {
    const recorder = new LastAccessedRecorder(testDb.database, () => {}, 600_000);
    const t = (s: number) => new Date(Date.UTC(2026, 0, 2, 0, 0, s));
    // A question may name any service prefix: a caller inventing them fills the buffer, no further.
    for (let i = 0; i < MAX_PENDING_ACCESSES; i++) recorder.record('AIDAEXAMPLEUSER00002', '111122223333', `svc${i}:Do`, t(1));
    expect(recorder.dropped).toBe(0);
    recorder.record('AIDAEXAMPLEUSER00002', '111122223333', 'invented:Do', t(2));
    recorder.record('AROAEXAMPLEROLE00002', '111122223333', 's3:GetObject', t(2));
    expect(recorder.dropped).toBe(2);
    // A pair already waiting still takes the later access.
    recorder.record('AIDAEXAMPLEUSER00002', '111122223333', 'svc0:Again', t(3));
    expect(recorder.dropped).toBe(2);
    await recorder.stop();
    const rows = await testDb.database.db.select().from(serviceLastAccessed);
    const mine = rows.filter((r) => r.principalId.endsWith('00002'));
    expect(mine).toHaveLength(MAX_PENDING_ACCESSES);
    expect(mine.find((r) => r.serviceNamespace === 'svc0')).toMatchObject({ lastAction: 'svc0:Again', lastAccessedAt: t(3) });
    // After the flush there is room again.
    recorder.record('AROAEXAMPLEROLE00002', '111122223333', 's3:GetObject', t(4));
    expect(recorder.dropped).toBe(2);
  });
});
