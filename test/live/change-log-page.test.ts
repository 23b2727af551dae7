/**
 * `changeLog(before:, last:)`: the change log read backwards a page at a time, newest first,
 * earlier pages on demand; `changes(afterRevision: latestRevision)` then follows on with no gap
 * and no duplicate. Guarded by `iam:Changes`; audit rows only on request; `last` bounded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, desc, eq, not } from 'drizzle-orm';
import { changeLog } from '../../src/db/schema/change-log.ts';
import { AUDIT_ROW } from '../../src/changes/audit-retention.ts';
import { createUser } from '../../src/iam/users.ts';
import { ACCOUNT_ID, ROOT_ACTOR, ROOT_AUTH, collect, connect, databaseOf, eventually, sleep, startPair, userWithKey, type ServerPair } from './support/servers.ts';

const PAGE = 'query ($before: String, $last: Int, $audit: Boolean) { changeLog(before: $before, last: $last, includeAudit: $audit) { hasEarlier latestRevision entries { revision kind entityArn } } }';
const CHANGES = 'subscription ($after: String) { changes(afterRevision: $after) { revision entityArn } }';

interface Page {
  hasEarlier: boolean;
  latestRevision: string;
  entries: Array<{ revision: string; kind: string; entityArn: string }>;
}

let pair: ServerPair;

beforeAll(async () => {
  pair = await startPair();
}, 60_000);

afterAll(async () => {
  await pair?.dispose();
});

async function page(variables: Record<string, unknown>, authorization = ROOT_AUTH) {
  return pair.b.gql<{ changeLog: Page | null }>(PAGE, variables, { authorization });
}

/** The account's non-audit revisions, newest first, from the table. */
async function logRevisions(): Promise<string[]> {
  const rows = await databaseOf(pair.a)
    .db.select({ revision: changeLog.revision })
    .from(changeLog)
    .where(and(eq(changeLog.accountId, ACCOUNT_ID), not(AUDIT_ROW)))
    .orderBy(desc(changeLog.revision));
  return rows.map((r) => r.revision.toString());
}

describe('changeLog', () => {
  it('pages back from the newest change to the first, each revision once, and changes follows on from latestRevision', async () => {
    const db = databaseOf(pair.a);
    for (let i = 0; i < 12; i++) await createUser(db, ROOT_ACTOR, { userName: `page-${i}` });

    const seen: string[] = [];
    let before: string | undefined;
    let latest: string | undefined;
    for (let pages = 0; pages < 100; pages++) {
      const answer = await page({ last: 5, ...(before === undefined ? {} : { before }) });
      expect(answer.body.errors).toBeUndefined();
      const p = answer.body.data!.changeLog!;
      latest ??= p.latestRevision;
      expect(p.entries.length).toBeLessThanOrEqual(5);
      seen.push(...p.entries.map((e) => e.revision));
      if (!p.hasEarlier) break;
      expect(p.entries).toHaveLength(5);
      before = p.entries.at(-1)!.revision;
    }
    expect(seen).toEqual(await logRevisions());
    expect(seen[0]).toBe(latest);
    expect((await page({ last: 1 })).body.data!.changeLog!.entries[0]!.entityArn).toBe(`arn:aws:iam::${ACCOUNT_ID}:user/page-11`);

    // The subscription resumes after the page: only what came later, nothing replayed twice.
    const ws = connect(pair.b, ROOT_AUTH);
    const sub = collect(ws, CHANGES, { after: latest });
    const { revision } = await createUser(db, ROOT_ACTOR, { userName: 'page-after' });
    await eventually(() => sub.values.some((v) => v.changes.revision === revision), 10_000, 'the later write');
    expect(sub.values.map((v) => v.changes.entityArn)).toEqual([`arn:aws:iam::${ACCOUNT_ID}:user/page-after`]);
    await ws.dispose();
  });

  it('leaves audit rows out unless asked for', async () => {
    const refused = await userWithKey(databaseOf(pair.a), 'page-refused');
    const denied = await page({ last: 5 }, refused.authorization);
    expect(denied.body.data?.changeLog ?? null).toBeNull();
    expect(denied.body.errors?.[0]?.extensions?.['code']).toBe('ACCESS_DENIED');
    // The denial is appended by the audit flusher, shortly after the request.
    let audited = false;
    for (let attempt = 0; attempt < 100 && !audited; attempt++) {
      const withAudit = (await page({ last: 20, audit: true })).body.data!.changeLog!;
      audited = withAudit.entries.some((e) => e.kind === 'ACCESS_DENIED' && e.entityArn === `arn:aws:iam::${ACCOUNT_ID}:root`);
      if (!audited) await sleep(100);
    }
    expect(audited).toBe(true);
    const without = (await page({ last: 20 })).body.data!.changeLog!;
    expect(without.entries.some((e) => e.kind === 'ACCESS_DENIED')).toBe(false);
    // latestRevision counts the audit row all the same, so a subscription resuming after it skips it.
    expect(BigInt(without.latestRevision)).toBeGreaterThan(BigInt(without.entries[0]!.revision));
  });

  it('refuses a page size out of range and a malformed cursor, naming the argument', async () => {
    for (const [variables, field] of [
      [{ last: 0 }, 'last'],
      [{ last: 501 }, 'last'],
      [{ before: 'abc' }, 'before'],
    ] as const) {
      const answer = await page(variables);
      expect(answer.body.data?.changeLog ?? null).toBeNull();
      expect(JSON.stringify(answer.body.errors)).toContain(field);
    }
  });
});
