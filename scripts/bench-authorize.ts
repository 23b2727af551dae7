/**
 * Decision throughput over real HTTP (`npm run bench:authorize`). Creates a fresh PostgreSQL
 * database on the local server (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres),
 * seeds 1,000 users in 50 groups with 200 managed policies directly through the database layer,
 * starts Portcullis on it, and drives it with autocannon from a separate process:
 *   1. bare `{ __typename }` with the same credential: the ceiling of the HTTP + GraphQL stack;
 *   2. single `authorize` about a random user: requests per second, p50 and p99 latency;
 *   3. `authorizeBatch` of 100 random questions: decisions per second;
 *   4. single `authorize` again from a few connections: latency at the single-call rate without
 *      the queueing that 32 connections add (one process serves requests one at a time, so 4
 *      connections already keep it near its full rate; the output says how near);
 *   5. AuthZEN `POST /access/v1/evaluation` of the same questions (subject id = principal ARN,
 *      action name = IAM action, resource id = ARN), same server, same credential: the fast path
 *      with no GraphQL (target >= 4x the single `authorize` rate);
 *   6. AuthZEN `POST /access/v1/evaluations` of 100 such questions: decisions per second against
 *      `authorizeBatch` of 100 (target >= 2x).
 * Each scenario is warmed up first, so caches are hot as in steady state. The database is dropped
 * at the end. Targets: single >= 70% of bare; batched >= 100,000 decisions/s; p99 < 10 ms.
 *
 * Options (environment): BENCH_SECONDS (default 10), BENCH_CONNECTIONS (default 32),
 * BENCH_PROFILE=bare|single|batch|authzen-single|authzen-batch (print the server's hottest functions during that scenario),
 * BENCH_LATENCY_CONNECTIONS (default 4: the connections of the unsaturated latency run),
 * BENCH_RATE_LIMIT (default 0, off: a per-second rate and burst, e.g. 1000000, to include the
 * per-credential rate limiter's cost).
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Session } from 'node:inspector/promises';
import { cpus, loadavg } from 'node:os';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import type { Database } from '../src/db/client.ts';
import { openDatabase } from '../src/db/open.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import { groupMemberships, groups, users } from '../src/db/schema/principals.ts';
import { inlinePolicies, policyAttachments } from '../src/db/schema/attachments.ts';
import { managedPolicies, policyVersions } from '../src/db/schema/policies.ts';
import { bootstrapAccount } from '../src/iam/bootstrap.ts';
import { newUniqueId } from '../src/iam/ids.ts';
import { loadConfig } from '../src/config.ts';
import { startServer } from '../src/server/http.ts';
import { createLogger } from '../src/logger.ts';

const ACCOUNT = '111122223333';
const ROOT = { accessKeyId: 'AKIABENCHROOTKEY2345', secret: 'bench-root-secret-0123456789abcdef' };
const USERS = 1_000;
const GROUPS = 50;
const POLICIES = 200;
const BATCH = 100;
const SERVICES = ['s3', 'ec2', 'dynamodb', 'sqs', 'sns', 'lambda', 'kms', 'logs'] as const;
const ACTIONS = ['Get', 'Put', 'Delete', 'List', 'Describe', 'Update'] as const;

/** Deterministic pseudo-random numbers, so runs compare. */
let seed = 7;
function rand(n: number): number {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed % n;
}

/** A realistic managed policy: service wildcards, exact actions, resource patterns, conditions, a deny. */
function policyDocument(i: number): string {
  const service = SERVICES[i % SERVICES.length]!;
  const other = SERVICES[(i + 3) % SERVICES.length]!;
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Read', Effect: 'Allow', Action: [`${service}:Get*`, `${service}:List*`, `${service}:Describe*`], Resource: '*' },
      { Sid: 'WriteOwn', Effect: 'Allow', Action: `${service}:Put*`, Resource: `arn:aws:${service}:*:${ACCOUNT}:*/team-${i % 10}/*` },
      {
        Sid: 'TaggedUpdate',
        Effect: 'Allow',
        Action: `${other}:Update*`,
        Resource: '*',
        Condition: { StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' }, Bool: { 'aws:SecureTransport': 'true' } },
      },
      { Sid: 'NoDeleteProd', Effect: 'Deny', Action: `${service}:Delete*`, Resource: `arn:aws:${service}:*:${ACCOUNT}:*/prod/*` },
      {
        Sid: 'OfficeOnly',
        Effect: 'Allow',
        Action: `${other}:Delete*`,
        Resource: '*',
        Condition: { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '192.168.0.0/16'] } },
      },
    ],
  });
}

