/** runWrite: one transaction for the change and its change-log rows, ordered revisions, NOTIFY at commit. */
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { openDatabase } from '../../src/db/open.ts';
import { changeLog, users } from '../../src/db/schema/index.ts';
import { CHANGES_CHANNEL } from '../../src/changes/listener.ts';
import { currentRevision, runWrite, type ChangeInput } from '../../src/changes/outbox.ts';
import { openTestDatabase, type TestDatabase } from '../support/database.ts';
import { describeStorage } from '../support/storage.ts';
import { createAccount, newUniqueId } from './support/fixtures.ts';

/** The payloads heard on `channel`; `until(payload)` resolves with all of them once that one has arrived. */
function collect(database: Database, channel: string) {
  const heard: string[] = [];
  const waiting = new Map<string, () => void>();
  const ready = database.listen(channel, (payload) => {
    heard.push(payload);
    waiting.get(payload)?.();
  });
  const until = (payload: string): Promise<string[]> =>
    new Promise((resolve) => {
      if (heard.includes(payload)) resolve(heard);
      else waiting.set(payload, () => resolve(heard));
    });
  return { heard, ready, until };
}

describeStorage('runWrite', (backend) => {
  let test: TestDatabase;
  let database: Database;
  let accountId: string;
  let actor: { arn: string; accountId: string };

  beforeAll(async () => {
    test = await openTestDatabase({ backend });
    database = test.database;
    accountId = await createAccount(database.db);
    actor = { arn: `arn:aws:iam::${accountId}:root`, accountId };
  });
  afterAll(() => test.cleanup());

  const change = (name: string): ChangeInput => ({
    kind: 'UserCreated',
    entityType: 'user',
    entityArn: `arn:aws:iam::${accountId}:user/${name}`,
    affectedPrincipalIds: [],
    payload: { userName: name },
  });
  const logSize = async () => (await database.db.select({ n: count() }).from(changeLog))[0]!.n;
  const createUser = (name: string) =>
    runWrite(database, actor, async (tx, record) => {
      const id = newUniqueId('user');
      await tx.insert(users).values({ id, accountId, name });
      record({ ...change(name), affectedPrincipalIds: [id] });
      return id;
    });

  it('commits the write and its change rows together, returning the revision', async () => {
    const before = BigInt(await currentRevision(database));
    const { result: id, revision } = await createUser('carol');
    expect(revision).toMatch(/^[0-9]+$/);
    expect(BigInt(revision)).toBeGreaterThan(before);
    const [row] = await database.db.select().from(changeLog).where(eq(changeLog.revision, BigInt(revision)));
    expect(row).toMatchObject({ accountId, actorArn: actor.arn, kind: 'UserCreated', entityType: 'user', affectedPrincipalIds: [id] });
    expect(row?.payload).toEqual({ userName: 'carol' });
    expect(await database.db.select().from(users).where(eq(users.id, id))).toHaveLength(1);
  });

  it('leaves nothing behind when fn throws, not even change rows', async () => {
    const rowsBefore = await logSize();
    const revisionBefore = await currentRevision(database);
    const failure = new Error('validation failed');
    await expect(
      runWrite(database, actor, async (tx, record) => {
        await tx.insert(users).values({ id: newUniqueId('user'), accountId, name: 'ghost' });
        record(change('ghost'));
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await logSize()).toBe(rowsBefore);
    expect(await currentRevision(database)).toBe(revisionBefore);
    expect(await database.db.select().from(users).where(eq(users.name, 'ghost'))).toHaveLength(0);
  });

  it('rolls back when the database rejects a statement after changes were recorded', async () => {
    const rowsBefore = await logSize();
    await createUser('dup');
    await expect(createUser('DUP')).rejects.toThrow();
    expect(await logSize()).toBe(rowsBefore + 1);
  });

  it('gives every recorded change its own row and returns the highest revision', async () => {
    const before = BigInt(await currentRevision(database));
    const { revision } = await runWrite(database, actor, async (_tx, record) => {
      record(change('one'));
      record(change('two'));
      record(change('three'));
    });
    const rows = await database.db.select().from(changeLog).where(eq(changeLog.actorArn, actor.arn)).orderBy(changeLog.revision);
    const mine = rows.filter((row) => row.revision > before);
    expect(mine.map((row) => row.payload['userName'])).toEqual(['one', 'two', 'three']);
    expect(mine.at(-1)?.revision.toString()).toBe(revision);
  });

  it('returns the current revision for a write that records nothing', async () => {
    const { revision: last } = await createUser('before-noop');
    const { result, revision } = await runWrite(database, actor, async () => 'nothing changed');
    expect(result).toBe('nothing changed');
    expect(revision).toBe(last);
  });

  it('refuses changes recorded after the write finished', async () => {
    let late: ((c: ChangeInput) => void) | undefined;
    await runWrite(database, actor, async (_tx, record) => {
      late = record;
    });
    expect(() => late?.(change('late'))).toThrow(/after the write finished/);
  });

  it('hands out strictly increasing revisions to concurrent writers', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => createUser(`concurrent${i}`)));
    const revisions = results.map((r) => BigInt(r.revision));
    expect(new Set(revisions).size).toBe(revisions.length);
    const max = revisions.reduce((a, b) => (a > b ? a : b));
    expect(await currentRevision(database)).toBe(max.toString());
  });

  it('notifies portcullis_changes with the revision after commit, and never for a rolled-back write', async () => {
    // A second connection (a second instance, on Postgres) hears it as well as the writer's own.
    const other = test.url ? await openDatabase({ databaseUrl: test.url, dataDir: 'memory://' }) : database;
    const listener = collect(other, CHANGES_CHANNEL);
    const unlisten = await listener.ready;
    try {
      await expect(
        runWrite(database, actor, async (_tx, record) => {
          record(change('never'));
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      const { revision } = await createUser('announced');
      await runWrite(database, actor, async () => undefined);
      // Notifications arrive in commit order: once this marker is heard, any the writes above sent are too.
      await database.notify(CHANGES_CHANNEL, 'marker');
      expect(await listener.until('marker')).toEqual([revision, 'marker']);
    } finally {
      await unlisten();
      if (other !== database) await other.close();
    }
  });
});
