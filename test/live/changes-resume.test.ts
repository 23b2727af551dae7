/**
 * `changes` is resumable: replay after `afterRevision` then live, with no gap and no duplicate,
 * even while writes commit during the replay; a reconnect with the last revision received picks
 * up exactly what was missed. Also: paging of the replay, account scoping, filters, and a session
 * credential ending at its expiry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq, gt } from 'drizzle-orm';
import { changeLog } from '../../src/db/schema/change-log.ts';
import { changeFeed } from '../../src/live/change-feed.ts';
import { watchCredential } from '../../src/live/credential-watch.ts';
import type { ChangeEvent } from '../../src/changes/change.ts';
import { createGroup } from '../../src/iam/groups.ts';
import { createUser } from '../../src/iam/users.ts';
import type { Caller } from '../../src/authz/caller.ts';
import { UnauthenticatedError } from '../../src/errors.ts';
import { ACCOUNT_ID, ROOT_ACTOR, ROOT_AUTH, collect, connect, databaseOf, eventually, liveListeners, startPair, type ServerPair } from './support/servers.ts';

const CHANGES = 'subscription ($after: String, $filter: ChangeFilter) { changes(afterRevision: $after, filter: $filter) { revision kind entityType entityArn } }';

let pair: ServerPair;

beforeAll(async () => {
  pair = await startPair();
}, 60_000);

afterAll(async () => {
  await pair?.dispose();
});

/** The account's revisions after `after`, from the table. */
async function logRevisions(after: string): Promise<string[]> {
  const rows = await databaseOf(pair.a)
    .db.select({ revision: changeLog.revision })
    .from(changeLog)
    .where(and(eq(changeLog.accountId, ACCOUNT_ID), gt(changeLog.revision, BigInt(after))))
    .orderBy(asc(changeLog.revision));
  return rows.map((r) => r.revision.toString());
}