/** Inserts the directory in a few multi-row statements (the services would write row by row). */
async function seedDirectory(database: Database): Promise<void> {
  const db = database.db;
  const policyRows = Array.from({ length: POLICIES }, (_, i) => ({ id: newUniqueId('policy'), accountId: ACCOUNT, name: `bench-policy-${i}` }));
  await db.insert(managedPolicies).values(policyRows);
  await db.insert(policyVersions).values(policyRows.map((p, i) => ({ policyId: p.id, versionNumber: 1, document: policyDocument(i), isDefault: true })));
  const groupRows = Array.from({ length: GROUPS }, (_, i) => ({ id: newUniqueId('group'), accountId: ACCOUNT, name: `bench-group-${i}` }));
  await db.insert(groups).values(groupRows);
  await db.insert(policyAttachments).values(
    groupRows.flatMap((g, i) => [0, 1, 2, 3].map((k) => ({ principalKind: 'group' as const, groupId: g.id, policyId: policyRows[(i * 4 + k) % POLICIES]!.id }))),
  );
  const userRows = Array.from({ length: USERS }, (_, i) => ({
    id: newUniqueId('user'),
    accountId: ACCOUNT,
    name: `bench-user-${i}`,
    tags: [{ key: 'team', value: `team-${i % 10}` }],
  }));
  for (let i = 0; i < USERS; i += 250) await db.insert(users).values(userRows.slice(i, i + 250));
  const memberships = userRows.flatMap((u, i) => {
    const first = groupRows[i % GROUPS]!;
    const second = groupRows[(i * 7 + 3) % GROUPS]!;
    return first.id === second.id ? [{ userId: u.id, groupId: first.id }] : [{ userId: u.id, groupId: first.id }, { userId: u.id, groupId: second.id }];
  });
  for (let i = 0; i < memberships.length; i += 500) await db.insert(groupMemberships).values(memberships.slice(i, i + 500));
  const attachments = userRows.flatMap((u) => {
    const a = rand(POLICIES);
    const b = (a + 1 + rand(POLICIES - 1)) % POLICIES;
    return [a, b].map((p) => ({ principalKind: 'user' as const, userId: u.id, policyId: policyRows[p]!.id }));
  });
  for (let i = 0; i < attachments.length; i += 500) await db.insert(policyAttachments).values(attachments.slice(i, i + 500));
  const inline = userRows.map((u, i) => ({
    principalKind: 'user' as const,
    userId: u.id,
    name: 'Own',
    document: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: `arn:aws:s3:::home-bucket/bench-user-${i}/*` }],
    }),
  }));
  for (let i = 0; i < inline.length; i += 250) await db.insert(inlinePolicies).values(inline.slice(i, i + 250));
}

/** One random question about one of the seeded users. */
function question(): Record<string, unknown> {
  const user = rand(USERS);
  const service = SERVICES[rand(SERVICES.length)]!;
  const action = `${service}:${ACTIONS[rand(ACTIONS.length)]}Item`;
  return {
    principalArn: `arn:aws:iam::${ACCOUNT}:user/bench-user-${user}`,
    action,
    resourceArn: `arn:aws:${service}:us-east-1:${ACCOUNT}:thing/team-${rand(10)}/${rand(1000)}`,
  };
}

const AUTHORIZE = 'mutation ($input: AuthorizeInput!) { authorize(input: $input) { ... on Decision { allowed decision revision } } }';
const AUTHORIZE_BATCH =
  'mutation ($requests: [AuthorizeInput!]!) { authorizeBatch(requests: $requests) { ... on Decision { allowed decision } ... on ResultError { code } } }';

/** The scenarios, in the order they run. */
const SCENARIOS = ['bare', 'single', 'batch', 'authzen-single', 'authzen-batch'] as const;
type Scenario = (typeof SCENARIOS)[number];

/** The path each scenario posts to. */
const PATHS: Record<Scenario, string> = {
  bare: '/graphql',
  single: '/graphql',
  batch: '/graphql',
  'authzen-single': '/access/v1/evaluation',
  'authzen-batch': '/access/v1/evaluations',
};

/** A question as an AuthZEN evaluation: the principal ARN as subject id, the IAM action as action name, the ARN as resource id. */
function evaluation(q: Record<string, unknown>): Record<string, unknown> {
  return { subject: { type: 'user', id: q['principalArn'] }, action: { name: q['action'] }, resource: { type: 'thing', id: q['resourceArn'] } };
}

/** What the driver process is asked to run. */
interface DriveRequest {
  readonly url: string;
  readonly authorization: string;
  readonly scenario: Scenario;
  readonly seconds: number;
  readonly connections: number;
}

