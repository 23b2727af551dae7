/**
 * Live-update benchmark (`npm run bench:live`). On a fresh local PostgreSQL database it starts
 * two server processes (src/server/main.ts, as `npm start` runs it), opens 1,000 graphql-ws
 * clients spread evenly over them, each watching one decision with `decisionChanged`, then makes
 * 100 directory writes from a third process's connection (this one), each of which flips every
 * watched decision: attaching, then detaching, a policy on a group all watched users belong to.
 *
 * Reported: delivery latency from commit (the writer's commit acknowledgement) to each client
 * receiving its flip, p50/p99/max, and from the write being issued (which adds the write's own
 * transaction, also reported on its own); per write and instance, when the first and the last of
 * its subscribers heard of the flip (the fixed cost, and the fan-out after it);
 * events delivered per second; the server processes' CPU time during the writes, per delivery (a
 * figure that holds still when the shared machine is busy, unlike the latencies); and lost deliveries (a subscriber that did not see a flip within
 * 10 s, or saw a wrong one). Writes are issued one after another, each once the previous one's
 * flips have all arrived, so the latency is not queueing behind earlier writes.
 *
 * Two scenarios, chosen by BENCH_SCENARIO:
 * - `group` (the default): ten users of the bootstrap account in one group, watched by clients
 *   authenticated as the account's root; the writes attach and detach a policy on the group
 *   (IMPLICIT_DENY <-> ALLOWED).
 * - `scp`: an organization (scripts/bench-live-organization.ts): one OU with BENCH_ACCOUNTS member
 *   accounts (50) of BENCH_USERS_PER_ACCOUNT users (100) each; every watcher is a user of a member
 *   account, authenticated with its own access key, watching its own `s3:GetObject`; the writes
 *   attach and detach an SCP denying it on the OU (ALLOWED <-> EXPLICIT_DENY), so one organization
 *   change reaches principals of 50 accounts none of which its change row names.
 *
 * Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) names the
 * server the throw-away database is created on; BENCH_SUBSCRIBERS and BENCH_WRITES override 1000/100
 * (`scp`: 1000/20). The report also gives the machine's load average, since the latencies move with it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createClient, type Client } from 'graphql-ws';
import postgres from 'postgres';
import WebSocket from 'ws';
import { openDatabase } from '../src/db/open.ts';
import { attachPolicy, detachPolicy } from '../src/iam/attachments.ts';
import { addUserToGroup } from '../src/iam/group-membership.ts';
import { createGroup } from '../src/iam/groups.ts';
import { createPolicy } from '../src/iam/policies.ts';
import { createUser } from '../src/iam/users.ts';
import { seedOrganizationScenario, type Watcher } from './bench-live-organization.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const ADMIN_URL = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SUBSCRIBERS = Number(process.env['BENCH_SUBSCRIBERS'] ?? 1_000);
const SCENARIO = process.env['BENCH_SCENARIO'] ?? 'group';
if (SCENARIO !== 'group' && SCENARIO !== 'scp') throw new Error(`BENCH_SCENARIO must be group or scp, got ${SCENARIO}`);
const WRITES = Number(process.env['BENCH_WRITES'] ?? (SCENARIO === 'scp' ? 20 : 100));
const ACCOUNTS = Number(process.env['BENCH_ACCOUNTS'] ?? 50);
const USERS_PER_ACCOUNT = Number(process.env['BENCH_USERS_PER_ACCOUNT'] ?? 100);
const USERS = 10;
const ACCOUNT = '111122223333';
const ROOT_KEY = 'AKIABENCHLIVEROOT001';
const ROOT_SECRET = 'benchLiveRootSecret0123456789abcdefghijk';
const AUTHORIZATION = `Basic ${Buffer.from(`${ROOT_KEY}:${ROOT_SECRET}`).toString('base64')}`;
const ACTOR = { arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT };
const DELIVERY_TIMEOUT_MS = 10_000;
const WAVE = 50;

/** A free TCP port on the loopback interface. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/** Starts one server process and resolves once it answers /readyz. */
async function startInstance(databaseUrl: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const env = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    PORTCULLIS_ACCOUNT_ID: ACCOUNT,
    PORTCULLIS_ROOT_ACCESS_KEY: `${ROOT_KEY}:${ROOT_SECRET}`,
    PORTCULLIS_ROOT_PASSWORD: 'bench-live-root-password',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    PORTCULLIS_SECRETS_KEY: 'a'.repeat(64),
    SUBSCRIPTIONS_PER_CONNECTION: '100',
    // Two instances share this host: each takes a free port for its /metrics listener.
    METRICS_PORT: '0',
  };
  const child = spawn(process.execPath, [...(process.env['BENCH_PROFILE'] ? ['--cpu-prof', '--cpu-prof-dir=' + process.env['BENCH_PROFILE']] : []), '--import', 'tsx', 'src/server/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${url}/readyz`);
      if (response.ok) return { url, child };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('server did not become ready in 60 s');
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** pth percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main(): Promise<void> {
  const name = `portcullis_bench_live_${process.pid}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const children: ChildProcess[] = [];
  const clients: Client[] = [];
  let database: Awaited<ReturnType<typeof openDatabase>> | undefined;
  try {
    // The first instance migrates and bootstraps; the second starts on the migrated database.
    const a = await startInstance(databaseUrl);
    children.push(a.child);
    const b = await startInstance(databaseUrl);
    children.push(b.child);
    database = await openDatabase({ databaseUrl, dataDir: 'memory://', poolSize: 4 });

    const seedStarted = performance.now();
    const scenario = SCENARIO === 'scp' ? await organizationScenario(database) : await groupScenario(database);
    const { watchers, write, initial, flipped } = scenario;
    const seedMs = performance.now() - seedStarted;
    if (watchers.length < SUBSCRIBERS) throw new Error(`the scenario has ${watchers.length} watchers, ${SUBSCRIBERS} asked for`);

    // Subscribers: one client each, alternating instances.
    const query = `subscription ($checks: [AuthorizeInput!]!) { decisionChanged(checks: $checks) { index revision result { ... on Decision { decision } } } }`;
    const received: Array<Array<{ at: number; decision: string }>> = Array.from({ length: SUBSCRIBERS }, () => []);
    let deliveries = 0;
    let wake: (() => void) | undefined;
    const waitForDeliveries = (count: number, timeoutMs: number): Promise<boolean> =>
      new Promise((resolve) => {
        const timer = setTimeout(() => {
          wake = undefined;
          resolve(false);
        }, timeoutMs);
        const check = (): void => {
          if (deliveries >= count) {
            clearTimeout(timer);
            wake = undefined;
            resolve(true);
          }
        };
        wake = check;
        check();
      });
    const connectStarted = performance.now();
    for (let s = 0; s < SUBSCRIBERS; s++) {
      // Clients arrive in waves of 50 (as reconnecting clients with jitter would), not all in one tick.
      if (s > 0 && s % WAVE === 0 && !(await waitForDeliveries(s, 60_000))) throw new Error(`only ${deliveries} of ${s} subscribers got their initial decision`);
      const base = s % 2 === 0 ? a.url : b.url;
      const client = createClient({
        url: `${base.replace('http', 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: watchers[s]!.authorization },
        retryAttempts: 0,
      });
      clients.push(client);
      const check = watchers[s]!.check;
      client.subscribe<{ decisionChanged: { result: { decision?: string } } }>(
        { query, variables: { checks: [check] } },
        {
          next: (result) => {
            const decision = result.data?.decisionChanged.result.decision;
            if (decision === undefined) {
              process.stderr.write(`subscriber ${s}: ${JSON.stringify(result.errors)}\n`);
              return;
            }
            received[s]!.push({ at: performance.now(), decision });
            deliveries++;
            wake?.();
          },
          error: (error) => process.stderr.write(`subscriber ${s} failed: ${String((error as Error).message ?? error)}\n`),
          complete: () => {},
        },
      );
    }
    if (!(await waitForDeliveries(SUBSCRIBERS, 120_000))) throw new Error(`only ${deliveries} of ${SUBSCRIBERS} subscribers got their initial decision`);
    const connectMs = performance.now() - connectStarted;

    // Writes: attach, detach, alternately, each flipping every subscriber.
    const issuedAt: number[] = [];
    const committedAt: number[] = [];
    const writeMs: number[] = [];
    const runStarted = performance.now();
    const cpuBefore = serverCpuMs(children);
    for (let w = 0; w < WRITES; w++) {
      const started = performance.now();
      issuedAt.push(started);
      await write(w);
      committedAt.push(performance.now());
      writeMs.push(committedAt[w]! - started);
      await waitForDeliveries(SUBSCRIBERS * (w + 2), DELIVERY_TIMEOUT_MS);
    }
    const runMs = performance.now() - runStarted;
    const cpuMs = serverCpuMs(children) - cpuBefore;

    // Score: subscriber s must see, after its initial decision, the w-th flip as write w's outcome.
    const latencies: number[] = [];
    const fromIssue: number[] = [];
    let lost = 0;
    let wrong = 0;
    for (const events of received) {
      if (events[0]?.decision !== initial) wrong++;
      for (let w = 0; w < WRITES; w++) {
        const event = events[w + 1];
        if (event === undefined) {
          lost++;
          continue;
        }
        if (event.decision !== (w % 2 === 0 ? flipped : initial)) wrong++;
        // Commit is acknowledged to the writer a moment after it happens, so a delivery can beat
        // the acknowledgement: those count as 0.
        latencies.push(Math.max(0, event.at - committedAt[w]!));
        fromIssue.push(event.at - issuedAt[w]!);
      }
      if (events.length > WRITES + 1) wrong += events.length - WRITES - 1;
    }
    latencies.sort((x, y) => x - y);
    fromIssue.sort((x, y) => x - y);
    // Per write and instance: when its first and its last subscriber heard of the flip. The first
    // shows the fixed cost (log read, policy load, catch-up); last minus first, the per-subscriber fan-out.
    const firsts: number[] = [];
    const lasts: number[] = [];
    for (let w = 0; w < WRITES; w++) {
      for (const instance of [0, 1]) {
        let first = Infinity;
        let last = -Infinity;
        for (let s = instance; s < SUBSCRIBERS; s += 2) {
          const event = received[s]![w + 1];
          if (event === undefined) continue;
          first = Math.min(first, event.at - committedAt[w]!);
          last = Math.max(last, event.at - committedAt[w]!);
        }
        if (first !== Infinity) {
          firsts.push(Math.max(0, first));
          lasts.push(Math.max(0, last));
        }
      }
    }
    firsts.sort((x, y) => x - y);
    lasts.sort((x, y) => x - y);
    const writes = [...writeMs].sort((x, y) => x - y);
    const flips = latencies.length;
    const report = {
      scenario: SCENARIO,
      ...(SCENARIO === 'scp' ? { memberAccounts: scenario.accounts, principals: scenario.principals } : {}),
      seedMs: Math.round(seedMs),
      subscribers: SUBSCRIBERS,
      instances: 2,
      writes: WRITES,
      expectedDeliveries: SUBSCRIBERS * WRITES,
      delivered: flips,
      lost,
      wrongOrExtra: wrong,
      commitToClientMs: { p50: round(percentile(latencies, 50)), p99: round(percentile(latencies, 99)), max: round(latencies.at(-1) ?? NaN) },
      issueToClientMs: { p50: round(percentile(fromIssue, 50)), p99: round(percentile(fromIssue, 99)) },
      writeMs: { p50: round(percentile(writes, 50)), p99: round(percentile(writes, 99)) },
      perWriteAndInstanceMs: {
        firstDelivery: { p50: round(percentile(firsts, 50)), p99: round(percentile(firsts, 99)) },
        lastDelivery: { p50: round(percentile(lasts, 50)), p99: round(percentile(lasts, 99)) },
      },
      eventsPerSecond: Math.round(flips / (runMs / 1000)),
      subscribeAllMs: Math.round(connectMs),
      serverCpuMs: Math.round(cpuMs),
      serverCpuMsPerDelivery: Math.round((cpuMs / flips) * 1000) / 1000,
      // The fixed cost of one write on one instance (fan-out included): what the latency is made of when the machine is idle.
      serverCpuMsPerWriteAndInstance: Math.round(cpuMs / WRITES / 2),
      loadAverage: `${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores`,
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(
      `decisionChanged (${SCENARIO}), ${SUBSCRIBERS} subscribers on 2 instances, ${WRITES} flipping writes: ` +
        `commit -> client p50 ${report.commitToClientMs.p50} ms, p99 ${report.commitToClientMs.p99} ms, ` +
        `${report.eventsPerSecond} events/s, server CPU ${report.serverCpuMsPerDelivery} ms/delivery, lost ${lost}, wrong ${wrong}\n`,
    );
    if (lost > 0 || wrong > 0) process.exitCode = 1;
  } finally {
    await Promise.allSettled(clients.map((c) => c.dispose()));
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((child) => (child.exitCode !== null ? undefined : new Promise((r) => child.once('exit', r)))));
    await database?.close();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

/** A scenario: its watchers, the write that flips them all, and the decisions they flip between. */
interface Scenario {
  readonly watchers: readonly Watcher[];
  readonly write: (w: number) => Promise<unknown>;
  readonly initial: string;
  readonly flipped: string;
  readonly accounts?: number;
  readonly principals?: number;
}

/** Ten users in one group, watched by the root; the group's policy decides every watched question. */
async function groupScenario(database: Awaited<ReturnType<typeof openDatabase>>): Promise<Scenario> {
  const { result: policy } = await createPolicy(database, ACTOR, {
    policyName: 'bench-read',
    policyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] }),
  });
  await createGroup(database, ACTOR, { groupName: 'bench-readers' });
  const users: string[] = [];
  for (let i = 0; i < USERS; i++) {
    const { result } = await createUser(database, ACTOR, { userName: `bench-user-${i}` });
    await addUserToGroup(database, ACTOR, { groupName: 'bench-readers', userName: `bench-user-${i}` });
    users.push(result.arn);
  }
  const input = { principalName: 'bench-readers', policyArn: policy.policy.arn };
  return {
    watchers: Array.from({ length: SUBSCRIBERS }, (_, s) => ({
      authorization: AUTHORIZATION,
      check: { principalArn: users[s % USERS]!, action: 's3:GetObject', resourceArn: `arn:aws:s3:::bench/object-${s}` },
    })),
    write: (w) => (w % 2 === 0 ? attachPolicy(database, ACTOR, 'group', input) : detachPolicy(database, ACTOR, 'group', input)),
    initial: 'IMPLICIT_DENY',
    flipped: 'ALLOWED',
  };
}

/** The organization: an SCP on one OU over member accounts' users watching their own decisions. */
async function organizationScenario(database: Awaited<ReturnType<typeof openDatabase>>): Promise<Scenario> {
  const built = await seedOrganizationScenario(database, ACCOUNT, { accounts: ACCOUNTS, usersPerAccount: USERS_PER_ACCOUNT, watchers: SUBSCRIBERS });
  return { ...built, initial: 'ALLOWED', flipped: 'EXPLICIT_DENY' };
}

/** User + system CPU time (ms) the server processes have used so far, from /proc; NaN where there is none. */
function serverCpuMs(children: readonly ChildProcess[]): number {
  let total = 0;
  for (const child of children) {
    try {
      const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
      // Fields after "(comm)": state is field 3, utime 14 and stime 15, in clock ticks (USER_HZ, 100/s).
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
    } catch {
      return NaN;
    }
  }
  return total;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

await main();
