/** The last-accessed recorder: aggregates in memory, writes one row per principal and service, never moves backwards. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LastAccessedRecorder } from '../../src/authz/last-accessed.ts';
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
});
