/**
 * GraphiQL's page is built from @graphql-yoga/render-graphiql, a 9 MB script that takes about
 * 33 MB of heap once loaded. The server imports it on the first GraphiQL page asked for, so a
 * process that never serves one (GRAPHIQL off, as in production by default) never holds it.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestStorage, type TestStorage } from '../support/server.ts';
import { spawnMain, type MainProcess } from './support/spawn.ts';

/** A module hook that writes `resolved <url>` on standard error for each render-graphiql module. */
const REPORTER = fileURLToPath(new URL('./support/report-graphiql-import.mjs', import.meta.url));
const RESOLVED = /^resolved .*\/@graphql-yoga\/render-graphiql\//m;

describe("GraphiQL's page, in a started server with GRAPHIQL on", () => {
  let storage: TestStorage | undefined;
  let main: MainProcess | undefined;
  afterAll(async () => {
    if (main?.child.exitCode === null) {
      main.child.kill('SIGTERM');
      await main.exited;
    }
    await storage?.destroy();
  });

  it('is loaded on the first page asked for, not at start, and served with its code inlined', async () => {
    storage = await createTestStorage('pglite');
    main = spawnMain({ ...storage.env, PORT: '0', HOST: '127.0.0.1', GRAPHIQL: 'true' }, { imports: [REPORTER] });
    const serving = await main.waitForLog((line) => line['msg'] === 'portcullis is serving', 60_000);
    const graphqlUrl = String(serving['url']);
    // A GraphQL request is not a page: still not loaded.
    const query = await fetch(graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
    expect(await query.json()).toEqual({ data: { __typename: 'Query' } });
    expect(main.stderr()).not.toMatch(RESOLVED);

    const page = await fetch(graphqlUrl, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('GraphiQL');
    // Inlined from the package, not fetched from a CDN (which a closed network never answers).
    expect(html).not.toMatch(/<script[^>]+src="https?:/);
    expect(main.stderr()).toMatch(RESOLVED);
  }, 90_000);
});
