/**
 * Account isolation over every field of the schema (issue 15, item 4; DESIGN.md "Accounts": every
 * operation is scoped to the caller's account). One server holds account A (the bootstrap account,
 * with the fixtures of every-operation.test.ts) and account B (a second account with its root and
 * an administrator allowed `*` on `*`). Every row of operation-table.ts — each call aimed at A's
 * users, groups, roles, policies, providers, services, resources, node ids and access keys — is
 * sent as B's administrator and as B's root with its selection widened to everything its type
 * shows, and for every field:
 * - nothing of A comes back: no ARN of A, unique id, access key id, node id, serial number or
 *   resource ARN of A that the request did not itself name, no name that exists only in A;
 * - nothing of A changes: every directory row that changed belongs to B, and the change log has
 *   no write in A;
 * - and what isolation-table.ts says of the field holds: calls on A's entities and decisions about
 *   A's principals are refused or find nothing; anonymous fields answer B as they answer anybody.
 * Subscriptions (every Subscription field) are tried from B with real graphql-ws clients, and
 * AuthZEN questions about A's principals are refused.
 */
import { and, eq, gt, inArray, max, ne, notInArray } from 'drizzle-orm';
import { AUDIT_ONLY_KINDS } from '../../src/changes/change.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../src/graphql/schema.ts';
import * as tables from '../../src/db/schema/index.ts';
import { bootstrapAccount } from '../../src/iam/bootstrap.ts';
import type { GqlResponse, TestServer } from '../support/server.ts';
import { ACCOUNT, basic, ok, ROOT, send, startIdentityServer } from '../identity/support/server.ts';
import { collect, connect, type Collected, type WsClient } from '../live/support/servers.ts';
import { ROWS, USER, type Fixtures, type Row } from './support/operation-table.ts';
import { createFixtures, snapshotDirectory } from './support/operation-fixtures.ts';
import { B_ADMIN, B_GROUP, B_ROLE, BUILT_IN, extraRows, ISOLATION, SUBSCRIPTIONS, type ExtraRow, type Isolation } from './support/isolation-table.ts';
import { widenRootSelection } from './support/full-selection.ts';

const B = '444455556666';
const B_ROOT = basic('AKIAISOLATIONBROOT01', 'isolation-b-root-secret-0123456789');
/** How deep the widened selections go below each root field. */
const DEPTH = 3;

/** What of account A must never reach account B. */
interface Markers {
  /** Unique ids, access key ids, node ids, resource ARNs: found anywhere inside a string. */
  readonly ids: readonly string[];
  /** Names that exist only in A: a string equal to one. */
  readonly names: ReadonlySet<string>;
}

const A_ARN = new RegExp(`arn:aws:[a-z0-9-]*::${ACCOUNT}:[^\\s"',)]*`, 'g');

/** Every string inside a JSON value. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) strings(item, out);
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) strings(item, out);
  return out;
}

/**
 * The request's text with what it carries encoded: a relay global id is base64 of `Type:key`, an
 * access advisor job id base64url of its parameters, so the ARN inside was named by the request.
 */
function requestText(query: string, variables: unknown): string {
  const text = query + JSON.stringify(variables ?? {});
  const decoded = [...text.matchAll(/[A-Za-z0-9+/_=-]{12,}/g)].flatMap((m) =>
    ['base64', 'base64url'].map((encoding) => Buffer.from(m[0], encoding as BufferEncoding).toString('utf8')).filter((d) => /^[\x20-\x7e\n]+$/.test(d)),
  );
  return [text, ...decoded].join('\n');
}

/**
 * What of A `value` shows that `request` (the query and its variables) did not itself name. A name
 * is no leak when B's own rows hold it too (`ownText`: B tagged its resource `team`, say).
 */
function leaks(value: unknown, request: string, markers: Markers, ownText = ''): string[] {
  const found = new Set<string>();
  for (const text of strings(value)) {
    for (const match of text.matchAll(A_ARN)) {
      const arn = match[0].replace(/[.:;]+$/, '');
      if (!request.includes(arn)) found.add(arn);
    }
    for (const id of markers.ids) if (text.includes(id) && !request.includes(id)) found.add(id);
    if (markers.names.has(text) && !request.includes(text) && !ownText.includes(JSON.stringify(text))) found.add(text);
    if (text === ACCOUNT && !request.includes(ACCOUNT)) found.add(text);
  }
  return [...found];
}