describe('changes(afterRevision)', () => {
  it('replays then continues live with no gap and no duplicate while writes commit, and resumes after a disconnect', async () => {
    const db = databaseOf(pair.a);
    const { revision: start } = await createUser(db, ROOT_ACTOR, { userName: 'resume-0' });
    for (let i = 1; i <= 8; i++) await createUser(db, ROOT_ACTOR, { userName: `resume-${i}` });

    const ws = connect(pair.b, ROOT_AUTH);
    const sub = collect(ws, CHANGES, { after: start });
    // Writes racing the replay.
    let last = start;
    for (let i = 9; i <= 20; i++) ({ revision: last } = await createUser(db, ROOT_ACTOR, { userName: `resume-${i}` }));
    await eventually(() => sub.values.at(-1)?.changes.revision === last, 10_000, 'the last write');
    const received = sub.values.map((v) => v.changes.revision as string);
    expect(received).toEqual(await logRevisions(start));
    await ws.dispose();

    // Disconnected: these are missed live, and must come back on resume.
    const resumeFrom = received.at(-1)!;
    for (let i = 21; i <= 25; i++) ({ revision: last } = await createUser(db, ROOT_ACTOR, { userName: `resume-${i}` }));
    const ws2 = connect(pair.b, ROOT_AUTH);
    const resumed = collect(ws2, CHANGES, { after: resumeFrom });
    await eventually(() => resumed.values.at(-1)?.changes.revision === last, 10_000, 'the resumed stream');
    await createGroup(db, ROOT_ACTOR, { groupName: 'resume-live' });
    await eventually(() => resumed.values.at(-1)?.changes.kind === 'GROUP_CREATED', 10_000, 'a live change after the replay');
    const again = resumed.values.map((v) => v.changes.revision as string);
    expect(again).toEqual(await logRevisions(resumeFrom));
    expect(new Set([...received, ...again]).size).toBe(received.length + again.length);
    await ws2.dispose();
  }, 60_000);

  it('applies filters to the replay and the live part alike', async () => {
    const db = databaseOf(pair.a);
    const { revision: start } = await createGroup(db, ROOT_ACTOR, { groupName: 'filter-a' });
    await createUser(db, ROOT_ACTOR, { userName: 'filter-u1', path: '/eng/' });
    const ws = connect(pair.b, ROOT_AUTH);
    const sub = collect(ws, CHANGES, { after: start, filter: { entityTypes: ['USER'], pathPrefix: '/eng/' } });
    await sub.waitFor(1);
    await createUser(db, ROOT_ACTOR, { userName: 'filter-u2', path: '/ops/' });
    await createGroup(db, ROOT_ACTOR, { groupName: 'filter-b', path: '/eng/' });
    await createUser(db, ROOT_ACTOR, { userName: 'filter-u3', path: '/eng/team/' });
    const values = await sub.waitFor(2);
    expect(values.map((v) => v.changes.entityArn)).toEqual([
      `arn:aws:iam::${ACCOUNT_ID}:user/eng/filter-u1`,
      `arn:aws:iam::${ACCOUNT_ID}:user/eng/team/filter-u3`,
    ]);
    const byPrincipal = collect(ws, CHANGES, { after: start, filter: { principalArn: `arn:aws:iam::${ACCOUNT_ID}:user/eng/team/filter-u3` } });
    const [own] = await byPrincipal.waitFor(1);
    expect(own.changes.entityArn).toBe(`arn:aws:iam::${ACCOUNT_ID}:user/eng/team/filter-u3`);
    const foreign = collect(ws, CHANGES, { filter: { principalArn: 'arn:aws:iam::999999999999:user/someone' } });
    await foreign.ended;
    expect(JSON.stringify(foreign.errors)).toContain('filter.principalArn must name a principal of account');
    const bad = collect(ws, CHANGES, { after: 'latest' });
    await bad.ended;
    expect(JSON.stringify(bad.errors)).toContain('afterRevision must be a string of digits');
    // Kinds and entity types are enums: a typo is refused, not a filter that silently matches nothing.
    for (const filter of [{ kinds: ['UserCreated'] }, { kinds: ['USER_CRATED'] }, { entityTypes: ['user'] }]) {
      const typo = collect(ws, CHANGES, { filter });
      await typo.ended;
      expect(typo.values).toEqual([]);
      const [error] = typo.errors as Array<{ message: string }>;
      expect(error?.message).toMatch(/does not exist in "Change(Kind|EntityType)" enum/);
    }
    await ws.dispose();
  });

  it('pages the replay and hands over to the live stream without losing or repeating a row', async () => {
    const db = databaseOf(pair.a);
    const hub = pair.b.running.app.live.hub;
    const { revision: start } = await createUser(db, ROOT_ACTOR, { userName: 'page-0' });
    for (let i = 1; i <= 10; i++) await createUser(db, ROOT_ACTOR, { userName: `page-${i}` });
    const feed = changeFeed(hub, { accountId: ACCOUNT_ID, afterRevision: BigInt(start), matches: () => true, pageSize: 3 });
    const seen: ChangeEvent[] = [];
    const writing = (async () => {
      for (let i = 11; i <= 25; i++) await createUser(db, ROOT_ACTOR, { userName: `page-${i}` });
      await createGroup(db, ROOT_ACTOR, { groupName: 'page-end' });
    })();
    for await (const event of feed) {
      seen.push(event);
      // A slow consumer at first, so the writer commits while the replay is still paging.
      if (seen.length < 8) await new Promise((r) => setTimeout(r, 15));
      if (event.entityArn.endsWith(':group/page-end')) break;
    }
    await writing;
    expect(seen.map((e) => e.revision)).toEqual(await logRevisions(start));
    await eventually(() => liveListeners(pair.b) === 0, 5_000, 'the feed to release its listener');
  }, 60_000);
});

describe('credential expiry', () => {
  it('ends a session-authenticated stream when the session expires', async () => {
    const hub = pair.b.running.app.live.hub;
    const caller: Caller = {
      kind: 'root',
      accountId: ACCOUNT_ID,
      arn: ROOT_ACTOR.arn,
      userId: 'AIDAEXAMPLEROOT00000',
      credential: { type: 'session', sessionId: 'ASIAEXAMPLE000000000', accessKeyId: 'ASIAEXAMPLE000000000', issuedAt: new Date(), expiresAt: new Date(Date.now() + 150) },
    };
    const started = Date.now();
    const error = await new Promise<Error>((resolve) => watchCredential(hub, 'Bearer not-used-until-a-change', caller, resolve));
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(error.message).toContain('expired');
    // Below the wire it is the domain error; the wire's UNAUTHENTICATED is test/graphql/wire-errors.test.ts's.
    expect(error).toBeInstanceOf(UnauthenticatedError);
  });
});