/** Summary of one autocannon run. */
interface DriveResult {
  readonly requestsPerSecond: number;
  readonly total: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  readonly non2xx: number;
}

/** The part of autocannon's API this script uses (the package ships no type declarations). */
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  requests: Array<{ method: string; headers: Record<string, string>; setupRequest: (req: Record<string, unknown>) => Record<string, unknown> }>;
}) => Promise<{ requests: { average: number; total: number }; latency: { p50: number; p99: number }; errors: number; non2xx: number }>;

/** Runs in the child process: autocannon against the server, random bodies per request. */
async function drive(request: DriveRequest): Promise<DriveResult> {
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
  // Bodies are generated up front and cycled, so the load generator spends its CPU on sending.
  const make = (): string => {
    if (request.scenario === 'bare') return JSON.stringify({ query: '{ __typename }' });
    if (request.scenario === 'single') return JSON.stringify({ query: AUTHORIZE, variables: { input: question() } });
    if (request.scenario === 'authzen-single') return JSON.stringify(evaluation(question()));
    if (request.scenario === 'authzen-batch') return JSON.stringify({ evaluations: Array.from({ length: BATCH }, () => evaluation(question())) });
    return JSON.stringify({ query: AUTHORIZE_BATCH, variables: { requests: Array.from({ length: BATCH }, question) } });
  };
  const bodies = Array.from({ length: 512 }, make);
  let next = 0;
  const body = (): string => bodies[next++ % bodies.length]!;
  const result = await autocannon({
    url: `${request.url}${PATHS[request.scenario]}`,
    connections: request.connections,
    duration: request.seconds,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: request.authorization },
        setupRequest: (req: Record<string, unknown>) => ({ ...req, body: body() }),
      },
    ],
  });
  return {
    requestsPerSecond: result.requests.average,
    total: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

/** Forks this script as the load generator, so it does not share the server's event loop. */
function driveInChild(request: DriveRequest): Promise<DriveResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--drive'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (message) => resolve(message as DriveResult));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`load generator exited with code ${code}`));
    });
    child.send(request);
  });
}

/**
 * BENCH_PROFILE=<scenario>: samples the server's CPU during that scenario and returns the
 * functions with the most self time, to see where a request's time goes.
 */
async function startProfile(): Promise<() => Promise<string>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    const self = new Map<string, number>();
    for (const id of profile.samples ?? []) {
      const frame = byId.get(id)!.callFrame;
      const key = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').slice(-2).join('/')}:${frame.lineNumber + 1}`;
      self.set(key, (self.get(key) ?? 0) + 1);
    }
    const total = profile.samples?.length ?? 1;
    return [...self.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 25)
      .map(([key, count]) => `${((100 * count) / total).toFixed(1).padStart(5)}%  ${key}`)
      .join('\n');
  };
}

