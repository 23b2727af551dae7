/**
 * Where a benchmark's server time goes, for bench:authorize's rows and its BENCH_PROFILE and
 * BENCH_HEAP_PROFILE options: the V8 CPU and allocation samplers of this process (the server runs
 * in it), and each thread's CPU from /proc (V8's GC and compiler threads beside the JavaScript one).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';

/**
 * BENCH_PROFILE=<scenario>: samples the server's CPU during that scenario and returns the
 * functions with the most self time, to see where a request's time goes.
 */
export async function startProfile(): Promise<() => Promise<string>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    if (process.env['BENCH_PROFILE_OUT'] !== undefined) await writeFile(process.env['BENCH_PROFILE_OUT'], JSON.stringify(profile));
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

/**
 * BENCH_HEAP_PROFILE=<scenario>: samples the server's allocations during that scenario (those
 * collected since included) and returns the functions that allocated the most bytes, to see what
 * feeds the garbage collector.
 */
export async function startHeapProfile(): Promise<() => Promise<string>> {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true } as never);
  return async () => {
    const { profile } = await session.post('HeapProfiler.stopSampling');
    session.disconnect();
    const self = new Map<string, number>();
    let total = 0;
    const visit = (node: (typeof profile)['head']): void => {
      const frame = node.callFrame;
      const key = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').slice(-2).join('/')}`;
      self.set(key, (self.get(key) ?? 0) + node.selfSize);
      total += node.selfSize;
      for (const child of node.children) visit(child);
    };
    visit(profile.head);
    return [...self.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 30)
      .map(([key, bytes]) => `${((100 * bytes) / Math.max(1, total)).toFixed(1).padStart(5)}%  ${(bytes / 2 ** 20).toFixed(1).padStart(7)} MiB  ${key}`)
      .join('\n');
  };
}

/** CPU milliseconds each thread of this process has used, by thread name (Linux /proc; empty elsewhere). */
export function threadCpuMs(): Map<string, number> {
  const byName = new Map<string, number>();
  let tasks: string[];
  try {
    tasks = readdirSync('/proc/self/task');
  } catch {
    return byName;
  }
  const tick = 1000 / 100; // USER_HZ is 100 on Linux
  for (const task of tasks) {
    try {
      const stat = readFileSync(`/proc/self/task/${task}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const name = task === String(process.pid) ? 'main' : stat.slice(stat.indexOf('(') + 1, close).replace(/\d+$/, '');
      const fields = stat.slice(close + 2).split(' ');
      byName.set(name, (byName.get(name) ?? 0) + (Number(fields[11]) + Number(fields[12])) * tick);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return byName;
}

/** The CPU each thread name used between two readings, busiest first, names under 1% of the total left out. */
export function threadCpuDelta(before: Map<string, number>, after: Map<string, number>): Array<[string, number]> {
  const delta = [...after].map(([name, ms]): [string, number] => [name, ms - (before.get(name) ?? 0)]);
  const total = delta.reduce((sum, [, ms]) => sum + ms, 0);
  return delta.filter(([, ms]) => ms > total / 100).sort((a, b) => b[1] - a[1]);
}

/**
 * CPU milliseconds every PostgreSQL process on this machine has used (Linux /proc; 0 elsewhere):
 * with the bench's database on the local server, its share of a scenario is the difference of two
 * readings (other databases' work on the same server counts too).
 */
export function postgresCpuMs(): number {
  let ms = 0;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return 0;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (!stat.includes(' (postgres) ')) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ms += (Number(fields[11]) + Number(fields[12])) * (1000 / 100);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return ms;
}
