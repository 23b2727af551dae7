import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { describe, expect, it } from 'vitest';
import { closeServer, listen } from '../../src/server/listen.ts';
import { StartupError } from '../../src/server/startup-error.ts';

/** A server whose every response takes `delayMs`, or never comes when delayMs is Infinity. */
async function slowServer(delayMs: number): Promise<{ server: Server; url: string }> {
  const server = createServer((_req, res) => {
    if (Number.isFinite(delayMs)) setTimeout(() => res.end('done'), delayMs);
  });
  const port = await listen(server, 0, '127.0.0.1');
  return { server, url: `http://127.0.0.1:${port}/` };
}

describe('closeServer', () => {
  it('lets an in-flight request finish, then closes', async () => {
    const { server, url } = await slowServer(300);
    const inFlight = fetch(url).then(async (response) => ({ status: response.status, text: await response.text() }));
    await new Promise((resolve) => setTimeout(resolve, 50)); // the request is now being served
    const closed = closeServer(server, 5_000);
    // New connections are refused as soon as close starts.
    await expect(fetch(url)).rejects.toThrow();
    expect(await inFlight).toEqual({ status: 200, text: 'done' });
    expect(await closed).toEqual({ forced: false });
    expect(server.listening).toBe(false);
  });

  it('cuts connections still open when the timeout passes', async () => {
    const { server, url } = await slowServer(Number.POSITIVE_INFINITY);
    const hanging = fetch(url).then(
      () => 'answered',
      () => 'cut',
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    expect(await closeServer(server, 200)).toEqual({ forced: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(await hanging).toBe('cut');
  });
});

describe('listen', () => {
  it('reports a busy port in one line', async () => {
    const { server } = await slowServer(0);
    const port = (server.address() as { port: number }).port;
    const second = createServer();
    const failure = listen(second, port, '127.0.0.1');
    await expect(failure).rejects.toBeInstanceOf(StartupError);
    await expect(failure).rejects.toThrow(`port ${port} is already in use`);
    await closeServer(server, 1_000);
  });
});
