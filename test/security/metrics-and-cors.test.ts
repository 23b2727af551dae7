/**
 * Issue 13, low item: /metrics is served on its own listener (loopback by default), never on the
 * public API port; serverInfo is self-authorized (iam:ServerInfo) and never answered anonymously;
 * CORS headers go only to origins listed in CORS_ORIGINS. Real HTTP against started servers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { ROOT_AUTH, ROOT_ENV } from '../ops/support/env.ts';

const LISTED = 'https://console.example.com';
const UNLISTED = 'https://evil.example.net';

/** A CORS preflight for a POST with Authorization from `origin`. */
function preflight(url: string, origin: string): Promise<Response> {
  return fetch(url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
  });
}

describe('metrics listener, serverInfo and CORS', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { ...ROOT_ENV, CORS_ORIGINS: `${LISTED}, http://localhost:5173` } });
  });
  afterAll(async () => server?.dispose());

  it('serves /metrics only on the metrics listener, bound to loopback unless METRICS_HOST says otherwise', async () => {
    const onPublicPort = await fetch(`${server.url}/metrics`);
    expect(await onPublicPort.text()).not.toMatch(/portcullis_/);
    expect(onPublicPort.headers.get('content-type') ?? '').not.toMatch(/text\/plain; version=0\.0\.4/);
    expect(server.metricsUrl).not.toBe(server.url);
    const scraped = await fetch(`${server.metricsUrl}/metrics`);
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toMatch(/^portcullis_decisions_total/m);
    // The metrics port serves nothing else.
    expect((await fetch(`${server.metricsUrl}/graphql`, { method: 'POST' })).status).toBe(404);
    expect(loadConfig({})).toMatchObject({ metricsPort: 9464, metricsHost: '127.0.0.1', corsOrigins: [] });
  });

  it('answers serverInfo to an anonymous caller with UNAUTHENTICATED, and to a caller without iam:ServerInfo with ACCESS_DENIED', async () => {
    const anonymous = await server.gql('{ serverInfo { version accountId } }');
    expect(anonymous.status).toBe(401);
    // The whole response is refused (401): no field is answered.
    expect(anonymous.body.data?.serverInfo ?? null).toBeNull();
    expect(anonymous.body.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    expect(JSON.stringify(anonymous.body)).not.toMatch(/111122223333/);

    await server.gql('mutation { createUser(input: { userName: "nobody-special" }) { __typename } }', undefined, { authorization: ROOT_AUTH });
    const key = await server.gql<{ createAccessKey: { secretAccessKey: string; accessKey: { accessKeyId: string } } }>(
      'mutation { createAccessKey(input: { userName: "nobody-special" }) { ... on CreateAccessKeySuccess { secretAccessKey accessKey { accessKeyId } } } }',
      undefined,
      { authorization: ROOT_AUTH },
    );
    const created = key.body.data!.createAccessKey;
    const user = { authorization: `Basic ${Buffer.from(`${created.accessKey.accessKeyId}:${created.secretAccessKey}`).toString('base64')}` };
    const denied = await server.gql('{ serverInfo { version } }', undefined, user);
    expect(denied.body.errors?.[0]?.extensions?.['code']).toBe('ACCESS_DENIED');
    expect(denied.body.errors?.[0]?.message).toMatch(/iam:ServerInfo/);
    expect((await server.gql('{ serverInfo { version } }', undefined, { authorization: ROOT_AUTH })).body.data).toEqual({ serverInfo: { version: expect.any(String) } });
  });

  it('gives a preflight from an unlisted origin no Access-Control-Allow-Origin, and a listed one its own origin', async () => {
    const unlisted = await preflight(server.graphqlUrl, UNLISTED);
    expect(unlisted.headers.get('access-control-allow-origin')).toBeNull();
    expect(unlisted.headers.get('access-control-allow-credentials')).toBeNull();
    const listed = await preflight(server.graphqlUrl, LISTED);
    expect(listed.headers.get('access-control-allow-origin')).toBe(LISTED);
    expect(listed.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    // Credentials travel in the Authorization header; cookies are never invited.
    expect(listed.headers.get('access-control-allow-credentials')).toBeNull();

    const post = (origin: string) =>
      fetch(server.graphqlUrl, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect((await post(UNLISTED)).headers.get('access-control-allow-origin')).toBeNull();
    expect((await post(LISTED)).headers.get('access-control-allow-origin')).toBe(LISTED);
  });

  it('rejects a CORS_ORIGINS entry that is not an origin', () => {
    expect(() => loadConfig({ CORS_ORIGINS: 'https://console.example.com/' })).toThrow(/^CORS_ORIGINS must be a comma-separated list of origins/);
    expect(() => loadConfig({ CORS_ORIGINS: '*' })).toThrow(/^CORS_ORIGINS must be/);
  });
});

describe('CORS by default', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: ROOT_ENV });
  });
  afterAll(async () => server?.dispose());

  it('allows no cross-origin caller at all when CORS_ORIGINS is unset (the console is same-origin)', async () => {
    for (const origin of [LISTED, UNLISTED]) {
      expect((await preflight(server.graphqlUrl, origin)).headers.get('access-control-allow-origin')).toBeNull();
    }
    const sameOrigin = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { origin: server.url, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(await sameOrigin.json()).toEqual({ data: { __typename: 'Query' } });
  });
});
