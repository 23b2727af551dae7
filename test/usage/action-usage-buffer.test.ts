/**
 * The action-usage buffer: one row per principal, action (case folded), resource and UTC day;
 * counts and latest times add up; at most MAX_RESOURCES_PER_ACTION resources per principal and
 * action in a flush (every spelling of the action counted together), the rest and over-long ARNs
 * under FOLDED_RESOURCE; flushes add to what earlier flushes wrote; a full buffer counts what it drops.
 * What is stored is bounded per principal and day, across flushes: resources (the rest folded under
 * their action) and actions (the rest refused and counted).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ActionUsageBuffer, FOLDED_RESOURCE, MAX_ACTIONS_PER_DAY, MAX_PENDING_KEYS, MAX_RESOURCES_PER_ACTION, MAX_RESOURCES_PER_DAY } from '../../src/authz/action-usage.ts';
import { actionUsage, actionUsageDays } from '../../src/db/schema/action-usage.ts';
import { internAction } from '../../src/policy/index.ts';
import { openTestDatabase, type TestDatabase } from '../support/database.ts';

const USER = 'AIDAEXAMPLEUSER00001';
const ROLE = 'AROAEXAMPLEROLE00001';
const ACCOUNT = '111122223333';
const byText = (a: unknown, b: unknown) => JSON.stringify(a).localeCompare(JSON.stringify(b));
const t = (day: number, s: number) => new Date(Date.UTC(2026, 0, day, 23, 59, s));
/** The i-th spelling of `action`: bit k of i upper-cases its k-th character. */
const caseVariant = (action: string, i: number) => [...action].map((c, k) => ((i >> k) & 1 ? c.toUpperCase() : c.toLowerCase())).join('');

