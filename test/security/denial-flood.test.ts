/**
 * Issue 13, item 11: denials must not flood the change log. One operation of 1,000 aliased reads
 * the caller may not make wrote 1,000 AccessDenied rows, and every `changes` subscriber got them
 * all. Now one operation yields at most one denial row (with a count and capped lists), audit-only
 * rows are deleted after AUDIT_RETENTION_DAYS in bounded statements (never a row that carries a
 * directory change), and `changes` subscribers get audit rows only when they ask.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_DISTINCT_PER_ROW } from '../../src/authz/denial-audit.ts';
import { EXPIRING_KINDS } from '../../src/changes/change.ts';
import { changeLog } from '../../src/db/schema/change-log.ts';
import { deleteExpiredAuditRows } from '../../src/changes/audit-retention.ts';
import { createUser } from '../../src/iam/users.ts';
import { ConfigError, loadConfig } from '../../src/config.ts';
import type { Database } from '../../src/db/client.ts';
import { ACCOUNT_ID, ROOT_ACTOR, ROOT_AUTH, collect, connect, databaseOf, eventually, liveListeners, startPair, userWithKey, type ServerPair, type WsClient } from '../live/support/servers.ts';

const ALIASES = 1_000;
const CHANGES = 'subscription ($filter: ChangeFilter) { changes(filter: $filter) { revision kind entityArn payload } }';

let pair: ServerPair;
let db: Database;
const sockets: WsClient[] = [];

beforeAll(async () => {
  // The alias limit is raised so this file does not depend on its default.
  pair = await startPair({ MAX_QUERY_ALIASES: String(ALIASES * 2) });
  db = databaseOf(pair.a);
}, 60_000);

afterAll(async () => {
  await Promise.all(sockets.map((ws) => ws.dispose()));
  await pair?.dispose();
});

/** The AccessDenied rows a caller has caused so far, after the in-memory buffer is flushed. */
async function denialRows(callerArn: string) {
  await pair.a.running.app.authz.flushUsage();
  return db.db
    .select()
    .from(changeLog)
    .where(and(eq(changeLog.kind, 'AccessDenied'), eq(changeLog.actorArn, callerArn)))
    .orderBy(changeLog.revision);
}

/** `{ a0: user(userName: "…0") { userName } … }`: `count` reads of distinct users. */
function aliasedReads(prefix: string, count: number): string {
  return `{ ${Array.from({ length: count }, (_, i) => `a${i}: user(userName: "${prefix}-${i}") { userName }`).join(' ')} }`;
}

describe('denial rows', () => {
  it('writes one AccessDenied row, with a count and capped lists, for an operation of 1,000 refused aliased reads', async () => {
    const flooder = await userWithKey(db, 'df-flooder');
    const response = await pair.a.gql(aliasedReads('df-nobody', ALIASES), undefined, { authorization: flooder.authorization });
    expect(response.body.errors).toHaveLength(ALIASES);
    expect(response.body.errors!.filter((e) => e.extensions?.['code'] !== 'ACCESS_DENIED').slice(0, 3)).toEqual([]);

    const rows = await denialRows(flooder.arn);
    expect(rows).toHaveLength(1);
    const payload = rows[0]!.payload as { count: number; actions: string[]; resources: string[]; capped?: boolean; action: string; resource: string };
    expect(payload.count).toBe(ALIASES);
    expect(payload.actions).toEqual(['iam:GetUser']);
    expect(payload.resources).toHaveLength(MAX_DISTINCT_PER_ROW);
    expect(payload.capped).toBe(true);
    // Aliases resolve concurrently, so which denial arrives first is the scheduler's choice: the row
    // names its first listed one, and lists only users this operation asked for, each once.
    const asked = new Set(Array.from({ length: ALIASES }, (_, i) => `arn:aws:iam::${ACCOUNT_ID}:user/df-nobody-${i}`));
    expect(payload).toMatchObject({ action: 'iam:GetUser', resource: payload.resources[0] });
    expect(payload.resources.every((arn) => asked.has(arn))).toBe(true);
    expect(new Set(payload.resources).size).toBe(MAX_DISTINCT_PER_ROW);
    expect(rows[0]).toMatchObject({ entityType: 'audit', affectedPrincipalIds: [] });

    // A second operation is a second row, not a second thousand.
    await pair.a.gql(aliasedReads('df-nobody', 3), undefined, { authorization: flooder.authorization });
    const after = await denialRows(flooder.arn);
    expect(after).toHaveLength(2);
    expect((after[1]!.payload as { count: number; capped?: boolean }).count).toBe(3);
    expect((after[1]!.payload as { capped?: boolean }).capped).toBeUndefined();
  }, 60_000);
});

