import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestStorage } from '../support/server.ts';
import type { StorageBackend, TestStorage } from '../support/server.ts';
import { spawnMain } from './support/spawn.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function storage(backend?: StorageBackend): Promise<TestStorage> {
  const created = await createTestStorage(backend);
  cleanups.push(() => created.destroy());
  return created;
}

/**
 * Each case starts Node with the server loaded through tsx: seconds of CPU, and in a loaded CI
 * pass up to 42 s before the process could even fail. Exiting within this bound still shows what
 * each case says (the unreachable database's connect timeout is ten minutes).
 */
const SPAWN_TIMEOUT_MS = 90_000;

describe('npm start (src/server/main.ts)', () => {
  it('prints one line naming the variable and rule, and exits 1, on bad configuration', async () => {
    const main = spawnMain({ PORT: 'abc' });
    expect(await main.exited).toEqual({ code: 1, signal: null });
    expect(main.stderr()).toBe("PORT must be an integer from 0 to 65535, got 'abc'\n");
  }, SPAWN_TIMEOUT_MS);

  it('exits 1 with "port N is already in use" when the port is taken', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, resolve));
    cleanups.push(() => new Promise((resolve) => blocker.close(() => resolve())));
    const port = (blocker.address() as AddressInfo).port;
    const { env } = await storage();

    const main = spawnMain({ ...env, PORT: String(port) });
    expect(await main.exited).toEqual({ code: 1, signal: null });
    expect(main.stderr()).toBe(`port ${port} is already in use\n`);
  }, SPAWN_TIMEOUT_MS);

  it('fails fast with a clear line when DATABASE_URL is unreachable', async () => {
    // Port 1 on loopback: nothing listens, the connection is refused at once. The connect timeout
    // is far beyond the test's own, so exiting at all shows the refusal ended the start, not the timeout.
    const main = spawnMain({ PORT: '0', DATABASE_URL: 'postgres://postgres:pw@127.0.0.1:1/portcullis', DB_CONNECT_TIMEOUT_MS: '600000' });
    expect(await main.exited).toEqual({ code: 1, signal: null });
    const stderr = main.stderr();
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^cannot reach PostgreSQL at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/portcullis: .*ECONNREFUSED/);
    expect(stderr).not.toContain(':pw@');
  }, SPAWN_TIMEOUT_MS);

  it('serves, shows generated credentials once on stderr, and stops cleanly on SIGTERM', async () => {
    // Embedded PGlite, as a plain `npm start` runs.
    const { env } = await storage('pglite');
    const main = spawnMain({ ...env, PORT: '0', HOST: '127.0.0.1' });
    cleanups.push(async () => {
      if (main.child.exitCode === null) main.child.kill('SIGKILL');
    });
    const serving = await main.waitForLog((line) => line['msg'] === 'portcullis is serving', 60_000);
    const graphqlUrl = String(serving['url']);
    // The first lines an operator reads name where the dashboard is.
    expect(serving['dashboard']).toBe(graphqlUrl.replace(/graphql$/, ''));

    const response = await fetch(graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });

    // Generated credentials go to stderr, labelled, and never into the JSON log on stdout.
    const stderr = main.stderr();
    expect(stderr).toContain('Portcullis root credentials (shown once)');
    const secret = /secret access key: (\S+)/.exec(stderr)?.[1];
    const password = /sign-in password:\s+(\S+)/.exec(stderr)?.[1];
    expect(secret).toBeDefined();
    expect(password).toBeDefined();
    const logText = JSON.stringify(main.logs());
    expect(logText).not.toContain(secret);
    expect(logText).not.toContain(password);

    main.child.kill('SIGTERM');
    expect(await main.exited).toEqual({ code: 0, signal: null });
    expect(main.logs().some((line) => line['msg'] === 'portcullis stopped')).toBe(true);
  }, 120_000);
});