describe('ActionUsageBuffer', () => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await openTestDatabase();
  });
  afterAll(async () => {
    await testDb.cleanup();
  });
  beforeEach(async () => {
    await testDb.database.db.delete(actionUsage);
    await testDb.database.db.delete(actionUsageDays);
  });

  const rows = async () =>
    (await testDb.database.db.select().from(actionUsage))
      .map((r) => [r.principalId, r.action, r.actionKey, r.resourceArn, r.day, r.requests, r.allowed, r.lastAccessedAt.toISOString(), r.lastAllowedAt?.toISOString() ?? null])
      .sort(byText);

  it('tallies per principal, case-folded action, resource and UTC day, keeping the first spelling', async () => {
    const buffer = new ActionUsageBuffer();
    const bucket = 'arn:aws:s3:::bucket';
    buffer.record(USER, ACCOUNT, 's3:GetObject', internAction('s3:GetObject'), bucket, true, t(1, 10));
    buffer.record(USER, ACCOUNT, 'S3:GETOBJECT', internAction('S3:GETOBJECT'), bucket, false, t(1, 20));
    buffer.record(USER, ACCOUNT, 's3:getobject', internAction('s3:getobject'), bucket, true, t(1, 5));
    // One second later it is the next UTC day: a row of its own.
    buffer.record(USER, ACCOUNT, 'S3:GetObject', internAction('S3:GetObject'), bucket, false, new Date(Date.UTC(2026, 0, 2, 0, 0, 1)));
    buffer.record(ROLE, ACCOUNT, 's3:GetObject', internAction('s3:GetObject'), bucket, true, t(1, 30));
    await buffer.writePending(testDb.database);
    expect(await rows()).toEqual(
      [
      [ROLE, 's3:GetObject', 's3:getobject', bucket, '2026-01-01', 1, 1, t(1, 30).toISOString(), t(1, 30).toISOString()],
      [USER, 'S3:GetObject', 's3:getobject', bucket, '2026-01-02', 1, 0, '2026-01-02T00:00:01.000Z', null],
      [USER, 's3:GetObject', 's3:getobject', bucket, '2026-01-01', 3, 2, t(1, 20).toISOString(), t(1, 10).toISOString()],
      ].sort(byText),
    );
    expect(buffer.flushedRows).toBe(3);

    // A later flush adds its counts to the stored row and never moves its times backwards.
    buffer.record(USER, ACCOUNT, 's3:GetObject', internAction('s3:GetObject'), bucket, true, t(1, 1));
    await buffer.writePending(testDb.database);
    const first = (await rows()).find((r) => r[0] === USER && r[4] === '2026-01-01');
    expect(first).toEqual([USER, 's3:GetObject', 's3:getobject', bucket, '2026-01-01', 4, 3, t(1, 20).toISOString(), t(1, 10).toISOString()]);
  });

  it('folds resources beyond the per-action cap, counting every spelling together, and over-long ARNs', async () => {
    const buffer = new ActionUsageBuffer();
    const arn = (i: number) => `arn:aws:s3:::bucket/object-${String(i).padStart(4, '0')}`;
    for (let i = 0; i < MAX_RESOURCES_PER_ACTION + 20; i++) buffer.record(USER, ACCOUNT, i % 2 === 0 ? 's3:GetObject' : 'S3:GETOBJECT', internAction(i % 2 === 0 ? 's3:GetObject' : 'S3:GETOBJECT'), arn(i), true, t(1, 1));
    // A resource seen before the cap keeps its own tally; an over-long ARN is folded on its own action's map too.
    buffer.record(USER, ACCOUNT, 's3:GetObject', internAction('s3:GetObject'), arn(0), false, t(1, 2));
    buffer.record(USER, ACCOUNT, 's3:PutObject', internAction('s3:PutObject'), `arn:aws:s3:::bucket/${'x'.repeat(2_100)}`, false, t(1, 3));
    await buffer.writePending(testDb.database);
    const written = await rows();
    const getObject = written.filter((r) => r[2] === 's3:getobject');
    // The first MAX_RESOURCES_PER_ACTION resources by name, whichever spelling asked; the other 20 uses folded.
    expect(getObject).toHaveLength(MAX_RESOURCES_PER_ACTION + 1);
    const folded = getObject.find((r) => r[3] === FOLDED_RESOURCE)!;
    expect(folded[5]).toBe(20);
    expect(getObject.find((r) => r[3] === arn(0))!.slice(5, 7)).toEqual([2, 1]);
    expect(written.filter((r) => r[2] === 's3:putobject').map((r) => r[3])).toEqual([FOLDED_RESOURCE]);
    expect(buffer.dropped).toBe(0);
  });

  it('holds at most MAX_PENDING_KEYS tallies until a flush, counting the uses it drops, and still counts known ones', () => {
    const buffer = new ActionUsageBuffer();
    const principals = MAX_PENDING_KEYS / MAX_RESOURCES_PER_ACTION;
    const resource = (i: number) => `arn:aws:s3:::bucket/${i}`;
    for (let p = 0; p < principals; p++) {
      for (let r = 0; r < MAX_RESOURCES_PER_ACTION; r++) buffer.record(`AIDA${p}`, ACCOUNT, 's3:GetObject', internAction('s3:GetObject'), resource(r), true, t(1, 1));
    }
    expect(buffer.dropped).toBe(0);
    // Each principal, its action, and its resources.
    const held = buffer.heldEntries;
    expect(held).toBe(principals * 2 + MAX_PENDING_KEYS);
    // New principals, and a known principal's new actions: no room for any, and nothing kept of them.
    for (let i = 0; i < 1_000; i++) {
      buffer.record(`AIDANEW${i}`, ACCOUNT, 's3:GetObject', internAction('s3:GetObject'), resource(0), true, t(1, 2));
      buffer.record('AIDA0', ACCOUNT, `s3:Action${i}`, internAction(`s3:Action${i}`), resource(0), true, t(1, 2));
    }
    expect(buffer.dropped).toBe(2_000);
    // A tally already held takes further uses, in any spelling of its action.
    buffer.record('AIDA0', ACCOUNT, 's3:GetObject', internAction('s3:GetObject'), resource(0), false, t(1, 3));
    for (let i = 0; i < 1_000; i++) buffer.record('AIDA0', ACCOUNT, caseVariant('s3:GetObject', i), internAction(caseVariant('s3:GetObject', i)), resource(0), false, t(1, 3));
    expect(buffer.dropped).toBe(2_000);
    // Spellings share their action's key: the buffer did not grow.
    expect(buffer.heldEntries).toBe(held);
  });

  it('counts every spelling of an action in one tally, however many a caller sends', async () => {
    const buffer = new ActionUsageBuffer();
    const spellings = ['s3:GetObject', ...Array.from({ length: 7 }, (_, i) => caseVariant('s3:GetObject', i * 37 + 1))];
    for (let round = 0; round < 2; round++) for (const spelling of spellings) buffer.record(USER, ACCOUNT, spelling, internAction(spelling), 'arn:aws:s3:::bucket', true, t(1, 1));
    await buffer.writePending(testDb.database);
    expect(await rows()).toEqual([[USER, 's3:GetObject', 's3:getobject', 'arn:aws:s3:::bucket', '2026-01-01', 16, 16, t(1, 1).toISOString(), t(1, 1).toISOString()]]);
  });

  it('stores at most MAX_RESOURCES_PER_DAY resources per principal and day across flushes, folding the rest under their action', async () => {
    const buffer = new ActionUsageBuffer();
    const actions = MAX_RESOURCES_PER_DAY / MAX_RESOURCES_PER_ACTION + 1;
    const action = (a: number) => `svc:Action${String(a).padStart(2, '0')}`;
    const resource = (r: number) => `arn:aws:svc:::thing/${String(r).padStart(3, '0')}`;
    const half = Math.ceil(actions / 2);
    for (let a = 0; a < half; a++) for (let r = 0; r < MAX_RESOURCES_PER_ACTION; r++) buffer.record(USER, ACCOUNT, action(a), internAction(action(a)), resource(r), true, t(1, 1));
    await buffer.writePending(testDb.database);
    // The rest in a later flush, with a use of a stored resource: the last action in key order
    // finds the day full, and its uses count under FOLDED_RESOURCE.
    for (let a = half; a < actions; a++) for (let r = 0; r < MAX_RESOURCES_PER_ACTION; r++) buffer.record(USER, ACCOUNT, action(a), internAction(action(a)), resource(r), true, t(1, 2));
    buffer.record(USER, ACCOUNT, action(0), internAction(action(0)), resource(0), false, t(1, 2));
    await buffer.writePending(testDb.database);
    let written = await rows();
    expect(written.filter((r) => r[3] !== FOLDED_RESOURCE)).toHaveLength(MAX_RESOURCES_PER_DAY);
    expect(written.filter((r) => r[1] === action(actions - 1)).map((r) => [r[3], r[5]])).toEqual([[FOLDED_RESOURCE, MAX_RESOURCES_PER_ACTION]]);
    expect(written.find((r) => r[1] === action(0) && r[3] === resource(0))!.slice(5, 7)).toEqual([2, 1]);
    // Later flushes fold too, for any action; the next day has room again.
    buffer.record(USER, ACCOUNT, action(0), internAction(action(0)), resource(999), true, t(1, 3));
    buffer.record(USER, ACCOUNT, action(0), internAction(action(0)), resource(999), true, t(2, 1));
    await buffer.writePending(testDb.database);
    written = await rows();
    expect(written.filter((r) => r[4] === '2026-01-01')).toHaveLength(MAX_RESOURCES_PER_DAY + 2);
    expect(written.find((r) => r[1] === action(0) && r[3] === FOLDED_RESOURCE)!.slice(5, 7)).toEqual([1, 1]);
    expect(written.filter((r) => r[4] === '2026-01-02').map((r) => r[3])).toEqual([resource(999)]);
    expect(buffer.dropped).toBe(0);
  });

  it('stores at most MAX_ACTIONS_PER_DAY actions per principal and day, refusing and counting uses of the rest', async () => {
    const buffer = new ActionUsageBuffer();
    const action = (a: number) => `svc:Action${String(a).padStart(4, '0')}`;
    const resource = 'arn:aws:svc:::thing';
    for (let a = 0; a < MAX_ACTIONS_PER_DAY + 5; a++) buffer.record(USER, ACCOUNT, action(a), internAction(action(a)), resource, true, t(1, 1));
    buffer.record(USER, ACCOUNT, action(MAX_ACTIONS_PER_DAY + 4), internAction(action(MAX_ACTIONS_PER_DAY + 4)), resource, true, t(1, 1));
    buffer.record(ROLE, ACCOUNT, action(MAX_ACTIONS_PER_DAY + 4), internAction(action(MAX_ACTIONS_PER_DAY + 4)), resource, true, t(1, 1));
    await buffer.writePending(testDb.database);
    const actionsOf = async (principal: string) => (await rows()).filter((r) => r[0] === principal).map((r) => r[1]);
    // The first MAX_ACTIONS_PER_DAY in key order; the other five actions' six uses refused.
    expect(await actionsOf(USER)).toHaveLength(MAX_ACTIONS_PER_DAY);
    expect((await actionsOf(USER)).includes(action(MAX_ACTIONS_PER_DAY))).toBe(false);
    expect(await actionsOf(ROLE)).toEqual([action(MAX_ACTIONS_PER_DAY + 4)]);
    expect(buffer.dropped).toBe(6);
    // Later: a stored action still counts, a new one is refused, and the next day starts afresh.
    buffer.record(USER, ACCOUNT, action(0), internAction(action(0)), resource, true, t(1, 2));
    buffer.record(USER, ACCOUNT, 'svc:Another', internAction('svc:Another'), resource, true, t(1, 2));
    buffer.record(USER, ACCOUNT, 'svc:Another', internAction('svc:Another'), resource, true, t(2, 1));
    await buffer.writePending(testDb.database);
    const all = await rows();
    expect(all.filter((r) => r[0] === USER && r[4] === '2026-01-01')).toHaveLength(MAX_ACTIONS_PER_DAY);
    expect(all.find((r) => r[0] === USER && r[1] === action(0))!.slice(5, 7)).toEqual([2, 2]);
    expect(all.filter((r) => r[0] === USER && r[4] === '2026-01-02').map((r) => r[1])).toEqual(['svc:Another']);
    expect(buffer.dropped).toBe(7);
  });
});
