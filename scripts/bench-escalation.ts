/**
 * Escalation paths for every principal of a large account (`npm run bench:escalation`): 5,000
 * users in 200 groups, 1,000 roles and 1,500 customer managed policies (issue 20: under 10 s),
 * asked through the whole GraphQL stack in process (`escalationSummary`). The cold question loads
 * the directory (every effective set, groups, trust policies, versions) and analyses every
 * principal; a warm one is served from the kept analysis. The analysis alone (no database) is
 * timed apart. Wall and CPU time are printed with the machine's load.
 *
 * The directory is seeded with multi-row inserts through the database layer (the commands would
 * write row by row), with escalation-relevant permissions spread through it: policies that let a
 * user write its own policy, pass roles to EC2 or Lambda, assume team roles, create other users'
 * keys; old powerful policy versions; administrators; roles trusting services or the account.
 *
 * Runs on embedded PGlite (in memory), then on PostgreSQL when DATABASE_URL is set (a throw-away
 * database on that server, dropped at the end). BENCH_SKIP_PGLITE=1: PostgreSQL only; BENCH_SCALE=0.2:
 * a fifth of the account (for profiling).
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { cpus, loadavg } from 'node:os';
import postgres from 'postgres';
import { eq } from 'drizzle-orm';
import type { Database } from '../src/db/client.ts';
import { openDatabase } from '../src/db/open.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import { groupMemberships, groups, roles, users } from '../src/db/schema/principals.ts';
import { inlinePolicies, policyAttachments } from '../src/db/schema/attachments.ts';
import { managedPolicies, policyVersions } from '../src/db/schema/policies.ts';
import { bootstrapAccount } from '../src/iam/bootstrap.ts';
import { ensureBuiltInPolicies } from '../src/iam/seeds.ts';
import { newUniqueId } from '../src/iam/ids.ts';
import { createApp, type App } from '../src/server/app.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { EscalationAnalysis } from '../src/authz/escalation/analyze.ts';

const ACCOUNT = '111122223333';
const ROOT = { accessKeyId: 'AKIABENCHESCALATE234', secret: 'bench-escalation-secret-0123456789abc' };
/** BENCH_SCALE (default 1) shrinks the account for profiling; the issue's figures are at 1. */
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const USERS = Math.round(5_000 * SCALE);
const GROUPS = Math.round(200 * SCALE);
const ROLES = Math.round(1_000 * SCALE);
const POLICIES = Math.round(1_500 * SCALE);
const BUCKETS = 100;
const TEAMS = 10;
const TARGET_MS = 10_000;

let seed = 7;
function rand(n: number): number {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed % n;
}

const doc = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

