/**
 * How far behind a second instance's caches run without `minRevision` (`npm run bench:catch-up`).
 * Two Portcullis instances share one fresh PostgreSQL database (BENCH_DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/postgres). Instance A alternately attaches and detaches a
 * policy; after each write, instance B is asked `authorize` without `minRevision`, back to back,
 * until its answer reflects the write. B's cache is warm, so each answer it gives from before the
 * change arrives is a stale cached one: the delay measured is the change feed's (commit, NOTIFY,
 * B's listener reading the log, invalidation). Lost notifications are covered by the listener's
 * 5-second safety-net poll, which bounds the delay when NOTIFY fails.
 *
 * Options (environment): BENCH_CYCLES (default 200 writes).
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import postgres from 'postgres';
import { openDatabase } from '../src/db/open.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import { bootstrapAccount } from '../src/iam/bootstrap.ts';
import { loadConfig } from '../src/config.ts';
import { startServer, type RunningServer } from '../src/server/http.ts';
import { createLogger } from '../src/logger.ts';

const ACCOUNT = '111122223333';
const ROOT = { accessKeyId: 'AKIABENCHROOTKEY2345', secret: 'bench-root-secret-0123456789abcdef' };
const AUTHORIZATION = `Basic ${Buffer.from(`${ROOT.accessKeyId}:${ROOT.secret}`).toString('base64')}`;
const USER_ARN = `arn:aws:iam::${ACCOUNT}:user/probe`;
const POLICY_ARN = `arn:aws:iam::${ACCOUNT}:policy/probe-read`;

/** POSTs one operation and returns `data`, throwing on any GraphQL error. */
async function call(server: RunningServer, query: string, variables: Record<string, unknown> = {}): Promise<Record<string, any>> {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: AUTHORIZATION },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Record<string, any>; errors?: unknown[] };
  if (body.errors !== undefined || body.data == null) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** The write's payload, or an error naming its typed failure. */
function payload(data: Record<string, any>, field: string): Record<string, any> {
  const result = data[field] as Record<string, any>;
  if (result['__typename'] !== undefined && !String(result['__typename']).endsWith('Success')) throw new Error(`${field}: ${JSON.stringify(result)}`);
  return result;
}

const ATTACH = 'mutation ($p: String!) { attachUserPolicy(input: { userName: "probe", policyArn: $p }) { __typename ... on AttachUserPolicySuccess { revision } ... on ResultError { message } } }';
const DETACH = 'mutation ($p: String!) { detachUserPolicy(input: { userName: "probe", policyArn: $p }) { __typename ... on DetachUserPolicySuccess { revision } ... on ResultError { message } } }';
const AUTHORIZE = `mutation { authorize(input: { principalArn: "${USER_ARN}", action: "s3:GetObject", resourceArn: "arn:aws:s3:::reports/q1.csv" }) { __typename ... on Decision { allowed revision } ... on ResultError { code message } } }`;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main(): Promise<void> {
  const adminUrl = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const cycles = Number(process.env['BENCH_CYCLES'] ?? 200);
  const name = `portcullis_catchup_${process.pid}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const servers: RunningServer[] = [];
  try {
    const seeding = await openDatabase({ databaseUrl: url.toString(), dataDir: 'unused' });
    await migrateDatabase(seeding);
    await bootstrapAccount(seeding, { accountId: ACCOUNT, rootAccessKey: ROOT });
    await seeding.close();
    const secretsKey = randomBytes(32).toString('base64');
    for (let i = 0; i < 2; i++) {
      const config = loadConfig({
        PORT: '0',
        // Two instances in one process: each needs its own metrics listener.
        METRICS_PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        DATABASE_URL: url.toString(),
        PORTCULLIS_ACCOUNT_ID: ACCOUNT,
        PORTCULLIS_ROOT_ACCESS_KEY: `${ROOT.accessKeyId}:${ROOT.secret}`,
        RATE_LIMIT_PER_SECOND: '0',
        PORTCULLIS_SECRETS_KEY: secretsKey,
      });
      servers.push(await startServer(config, { logger: createLogger('warn'), announce: () => {} }));
    }
    const [a, b] = servers as [RunningServer, RunningServer];
    payload(await call(a, 'mutation { createUser(input: { userName: "probe" }) { __typename } }'), 'createUser');
    const document = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
    payload(await call(a, 'mutation ($d: String!) { createPolicy(input: { policyName: "probe-read", policyDocument: $d }) { __typename } }', { d: document }), 'createPolicy');

    const fromResponse: number[] = [];
    const fromRequest: number[] = [];
    let staleAnswers = 0;
    for (let cycle = 0; cycle < cycles; cycle++) {
      const attach = cycle % 2 === 0;
      // Warm B's cache with the current answer, so the next one must come through invalidation.
      await call(b, AUTHORIZE);
      const sent = performance.now();
      payload(await call(a, attach ? ATTACH : DETACH, { p: POLICY_ARN }), attach ? 'attachUserPolicy' : 'detachUserPolicy');
      const answered = performance.now();
      for (;;) {
        const decision = (await call(b, AUTHORIZE))['authorize'] as { __typename: string; allowed?: boolean };
        // A refusal or an invalid question is an answer too: stop on it rather than wait 10 s for `allowed`.
        if (decision.__typename !== 'Decision') throw new Error(`authorize: ${JSON.stringify(decision)}`);
        if (decision.allowed === attach) break;
        staleAnswers++;
        if (performance.now() - answered > 10_000) throw new Error('instance B did not catch up within 10 s');
      }
      const caughtUp = performance.now();
      fromResponse.push(caughtUp - answered);
      fromRequest.push(caughtUp - sent);
    }
    const show = (values: number[]): string => {
      const sorted = [...values].sort((x, y) => x - y);
      return `p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms, max ${sorted.at(-1)!.toFixed(1)} ms`;
    };
    console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    console.log(`${cycles} writes on A; B answers without minRevision (warm cache):`);
    console.log(`  B reflects the write, from A's response:   ${show(fromResponse)}`);
    console.log(`  B reflects the write, from A's request:    ${show(fromRequest)}`);
    console.log(`  stale answers from B after A responded:    ${staleAnswers} in ${cycles} writes`);
  } finally {
    for (const server of servers) await server.close();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
