/**
 * The reverse questions at scale (`npm run bench:reverse`): *who can* over an account of 5,000
 * users in 200 groups and 1,000 roles (target p50 < 50 ms), *what can* over 100,000 registered
 * resources (target p50 < 200 ms), each through the whole GraphQL stack in process
 * (`yoga.fetch`, first page of 100), printing p50/p99 and the SQL statements each query sent.
 * The first (cold) query of each kind is reported apart: it loads every principal's effective set
 * or the resource list; the rest run warm, as in steady state, on varying questions.
 *
 * Runs on embedded PGlite (in memory), then on PostgreSQL when DATABASE_URL is set (a throw-away
 * database is created on that server and dropped at the end). The directory and the registry are
 * seeded with multi-row inserts through the database layer (the commands would write row by row).
 *
 * Options (environment): BENCH_QUERIES (default 40 per kind), DATABASE_URL, BENCH_SKIP_PGLITE=1
 * (PostgreSQL only), BENCH_SHOW_SQL=1 (print each query's statements), BENCH_ONLY=whoCan|whatCanResources|whatCanActions (one kind, e.g. to profile).
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { cpus, loadavg } from 'node:os';
import postgres from 'postgres';
import type { Database } from '../src/db/client.ts';
import { openDatabase } from '../src/db/open.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import { groupMemberships, groups, roles, users } from '../src/db/schema/principals.ts';
import { inlinePolicies, policyAttachments } from '../src/db/schema/attachments.ts';
import { managedPolicies, policyVersions } from '../src/db/schema/policies.ts';
import { resources } from '../src/db/schema/resources.ts';
import { bootstrapAccount } from '../src/iam/bootstrap.ts';
import { newUniqueId } from '../src/iam/ids.ts';
import { createApp, type App } from '../src/server/app.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';

const ACCOUNT = '111122223333';
const ROOT = { accessKeyId: 'AKIABENCHREVERSE2345', secret: 'bench-reverse-secret-0123456789abcdef' };
const USERS = 5_000;
const GROUPS = 200;
const ROLES = 1_000;
const POLICIES = 400;
const RESOURCES = 100_000;
const BUCKETS = 100;
const QUERIES = Number(process.env.BENCH_QUERIES ?? 40);
const TEAMS = 10;

/** Deterministic pseudo-random numbers, so runs compare. */
let seed = 11;
function rand(n: number): number {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed % n;
}

/** A managed policy: reads of some buckets, writes of a team's prefix, tag-conditioned listing, a deny. */
function policyDocument(i: number): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Read', Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectTagging'], Resource: `arn:aws:s3:::bench-bucket-${i % BUCKETS}*` },
      { Sid: 'WriteTeam', Effect: 'Allow', Action: 's3:PutObject', Resource: `arn:aws:s3:::bench-bucket-*/team-${i % TEAMS}/*` },
      { Sid: 'ListTagged', Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetObject'], Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } } },
      { Sid: 'NoSecrets', Effect: 'Deny', Action: 's3:*', Resource: `arn:aws:s3:::bench-bucket-${(i * 7) % BUCKETS}/secret/*` },
    ],
  });
}

