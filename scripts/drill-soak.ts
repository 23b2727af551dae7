/**
 * Soak drill (`npm run drill:soak`): two instances on a fresh database on the local PostgreSQL
 * under the mixed load (attach/detach writes, authorize with minRevision, `changes`
 * subscriptions) for DRILL_SOAK_SECONDS (default 60). Reports each instance's memory (RSS and V8
 * heap, from /metrics) at the start and the end, and latency per 10 s window (p50/p99), so
 * leaks and drift show. Loopback only; the loops stop at the deadline.
 *
 * DRILL_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) names the server.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { ChangeWatcher } from '../test/ops/support/change-watcher.ts';
import { ROOT_ENV } from '../test/ops/support/env.ts';
import { setUpGrant, type Grant } from '../test/ops/support/grant.ts';
import { metric, startInstance, type Instance } from '../test/ops/support/instance.ts';
import { MixedLoad, percentile } from '../test/ops/support/mixed-load.ts';

const ADMIN_URL = process.env['DRILL_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SECONDS = Number(process.env['DRILL_SOAK_SECONDS'] ?? '60');
if (!Number.isInteger(SECONDS) || SECONDS < 10 || SECONDS > 86_400) throw new Error(`DRILL_SOAK_SECONDS must be an integer from 10 to 86400, got '${process.env['DRILL_SOAK_SECONDS']}'`);
const WINDOW_MS = 10_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (text: string) => process.stdout.write(`${new Date().toISOString().slice(11, 23)} ${text}\n`);
const mib = (bytes: number | undefined) => (bytes === undefined ? undefined : Math.round((bytes / 1_048_576) * 10) / 10);

const dbName = `portcullis_soak_${Date.now().toString(36)}`;
const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database ${dbName}`);
const dbUrl = new URL(ADMIN_URL);
dbUrl.pathname = `/${dbName}`;
const dataDir = await mkdtemp(path.join(tmpdir(), 'portcullis-soak-'));
const instances: Instance[] = [];

async function memory(instance: Instance) {
  return {
    rssMiB: mib(await metric(instance.metricsUrl, 'portcullis_process_resident_memory_bytes')),
    heapMiB: mib(await metric(instance.metricsUrl, 'portcullis_process_heap_used_bytes')),
  };
}

try {
  const env = { ...ROOT_ENV, DATABASE_URL: dbUrl.href, DATA_DIR: dataDir, NODE_ENV: 'test', LOG_LEVEL: 'warn' };
  instances.push(await startInstance('A', env));
  instances.push(await startInstance('B', env));
  const [a, b] = instances as [Instance, Instance];
  const grants: Grant[] = [];
  for (let i = 0; i < 16; i++) grants.push(await setUpGrant(a.graphqlUrl, `soak${i}`));
  const startRevision = BigInt(grants.at(-1)!.revision);
  const watchers = [new ChangeWatcher('on A', instances, startRevision, a), new ChangeWatcher('on B', instances, startRevision, b)];
  const load = new MixedLoad({ targets: instances, grants, writers: 4, deciders: 6 });

  log(`soaking for ${SECONDS} s against A ${a.url} and B ${b.url}`);
  const started = performance.now();
  load.start();
  await sleep(5_000); // warm-up: caches, JIT and pools reach their working size
  const memoryStart = { A: await memory(a), B: await memory(b) };
  while (performance.now() - started < SECONDS * 1000) await sleep(500);
  await load.stop();
  const memoryEnd = { A: await memory(a), B: await memory(b) };
  for (const until = Date.now() + 10_000; Date.now() < until && watchers.some((w) => w.lastRevision < BigInt(load.stats.writes.filter((x) => x.revision).at(-1)?.revision ?? '0')); ) await sleep(100);
  await Promise.all(watchers.map((w) => w.stop()));

  const windows: Array<Record<string, number | string>> = [];
  for (let from = 0; from < SECONDS * 1000; from += WINDOW_MS) {
    const inWindow = load.stats.samples.filter((s) => s.at - started >= from && s.at - started < from + WINDOW_MS).map((s) => s.ms).sort((x, y) => x - y);
    windows.push({
      window: `${from / 1000}-${(from + WINDOW_MS) / 1000} s`,
      requests: inWindow.length,
      perSecond: Math.round(inWindow.length / (WINDOW_MS / 1000)),
      p50Ms: Math.round(percentile(inWindow, 50) * 10) / 10,
      p99Ms: Math.round(percentile(inWindow, 99) * 10) / 10,
    });
  }
  const first = windows[0]!;
  const last = windows.at(-1)!;
  const report = {
    seconds: SECONDS,
    requests: load.stats.requests,
    failedByCode: Object.fromEntries(load.stats.failures),
    writes: load.stats.writes.length,
    staleAllowed: load.stats.staleAllowed,
    events: watchers.map((w) => ({ name: w.name, received: w.revisions.length, outOfOrder: w.outOfOrder })),
    memory: { start: memoryStart, end: memoryEnd },
    latency: windows,
    drift: { p50Ms: Number(last['p50Ms']) - Number(first['p50Ms']), p99Ms: Number(last['p99Ms']) - Number(first['p99Ms']) },
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} finally {
  for (const instance of instances) {
    instance.process.child.kill('SIGTERM');
    await Promise.race([instance.process.exited, sleep(15_000)]);
  }
  await admin.unsafe(`drop database if exists ${dbName} with (force)`).catch(() => undefined);
  await admin.end();
  await rm(dataDir, { recursive: true, force: true });
}