async function main(): Promise<void> {
  const adminUrl = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const seconds = Number(process.env['BENCH_SECONDS'] ?? 10);
  const connections = Number(process.env['BENCH_CONNECTIONS'] ?? 32);
  const name = `portcullis_bench_${process.pid}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let stop: (() => Promise<void>) | undefined;
  try {
    const seeding = await openDatabase({ databaseUrl: url.toString(), dataDir: 'unused' });
    await migrateDatabase(seeding);
    await bootstrapAccount(seeding, { accountId: ACCOUNT, rootAccessKey: ROOT });
    const seedStarted = performance.now();
    await seedDirectory(seeding);
    await seeding.close();
    console.log(`seeded ${USERS} users, ${GROUPS} groups, ${POLICIES} policies in ${Math.round(performance.now() - seedStarted)} ms`);

    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      // Any free port: another benchmark or server on this machine may hold the default 9464.
      METRICS_PORT: '0',
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATABASE_URL: url.toString(),
      PORTCULLIS_ACCOUNT_ID: ACCOUNT,
      PORTCULLIS_ROOT_ACCESS_KEY: `${ROOT.accessKeyId}:${ROOT.secret}`,
      // The benchmark drives one credential far past the default per-credential rate limit, so the
      // limiter is off unless BENCH_RATE_LIMIT sets a (high) rate to measure what the limiter costs.
      RATE_LIMIT_PER_SECOND: process.env['BENCH_RATE_LIMIT'] ?? '0',
      RATE_LIMIT_BURST: process.env['BENCH_RATE_LIMIT'] ?? '1000',
      // Production mode needs a key for TOTP seeds; a throw-away one suits a throw-away database.
      PORTCULLIS_SECRETS_KEY: randomBytes(32).toString('base64'),
    });
    const server = await startServer(config, { logger: createLogger('warn'), announce: () => {} });
    stop = () => server.close();
    const base = { url: server.url, authorization: `Basic ${Buffer.from(`${ROOT.accessKeyId}:${ROOT.secret}`).toString('base64')}`, connections };

    const results: Record<string, DriveResult> = {};
    // Server CPU per request does not depend on what else the machine runs, unlike req/s.
    const cpuPerRequest: Record<string, number> = {};
    for (const scenario of SCENARIOS) {
      await driveInChild({ ...base, scenario, seconds: Math.min(3, seconds) }); // warm-up: caches, JIT
      const profiling = process.env['BENCH_PROFILE'] === scenario ? await startProfile() : undefined;
      const cpu = process.cpuUsage();
      const result = await driveInChild({ ...base, scenario, seconds });
      const used = process.cpuUsage(cpu);
      if (profiling !== undefined) console.log(await profiling());
      results[scenario] = result;
      cpuPerRequest[scenario] = (used.user + used.system) / 1000 / Math.max(1, result.total);
    }
    // Latency without queueing: the same single questions from a few connections, well below saturation.
    const latencyConnections = Number(process.env['BENCH_LATENCY_CONNECTIONS'] ?? 4);
    const latency = await driveInChild({ ...base, connections: latencyConnections, scenario: 'single', seconds });
    const bare = results['bare']!;
    const single = results['single']!;
    const batch = results['batch']!;
    const row = (label: string, r: DriveResult, cpu: number, extra = '') =>
      `${label.padEnd(22)} ${r.requestsPerSecond.toFixed(0).padStart(8)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms   ` +
      `server CPU ${cpu.toFixed(3)} ms/req (${(1000 / cpu).toFixed(0)} req/s per core)   errors ${r.errors + r.non2xx}${extra}`;
    const cpu = (scenario: string) => cpuPerRequest[scenario]!;
    console.log(`\n${connections} connections, ${seconds} s per scenario, PostgreSQL, ${USERS} users\n`);
    console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} CPUs`);
    console.log(row('bare { __typename }', bare, cpu('bare')));
    console.log(row('authorize', single, cpu('single'), `\n${''.padEnd(23)}${((single.requestsPerSecond / bare.requestsPerSecond) * 100).toFixed(0)}% of bare by req/s, ${((cpu('bare') / cpu('single')) * 100).toFixed(0)}% by server CPU (target >= 70%)`));
    console.log(
      `${`authorize, ${latencyConnections} conns`.padEnd(22)} ${latency.requestsPerSecond.toFixed(0).padStart(8)} req/s   p50 ${String(latency.p50).padStart(4)} ms   p99 ${String(latency.p99).padStart(4)} ms   ` +
        `(${((latency.requestsPerSecond / single.requestsPerSecond) * 100).toFixed(0)}% of the ${connections}-connection rate; target p99 < 10 ms)`,
    );
    console.log(
      row(
        `authorizeBatch x${BATCH}`,
        batch,
        cpu('batch'),
        `\n${''.padEnd(23)}${(batch.requestsPerSecond * BATCH).toFixed(0)} decisions/s measured, ${((1000 / cpu('batch')) * BATCH).toFixed(0)} per server core (target >= 100,000)`,
      ),
    );
    const authzenSingle = results['authzen-single']!;
    const authzenBatch = results['authzen-batch']!;
    console.log(
      row(
        'AuthZEN evaluation',
        authzenSingle,
        cpu('authzen-single'),
        `\n${''.padEnd(23)}${(authzenSingle.requestsPerSecond / single.requestsPerSecond).toFixed(1)}x authorize by req/s, ` +
          `${(cpu('single') / cpu('authzen-single')).toFixed(1)}x by server CPU (target >= 4x)`,
      ),
    );
    console.log(
      row(
        `AuthZEN evaluations x${BATCH}`,
        authzenBatch,
        cpu('authzen-batch'),
        `\n${''.padEnd(23)}${(authzenBatch.requestsPerSecond * BATCH).toFixed(0)} decisions/s measured: ` +
          `${(authzenBatch.requestsPerSecond / batch.requestsPerSecond).toFixed(1)}x authorizeBatch by decisions/s, ` +
          `${(cpu('batch') / cpu('authzen-batch')).toFixed(1)}x by server CPU (target >= 2x)`,
      ),
    );
  } finally {
    await stop?.();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

if (process.argv.includes('--drive')) {
  process.once('message', (request) => {
    drive(request as DriveRequest).then(
      (result) => process.send?.(result, () => process.exit(0)),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
