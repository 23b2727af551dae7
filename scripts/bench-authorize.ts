/**
 * Decision throughput over real HTTP (`npm run bench:authorize`). Creates a fresh PostgreSQL
 * database on the local server (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres),
 * seeds BENCH_USERS (5,000) users in BENCH_GROUPS (200) groups with 200 managed policies directly
 * through the database layer (BENCH_BACKEND=pglite: a PGlite directory instead),
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
 *      `authorizeBatch` of 100 (target >= 2x);
 *   7. cold `authorize`: caches emptied, every user asked about once (each request a principal's
 *      first touch), with the CPU of the server's threads and of the local PostgreSQL per request,
 *      and the heap bytes each cached principal then takes (after a forced GC);
 *   8. bare `{ __typename }` again with the server as its own process, started from the sources
 *      through tsx and compiled (`node dist/server/main.js`, what `npm start` runs);
 *   9. `floor`: Node's own HTTP server in this process answering the AuthZEN bodies with a constant
 *      (bench-floor.ts): the least any endpoint on this machine can cost, and so what a 4x
 *      AuthZEN row leaves for Portcullis's own work;
 *  10. `guardrails`: single `authorize` about a random user of a MEMBER account of the
 *      organization (BENCH_GUARD_USERS, default 1,000, seeded like the others), asked by that
 *      account's root, with three levels of SCPs (root, OU, account) of two SCPs each
 *      (FullAWSAccess and a Deny) on the way: the rate against bare (target >= 0.70x) and against
 *      the single `authorize` of the management account, which no SCP binds.
 * Before the warm scenarios every user's policies are loaded once (authorizeBatch over all of them),
 * so no warm row pays for first touches: a time-based warm-up covers only the users it happens to
 * ask about (a few hundred on a loaded machine), and whichever scenario ran first would pay for the
 * rest. Each scenario is then warmed up (JIT) as in steady state. The database is dropped
 * at the end. Targets: single >= 70% of bare; batched >= 100,000 decisions/s; p99 < 10 ms;
 * cold >= 0.5x bare; < 5 KB of heap per cached principal.
 *
 * Options (environment): BENCH_SECONDS (default 10, split over the rounds), BENCH_ROUNDS (default 3:
 * the warm scenarios take turns, so a drifting machine load weighs on each alike), BENCH_CONNECTIONS (default 32),
 * BENCH_PROFILE=bare|single|batch|authzen-single|authzen-batch|floor|cold (print the server's hottest functions during that scenario),
 * BENCH_HEAP_PROFILE=<the same> (print the functions that allocated the most bytes during it),
 * BENCH_LATENCY_CONNECTIONS (default 4: the connections of the unsaturated latency run),
 * BENCH_RATE_LIMIT (default 0, off: a per-second rate and burst, e.g. 1000000, to include the
 * per-credential rate limiter's cost).
 */
import { fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
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
import { eq } from 'drizzle-orm';
import { accounts } from '../src/db/schema/accounts.ts';
import { organizations } from '../src/db/schema/accounts.ts';
import { organizationPolicies, organizationPolicyAttachments, organizationPolicyVersions, organizationalUnits } from '../src/db/schema/organizations.ts';
import { newUniqueId } from '../src/iam/ids.ts';
import { ensureBuiltInPolicies, seedDemoOrganisation } from '../src/iam/seeds.ts';
import { loadConfig } from '../src/config.ts';
import { startServer } from '../src/server/http.ts';
import type { App } from '../src/server/app.ts';
import { createLogger } from '../src/logger.ts';
import { startHttpFloor } from './bench-floor.ts';
import { postgresCpuMs, startHeapProfile, startProfile, threadCpuDelta, threadCpuMs } from './bench-profile.ts';

const ACCOUNT = '111122223333';
const ACCOUNT_ID = ACCOUNT;
const ROOT = { accessKeyId: 'AKIABENCHROOTKEY2345', secret: 'bench-root-secret-0123456789abcdef' };
/** The member account of the guardrails scenario, and its root's key. */
const MEMBER = '444455556666';
const MEMBER_ROOT = { accessKeyId: 'AKIABENCHMEMBERKEY23', secret: 'bench-member-secret-0123456789abcdef' };
const GUARD_USERS = Number(process.env['BENCH_GUARD_USERS'] ?? 1_000);
const GUARD_GROUPS = Math.max(1, Math.round(GUARD_USERS / 25));
const USERS = Number(process.env['BENCH_USERS'] ?? 5_000);
const GROUPS = Number(process.env['BENCH_GROUPS'] ?? 200);
const USER_COUNT = USERS;
const GROUP_COUNT = GROUPS;
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
async function seedDirectory(database: Database, ACCOUNT = ACCOUNT_ID, USERS = USER_COUNT, GROUPS = GROUP_COUNT): Promise<void> {
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

/**
 * The organization of the guardrails scenario: the bench account is its management account, and
 * MEMBER sits under one OU; root, OU and MEMBER each carry FullAWSAccess and a Deny SCP (three
 * levels of two SCPs), and RCPFullAWSAccess (which lets every resource through unscanned).
 */
async function seedOrganization(database: Database): Promise<void> {
  const db = database.db;
  const org = 'o-benchorg001';
  const root = 'r-bnch';
  const ou = 'ou-bnch-prod0001';
  const scp = (statement: object) => JSON.stringify({ Version: '2012-10-17', Statement: [statement] });
  await db.insert(organizations).values({ id: org, rootId: root, managementAccountId: ACCOUNT });
  await db.insert(organizationalUnits).values({ id: ou, organizationId: org, parentId: root, name: 'Prod' });
  await db.update(accounts).set({ organizationId: org, parentId: root }).where(eq(accounts.id, ACCOUNT));
  await db.update(accounts).set({ organizationId: org, parentId: ou }).where(eq(accounts.id, MEMBER));
  const policies = [
    { id: 'p-FullAWSAccess', organizationId: null, type: 'SERVICE_CONTROL_POLICY' as const, name: 'FullAWSAccess', awsManaged: true, content: scp({ Effect: 'Allow', Action: '*', Resource: '*' }) },
    { id: 'p-RCPFullAWSAccess', organizationId: null, type: 'RESOURCE_CONTROL_POLICY' as const, name: 'RCPFullAWSAccess', awsManaged: true, content: scp({ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }) },
    { id: 'p-benchdenyleave', organizationId: org, type: 'SERVICE_CONTROL_POLICY' as const, name: 'DenyLeaving', awsManaged: false, content: scp({ Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' }) },
    { id: 'p-benchdenyiam01', organizationId: org, type: 'SERVICE_CONTROL_POLICY' as const, name: 'DenyIamUsers', awsManaged: false, content: scp({ Effect: 'Deny', Action: ['iam:CreateUser', 'iam:CreateAccessKey'], Resource: '*' }) },
    { id: 'p-benchdenykms01', organizationId: org, type: 'SERVICE_CONTROL_POLICY' as const, name: 'DenyKeyDeletion', awsManaged: false, content: scp({ Effect: 'Deny', Action: 'kms:ScheduleKeyDeletion', Resource: '*' }) },
  ];
  await db.insert(organizationPolicies).values(policies.map(({ content: _content, ...p }) => ({ ...p, currentVersion: 1 })));
  await db.insert(organizationPolicyVersions).values(policies.map((p) => ({ policyId: p.id, versionNumber: 1, content: p.content })));
  const attach = (targetId: string, ...policyIds: string[]) => policyIds.map((policyId) => ({ organizationId: org, policyId, targetId }));
  await db.insert(organizationPolicyAttachments).values([
    ...attach(root, 'p-FullAWSAccess', 'p-benchdenyleave', 'p-RCPFullAWSAccess'),
    ...attach(ou, 'p-FullAWSAccess', 'p-benchdenyiam01', 'p-RCPFullAWSAccess'),
    ...attach(MEMBER, 'p-FullAWSAccess', 'p-benchdenykms01', 'p-RCPFullAWSAccess'),
    ...attach(ACCOUNT, 'p-FullAWSAccess', 'p-RCPFullAWSAccess'),
  ]);
}

/** One random question about one of the seeded users (of the member account for the guardrails scenario). */
function question(ACCOUNT = ACCOUNT_ID, USERS = USER_COUNT): Record<string, unknown> {
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
const SCENARIOS = ['bare', 'single', 'batch', 'authzen-single', 'authzen-batch', 'guardrails', 'floor'] as const;
/** The warm scenarios, and `cold`, which runs once over every user after them. */
type Scenario = (typeof SCENARIOS)[number] | 'cold';

/** The path each scenario posts to. */
const PATHS: Record<Scenario, string> = {
  bare: '/graphql',
  single: '/graphql',
  guardrails: '/graphql',
  batch: '/graphql',
  'authzen-single': '/access/v1/evaluation',
  'authzen-batch': '/access/v1/evaluations',
  floor: '/access/v1/evaluation',
  cold: '/graphql',
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
  /** Stop after this many requests instead of after `seconds` (the cold scenario asks about each user once). */
  readonly amount?: number;
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
  amount?: number;
  requests: Array<{ method: string; headers: Record<string, string>; setupRequest: (req: Record<string, unknown>) => Record<string, unknown> }>;
}) => PromiseLike<{ requests: { average: number; total: number }; latency: { p50: number; p99: number }; errors: number; non2xx: number }> & {
  on(event: 'start' | 'response', listener: () => void): void;
};

/** Runs in the child process: autocannon against the server, random bodies per request. */
async function drive(request: DriveRequest): Promise<DriveResult> {
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
  // Bodies are generated up front and cycled, so the load generator spends its CPU on sending.
  const make = (): string => {
    if (request.scenario === 'bare') return JSON.stringify({ query: '{ __typename }' });
    if (request.scenario === 'single') return JSON.stringify({ query: AUTHORIZE, variables: { input: question() } });
    if (request.scenario === 'guardrails') return JSON.stringify({ query: AUTHORIZE, variables: { input: question(MEMBER, GUARD_USERS) } });
    if (request.scenario === 'authzen-single' || request.scenario === 'floor') return JSON.stringify(evaluation(question()));
    if (request.scenario === 'authzen-batch') return JSON.stringify({ evaluations: Array.from({ length: BATCH }, () => evaluation(question())) });
    return JSON.stringify({ query: AUTHORIZE_BATCH, variables: { requests: Array.from({ length: BATCH }, question) } });
  };
  const bodies = request.scenario === 'cold' ? coldBodies() : Array.from({ length: 512 }, make);
  let next = 0;
  const body = (): string => bodies[next++ % bodies.length]!;
  const run = autocannon({
    url: `${request.url}${PATHS[request.scenario]}`,
    connections: request.connections,
    duration: request.seconds,
    ...(request.amount === undefined ? {} : { amount: request.amount }),
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: request.authorization },
        setupRequest: (req: Record<string, unknown>) => ({ ...req, body: body() }),
      },
    ],
  });
  // A run of a fixed amount ends within a second, and autocannon notices the end (and stamps its
  // `finish`) only at its next one-second sample: both its per-second average and finish - start
  // read whole seconds (5,000 requests in 4.1 s or in 4.9 s both read 1,000 req/s). So the rate is
  // the total over the time from the start to the last response.
  let started = 0;
  let lastResponse = 0;
  run.on('start', () => (started = performance.now()));
  run.on('response', () => (lastResponse = performance.now()));
  const result = await run;
  const elapsedSeconds = (lastResponse - started) / 1000;
  return {
    requestsPerSecond: request.amount === undefined ? result.requests.average : result.requests.total / elapsedSeconds,
    total: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

/** One scenario's rounds as one result: mean rate, summed counts, the worst round's percentiles. */
function combineRuns(runs: readonly DriveResult[]): DriveResult {
  const sum = (f: (r: DriveResult) => number) => runs.reduce((n, r) => n + f(r), 0);
  return {
    requestsPerSecond: sum((r) => r.requestsPerSecond) / runs.length,
    total: sum((r) => r.total),
    p50: Math.max(...runs.map((r) => r.p50)),
    p99: Math.max(...runs.map((r) => r.p99)),
    errors: sum((r) => r.errors),
    non2xx: sum((r) => r.non2xx),
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

async function main(): Promise<void> {
  const seconds = Number(process.env['BENCH_SECONDS'] ?? 10);
  const connections = Number(process.env['BENCH_CONNECTIONS'] ?? 32);
  const storage = await benchStorage();
  let stop: (() => Promise<void>) | undefined;
  try {
    const seeding = await openDatabase(storage.open);
    await migrateDatabase(seeding);
    await bootstrapAccount(seeding, { accountId: ACCOUNT, rootAccessKey: ROOT });
    // Loaded first, so the server's start-up finds it present instead of creating users past the
    // account's 5,000-user quota that the directory below fills.
    await ensureBuiltInPolicies(seeding, ACCOUNT);
    await seedDemoOrganisation(seeding, ACCOUNT);
    const seedStarted = performance.now();
    await seedDirectory(seeding);
    await bootstrapAccount(seeding, { accountId: MEMBER, rootAccessKey: MEMBER_ROOT });
    await seedDirectory(seeding, MEMBER, GUARD_USERS, GUARD_GROUPS);
    await seedOrganization(seeding);
    await seeding.close();
    console.log(`seeded ${USERS} users, ${GROUPS} groups, ${POLICIES} policies on ${storage.label} in ${Math.round(performance.now() - seedStarted)} ms`);

    const serverEnv: Record<string, string> = {
      PORT: '0',
      HOST: '127.0.0.1',
      // Any free port: another benchmark or server on this machine may hold the default 9464.
      METRICS_PORT: '0',
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      ...storage.serverEnv,
      PORTCULLIS_ACCOUNT_ID: ACCOUNT,
      PORTCULLIS_ROOT_ACCESS_KEY: `${ROOT.accessKeyId}:${ROOT.secret}`,
      // The benchmark drives one credential far past the default per-credential rate limit, so the
      // limiter is off unless BENCH_RATE_LIMIT sets a (high) rate to measure what the limiter costs.
      RATE_LIMIT_PER_SECOND: process.env['BENCH_RATE_LIMIT'] ?? '0',
      RATE_LIMIT_BURST: process.env['BENCH_RATE_LIMIT'] ?? '1000',
      // Production mode needs a key for TOTP seeds; a throw-away one suits a throw-away database.
      PORTCULLIS_SECRETS_KEY: randomBytes(32).toString('base64'),
    };
    const config = loadConfig(serverEnv);
    const server = await startServer(config, { logger: createLogger('warn'), announce: () => {} });
    stop = () => server.close();
    const base = { url: server.url, authorization: `Basic ${Buffer.from(`${ROOT.accessKeyId}:${ROOT.secret}`).toString('base64')}`, connections };

    await warmEveryPrincipal(base);
    const memberAuthorization = `Basic ${Buffer.from(`${MEMBER_ROOT.accessKeyId}:${MEMBER_ROOT.secret}`).toString('base64')}`;
    await warmEveryPrincipal({ ...base, authorization: memberAuthorization }, MEMBER, GUARD_USERS);
    /** The request of `scenario`: the guardrails scenario asks as the member account's root. */
    const floor = await startHttpFloor();
    const closeServer = stop;
    stop = async () => {
      await floor.close();
      await closeServer();
    };
    const requestOf = (scenario: Scenario) => ({
      ...base,
      ...(scenario === 'guardrails' ? { authorization: memberAuthorization } : {}),
      ...(scenario === 'floor' ? { url: floor.url } : {}),
      scenario,
    });
    // Server CPU per request depends less on what else the machine runs than req/s does, but a
    // loaded machine still slows every instruction, and its load drifts. So the scenarios run in
    // BENCH_ROUNDS rounds, taking turns (bare, single, batch, AuthZEN, ... then again): each
    // ratio compares scenarios measured under the same mix of loads.
    const rounds = Math.max(1, Number(process.env['BENCH_ROUNDS'] ?? 3));
    // BENCH_SCENARIOS=bare,authzen-single: only these warm scenarios (and no cold run unless listed), for profiling.
    const chosen = process.env['BENCH_SCENARIOS']?.split(',');
    const scenarios = chosen === undefined ? SCENARIOS : SCENARIOS.filter((s) => chosen.includes(s));
    const runCold = chosen === undefined || chosen.includes('cold');
    for (const scenario of scenarios) await driveInChild({ ...requestOf(scenario), seconds: Math.min(3, seconds) }); // warm-up: JIT
    const measured: Record<string, { runs: DriveResult[]; cpuMicros: number; mainMs: number; cpuPerRound: number[] }> = {};
    for (let round = 0; round < rounds; round++) {
      for (const scenario of scenarios) {
        const profiling =
          round === 0 && process.env['BENCH_PROFILE'] === scenario ? await startProfile() : round === 0 && process.env['BENCH_HEAP_PROFILE'] === scenario ? await startHeapProfile() : undefined;
        // Served decisions are recorded in memory and written every few seconds: each scenario
        // starts with the buffers empty and pays for writing its own records, not for whichever
        // scenario's happened to be pending when the flush timer fired.
        await server.app.authz.flushUsage();
        const cpu = process.cpuUsage();
        const threadsBefore = threadCpuMs();
        const result = await driveInChild({ ...requestOf(scenario), seconds: seconds / rounds });
        await server.app.authz.flushUsage();
        const used = process.cpuUsage(cpu);
        const mainMs = threadCpuDelta(threadsBefore, threadCpuMs()).find(([name]) => name === 'main')?.[1] ?? 0;
        if (profiling !== undefined) console.log(await profiling());
        const entry = (measured[scenario] ??= { runs: [], cpuMicros: 0, mainMs: 0, cpuPerRound: [] });
        entry.runs.push(result);
        entry.cpuMicros += used.user + used.system;
        entry.cpuPerRound.push((used.user + used.system) / 1000 / Math.max(1, result.total));
        entry.mainMs += mainMs;
      }
    }
    const results: Record<string, DriveResult> = {};
    const cpuPerRequest: Record<string, number> = {};
    const mainPerRequest: Record<string, number> = {};
    for (const [scenario, { runs, cpuMicros, mainMs }] of Object.entries(measured)) {
      results[scenario] = combineRuns(runs);
      cpuPerRequest[scenario] = cpuMicros / 1000 / Math.max(1, results[scenario].total);
      mainPerRequest[scenario] = mainMs / Math.max(1, results[scenario].total);
    }
    const cpu = (scenario: string) => cpuPerRequest[scenario]!;
    // The same ratio by server CPU in each round (scenarios of one round ran minutes apart, under
    // the same machine load): its range says how far one run's ratio can be trusted.
    const roundRange = (numerator: string, denominator: string, format: (ratio: number) => string) => {
      const a = measured[numerator]!.cpuPerRound;
      const b = measured[denominator]!.cpuPerRound;
      if (a.length < 2) return '';
      const ratios = a.map((cpuA, i) => b[i]! / cpuA).sort((x, y) => x - y);
      return ` (rounds ${format(ratios[0]!)} to ${format(ratios[ratios.length - 1]!)})`;
    };
    const times = (ratio: number) => `${ratio.toFixed(1)}x`;
    const percent = (ratio: number) => `${(ratio * 100).toFixed(0)}%`;
    // Server CPU is the process's (GC and other helper threads included); "main" is the JavaScript thread's share.
    const row = (label: string, r: DriveResult, scenario: string, extra = '') =>
      `${label.padEnd(22)} ${r.requestsPerSecond.toFixed(0).padStart(8)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms   ` +
      `server CPU ${cpu(scenario).toFixed(3)} ms/req, main ${mainPerRequest[scenario]!.toFixed(3)} (${(1000 / cpu(scenario)).toFixed(0)} req/s per core)   errors ${r.errors + r.non2xx}${extra}`;
    const { bare, single, batch } = results;
    const authzenSingle = results['authzen-single'];
    const authzenBatch = results['authzen-batch'];
    // Latency without queueing: the same single questions from a few connections, well below saturation.
    const latencyConnections = Number(process.env['BENCH_LATENCY_CONNECTIONS'] ?? 4);
    const latency = single === undefined ? undefined : await driveInChild({ ...base, connections: latencyConnections, scenario: 'single', seconds });
    // The bare rate again, right after the cold run: the cold ratio compares neighbours in time.
    const cold = runCold ? await coldPrincipalRows(server.app, base, storage.localPostgres, () => driveInChild({ ...base, scenario: 'bare', seconds: seconds / rounds })) : undefined;
    console.log(`\n${connections} connections, ${seconds} s per scenario, ${storage.label}, ${USERS} users in ${GROUPS} groups\n`);
    console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} CPUs`);
    if (bare !== undefined) console.log(row('bare { __typename }', bare, 'bare'));
    if (single !== undefined && bare !== undefined) {
      console.log(row('authorize', single, 'single', `\n${''.padEnd(23)}${((single.requestsPerSecond / bare.requestsPerSecond) * 100).toFixed(0)}% of bare by req/s, ${((cpu('bare') / cpu('single')) * 100).toFixed(0)}% by server CPU${roundRange('single', 'bare', percent)} (target >= 70%)`));
    } else if (single !== undefined) console.log(row('authorize', single, 'single'));
    const guarded = results['guardrails'];
    if (guarded !== undefined && bare !== undefined) {
      const vsSingle = single === undefined ? '' : `, ${((guarded.requestsPerSecond / single.requestsPerSecond) * 100).toFixed(0)}% of authorize without SCPs`;
      console.log(
        row(
          'authorize, 3x2 SCPs',
          guarded,
          'guardrails',
          `\n${''.padEnd(23)}${(guarded.requestsPerSecond / bare.requestsPerSecond).toFixed(2)}x bare by req/s, ${(cpu('bare') / cpu('guardrails')).toFixed(2)}x by server CPU${roundRange('guardrails', 'bare', (r) => `${r.toFixed(2)}x`)} (target >= 0.70x)${vsSingle}`,
        ),
      );
    }
    if (single !== undefined && latency !== undefined) {
      console.log(
        `${`authorize, ${latencyConnections} conns`.padEnd(22)} ${latency.requestsPerSecond.toFixed(0).padStart(8)} req/s   p50 ${String(latency.p50).padStart(4)} ms   p99 ${String(latency.p99).padStart(4)} ms   ` +
          `(${((latency.requestsPerSecond / single.requestsPerSecond) * 100).toFixed(0)}% of the ${connections}-connection rate; target p99 < 10 ms)`,
      );
    }
    if (batch !== undefined) {
      console.log(
        row(
          `authorizeBatch x${BATCH}`,
          batch,
          'batch',
          `\n${''.padEnd(23)}${(batch.requestsPerSecond * BATCH).toFixed(0)} decisions/s measured, ${((1000 / cpu('batch')) * BATCH).toFixed(0)} per server core (target >= 100,000)`,
        ),
      );
    }
    const floorRun = results['floor'];
    if (floorRun !== undefined) console.log(row('Node HTTP floor', floorRun, 'floor', `\n${''.padEnd(23)}node:http answering the AuthZEN bodies with a constant: no endpoint here costs less`));
    if (authzenSingle !== undefined) {
      const against =
        single === undefined
          ? ''
          : `\n${''.padEnd(23)}${(authzenSingle.requestsPerSecond / single.requestsPerSecond).toFixed(1)}x authorize by req/s, ` +
            `${(cpu('single') / cpu('authzen-single')).toFixed(1)}x by server CPU${roundRange('authzen-single', 'single', times)} (target >= 4x)`;
      // What 4x leaves for Portcullis's own work once the HTTP round itself is paid.
      const budget =
        single === undefined || floorRun === undefined
          ? ''
          : `\n${''.padEnd(23)}4x authorize is ${(cpu('single') / 4).toFixed(3)} ms/req: ${(cpu('single') / 4 - cpu('floor')).toFixed(3)} ms above the floor, ` +
            `against ${(cpu('authzen-single') - cpu('floor')).toFixed(3)} ms spent above it`;
      console.log(row('AuthZEN evaluation', authzenSingle, 'authzen-single', against + budget));
    }
    if (authzenBatch !== undefined) {
      const against =
        batch === undefined
          ? ''
          : `\n${''.padEnd(23)}${(authzenBatch.requestsPerSecond * BATCH).toFixed(0)} decisions/s measured: ` +
            `${(authzenBatch.requestsPerSecond / batch.requestsPerSecond).toFixed(1)}x authorizeBatch by decisions/s, ` +
            `${(cpu('batch') / cpu('authzen-batch')).toFixed(1)}x by server CPU${roundRange('authzen-batch', 'batch', times)} (target >= 2x)`;
      console.log(row(`AuthZEN evaluations x${BATCH}`, authzenBatch, 'authzen-batch', against));
    }
    if (cold !== undefined) for (const line of cold) console.log(line);
    await stop();
    stop = undefined;
    if (process.env['BENCH_COMPILED'] !== '0' && chosen === undefined) {
      for (const line of await compiledStartRows(serverEnv, { authorization: base.authorization, connections, seconds })) console.log(line);
    }
  } finally {
    await stop?.();
    await storage.drop();
  }
}

/** Where the benchmark's throw-away database lives, and how the seeder and the server reach it. */
interface BenchStorage {
  readonly label: string;
  readonly open: { databaseUrl?: string; dataDir: string };
  /** DATABASE_URL or DATA_DIR for the server's configuration. */
  readonly serverEnv: Record<string, string>;
  /** A PostgreSQL server on this machine, whose processes' CPU the cold row reports. */
  readonly localPostgres: boolean;
  drop(): Promise<void>;
}

/**
 * BENCH_BACKEND=postgres (default): a fresh database on BENCH_DATABASE_URL's server
 * (default postgres://postgres@127.0.0.1:5432/postgres); BENCH_BACKEND=pglite: a PGlite data
 * directory under the system's temporary folder.
 */
async function benchStorage(): Promise<BenchStorage> {
  if (process.env['BENCH_BACKEND'] === 'pglite') {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'portcullis-bench-'));
    return { label: 'PGlite', open: { dataDir }, serverEnv: { DATA_DIR: dataDir }, localPostgres: false, drop: () => rm(dataDir, { recursive: true, force: true }) };
  }
  const adminUrl = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `portcullis_bench_${process.pid}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    label: 'PostgreSQL',
    open: { databaseUrl: url.toString(), dataDir: 'unused' },
    serverEnv: { DATABASE_URL: url.toString() },
    localPostgres: ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname),
    async drop() {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/**
 * Loads every seeded user's effective policies into the server's caches, with authorizeBatch calls
 * of 1,000 questions (its cap), so the warm scenarios compare wires, not cache misses.
 */
async function warmEveryPrincipal(base: { url: string; authorization: string }, ACCOUNT = ACCOUNT_ID, USERS = USER_COUNT): Promise<void> {
  for (let first = 0; first < USERS; first += 1_000) {
    const requests = Array.from({ length: Math.min(1_000, USERS - first) }, (_, i) => ({
      principalArn: `arn:aws:iam::${ACCOUNT}:user/bench-user-${first + i}`,
      action: 's3:GetObject',
      resourceArn: 'arn:aws:s3:::warm-up/object',
    }));
    const response = await fetch(`${base.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: base.authorization },
      body: JSON.stringify({ query: AUTHORIZE_BATCH, variables: { requests } }),
    });
    const body = (await response.json()) as { errors?: unknown; data?: { authorizeBatch: Array<{ decision?: string }> } };
    const decided = body.data?.authorizeBatch.filter((answer) => answer.decision !== undefined).length ?? 0;
    if (decided !== requests.length) throw new Error(`warming the caches decided ${decided} of ${requests.length}: ${JSON.stringify(body).slice(0, 500)}`);
  }
}

// ---- Compiled start (issue 18.6) ----------------------------------------------------------------

/** Starts the server as its own process (`args` after node) on the bench database; resolves with its GraphQL URL. */
async function startProcess(args: readonly string[], env: Record<string, string>): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, args, {
    cwd: fileURLToPath(new URL('../', import.meta.url)),
    env: { ...process.env, ...env, LOG_LEVEL: 'info', METRICS_PORT: '0', NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const match = /"msg":"portcullis is serving"/.test(line) ? /"url":"([^"]+)"/.exec(line) : null;
        if (match !== null) resolve(match[1]!);
      }
    });
    void exited.then(() => reject(new Error(`${args.join(' ')} exited before serving`)));
  });
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * The bare `{ __typename }` rate of the server started as a process, from the sources through tsx
 * (as `npm start` did) and compiled (`node dist/server/main.js`, as it does now), same database and
 * credential. Builds dist/ first (`npm run build:server`). BENCH_COMPILED=0 skips it.
 */
async function compiledStartRows(env: Record<string, string>, base: Omit<DriveRequest, 'scenario' | 'url'>): Promise<string[]> {
  const root = fileURLToPath(new URL('../', import.meta.url));
  const tsc = spawn(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  const code = await new Promise<number | null>((resolve) => tsc.once('exit', resolve));
  if (code !== 0) throw new Error(`npm run build:server failed with code ${code}`);
  const rows: string[] = [];
  for (const [label, args] of [
    ['bare, tsx start', ['--import', 'tsx', 'src/server/main.ts']],
    ['bare, compiled start', ['dist/server/main.js']],
  ] as const) {
    const server = await startProcess(args, env);
    try {
      // The log names the GraphQL URL; drive() adds each scenario's path to the server's base.
      const request = { ...base, url: server.url.replace(/\/graphql$/, ''), scenario: 'bare' as const };
      await driveInChild({ ...request, seconds: Math.min(3, base.seconds) });
      const r = await driveInChild(request);
      rows.push(`${label.padEnd(22)} ${r.requestsPerSecond.toFixed(0).padStart(8)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms   errors ${r.errors + r.non2xx}`);
    } finally {
      await server.stop();
    }
  }
  return rows;
}

// ---- Cold principals (issue 18.5) -------------------------------------------------------------

/** Every seeded user once, in a shuffled order: each request's principal is one not yet cached. */
function coldBodies(): string[] {
  const order = Array.from({ length: USERS }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rand(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order.map((user) => {
    const q = question();
    return JSON.stringify({ query: AUTHORIZE, variables: { input: { ...q, principalArn: `arn:aws:iam::${ACCOUNT}:user/bench-user-${user}` } } });
  });
}

/** The process's used heap after a full collection (the script runs with --expose-gc, else forces it). */
function heapAfterGc(): number {
  let gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Empties the caches a cold principal misses: effective sets and compiled stored policies. */
function forgetPrincipals(app: App): void {
  const authz = app.authz;
  for (const cache of [authz.effective.cache, authz.compiled.versions, authz.compiled.documents] as Array<{ invalidateWhere(f: () => boolean): void }>) {
    cache.invalidateWhere(() => true);
  }
}

/**
 * Cold `authorize`: with the caches emptied, each of the USERS users is asked about once (the
 * first touch of every principal, loaded from the database), then the heap the cached sets take
 * is measured: the heap after a full collection with them, less the heap after another once they
 * are dropped. Measured in that order because a forced collection before the run shrinks V8's
 * young generation, and the run, which keeps much of what it allocates, then paid for growing it
 * back (about 0.1 ms of server CPU a request, on GC threads), which a server in service does not.
 * Runs after the warm scenarios, so the code is JIT-compiled as in steady state. `driveBare`
 * runs right after the cold run, before those collections; returns the rows to print.
 */
async function coldPrincipalRows(app: App, base: Omit<DriveRequest, 'scenario' | 'seconds'>, localPostgres: boolean, driveBare: () => Promise<DriveResult>): Promise<string[]> {
  forgetPrincipals(app);
  await app.authz.flushUsage();
  const profiling = process.env['BENCH_PROFILE'] === 'cold' ? await startProfile() : process.env['BENCH_HEAP_PROFILE'] === 'cold' ? await startHeapProfile() : undefined;
  const cpu = process.cpuUsage();
  const threadsBefore = threadCpuMs();
  const postgresBefore = postgresCpuMs();
  const batchesBefore = app.authz.effective.loads.batches;
  const cold = await driveInChild({ ...base, scenario: 'cold', seconds: 600, amount: USERS });
  const batches = app.authz.effective.loads.batches - batchesBefore;
  const used = process.cpuUsage(cpu);
  const postgresMs = postgresCpuMs() - postgresBefore;
  const total = Math.max(1, cold.total);
  const threads = threadCpuDelta(threadsBefore, threadCpuMs());
  if (profiling !== undefined) console.log(await profiling());
  await app.authz.flushUsage();
  // Before the collections below, which would slow it (see above).
  const bare = await driveBare();
  const cached = app.authz.effective.cache.size;
  const withSets = heapAfterGc();
  forgetPrincipals(app);
  const withoutSets = heapAfterGc();
  const perPrincipal = (withSets - withoutSets) / Math.max(1, cached);
  const cpuPerRequest = (used.user + used.system) / 1000 / total;
  return [
    `${'cold authorize'.padEnd(22)} ${cold.requestsPerSecond.toFixed(0).padStart(8)} req/s   p50 ${String(cold.p50).padStart(4)} ms   p99 ${String(cold.p99).padStart(4)} ms   ` +
      `server CPU ${cpuPerRequest.toFixed(3)} ms/req   errors ${cold.errors + cold.non2xx}`,
    ...(threads.length === 0 ? [] : [`${''.padEnd(23)}server CPU by thread, ms/req: ${threads.map(([name, ms]) => `${name} ${(ms / total).toFixed(3)}`).join(', ')}`]),
    // Cold requests wait on the database, so the machine's CPU (not the server's main thread) bounds them.
    ...(!localPostgres ? [] : [`${''.padEnd(23)}PostgreSQL CPU ${(postgresMs / total).toFixed(3)} ms/req (every postgres process of this machine)`]),
    `${''.padEnd(23)}${batches} principal loads (statements), ${(total / Math.max(1, batches)).toFixed(1)} first touches each`,
    `${''.padEnd(23)}${cold.total} first touches of ${USERS} users: ${(cold.requestsPerSecond / bare.requestsPerSecond).toFixed(2)}x bare by req/s (bare run just after: ${bare.requestsPerSecond.toFixed(0)} req/s; target >= 0.5x)`,
    `${'heap per principal'.padEnd(22)} ${(perPrincipal / 1024).toFixed(2).padStart(8)} KB   (${cached} cached sets: heap ${(withSets / 2 ** 20).toFixed(0)} MiB after GC, ${(withoutSets / 2 ** 20).toFixed(0)} MiB once dropped; target < 5 KB)`,
  ];
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