async function insertChunked<T>(rows: readonly T[], size: number, insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

/** 5,000 users in 200 groups, 1,000 roles, 400 managed policies, 100,000 registered objects. */
async function seed_(database: Database): Promise<void> {
  const db = database.db;
  const policyRows = Array.from({ length: POLICIES }, (_, i) => ({ id: newUniqueId('policy'), accountId: ACCOUNT, name: `bench-policy-${i}` }));
  await insertChunked(policyRows, 500, (c) => db.insert(managedPolicies).values(c));
  await insertChunked(
    policyRows.map((p, i) => ({ policyId: p.id, versionNumber: 1, document: policyDocument(i), isDefault: true })),
    200,
    (c) => db.insert(policyVersions).values(c),
  );
  const groupRows = Array.from({ length: GROUPS }, (_, i) => ({ id: newUniqueId('group'), accountId: ACCOUNT, name: `bench-group-${i}` }));
  await db.insert(groups).values(groupRows);
  await db.insert(policyAttachments).values(groupRows.flatMap((g, i) => [0, 1].map((k) => ({ principalKind: 'group' as const, groupId: g.id, policyId: policyRows[(i * 2 + k) % POLICIES]!.id }))));
  const userRows = Array.from({ length: USERS }, (_, i) => ({ id: newUniqueId('user'), accountId: ACCOUNT, name: `bench-user-${i}`, tags: [{ key: 'team', value: `team-${i % TEAMS}` }] }));
  await insertChunked(userRows, 500, (c) => db.insert(users).values(c));
  const memberships = userRows.flatMap((u, i) => {
    const first = i % GROUPS;
    const second = (i * 7 + 3) % GROUPS;
    return first === second ? [{ userId: u.id, groupId: groupRows[first]!.id }] : [first, second].map((g) => ({ userId: u.id, groupId: groupRows[g]!.id }));
  });
  await insertChunked(memberships, 1000, (c) => db.insert(groupMemberships).values(c));
  // One user in ten has an inline policy of its own.
  const inline = userRows
    .filter((_, i) => i % 10 === 0)
    .map((u, i) => ({
      principalKind: 'user' as const,
      userId: u.id,
      name: 'Own',
      document: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: `arn:aws:s3:::bench-bucket-${i % BUCKETS}/home/${u.name}/*` }] }),
    }));
  await insertChunked(inline, 500, (c) => db.insert(inlinePolicies).values(c));
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }] });
  const roleRows = Array.from({ length: ROLES }, (_, i) => ({ id: newUniqueId('role'), accountId: ACCOUNT, name: `bench-role-${i}`, trustPolicy: trust, tags: [{ key: 'team', value: `team-${i % TEAMS}` }] }));
  await insertChunked(roleRows, 500, (c) => db.insert(roles).values(c));
  await insertChunked(
    roleRows.map((r) => ({ principalKind: 'role' as const, roleId: r.id, policyId: policyRows[rand(POLICIES)]!.id })),
    1000,
    (c) => db.insert(policyAttachments).values(c),
  );
  // Objects across 100 buckets, tagged by team; one in twenty has a resource policy granting a role.
  const resourceRows = Array.from({ length: RESOURCES }, (_, i) => {
    const arn = `arn:aws:s3:::bench-bucket-${i % BUCKETS}/team-${i % TEAMS}/object-${i}`;
    const policy =
      i % 20 === 0
        ? JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/bench-role-${i % ROLES}` }, Action: 's3:GetObject', Resource: arn }] })
        : null;
    return { accountId: ACCOUNT, arn, service: 's3', resourceType: 'object', tags: [{ key: 'team', value: `team-${(i * 3) % TEAMS}` }], policyDocument: policy };
  });
  await insertChunked(resourceRows, 1000, (c) => db.insert(resources).values(c));
}

/** The machine's load, printed beside the figures: wall times on a shared machine say as much about the neighbours. */
function loadNote(): string {
  return `load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores`;
}

interface Timed {
  readonly ms: number;
  /** This process's CPU time during the query (user + system): what it cost, whatever else the machine runs. */
  readonly cpuMs: number;
  readonly statements: number;
  readonly total: number;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Asks question 0 cold, then questions 1..QUERIES warm. */
async function scenario(label: string, target: number, ask: (i: number) => Promise<Timed>): Promise<void> {
  const cold = await ask(0);
  const runs: Timed[] = [];
  for (let i = 1; i <= QUERIES; i++) runs.push(await ask(i));
  const ms = runs.map((r) => r.ms);
  const statements = [...new Set(runs.map((r) => r.statements))].sort().join('/');
  const p50 = percentile(ms, 50);
  const cpu = runs.map((r) => r.cpuMs);
  console.log(
    `  ${label.padEnd(40)} cold ${cold.ms.toFixed(0).padStart(6)} ms (${cold.statements} statements) | ` +
      `warm p50 ${p50.toFixed(1).padStart(7)} ms  p99 ${percentile(ms, 99).toFixed(1).padStart(7)} ms  cpu p50 ${percentile(cpu, 50).toFixed(1).padStart(7)} ms  p99 ${percentile(cpu, 99).toFixed(1).padStart(7)} ms | ` +
      `statements ${statements} | answers ~${Math.round(runs.reduce((a, r) => a + r.total, 0) / runs.length)} | target p50 < ${target} ms: ${p50 < target ? 'met' : 'MISSED'}`,
  );
}

async function bench(backend: string, databaseUrl: string | undefined): Promise<void> {
  let counting = false;
  let statements = 0;
  const shown: string[] = [];
  const database = await openDatabase({
    dataDir: 'memory://',
    ...(databaseUrl === undefined ? {} : { databaseUrl }),
    onQuery: (sql) => {
      // Background work (change-log polling, usage flushes on their timer, the health ping) is not the query's.
      if (counting && !/"change_log"|"service_last_accessed"|^select 1$|^\s*update "access_keys"/.test(sql)) {
        statements++;
        if (process.env.BENCH_SHOW_SQL === '1') shown.push(sql.slice(0, 160));
      }
    },
  });
  let app: App | undefined;
  try {
    await migrateDatabase(database);
    await bootstrapAccount(database, { accountId: ACCOUNT, rootAccessKey: ROOT });
    const started = performance.now();
    await seed_(database);
    console.log(`${backend}: seeded ${USERS} users in ${GROUPS} groups, ${ROLES} roles, ${RESOURCES} registered resources in ${((performance.now() - started) / 1000).toFixed(1)} s (${loadNote()})`);
    const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', PORTCULLIS_ACCOUNT_ID: ACCOUNT, RATE_LIMIT_PER_SECOND: '0', DATA_DIR: 'memory://unused' });
    app = createApp(config, database, { logger: createLogger('silent') });
    await app.authz.start();
    const authorization = `Basic ${Buffer.from(`${ROOT.accessKeyId}:${ROOT.secret}`).toString('base64')}`;
    const running = app;
    const gql = async (query: string, variables: Record<string, unknown>, field: string): Promise<Timed> => {
      await running.authz.flushUsage();
      statements = 0;
      counting = true;
      const start = performance.now();
      const cpu = process.cpuUsage();
      const response = await running.yoga.fetch('http://yoga/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify({ query, variables }) });
      const body = (await response.json()) as { data?: Record<string, { totalCount: number } | null>; errors?: unknown[] };
      const ms = performance.now() - start;
      const used = process.cpuUsage(cpu);
      counting = false;
      if (shown.length > 0) console.log(`    ${field}: ${shown.splice(0).join('\n      ')}`);
      if (body.errors !== undefined || body.data?.[field] == null) throw new Error(`${field} failed: ${JSON.stringify(body.errors ?? body.data).slice(0, 400)}`);
      return { ms, cpuMs: (used.user + used.system) / 1000, statements, total: body.data[field]!.totalCount };
    };
    // Warm the caller's credential and policies, as any earlier request would have.
    await gql('{ serverInfo { version } totalCount: __typename }', {}, 'serverInfo').catch(() => undefined);

    const WHO_CAN = 'query ($input: WhoCanInput!) { whoCan(input: $input) { totalCount edges { principalArn groupArns statements { statement { sourcePolicyId } } } } }';
    const only = (kind: string) => process.env.BENCH_ONLY === undefined || process.env.BENCH_ONLY === kind;
    if (only('whoCan')) await scenario('whoCan s3:GetObject on an object', 50, (i) =>
      gql(WHO_CAN, { input: { action: 's3:GetObject', resourceArn: `arn:aws:s3:::bench-bucket-${(i + 1) % BUCKETS}/team-${i % TEAMS}/object-${i + 1}` } }, 'whoCan'),
    );
    const WHAT_RESOURCES = 'query ($input: WhatCanResourcesInput!) { whatCanResources(input: $input) { totalCount edges { resourceArn } } }';
    if (only('whatCanResources')) await scenario('whatCanResources s3:GetObject (user)', 200, (i) =>
      gql(WHAT_RESOURCES, { input: { principalArn: `arn:aws:iam::${ACCOUNT}:user/bench-user-${(i * 97 + 13) % USERS}`, action: 's3:GetObject', serviceName: 's3' } }, 'whatCanResources'),
    );
    if (only('whatCanResources')) await scenario('whatCanResources s3:GetObject (role)', 200, (i) =>
      gql(WHAT_RESOURCES, { input: { principalArn: `arn:aws:iam::${ACCOUNT}:role/bench-role-${(i * 31 + 7) % ROLES}`, action: 's3:GetObject', resourceType: 'object' } }, 'whatCanResources'),
    );
    const WHAT_ACTIONS = 'query ($input: WhatCanActionsInput!) { whatCanActions(input: $input) { totalCount edges { node } } }';
    if (only('whatCanActions')) await scenario('whatCanActions on an object (user)', 200, (i) =>
      gql(WHAT_ACTIONS, { input: { principalArn: `arn:aws:iam::${ACCOUNT}:user/bench-user-${(i * 53 + 1) % USERS}`, resourceArn: `arn:aws:s3:::bench-bucket-${i % BUCKETS}/team-${i % TEAMS}/object-${i}` } }, 'whatCanActions'),
    );
  } finally {
    await app?.close();
    await database.close();
  }
}

/** A throw-away database on the server `url` names; dropped by the returned function. */
async function throwAwayDatabase(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `portcullis_bench_reverse_${randomBytes(4).toString('hex')}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const target = new URL(url);
  target.pathname = `/${name}`;
  return {
    url: target.href,
    async drop() {
      const dropper = postgres(url, { max: 1, onnotice: () => {} });
      await dropper.unsafe(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}

if (process.env.BENCH_SKIP_PGLITE !== '1') await bench('PGlite', undefined);
if (process.env.DATABASE_URL) {
  const created = await throwAwayDatabase(process.env.DATABASE_URL);
  try {
    await bench('PostgreSQL', created.url);
  } finally {
    await created.drop();
  }
}
