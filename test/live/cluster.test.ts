/**
 * Two instances on one PostgreSQL database: writes made concurrently on both reach subscribers
 * on both, in the same (revision) order, with nothing missing. Skipped without TEST_DATABASE_URL
 * (every other live test runs its writes on A and subscribes on B, which is one PGlite server then).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/iam/users.ts';
import { ROOT_ACTOR, ROOT_AUTH, collect, connect, databaseOf, eventually, hasPostgres, liveListeners, startPair, type ServerPair } from './support/servers.ts';

describe.skipIf(!hasPostgres)('two instances', () => {
  let pair: ServerPair;

  beforeAll(async () => {
    pair = await startPair();
  }, 60_000);

  afterAll(async () => {
    await pair?.dispose();
  });

  it('delivers writes from either instance to subscribers on both, in revision order', async () => {
    expect(pair.distinct).toBe(true);
    const onA = connect(pair.a, ROOT_AUTH);
    const onB = connect(pair.b, ROOT_AUTH);
    const query = 'subscription { changes(filter: { kinds: [USER_CREATED] }) { revision entityArn } }';
    const subA = collect(onA, query);
    const subB = collect(onB, query);
    await eventually(() => liveListeners(pair.a) >= 2 && liveListeners(pair.b) >= 2, 5_000, 'both subscriptions');
    const writes = await Promise.all(
      Array.from({ length: 30 }, (_, i) => createUser(databaseOf(i % 2 === 0 ? pair.a : pair.b), ROOT_ACTOR, { userName: `cluster-${i}` })),
    );
    const expected = writes.map((w) => w.revision).sort((x, y) => (BigInt(x) < BigInt(y) ? -1 : 1));
    await subA.waitFor(30, 10_000);
    await subB.waitFor(30, 10_000);
    expect(subA.values.map((v) => v.changes.revision)).toEqual(expected);
    expect(subB.values.map((v) => v.changes.revision)).toEqual(expected);
    await onA.dispose();
    await onB.dispose();
  }, 60_000);
});