describe('changes and audit rows', () => {
  it('leaves audit rows out of `changes` unless the subscriber asks for them', async () => {
    const subscribe = async (filter: Record<string, unknown>) => {
      const before = liveListeners(pair.b);
      const ws = connect(pair.b, ROOT_AUTH);
      sockets.push(ws);
      const sub = collect<{ changes: { revision: string; kind: string; entityArn: string } }>(ws, CHANGES, { filter });
      await eventually(() => liveListeners(pair.b) >= before + 2, 10_000, 'the subscription to listen');
      return sub;
    };
    const plain = await subscribe({});
    const audit = await subscribe({ includeAudit: true });
    const byKind = await subscribe({ kinds: ['ACCESS_DENIED', 'USER_CREATED'] });

    const denied = await userWithKey(db, 'df-denied');
    const plainBefore = plain.values.length;
    await pair.a.gql(aliasedReads('df-hidden', 5), undefined, { authorization: denied.authorization });
    expect(await denialRows(denied.arn)).toHaveLength(1);
    // The marker, committed after the denial row: once a stream has it, it has had its chance at the denial.
    const marker = await createUser(db, ROOT_ACTOR, { userName: 'df-marker' });
    const hasMarker = (sub: typeof plain) => sub.values.some((v) => v.changes.entityArn === marker.result.arn);
    for (const sub of [plain, audit, byKind]) while (!hasMarker(sub)) await sub.waitFor(sub.values.length + 1);

    const deniedBy = (sub: typeof plain) => sub.values.filter((v) => v.changes.kind === 'ACCESS_DENIED');
    expect(deniedBy(plain)).toEqual([]);
    expect(plain.values.length).toBeGreaterThan(plainBefore);
    expect(deniedBy(audit).length).toBeGreaterThanOrEqual(1);
    expect(deniedBy(byKind).length).toBeGreaterThanOrEqual(1);
  }, 60_000);
});

describe('audit retention', () => {
  it('reads AUDIT_RETENTION_DAYS: 90 by default, 0 keeps for ever, anything else is refused naming the variable', () => {
    expect(loadConfig({}).auditRetentionDays).toBe(90);
    expect(loadConfig({ AUDIT_RETENTION_DAYS: '0' }).auditRetentionDays).toBe(0);
    expect(loadConfig({ AUDIT_RETENTION_DAYS: '7' }).auditRetentionDays).toBe(7);
    for (const bad of ['-1', '1.5', 'ninety', '36501']) {
      expect(() => loadConfig({ AUDIT_RETENTION_DAYS: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ AUDIT_RETENTION_DAYS: bad })).toThrow(/^AUDIT_RETENTION_DAYS must be an integer from 0 to 36500/);
    }
  });

  it('deletes expired audit-only rows and session records in bounded statements and never a row that carries a directory change', async () => {
    const runtime = pair.a.running.app.authz;
    // Audit rows: denials and a failed sign-in. A session record: GetSessionToken. Directory rows: a user created, its key.
    const old = await userWithKey(db, 'df-old', ['sts:GetSessionToken']);
    await pair.a.gql(aliasedReads('df-old-target', 2), undefined, { authorization: old.authorization });
    await pair.a.gql(aliasedReads('df-old-target', 2), undefined, { authorization: old.authorization });
    await pair.a.gql(aliasedReads('df-old-target', 2), undefined, { authorization: old.authorization });
    const signIn = 'mutation ($i: SignInInput!) { signIn(input: $i) { __typename } }';
    expect((await pair.a.gql(signIn, { i: { account: ACCOUNT_ID, userName: 'df-old', password: 'not-the-password-1' } })).body.errors).toBeUndefined();
    const session = await pair.a.gql('mutation { getSessionToken(input: {}) { __typename } }', undefined, { authorization: old.authorization });
    expect(session.body.data).toEqual({ getSessionToken: { __typename: 'GetSessionTokenSuccess' } });
    await runtime.flushUsage();
    const everything = await db.db.select().from(changeLog);
    const auditOnly = everything.filter((r) => (r.entityType === 'audit' || (EXPIRING_KINDS as readonly string[]).includes(r.kind)) && r.affectedPrincipalIds.length === 0);
    expect(auditOnly.length).toBeGreaterThanOrEqual(5);
    expect(auditOnly.filter((r) => r.kind === 'SessionTokenIssued' && r.actorArn === old.arn)).toHaveLength(1);
    // Make everything written so far 100 days old, then add one fresh denial.
    await db.db.update(changeLog).set({ createdAt: sql`now() - interval '100 days'` });
    await pair.a.gql(aliasedReads('df-fresh-target', 1), undefined, { authorization: old.authorization });
    await runtime.flushUsage();

    // Bounded: one statement of two rows deletes two rows, whatever else has expired.
    const cutoff = new Date(Date.now() - 90 * 24 * 3600 * 1000);
    expect(await deleteExpiredAuditRows(db, cutoff, 2, 1)).toBe(2);
    // The sweep takes the rest of what expired: audit-only rows and session records, and only those.
    const swept = await runtime.auditRetention.sweep();
    expect(swept).toBe(auditOnly.length - 2);
    const left = await db.db.select().from(changeLog);
    const leftRevisions = new Set(left.map((r) => r.revision));
    for (const row of auditOnly) expect(leftRevisions.has(row.revision)).toBe(false);
    for (const row of everything) {
      if (!auditOnly.includes(row)) expect(leftRevisions.has(row.revision), `${row.kind} ${row.revision}`).toBe(true);
    }
    // The fresh denial stays, and so do the directory rows about the same user.
    expect(left.filter((r) => r.kind === 'AccessDenied' && r.actorArn === old.arn)).toHaveLength(1);
    expect(await db.db.select().from(changeLog).where(inArray(changeLog.kind, ['UserCreated', 'AccessKeyCreated']))).not.toHaveLength(0);
  }, 60_000);
});