/** Every value that identifies one of A's entities, read from A's rows once the fixtures exist. */
async function markersOf(server: TestServer, fx: Fixtures): Promise<Markers> {
  const { db } = server.running.app.database;
  const inA = <T extends { accountId: unknown }>(table: T) => eq(table.accountId as typeof tables.users.accountId, ACCOUNT);
  const users = await db.select({ id: tables.users.id, name: tables.users.name, isRoot: tables.users.isRoot }).from(tables.users).where(inA(tables.users));
  const groups = await db.select({ id: tables.groups.id, name: tables.groups.name }).from(tables.groups).where(inA(tables.groups));
  const roles = await db.select({ id: tables.roles.id, name: tables.roles.name }).from(tables.roles).where(inA(tables.roles));
  const policies = await db.select({ id: tables.managedPolicies.id, name: tables.managedPolicies.name }).from(tables.managedPolicies).where(inA(tables.managedPolicies));
  const keys = await db.select({ id: tables.accessKeys.id }).from(tables.accessKeys).where(inArray(tables.accessKeys.userId, users.map((u) => u.id)));
  const devices = await db.select({ serial: tables.mfaDevices.serialNumber, name: tables.mfaDevices.name }).from(tables.mfaDevices).where(inA(tables.mfaDevices));
  const resources = await db.select({ arn: tables.resources.arn }).from(tables.resources).where(inA(tables.resources));
  const services = await db.select({ name: tables.services.serviceName }).from(tables.services).where(inA(tables.services));
  const saml = await db.select({ name: tables.samlProviders.name }).from(tables.samlProviders).where(inA(tables.samlProviders));
  const { callerPassword: _password, org, ...ids } = fx;
  return {
    ids: [
      ...users.map((u) => u.id),
      ...groups.map((g) => g.id),
      ...roles.map((r) => r.id),
      ...policies.map((p) => p.id),
      ...keys.map((k) => k.id),
      ...devices.map((d) => d.serial),
      ...resources.map((r) => r.arn),
      ...Object.values(ids),
      ...Object.values(org),
    ],
    names: new Set([
      ...users.filter((u) => !u.isRoot).map((u) => u.name),
      ...groups.map((g) => g.name),
      ...roles.map((r) => r.name),
      ...policies.map((p) => p.name),
      ...devices.map((d) => d.name),
      ...services.map((s) => s.name),
      ...saml.map((s) => s.name),
    ]),
  };
}

function rowName(row: Pick<Row, 'field' | 'label'>): string {
  return row.label === undefined ? row.field : `${row.field} (${row.label})`;
}

const REFUSED_CODES = new Set(['ACCESS_DENIED', 'NO_SUCH_ENTITY', 'VALIDATION_ERROR']);
const REFUSED_TYPES = new Set(['AccessDenied', 'NoSuchEntity', 'ValidationError']);
/** The `code` of an error object inside an answer (an access advisor job that FAILED) that means refused or not found. */
const REFUSED_ERROR_CODES = new Set(['AccessDenied', 'NoSuchEntity']);

/** Whether an answer is a refusal: a refusal member of a result union, or an object reporting a refusal or not-found error. */
function isRefusal(item: Record<string, unknown>): boolean {
  if (REFUSED_TYPES.has(String(item['__typename']))) return true;
  return Object.values(item).some((v) => v !== null && typeof v === 'object' && REFUSED_ERROR_CODES.has(String((v as Record<string, unknown>)['code'])));
}

/** The field (or each item of a list) is a refusal, a not-found, or null: never an answer. */
function expectRefusedOrMissing(row: Pick<Row, 'field'>, response: GqlResponse, text: string): void {
  const value = (response.body.data as Record<string, unknown> | null | undefined)?.[row.field.split('.')[1]!];
  const items = (Array.isArray(value) ? value : [value]) as Array<Record<string, unknown> | null | undefined>;
  for (const item of items) if (item != null) expect(isRefusal(item), text).toBe(true);
  for (const error of response.body.errors ?? []) expect(REFUSED_CODES.has(String(error.extensions?.['code'])), text).toBe(true);
}

