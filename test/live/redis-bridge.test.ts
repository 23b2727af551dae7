/**
 * The optional Redis bridge against the local Redis (127.0.0.1:6379): an instance announces the
 * revisions it applies, and a revision announced by someone else makes it read the change log at
 * once, well before its safety-net poll, even when no NOTIFY was sent. Skipped when Redis is not
 * reachable (a failure under CI: see test/support/redis.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { max } from 'drizzle-orm';
import { changeLog } from '../../src/db/schema/change-log.ts';
import { REDIS_REVISIONS_CHANNEL } from '../../src/changes/redis-bridge.ts';
import { createUser } from '../../src/iam/users.ts';
import { ACCOUNT_ID, ROOT_ACTOR, ROOT_AUTH, collect, connect, databaseOf, eventually, liveListeners, startPair, type ServerPair } from './support/servers.ts';
import { TEST_REDIS_URL, redisReachable } from '../support/redis.ts';

const reachable = await redisReachable();

describe.skipIf(!reachable)('redis revision bridge', () => {
  let pair: ServerPair;
  let observer: Redis;
  const heard: Array<{ instance: string; revision: string }> = [];

  beforeAll(async () => {
    pair = await startPair({ REDIS_URL: TEST_REDIS_URL });
    observer = new Redis(TEST_REDIS_URL, { lazyConnect: true });
    await observer.connect();
    observer.on('message', (_channel: string, message: string) => heard.push(JSON.parse(message) as { instance: string; revision: string }));
    await observer.subscribe(REDIS_REVISIONS_CHANNEL);
  }, 60_000);

  afterAll(async () => {
    await observer?.quit();
    await pair?.dispose();
  });

  it('announces the revisions an instance applies', async () => {
    const bridge = pair.a.running.app.changes.redisBridge!;
    expect(bridge).toBeDefined();
    const { revision } = await createUser(databaseOf(pair.a), ROOT_ACTOR, { userName: 'redis-announced' });
    await eventually(() => heard.some((m) => m.revision === revision), 5_000, 'the announcement');
  });

  it('wakes an instance for a change that was never NOTIFYed, and subscribers get it', async () => {
    const runtime = pair.b.running.app.authz;
    const bridge = pair.b.running.app.changes.redisBridge!;
    // The first test's change may still be on its way to b: a subscription started before b has
    // applied it would receive it first. Wait until b stands at the head of the log.
    const [head] = await databaseOf(pair.a).db.select({ revision: max(changeLog.revision) }).from(changeLog);
    await eventually(() => runtime.bus.currentRevision >= BigInt(head!.revision ?? 0), 5_000, 'b at the head of the change log');
    const ws = connect(pair.b, ROOT_AUTH);
    const sub = collect(ws, 'subscription { changes { revision kind } }');
    await eventually(() => liveListeners(pair.b) >= 2, 5_000, 'the subscription');
    // A row committed without NOTIFY (of a kind that changes no one's permissions): only the 5 s safety-net poll would find it.
    const [row] = await databaseOf(pair.a)
      .db.insert(changeLog)
      .values({ accountId: ACCOUNT_ID, actorArn: ROOT_ACTOR.arn, kind: 'AccountPasswordPolicyDeleted', entityType: 'account', entityArn: ROOT_ACTOR.arn, affectedPrincipalIds: [], payload: {} })
      .returning({ revision: changeLog.revision });
    const revision = row!.revision.toString();
    const before = bridge.wakeUps;
    const publisher = new Redis(TEST_REDIS_URL);
    await publisher.publish(REDIS_REVISIONS_CHANNEL, JSON.stringify({ instance: 'test-observer', revision }));
    await publisher.quit();
    // Within 4 s: before the 5 s safety-net poll could have found the row.
    const [event] = await sub.waitFor(1, 4_000);
    expect(event.changes).toEqual({ revision, kind: 'ACCOUNT_PASSWORD_POLICY_DELETED' });
    expect(bridge.wakeUps).toBe(before + 1);
    expect(runtime.bus.currentRevision).toBeGreaterThanOrEqual(BigInt(revision));
    await ws.dispose();
  });
});