/** Policy i: bucket reads and team writes, and one policy in 25 with an escalation-relevant grant. */
function policyDocument(i: number): string {
  const base = [
    { Sid: 'Read', Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: `arn:aws:s3:::bench-bucket-${i % BUCKETS}*` },
    { Sid: 'WriteTeam', Effect: 'Allow', Action: 's3:PutObject', Resource: `arn:aws:s3:::bench-bucket-*/team-${i % TEAMS}/*` },
    { Sid: 'NoSecrets', Effect: 'Deny', Action: 's3:*', Resource: `arn:aws:s3:::bench-bucket-${(i * 7) % BUCKETS}/secret/*` },
    { Sid: 'ReadIam', Effect: 'Allow', Action: ['iam:Get*', 'iam:List*'], Resource: '*' },
  ];
  const extra: object[] = [];
  switch (i % 25) {
    case 0:
      extra.push({ Sid: 'OwnPolicies', Effect: 'Allow', Action: ['iam:PutUserPolicy', 'iam:AttachUserPolicy'], Resource: `arn:aws:iam::${ACCOUNT}:user/\${aws:username}` });
      break;
    case 1:
      extra.push({ Sid: 'Ec2', Effect: 'Allow', Action: ['ec2:RunInstances', 'iam:PassRole'], Resource: '*' });
      break;
    case 2:
      extra.push({ Sid: 'TeamRoles', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${ACCOUNT}:role/bench-role-${i % TEAMS}*` });
      break;
    case 3:
      extra.push({ Sid: 'Keys', Effect: 'Allow', Action: 'iam:CreateAccessKey', Resource: `arn:aws:iam::${ACCOUNT}:user/bench-user-1*` });
      break;
    case 4:
      extra.push({ Sid: 'Lambda', Effect: 'Allow', Action: ['lambda:CreateFunction', 'lambda:InvokeFunction'], Resource: '*' }, { Sid: 'PassLambda', Effect: 'Allow', Action: 'iam:PassRole', Resource: '*', Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } } });
      break;
    case 5:
      extra.push({ Sid: 'OwnVersions', Effect: 'Allow', Action: 'iam:CreatePolicyVersion', Resource: `arn:aws:iam::${ACCOUNT}:policy/bench-policy-${i}` }, { Sid: 'ButNot', Effect: 'Deny', Action: 'iam:CreatePolicyVersion', Resource: '*' });
      break;
    default:
      break;
  }
  return doc(...base, ...extra);
}

async function insertChunked<T>(rows: readonly T[], size: number, insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

async function seedAccount(database: Database): Promise<void> {
  const db = database.db;
  const [admin] = await db.select({ id: managedPolicies.id }).from(managedPolicies).where(eq(managedPolicies.arn, 'arn:aws:iam::aws:policy/AdministratorAccess'));
  if (admin === undefined) throw new Error('AdministratorAccess is not loaded');
  const policyRows = Array.from({ length: POLICIES }, (_, i) => ({ id: newUniqueId('policy'), accountId: ACCOUNT, name: `bench-policy-${i}`, lastVersionNumber: i % 30 === 0 ? 2 : 1 }));
  await insertChunked(policyRows, 500, (c) => db.insert(managedPolicies).values(c));
  // One policy in thirty keeps an old, powerful v1 beside its default v2.
  const versions = policyRows.flatMap((p, i) =>
    i % 30 === 0
      ? [
          { policyId: p.id, versionNumber: 1, document: doc({ Effect: 'Allow', Action: '*', Resource: '*' }), isDefault: false },
          { policyId: p.id, versionNumber: 2, document: policyDocument(i), isDefault: true },
        ]
      : [{ policyId: p.id, versionNumber: 1, document: policyDocument(i), isDefault: true }],
  );
  await insertChunked(versions, 200, (c) => db.insert(policyVersions).values(c));
  const groupRows = Array.from({ length: GROUPS }, (_, i) => ({ id: newUniqueId('group'), accountId: ACCOUNT, name: `bench-group-${i}` }));
  await db.insert(groups).values(groupRows);
  await db.insert(policyAttachments).values(groupRows.flatMap((g, i) => [0, 1].map((k) => ({ principalKind: 'group' as const, groupId: g.id, policyId: policyRows[(i * 2 + k + 7) % POLICIES]!.id }))));
  const userRows = Array.from({ length: USERS }, (_, i) => ({ id: newUniqueId('user'), accountId: ACCOUNT, name: `bench-user-${i}`, tags: [{ key: 'team', value: `team-${i % TEAMS}` }] }));
  await insertChunked(userRows, 500, (c) => db.insert(users).values(c));
  const memberships = userRows.flatMap((u, i) => {
    const first = i % GROUPS;
    const second = (i * 7 + 3) % GROUPS;
    return first === second ? [{ userId: u.id, groupId: groupRows[first]!.id }] : [first, second].map((g) => ({ userId: u.id, groupId: groupRows[g]!.id }));
  });
  await insertChunked(memberships, 1000, (c) => db.insert(groupMemberships).values(c));
  // Each user holds one policy of its own; twenty are administrators.
  await insertChunked(
    userRows.map((u, i) => ({ principalKind: 'user' as const, userId: u.id, policyId: i % 250 === 0 ? admin.id : policyRows[rand(POLICIES)]!.id })),
    1000,
    (c) => db.insert(policyAttachments).values(c),
  );
  const inline = userRows
    .filter((_, i) => i % 10 === 0)
    .map((u, i) => ({ principalKind: 'user' as const, userId: u.id, name: 'Own', document: doc({ Effect: 'Allow', Action: 's3:*', Resource: `arn:aws:s3:::bench-bucket-${i % BUCKETS}/home/${u.name}/*` }) }));
  await insertChunked(inline, 500, (c) => db.insert(inlinePolicies).values(c));
  // Roles: seven in ten trust a compute service, the rest the account; one in fifty is an administrator.
  const services = ['ec2.amazonaws.com', 'lambda.amazonaws.com', 'glue.amazonaws.com'];
  const roleRows = Array.from({ length: ROLES }, (_, i) => ({
    id: newUniqueId('role'),
    accountId: ACCOUNT,
    name: `bench-role-${i}`,
    trustPolicy: i % 10 < 7 ? doc({ Effect: 'Allow', Principal: { Service: services[i % services.length] }, Action: 'sts:AssumeRole' }) : doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }),
    tags: [{ key: 'team', value: `team-${i % TEAMS}` }],
  }));
  await insertChunked(roleRows, 500, (c) => db.insert(roles).values(c));
  await insertChunked(
    roleRows.map((r, i) => ({ principalKind: 'role' as const, roleId: r.id, policyId: i % 50 === 0 ? admin.id : policyRows[rand(POLICIES)]!.id })),
    1000,
    (c) => db.insert(policyAttachments).values(c),
  );
}

function loadNote(): string {
  return `load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores`;
}

const SUMMARY = '{ escalationSummary { principalsAnalyzed principalsWithPaths techniques { technique principals } principals { totalCount } } }';

async function bench(backend: string, databaseUrl: string | undefined): Promise<void> {
  const database = await openDatabase({ dataDir: 'memory://', ...(databaseUrl === undefined ? {} : { databaseUrl }) });
  let app: App | undefined;
  try {
    await migrateDatabase(database);
    await bootstrapAccount(database, { accountId: ACCOUNT, rootAccessKey: ROOT });
    await ensureBuiltInPolicies(database, ACCOUNT);
    const started = performance.now();
    await seedAccount(database);
    console.log(`${backend}: seeded ${USERS} users in ${GROUPS} groups, ${ROLES} roles, ${POLICIES} managed policies in ${((performance.now() - started) / 1000).toFixed(1)} s (${loadNote()})`);
    const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', PORTCULLIS_ACCOUNT_ID: ACCOUNT, RATE_LIMIT_PER_SECOND: '0', DATA_DIR: 'memory://unused' });
    app = createApp(config, database, { logger: createLogger('silent') });
    await app.authz.start();
    const authorization = `Basic ${Buffer.from(`${ROOT.accessKeyId}:${ROOT.secret}`).toString('base64')}`;
    const running = app;
    const ask = async (label: string) => {
      const start = performance.now();
      const cpu = process.cpuUsage();
      const response = await running.yoga.fetch('http://yoga/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify({ query: SUMMARY }) });
      const body = (await response.json()) as { data?: { escalationSummary: { principalsAnalyzed: number; principalsWithPaths: number; techniques: Array<{ technique: string; principals: number }> } | null }; errors?: unknown[] };
      const ms = performance.now() - start;
      const used = process.cpuUsage(cpu);
      const summary = body.data?.escalationSummary;
      if (summary == null) throw new Error(`escalationSummary failed: ${JSON.stringify(body.errors).slice(0, 400)}`);
      const cpuMs = (used.user + used.system) / 1000;
      console.log(
        `  ${label.padEnd(34)} ${ms.toFixed(0).padStart(6)} ms wall, ${cpuMs.toFixed(0).padStart(6)} ms cpu | ${summary.principalsAnalyzed} principals, ${summary.principalsWithPaths} with paths` +
          (label.startsWith('cold') ? ` | target < ${TARGET_MS / 1000} s: ${ms < TARGET_MS ? 'met' : 'MISSED'}` : ''),
      );
      return summary;
    };
    // The caller's own credential and policies, as any earlier request would have loaded them.
    await running.yoga.fetch('http://yoga/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify({ query: '{ serverInfo { version } }' }) });
    const cold = await ask('cold escalationSummary (load + all)');
    console.log(`    techniques: ${cold.techniques.map((t) => `${t.technique} ${t.principals}`).join(', ')}`);
    await ask('warm escalationSummary (kept)');
    const { analysis } = await running.authz.escalation.analysisOf(ACCOUNT);
    const start = performance.now();
    const cpu = process.cpuUsage();
    const fresh = new EscalationAnalysis(analysis.directory, new Date());
    let paths = 0;
    for (const p of fresh.all()) paths += p.paths.length;
    const used = process.cpuUsage(cpu);
    console.log(`  ${'analysis alone (no database)'.padEnd(34)} ${(performance.now() - start).toFixed(0).padStart(6)} ms wall, ${((used.user + used.system) / 1000).toFixed(0).padStart(6)} ms cpu | ${paths} paths in all`);
  } finally {
    await app?.close();
    await database.close();
  }
}

async function throwAwayDatabase(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `portcullis_bench_escalation_${randomBytes(4).toString('hex')}`;
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
