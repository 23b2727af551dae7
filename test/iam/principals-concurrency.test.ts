/**
 * Concurrent writes to one principal: the quota checks and tag merges read then write, so they
 * lock the principal's row. Creates counted against an account quota take a per-account lock.
 * On PostgreSQL (TEST_DATABASE_URL) these run truly in parallel; on
 * PGlite they serialise on its single connection and must give the same answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LimitExceededError } from '../../src/errors.ts';
import { addUserToGroup, listGroupsForUser } from '../../src/iam/group-membership.ts';
import { createGroup } from '../../src/iam/groups.ts';
import { count, eq } from 'drizzle-orm';
import { groups } from '../../src/db/schema/index.ts';
import { newUniqueId } from '../../src/iam/ids.ts';
import { quotaLimit } from '../../src/iam/quotas.ts';
import { listUserTags, tagUser } from '../../src/iam/tags.ts';
import { createUser } from '../../src/iam/users.ts';
import { ACCOUNT, openPrincipalsFixture, type PrincipalsFixture } from './support/principals.ts';

let fx: PrincipalsFixture;
beforeAll(async () => {
  fx = await openPrincipalsFixture();
  await createUser(fx.database, fx.actor, { userName: 'busy' });
  for (let i = 0; i < 12; i++) await createGroup(fx.database, fx.actor, { groupName: `c${i}` });
});
afterAll(async () => {
  await fx.close();
});

describe('concurrent writes to one user', () => {
  it('lets exactly 10 of 12 parallel group additions through', async () => {
    const outcomes = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) => addUserToGroup(fx.database, fx.actor, { groupName: `c${i}`, userName: 'busy' })),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(10);
    const failures = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(failures).toHaveLength(2);
    for (const failure of failures) expect(failure.reason).toBeInstanceOf(LimitExceededError);
    expect((await listGroupsForUser(fx.database.db, ACCOUNT, 'busy')).items).toHaveLength(10);
  });

  it('keeps every tag of parallel tagUser calls', async () => {
    await Promise.all(Array.from({ length: 8 }, (_, i) => tagUser(fx.database, fx.actor, { userName: 'busy', tags: [{ key: `t${i}`, value: String(i) }] })));
    const keys = (await listUserTags(fx.database.db, ACCOUNT, 'busy')).map((t) => t.key).sort();
    expect(keys).toEqual(['t0', 't1', 't2', 't3', 't4', 't5', 't6', 't7']);
  });
});

describe('concurrent creates at an account quota', () => {
  it('lets exactly as many parallel createGroup calls through as the Groups quota has room for', async () => {
    // AWS's default: 300 groups per account. Fill the account to four short of it directly.
    const limit = quotaLimit('Groups');
    const [existing] = await fx.database.db.select({ n: count() }).from(groups).where(eq(groups.accountId, ACCOUNT));
    const filler = Array.from({ length: limit - 4 - (existing?.n ?? 0) }, (_, i) => ({ id: newUniqueId('group'), accountId: ACCOUNT, name: `filler-${i}` }));
    await fx.database.db.insert(groups).values(filler);
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => createGroup(fx.database, fx.actor, { groupName: `race-${i}` })));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(4);
    for (const failure of outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected')) {
      expect(failure.reason).toBeInstanceOf(LimitExceededError);
    }
    const [after] = await fx.database.db.select({ n: count() }).from(groups).where(eq(groups.accountId, ACCOUNT));
    expect(after?.n).toBe(limit);
  });
});
