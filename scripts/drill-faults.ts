/**
 * Fault drill (`npm run drill:faults`): two instances on a fresh database on the local PostgreSQL,
 * each behind its own cuttable TCP proxy, under mixed load (attach/detach writes, authorize with
 * minRevision, `changes` subscriptions over graphql-ws). Faults: every database connection cut
 * for ~5 s (a simulated PostgreSQL restart; the real server is never touched), then one instance
 * killed (SIGKILL) mid-run. Reports requests failed by error code, events lost, writes lost or
 * duplicated, half-applied writes, stale ALLOWED answers after revokes and time to recover.
 * Exits 1 when any must-be-zero figure is not zero.
 *
 * DRILL_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) names the server.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { ChangeWatcher } from '../test/ops/support/change-watcher.ts';
import { ROOT_ENV, ROOT_AUTH } from '../test/ops/support/env.ts';
import { setUpGrant, type Grant } from '../test/ops/support/grant.ts';
import { startInstance, waitReady, type Instance } from '../test/ops/support/instance.ts';
import { AUTHORIZE, must } from '../test/ops/support/directory.ts';
import { MixedLoad } from '../test/ops/support/mixed-load.ts';
import { TcpProxy } from '../test/ops/support/tcp-proxy.ts';

const ADMIN_URL = process.env['DRILL_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const USERS = 16;
const CUT_MS = 5_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (text: string) => process.stdout.write(`${new Date().toISOString().slice(11, 23)} ${text}\n`);

const dbName = `portcullis_drill_${Date.now().toString(36)}`;
const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database ${dbName}`);
const dbUrl = new URL(ADMIN_URL);
dbUrl.pathname = `/${dbName}`;
const dataDir = await mkdtemp(path.join(tmpdir(), 'portcullis-drill-'));
const proxies: TcpProxy[] = [];
const instances: Instance[] = [];
let failed = false;

try {
  for (let i = 0; i < 2; i++) proxies.push(await TcpProxy.start(Number(dbUrl.port || 5432), dbUrl.hostname));
  const env = (proxy: TcpProxy): Record<string, string> => {
    const url = new URL(dbUrl.href);
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    return { ...ROOT_ENV, DATABASE_URL: url.href, DATA_DIR: dataDir, NODE_ENV: 'test', LOG_LEVEL: 'warn', DB_HEALTH_INTERVAL_MS: '500', DB_CONNECT_TIMEOUT_MS: '2000', DB_POOL_SIZE: '10' };
  };
  instances.push(await startInstance('A', env(proxies[0]!)));
  instances.push(await startInstance('B', env(proxies[1]!)));
  const [a, b] = instances as [Instance, Instance];
  log(`instances A ${a.url} and B ${b.url} on database ${dbName}, each through its own proxy`);

  const grants: Grant[] = [];
  for (let i = 0; i < USERS; i++) grants.push(await setUpGrant(a.graphqlUrl, `drill${i}`));
  const startRevision = BigInt(grants.at(-1)!.revision);
  const watchers = [new ChangeWatcher('on A', instances, startRevision, a), new ChangeWatcher('on B', instances, startRevision, b)];
  await sleep(500);

  const load = new MixedLoad({ targets: instances, grants, writers: 4, deciders: 6 });
  load.start();
  log('mixed load running');
  await sleep(5_000);

  // Fault 1: every database connection of both instances cut for CUT_MS (a PostgreSQL restart).
  log(`cutting every database connection for ${CUT_MS / 1000} s`);
  const cutAt = Date.now();
  proxies.forEach((p) => p.cut());
  const detected = await Promise.all(instances.map(async (instance) => {
    for (const started = Date.now(); Date.now() - started < CUT_MS; ) {
      if ((await fetch(`${instance.url}/readyz`).then((r) => r.status, () => 0)) === 503) return Date.now() - cutAt;
      await sleep(50);
    }
    return undefined;
  }));
  await sleep(Math.max(0, CUT_MS - (Date.now() - cutAt)));
  await Promise.all(proxies.map((p) => p.restore()));
  const restoredAt = Date.now();
  log('database reachable again');
  const ready = await Promise.all(instances.map((instance) => waitReady(instance.url, 30_000)));
  // Recovered = ready and a write-then-authorize round trip answers correctly on both instances.
  let roundTripMs: number | undefined;
  for (const started = Date.now(); Date.now() - started < 30_000; ) {
    try {
      const probe = await setUpGrant(a.graphqlUrl, `probe${Date.now().toString(36)}`);
      const answer = await must(b.graphqlUrl, ROOT_AUTH, AUTHORIZE, { p: probe.userArn, a: 'drill:Read', r: '*', m: probe.revision });
      if (answer['authorize'].decision === 'ALLOWED') {
        roundTripMs = Date.now() - restoredAt;
        break;
      }
    } catch {
      await sleep(100);
    }
  }
  await sleep(5_000);

  // Fault 2: instance B killed outright; its subscriber moves to A with afterRevision.
  log('killing instance B (SIGKILL)');
  b.process.child.kill('SIGKILL');
  b.alive = false;
  await sleep(8_000);

  await load.stop();
  log('load stopped; waiting for subscribers to catch up');
  const db = postgres(dbUrl.href, { max: 1, onnotice: () => {} });
  const maxRows = await db<Array<{ max: string }>>`select coalesce(max(revision), 0)::text as max from change_log`;
  const max = maxRows[0]?.max ?? '0';
  for (const started = Date.now(); Date.now() - started < 15_000 && watchers.some((w) => w.lastRevision < BigInt(max)); ) await sleep(100);
  await Promise.all(watchers.map((w) => w.stop()));

  // Ground truth from the database.
  const rows = await db<Array<{ revision: string; kind: string; entity_arn: string; policy: string | null }>>`
    select revision::text, kind, entity_arn, payload->>'policyArn' as policy from change_log where change_log.revision > ${startRevision.toString()} order by change_log.revision`;
  const attachedNow = await db<Array<{ user_arn: string }>>`
    select u.arn as user_arn from users u join policy_attachments pa on pa.user_id = u.id where u.name like 'drill%'`.catch(() => undefined);
  await db.end();

  const committed = new Set(rows.map((r) => r.revision));
  const eventsLost = watchers.map((w) => {
    const seen = new Set(w.revisions.map(String));
    return { name: w.name, lost: rows.filter((r) => !seen.has(r.revision)).length, outOfOrder: w.outOfOrder, resubscriptions: w.resubscriptions };
  });
  const ok = load.stats.writes.filter((w) => w.outcome === 'ok');
  const writesLost = ok.filter((w) => !committed.has(w.revision!)).length;
  const byRevision = new Map(rows.map((r) => [r.revision, r]));
  const wrongKind = ok.filter((w) => byRevision.get(w.revision!)?.kind !== w.kind).length;
  const attempts = new Map<string, number>();
  for (const w of load.stats.writes) attempts.set(w.user, (attempts.get(w.user) ?? 0) + 1);
  const userOf = new Map(grants.map((g) => [g.userArn, g.userName]));
  const rowsPerUser = new Map<string, number>();
  for (const r of rows) {
    const user = userOf.get(r.entity_arn);
    if (user !== undefined && (r.kind === 'PolicyAttached' || r.kind === 'PolicyDetached')) rowsPerUser.set(user, (rowsPerUser.get(user) ?? 0) + 1);
  }
  const writesDuplicated = [...rowsPerUser].filter(([user, n]) => n > (attempts.get(user) ?? 0)).length
    + (rows.length - new Set(rows.map((r) => `${r.revision}`)).size);
  // Half-applied: the attachment table disagrees with the last change-log row of a user.
  let halfApplied: number | string = 'not checked';
  if (attachedNow !== undefined) {
    const attachedSet = new Set(attachedNow.map((r) => r.user_arn));
    const last = new Map<string, string>();
    for (const r of rows) if (userOf.has(r.entity_arn) && r.kind.startsWith('Policy')) last.set(r.entity_arn, r.kind);
    const mismatched = [...last].filter(([arn, kind]) => (kind === 'PolicyAttached') !== attachedSet.has(arn));
    halfApplied = mismatched.length;
    for (const [arn, kind] of mismatched) {
      log(`half-applied? ${arn}: last change ${kind}, attached now ${attachedSet.has(arn)}`);
      const name = userOf.get(arn);
      log(`  log: ${rows.filter((r) => r.entity_arn === arn).slice(-4).map((r) => `${r.revision}:${r.kind}`).join(' ')}`);
      log(`  client: ${load.stats.writes.filter((w) => w.user === name).slice(-4).map((w) => `${w.revision ?? '-'}:${w.kind}:${w.outcome}:${w.code ?? ''}`).join(' ')}`);
    }
  }

  for (const instance of instances) {
    const errors = instance.process.logs().filter((line) => Number(line['level']) >= 40);
    // Standard error is not shown: it carries the generated root credentials banner.
    log(`instance ${instance.name}: ${errors.length} warn/error log lines; distinct messages:`);
    const seen = new Set<string>();
    for (const line of errors) {
      const key = String(line['msg']);
      if (seen.has(key)) continue;
      seen.add(key);
      log(`  ${key} ${JSON.stringify(line['err'] ?? line['reason'] ?? '').slice(0, 200)}`);
    }
  }
  const failures = Object.fromEntries([...load.stats.failures].sort((x, y) => y[1] - x[1]));
  const report = {
    database: dbName,
    requests: load.stats.requests,
    failedByCode: failures,
    writes: {
      ok: ok.length,
      failed: load.stats.writes.filter((w) => w.outcome === 'failed').length,
      ambiguous: load.stats.writes.filter((w) => w.outcome === 'ambiguous').length,
      lost: writesLost,
      wrongKind,
      duplicated: writesDuplicated,
      halfApplied,
    },
    changeLogRows: rows.length,
    events: eventsLost,
    revokes: { checked: load.stats.revokeChecks, staleAllowed: load.stats.staleAllowed },
    outage: {
      cutMs: restoredAt - cutAt,
      detectedMs: Object.fromEntries(instances.map((instance, i) => [instance.name, detected[i] ?? 'not detected'])),
      readyAfterRestoreMs: Object.fromEntries(instances.map((instance, i) => [instance.name, ready[i] ?? 'not ready'])),
      writeThenAuthorizeAcrossInstancesAfterRestoreMs: roundTripMs ?? 'not recovered',
    },
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  const mustBeZero = [writesLost, wrongKind, writesDuplicated, load.stats.staleAllowed, ...eventsLost.flatMap((e) => [e.lost, e.outOfOrder])];
  if (typeof halfApplied === 'number') mustBeZero.push(halfApplied);
  failed = mustBeZero.some((n) => n !== 0) || roundTripMs === undefined;
  log(failed ? 'DRILL FAILED: a must-be-zero figure is not zero, or the service did not recover' : 'drill passed');
} finally {
  for (const instance of instances) {
    if (!instance.alive) continue;
    instance.process.child.kill('SIGTERM');
    await Promise.race([instance.process.exited, sleep(15_000)]);
  }
  for (const proxy of proxies) await proxy.close();
  await admin.unsafe(`drop database if exists ${dbName} with (force)`).catch(() => undefined);
  await admin.end();
  await rm(dataDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
