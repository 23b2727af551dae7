import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { describe, expect, it } from 'vitest';
import { closeServer, listen } from '../../src/server/listen.ts';
import { StartupError } from '../../src/server/startup-error.ts';

/**
 * A server that holds every request until `answer()`: `arrived` resolves once one is being
 * served, so a test acts on an in-flight request without guessing how long it takes to get there.
 */
async function holdingServer(): Promise<{ server: Server; url: string; arrived: Promise<void>; answer: () => void }> {
  const held: Array<() => void> = [];
  let arrive!: () => void;
  const arrived = new Promise<void>((resolve) => (arrive = resolve));
  const server = createServer((_req, res) => {
    held.push(() => res.end('done'));
    arrive();
  });
  const port = await listen(server, 0, '127.0.0.1');
  return { server, url: `http://127.0.0.1:${port}/`, arrived, answer: () => held.splice(0).forEach((end) => end()) };
}

describe('closeServer', () => {
  it('lets an in-flight request finish, then closes', async () => {
    const { server, url, arrived, answer } = await holdingServer();
    const inFlight = fetch(url).then(async (response) => ({ status: response.status, text: await response.text() }));
    await arrived;
    const closed = closeServer(server, 5_000);
    // New connections are refused as soon as close starts.
    await expect(fetch(url)).rejects.toThrow();
    answer();
    expect(await inFlight).toEqual({ status: 200, text: 'done' });
    expect(await closed).toEqual({ forced: false });
    expect(server.listening).toBe(false);
  });

  it('cuts connections still open when the timeout passes', async () => {
    const { server, url, arrived } = await holdingServer();
    const hanging = fetch(url).then(
      () => 'answered',
      () => 'cut',
    );
    await arrived;
    const started = Date.now();
    expect(await closeServer(server, 200)).toEqual({ forced: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(await hanging).toBe('cut');
  });
});

describe('listen', () => {
  it('reports a busy port in one line', async () => {
    const { server } = await holdingServer();
    const port = (server.address() as { port: number }).port;
    const second = createServer();
    const failure = listen(second, port, '127.0.0.1');
    await expect(failure).rejects.toBeInstanceOf(StartupError);
    await expect(failure).rejects.toThrow(`port ${port} is already in use`);
    await closeServer(server, 1_000);
  });
});