describe('account isolation: account B reaches nothing of account A', () => {
  let server: TestServer;
  let fx: Fixtures;
  let markers: Markers;
  let admin: string;
  const callers = (): Array<[string, string]> => [
    ["B's administrator", admin],
    ["B's root", B_ROOT],
  ];

  async function latestRevision(): Promise<bigint> {
    const [row] = await server.running.app.database.db.select({ top: max(tables.changeLog.revision) }).from(tables.changeLog);
    return row?.top ?? 0n;
  }

  /**
   * Change-log writes in account A after `revision`. Audit rows are not writes: a refused call
   * and a refused anonymous sign-in or SAML exchange aimed at A are recorded where they were aimed.
   */
  async function writesInA(revision: bigint): Promise<string[]> {
    const rows = await server.running.app.database.db
      .select({ kind: tables.changeLog.kind, entityArn: tables.changeLog.entityArn })
      .from(tables.changeLog)
      .where(
        and(
          gt(tables.changeLog.revision, revision),
          ne(tables.changeLog.entityType, 'audit'),
          eq(tables.changeLog.accountId, ACCOUNT),
          notInArray(tables.changeLog.kind, [...AUDIT_ONLY_KINDS]),
        ),
      );
    return rows.map((r) => `${r.kind} ${r.entityArn}`);
  }

  /** Every directory row of account B, as text. */
  async function ownRowsOfB(): Promise<string> {
    const snapshot = await snapshotDirectory(server.running.app.database);
    return Object.values(snapshot).flat().filter((row) => row.includes(`"accountId":"${B}"`)).join('\n');
  }

  /** Rows that differ between two snapshots and are A's: in A's account, or carrying one of A's ids (B's documents may name A's account). */
  function changedRowsOfA(before: Record<string, string[]>, after: Record<string, string[]>): string[] {
    const out: string[] = [];
    for (const [table, rows] of Object.entries(after)) {
      const was = new Set(before[table]);
      const now = new Set(rows);
      const changed = [...rows.filter((r) => !was.has(r)), ...before[table]!.filter((r) => !now.has(r))];
      for (const row of changed) if (row.includes(`"accountId":"${ACCOUNT}"`) || markers.ids.some((id) => row.includes(id))) out.push(`${table}: ${row.slice(0, 300)}`);
    }
    return out;
  }

  beforeAll(async () => {
    // Widened selections are large documents; the abuse limits are tested elsewhere.
    server = await startIdentityServer({ RATE_LIMIT_PER_SECOND: '0', MAX_QUERY_TOKENS: '1000000', MAX_QUERY_ALIASES: '100000', MAX_QUERY_COST: '100000000', LOG_LEVEL: 'warn' });
    ({ fx } = await createFixtures(server));
    const attached = await ok(server, ROOT, `mutation { attachUserPolicy(input: { userName: "target", policyArn: "${BUILT_IN}" }) { __typename } }`);
    expect(attached['attachUserPolicy'].__typename).toBe('AttachUserPolicySuccess');
    markers = await markersOf(server, fx);
    await bootstrapAccount(server.running.app.database, { accountId: B, rootAccessKey: { accessKeyId: 'AKIAISOLATIONBROOT01', secret: 'isolation-b-root-secret-0123456789' } });
    const trustB = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: 'sts:AssumeRole' }] });
    const created = await ok(
      server,
      B_ROOT,
      `mutation($trust: String!) { createUser(input: { userName: "${B_ADMIN}" }) { __typename } createGroup(input: { groupName: "${B_GROUP}" }) { __typename }
         createRole(input: { roleName: "${B_ROLE}", assumeRolePolicyDocument: $trust }) { __typename } }`,
      { trust: trustB },
    );
    expect(Object.values(created).map((r) => r.__typename)).toEqual(['CreateUserSuccess', 'CreateGroupSuccess', 'CreateRoleSuccess']);
    const everything = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
    const put = await ok(server, B_ROOT, 'mutation($d: String!) { putUserPolicy(input: { userName: "b-admin", policyName: "All", policyDocument: $d }) { __typename } }', { d: everything });
    expect(put['putUserPolicy'].__typename).toBe('PutUserPolicySuccess');
    const key = await ok(server, B_ROOT, 'mutation { createAccessKey(input: { userName: "b-admin" }) { ... on CreateAccessKeySuccess { secretAccessKey accessKey { accessKeyId } } } }');
    admin = basic(key['createAccessKey'].accessKey.accessKeyId, key['createAccessKey'].secretAccessKey);
  }, 180_000);
  afterAll(async () => {
    await server?.dispose();
  });

  it('has an isolation entry for every Query, Mutation and Subscription field, and none for a field that is gone', () => {
    const fields = [
      ...Object.keys(schema.getQueryType()!.getFields()).map((f) => `Query.${f}`),
      ...Object.keys(schema.getMutationType()!.getFields()).map((f) => `Mutation.${f}`),
    ].sort();
    expect(Object.keys(ISOLATION).sort()).toEqual(fields);
    // Every field also has a call in the operation table (every-operation.test.ts checks it is complete).
    expect([...new Set(ROWS.map((r) => r.field))].sort()).toEqual(fields);
    const subscriptions = Object.keys(SUBSCRIPTIONS).map((name) => name.split(' ')[0]!);
    expect([...new Set(subscriptions)].sort()).toEqual(Object.keys(schema.getSubscriptionType()!.getFields()).sort());
  });

  it('B\'s callers are who they say: B\'s account, and they see their own account', async () => {
    for (const [, authorization] of callers()) {
      const data = await ok(server, authorization, '{ callerIdentity { account arn } }');
      expect(data['callerIdentity'].account).toBe(B);
    }
  });

  const rows: ReadonlyArray<Omit<Row, 'access'> | ExtraRow> = [...ROWS, ...extraRows(B)];
  it.each(rows.map((r) => [rowName(r), r] as const))('%s', async (_name, row) => {
    const isolation: Isolation | undefined = 'isolation' in row ? row.isolation : ISOLATION[row.field];
    expect(isolation, `${row.field} has no isolation entry`).toBeDefined();
    const query = widenRootSelection(schema, row.query, DEPTH);
    const variables = row.variables?.(fx);
    const request = requestText(query, variables);
    const before = await snapshotDirectory(server.running.app.database);
    const revision = await latestRevision();
    const anonymous = isolation === 'public' ? await send(server, undefined, query, variables) : undefined;
    const ownText = await ownRowsOfB();

    for (const [who, authorization] of callers()) {
      const response = await send(server, authorization, query, variables);
      const text = `${rowName(row)} as ${who}: ${JSON.stringify(response.body).slice(0, 600)}`;
      expect(response.status, text).toBeLessThan(500);
      for (const error of response.body.errors ?? []) expect(error.extensions?.['code'], text).not.toBe('INTERNAL_SERVER_ERROR');
      expect(leaks(response.body, request, markers, ownText), `${text}\nshows account A's`).toEqual([]);
      if (isolation === 'refused') expectRefusedOrMissing(row, response, text);
      if ('check' in row && row.check !== undefined) expect(row.check((response.body.data ?? {}) as Record<string, any>), text).toEqual([]);
      if (isolation === 'public') {
        expect(response.body.data, text).toEqual(anonymous!.body.data);
        expect(response.body.errors?.map((e) => e.extensions?.['code']), text).toEqual(anonymous!.body.errors?.map((e) => e.extensions?.['code']));
      }
    }

    expect(changedRowsOfA(before, await snapshotDirectory(server.running.app.database)), `${rowName(row)}: changed account A's rows`).toEqual([]);
    expect(await writesInA(revision), `${rowName(row)}: wrote to account A's change log`).toEqual([]);
  });

  describe('subscriptions', () => {
    const sockets: WsClient[] = [];
    afterAll(async () => {
      await Promise.all(sockets.map((ws) => ws.dispose()));
    });

    function subscribe(authorization: string, query: string): Collected {
      const ws = connect(server, authorization);
      sockets.push(ws);
      return collect(ws, widenRootSelection(schema, query, DEPTH), query.includes('$principal') ? { principal: USER } : {});
    }

    /** Everything B itself sent (its rows' documents name A's account): B's own change log may echo it. */
    const sentByB = (): string => ROWS.map((row) => requestText(row.query, row.variables?.(fx))).join('\n');

    /** A write in A, then a write in B seen on B's own `changes` stream: whatever A's write caused has been published by then. */
    let markerCount = 0;
    async function writeInBothAccounts(control: Collected): Promise<void> {
      markerCount += 1;
      const tag = await ok(server, ROOT, `mutation { tagUser(input: { userName: "target", tags: [{ key: "seen", value: "${markerCount}" }] }) { __typename } }`);
      expect(tag['tagUser'].__typename).toBe('TagUserSuccess');
      const name = `b-marker-${markerCount}`;
      const created = await ok(server, B_ROOT, `mutation { createUser(input: { userName: "${name}" }) { __typename } }`);
      expect(created['createUser'].__typename).toBe('CreateUserSuccess');
      const seen = (): boolean => control.values.some((v) => String(v.changes?.entityArn ?? '').endsWith(`:user/${name}`));
      while (!seen()) await control.waitFor(control.values.length + 1, 10_000);
    }

    it.each(Object.entries(SUBSCRIPTIONS))('%s', async (_name, entry) => {
      for (const [who, authorization] of callers()) {
        const sub = subscribe(authorization, entry.query);
        const text = () => `${_name} as ${who}: ${JSON.stringify({ values: sub.values, errors: sub.errors }).slice(0, 600)}`;
        if (entry.expect === 'refused') {
          // The refusal comes as the stream's one result, with errors, and the stream completes.
          await sub.ended;
          expect(sub.values, text()).toEqual([]);
          expect(JSON.stringify(sub.errors), text()).toMatch(/ACCESS_DENIED|NO_SUCH_ENTITY|VALIDATION_ERROR/);
          expect(leaks(sub.errors, entry.query + USER, markers), text()).toEqual([]);
          continue;
        }
        // From the latest revision on: a replay, so the control stream misses nothing written after this.
        const control = subscribe(B_ROOT, `subscription { changes(afterRevision: "${await latestRevision()}") { entityArn } }`);
        if (entry.expect === 'checks-refused') {
          await sub.waitFor(1, 10_000);
          await writeInBothAccounts(control);
          for (const value of sub.values) expect(['AccessDenied', 'NoSuchEntity'], text()).toContain(value.decisionChanged.result.__typename);
        } else {
          // The first value (a replay, the current status or findings) before any write.
          if (!_name.startsWith('changes')) await sub.waitFor(1, 10_000);
          await writeInBothAccounts(control);
          if (_name.startsWith('changes')) expect(sub.values.length, text()).toBeGreaterThan(0);
        }
        expect(sub.errors, text()).toEqual([]);
        expect(leaks(sub.values, `${entry.query}${USER}\n${sentByB()}`, markers, await ownRowsOfB()), `${text()}\nshows account A's`).toEqual([]);
        sub.unsubscribe();
        control.unsubscribe();
      }
    }, 60_000);
  });

  describe('AuthZEN', () => {
    const subject = { type: 'user', id: USER };
    const requests: Array<[string, unknown]> = [
      ['/access/v1/evaluation', { subject, action: { name: 's3:GetObject' }, resource: { type: 'object', id: 'arn:aws:s3:::t-fixture-bucket' } }],
      ['/access/v1/evaluations', { action: { name: 's3:GetObject' }, resource: { type: 'object', id: 'arn:aws:s3:::t-fixture-bucket' }, evaluations: [{ subject }] }],
      ['/access/v1/search/resource', { subject, action: { name: 's3:GetObject' }, resource: { type: 's3:bucket' } }],
      ['/access/v1/search/action', { subject, resource: { type: 'object', id: 'arn:aws:s3:::t-fixture-bucket' } }],
      // B's own subject: what it can do is searched in B's registry, never A's.
      ['/access/v1/search/resource', { subject: { type: 'user', id: B_ADMIN }, action: { name: 's3:ListBucket' }, resource: { type: 's3:bucket' } }],
      ['/access/v1/search/subject', { subject: { type: 'user' }, action: { name: 's3:GetObject' }, resource: { type: 'object', id: 'arn:aws:s3:::t-fixture-bucket' } }],
    ];

    it.each(requests)('%s about account A is refused or finds nothing of A', async (path, body) => {
      for (const [who, authorization] of callers()) {
        const response = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify(body) });
        const textBody = await response.text();
        const text = `${path} as ${who}: ${response.status} ${textBody.slice(0, 400)}`;
        expect(response.status, text).toBeLessThan(500);
        const json = (response.headers.get('content-type')?.includes('json') ? JSON.parse(textBody) : { text: textBody }) as Record<string, any>;
        expect(leaks(json, JSON.stringify(body), markers), text).toEqual([]);
        if (path === '/access/v1/evaluation') {
          expect(response.status, text).toBe(403);
          expect(json['decision'], text).not.toBe(true);
        }
        if (path === '/access/v1/evaluations') {
          expect(json['evaluations'].map((e: { decision: boolean; context?: { error?: { status: number } } }) => [e.decision, e.context?.error?.status]), text).toEqual([[false, 403]]);
        }
        if ((path === '/access/v1/search/resource' || path === '/access/v1/search/action') && JSON.stringify(body).includes(USER)) expect(response.status, text).toBe(403);
        // Who can, in B: none of A's principals.
        if (path === '/access/v1/search/subject') expect(json['results'] ?? [], text).toEqual((json['results'] ?? []).filter((r: { id: string }) => !r.id.includes(ACCOUNT)));
      }
    });
  });
});
