/**
 * The change bus and the change-log listener on a real database: ordered delivery, revision
 * waits, catch-up after missed notifications, and precise invalidation of effective-policy sets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChangeBus } from '../../src/changes/bus.ts';
import type { ChangeEvent } from '../../src/changes/change.ts';
import { ChangeLogListener } from '../../src/changes/listener.ts';
import { runWrite } from '../../src/changes/outbox.ts';
import { AuthzRuntime } from '../../src/authz/runtime.ts';
import { createLogger } from '../../src/logger.ts';
import { CompiledPolicyCache } from '../../src/authz/compiled-policies.ts';
import { EffectivePolicyStore } from '../../src/authz/effective-policies.ts';
import { bootstrapAccount, rootArn } from '../../src/iam/bootstrap.ts';
import { createUser } from '../../src/iam/users.ts';
import { createPolicy } from '../../src/iam/policies.ts';
import { attachPolicy } from '../../src/iam/attachments.ts';
import { openTestDatabase, type TestDatabase } from '../support/database.ts';
import { arn, policy } from './support/directory.ts';
import { ACCOUNT } from './support/server.ts';

const actor = { arn: rootArn(ACCOUNT), accountId: ACCOUNT };

describe('ChangeBus', () => {
  it('delivers batches in order, advances the revision after handlers ran, and unsubscribes', () => {
    const bus = new ChangeBus();
    const seen: string[] = [];
    const unsubscribe = bus.subscribe((events) => {
      // Invariant: handlers run before the new revision is visible.
      seen.push(`${events.map((e) => e.revision).join(',')}@${bus.currentRevision}`);
    });
    const event = (revision: string): ChangeEvent => ({
      revision,
      accountId: ACCOUNT,
      actorArn: actor.arn,
      kind: 'UserUpdated',
      entityType: 'user',
      entityArn: arn.user('x'),
      affectedPrincipalIds: [],
      payload: {},
      createdAt: new Date(),
    });
    bus.publish([event('1'), event('2')], 2n);
    unsubscribe();
    bus.publish([event('3')], 3n);
    expect(seen).toEqual(['1,2@0']);
    expect(bus.currentRevision).toBe(3n);
    expect(bus.currentRevisionText).toBe('3');
  });

  it('resolves revision waits when reached and false on timeout', async () => {
    const bus = new ChangeBus();
    const reached = bus.waitForRevision(5n, 1_000);
    const missed = bus.waitForRevision(9n, 20);
    bus.publish([], 5n);
    expect(await reached).toBe(true);
    expect(await missed).toBe(false);
    expect(await bus.waitForRevision(4n, 0)).toBe(true);
  });

  it('keeps delivering when a handler throws', () => {
    const errors: unknown[] = [];
    const bus = new ChangeBus((error) => errors.push(error));
    let calls = 0;
    bus.subscribe(() => {
      throw new Error('boom');
    });
    bus.subscribe(() => calls++);
    bus.publish([{ revision: '1' } as ChangeEvent], 1n);
    expect(calls).toBe(1);
    expect(errors).toHaveLength(1);
  });
});

describe('ChangeLogListener and effective-policy invalidation', () => {
  let testDb: TestDatabase;
  let bus: ChangeBus;
  let listener: ChangeLogListener;
  let store: EffectivePolicyStore;
  /** Called as each statement is sent (a test places a change exactly while a load is in flight). */
  let onStatement: ((sql: string) => void) | undefined;

  beforeAll(async () => {
    testDb = await openTestDatabase({ onQuery: (sql) => onStatement?.(sql) });
    await bootstrapAccount(testDb.database, { accountId: ACCOUNT });
    bus = new ChangeBus();
    // A long poll interval: these tests must pass on notifications and explicit catch-ups alone.
    listener = new ChangeLogListener(testDb.database, bus, { pollIntervalMs: 600_000 });
    store = new EffectivePolicyStore(testDb.database, new CompiledPolicyCache(), bus);
    await listener.start();
  });
  afterAll(async () => {
    await listener.stop();
    await testDb.cleanup();
  });

  it('starts at the end of the log and applies later writes in order from NOTIFY', async () => {
    const start = bus.currentRevision;
    expect(start).toBeGreaterThan(0n);
    const received: string[] = [];
    const unsubscribe = bus.subscribe((events) => received.push(...events.map((e) => e.kind)));
    const { revision } = await createUser(testDb.database, actor, { userName: 'listener-user' });
    expect(await bus.waitForRevision(BigInt(revision), 5_000)).toBe(true);
    unsubscribe();
    expect(received).toContain('UserCreated');
    expect(bus.currentRevision).toBe(BigInt(revision));
  });

  it('catches up on rows whose notification it never heard', async () => {
    // Positioned where the main listener is, but never started: it hears no NOTIFY at all.
    const quiet = new ChangeBus();
    quiet.publish([], bus.currentRevision);
    const deaf = new ChangeLogListener(testDb.database, quiet, { pollIntervalMs: 600_000 });
    const kinds: string[] = [];
    quiet.subscribe((events) => kinds.push(...events.map((e) => e.kind)));
    const { revision } = await runWrite(testDb.database, actor, async (_tx, record) => {
      record({ kind: 'UserUpdated', entityType: 'user', entityArn: arn.user('probe'), affectedPrincipalIds: [], payload: {} });
    });
    expect(quiet.currentRevision).toBeLessThan(BigInt(revision));
    await deaf.catchUp();
    expect(quiet.currentRevision).toBe(BigInt(revision));
    expect(kinds).toEqual(['UserUpdated']);
    await deaf.stop();
  });

  it('drops exactly the sets a change names, and reloads them fresh', async () => {
    await createUser(testDb.database, actor, { userName: 'kept' });
    await createUser(testDb.database, actor, { userName: 'changed' });
    await createPolicy(testDb.database, actor, { policyName: 'Extra', policyDocument: policy({ Effect: 'Allow', Action: 'sqs:*', Resource: '*' }) });
    await listener.catchUp();
    const [kept, changed] = await store.loadMany([arn.user('kept'), arn.user('changed')]);
    expect(store.cache.size).toBeGreaterThanOrEqual(2);
    if (kept instanceof Error || changed instanceof Error) throw new Error('load failed');
    expect(changed?.identity).toHaveLength(0);

    const { revision } = await attachPolicy(testDb.database, actor, 'user', { principalName: 'changed', policyArn: arn.policy('Extra') });
    await listener.catchUp();
    expect(bus.currentRevision).toBeGreaterThanOrEqual(BigInt(revision));
    expect(store.peek(arn.user('kept'))).toBe(kept);
    expect(store.peek(arn.user('changed'))).toBeUndefined();
    const [reloaded] = await store.loadMany([arn.user('changed')]);
    if (reloaded instanceof Error || reloaded === undefined) throw new Error('reload failed');
    expect(reloaded.identity).toHaveLength(1);
  });

  it('uses but does not cache a set whose load overlapped a change', async () => {
    await createUser(testDb.database, actor, { userName: 'racy' });
    await listener.catchUp();
    // A change arrives while the load is in flight (it names someone else entirely): loads are
    // coalesced and sent on a later turn, and PGlite may answer within microtasks, so the change
    // is published as the load's statement goes out.
    onStatement = (sql) => {
      if (!sql.includes('group_memberships')) return;
      onStatement = undefined;
      bus.publish([{ revision: String(bus.currentRevision + 1n), accountId: ACCOUNT, actorArn: actor.arn, kind: 'UserUpdated', entityType: 'user', entityArn: 'x', affectedPrincipalIds: [], payload: {}, createdAt: new Date() }], bus.currentRevision + 1n);
    };
    const [loaded] = await store.loadMany([arn.user('racy')]);
    expect(onStatement).toBeUndefined();
    expect(loaded).not.toBeInstanceOf(Error);
    expect(store.peek(arn.user('racy'))).toBeUndefined();
  });

  it('reports an unknown principal as NoSuchEntity in its slot only', async () => {
    const [missing, root] = await store.loadMany([arn.user('ghost'), rootArn(ACCOUNT)]);
    expect(missing).toMatchObject({ code: 'NoSuchEntity' });
    expect(root).toMatchObject({ principal: { type: 'Account', accountId: ACCOUNT } });
  });
});

describe('read-your-writes on the instance that took the write', () => {
  it('reachOwnWrites catches up with the writes this process committed, even with no notification heard', async () => {
    const testDb = await openTestDatabase();
    // Not started: its listener hears no NOTIFY, as when one is late or lost.
    const bus = new ChangeBus();
    const listener = new ChangeLogListener(testDb.database, bus, { pollIntervalMs: 600_000 });
    const runtime = new AuthzRuntime(testDb.database, createLogger('silent'), { bus, listener }, { revisionWaitMs: 10 });
    try {
      await bootstrapAccount(testDb.database, { accountId: ACCOUNT });
      const { revision } = await createUser(testDb.database, actor, { userName: 'writer' });
      expect(testDb.database.commits.highest).toBe(BigInt(revision));
      expect(runtime.bus.currentRevision).toBeLessThan(BigInt(revision));
      await runtime.reachOwnWrites();
      expect(runtime.bus.currentRevision).toBeGreaterThanOrEqual(BigInt(revision));
    } finally {
      await runtime.stop();
      await listener.stop();
      await testDb.cleanup();
    }
  });
});
