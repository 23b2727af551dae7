/**
 * Drill instances: `src/server/main.ts` as separate processes (as in production), each on its
 * own loopback port, started one after another and awaited until /readyz answers 200.
 */
import net from 'node:net';
import { spawnMain, type MainProcess } from '../../server/support/spawn.ts';

/** A running server process. */
export interface Instance {
  readonly name: string;
  readonly url: string;
  readonly graphqlUrl: string;
  /** Base URL of the instance's metrics listener. */
  readonly metricsUrl: string;
  readonly process: MainProcess;
  /** False once killed; load generators skip it. */
  alive: boolean;
}

/** A free loopback port (bound and released; the race is harmless on a drill machine). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts an instance with `env` and waits (bounded) for /readyz 200. */
export async function startInstance(name: string, env: Record<string, string>, timeoutMs = 60_000): Promise<Instance> {
  const port = await freePort();
  const metricsPort = await freePort();
  const process = spawnMain({ ...env, PORT: String(port), HOST: '127.0.0.1', METRICS_PORT: String(metricsPort) });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void process.exited.then(() => (exited = true));
  while (Date.now() < deadline && !exited) {
    const status = await fetch(`${url}/readyz`).then((r) => r.status, () => 0);
    if (status === 200) return { name, url, graphqlUrl: `${url}/graphql`, metricsUrl: `http://127.0.0.1:${metricsPort}`, process, alive: true };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  process.child.kill('SIGKILL');
  throw new Error(`instance ${name} did not become ready: ${process.stderr().slice(-500)}`);
}

/** Waits (bounded) until `url`/readyz answers 200; resolves with the time waited, or undefined. */
export async function waitReady(url: string, timeoutMs: number): Promise<number | undefined> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if ((await fetch(`${url}/readyz`).then((r) => r.status, () => 0)) === 200) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return undefined;
}

/** Reads one gauge from /metrics of the metrics listener at `metricsUrl`. */
export async function metric(metricsUrl: string, name: string): Promise<number | undefined> {
  const text = await fetch(`${metricsUrl}/metrics`).then((r) => r.text(), () => '');
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}
