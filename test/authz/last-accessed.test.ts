/** The last-accessed recorder: aggregates in memory, writes one row per principal and service, never moves backwards. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LastAccessedRecorder, MAX_PENDING_ACCESSES, MAX_SERVICES_PER_PRINCIPAL } from '../../src/authz/last-accessed.ts';
import { serviceLastAccessed } from '../../src/db/schema/last-accessed.ts';
import { internAction } from '../../src/policy/index.ts';
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
    recorder.record('AIDAEXAMPLEUSER00001', '111122223333', 's3:GetObject', internAction('s3:GetObject'), t(1));
    recorder.record('AIDAEXAMPLEUSER00001', '111122223333', 'S3:PutObject', internAction('S3:PutObject'), t(3));
    recorder.record('AIDAEXAMPLEUSER00001', '111122223333', 's3:ListBucket', internAction('s3:ListBucket'), t(2));
    recorder.record('AIDAEXAMPLEUSER00001', '111122223333', 'kms:Decrypt', internAction('kms:Decrypt'), t(1));
    recorder.record('AROAEXAMPLEROLE00001', '111122223333', 's3:GetObject', internAction('s3:GetObject'), t(5));
    await recorder.flush();
    // A later flush with an older access (say, from another instance's backlog) does not move backwards.
    recorder.record('AIDAEXAMPLEUSER00001', '111122223333', 's3:DeleteObject', internAction('s3:DeleteObject'), t(0));
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
    // A question may name any service prefix: callers inventing them fill the buffer, no further.
    const principals = MAX_PENDING_ACCESSES / MAX_SERVICES_PER_PRINCIPAL;
    for (let p = 0; p < principals; p++) for (let i = 0; i < MAX_SERVICES_PER_PRINCIPAL; i++) recorder.record(`AIDAFILL${p}`, '111122223333', `svc${i}:Do`, internAction(`svc${i}:Do`), t(1));
    expect(recorder.dropped).toBe(0);
    recorder.record('AIDAFILL0', '111122223333', 'invented:Do', internAction('invented:Do'), t(2));
    recorder.record('AROAEXAMPLEROLE00002', '111122223333', 's3:GetObject', internAction('s3:GetObject'), t(2));
    expect(recorder.dropped).toBe(2);
    // A pair already waiting still takes the later access.
    recorder.record('AIDAFILL0', '111122223333', 'svc0:Again', internAction('svc0:Again'), t(3));
    expect(recorder.dropped).toBe(2);
    await recorder.stop();
    const rows = await testDb.database.db.select().from(serviceLastAccessed);
    expect(rows.filter((r) => r.principalId.startsWith('AIDAFILL'))).toHaveLength(MAX_PENDING_ACCESSES);
    expect(rows.find((r) => r.principalId === 'AIDAFILL0' && r.serviceNamespace === 'svc0')).toMatchObject({ lastAction: 'svc0:Again', lastAccessedAt: t(3) });
    // After the flush there is room again.
    recorder.record('AROAEXAMPLEROLE00002', '111122223333', 's3:GetObject', internAction('s3:GetObject'), t(4));
    expect(recorder.dropped).toBe(2);
  });

  it('stores at most MAX_SERVICES_PER_PRINCIPAL services per principal, however many flushes name new ones', async () => {
    const recorder = new LastAccessedRecorder(testDb.database, () => {}, 600_000);
    const t = (s: number) => new Date(Date.UTC(2026, 0, 3, 0, 0, s));
    const name = (batch: string, i: number) => `${batch}${String(i).padStart(4, '0')}`;
    const FLOODED = 'AIDAEXAMPLEFLOOD0001';
    const stored = async (principalId: string) => (await testDb.database.db.select().from(serviceLastAccessed)).filter((r) => r.principalId === principalId);
    for (let i = 0; i < 600; i++) recorder.record(FLOODED, '111122223333', `${name('a', i)}:Do`, internAction(`${name('a', i)}:Do`), t(1));
    await recorder.flush();
    expect(await stored(FLOODED)).toHaveLength(600);

    // 600 more: the first 400 (in key order) fill the principal's quota, 200 are refused; a known
    // service still takes its later access, and another principal in the same flush is not touched.
    for (let i = 0; i < 600; i++) recorder.record(FLOODED, '111122223333', `${name('b', i)}:Do`, internAction(`${name('b', i)}:Do`), t(2));
    recorder.record(FLOODED, '111122223333', `${name('a', 0)}:Again`, internAction(`${name('a', 0)}:Again`), t(2));
    recorder.record('AIDAEXAMPLENEIGHBOR1', '111122223333', 's3:GetObject', internAction('s3:GetObject'), t(2));
    await recorder.flush();
    const after = await stored(FLOODED);
    expect(after).toHaveLength(MAX_SERVICES_PER_PRINCIPAL);
    expect(after.filter((r) => r.serviceNamespace.startsWith('b')).map((r) => r.serviceNamespace).sort()).toEqual(Array.from({ length: 400 }, (_, i) => name('b', i)));
    expect(after.find((r) => r.serviceNamespace === name('a', 0))).toMatchObject({ lastAction: `${name('a', 0)}:Again`, lastAccessedAt: t(2) });
    expect(await stored('AIDAEXAMPLENEIGHBOR1')).toHaveLength(1);
    expect(recorder.dropped).toBe(200);

    // Once full, every new service is refused and counted; nothing else changes.
    recorder.record(FLOODED, '111122223333', 'c0000:Do', internAction('c0000:Do'), t(3));
    await recorder.stop();
    expect(await stored(FLOODED)).toHaveLength(MAX_SERVICES_PER_PRINCIPAL);
    expect(recorder.dropped).toBe(201);
    expect(recorder.flushedRows).toBe(600 + 400 + 1 + 1);
  });
});
