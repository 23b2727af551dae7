import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };
import { currentRevision } from '../../src/changes/outbox.ts';
import { startTestServer } from '../support/server.ts';
import type { TestServer } from '../support/server.ts';
import { ROOT_AUTH, ROOT_KEY_ID, ROOT_SECRET } from '../ops/support/env.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ env: { PORTCULLIS_ACCOUNT_ID: '444455556666', PORTCULLIS_ROOT_ACCESS_KEY: `${ROOT_KEY_ID}:${ROOT_SECRET}` } });
});

afterAll(async () => {
  await server?.dispose();
});

describe('HTTP surface', () => {
  it('answers { __typename } at /graphql', async () => {
    const response = await server.gql('{ __typename }');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ data: { __typename: 'Query' } });
  });

  it('serves serverInfo from the running configuration and the change log', async () => {
    // iam:ServerInfo, like every field; the root user is allowed it (anonymous: test/security/metrics-and-cors.test.ts).
    const response = await server.gql<{ serverInfo: { revision: string } }>('{ serverInfo { version accountId revision } }', undefined, { authorization: ROOT_AUTH });
    const revision = response.body.data?.serverInfo.revision;
    // Bootstrapping the account was itself a logged write, so the log is not empty.
    expect(revision).toMatch(/^[1-9][0-9]*$/);
    expect(revision).toBe(await currentRevision(server.running.app.database));
    expect(response.body).toEqual({
      data: { serverInfo: { version: packageJson.version, accountId: '444455556666', revision } },
    });
  });

  it('returns null for a node id that names nothing', async () => {
    const response = await server.gql('query ($id: ID!) { node(id: $id) { id } }', {
      id: Buffer.from('Nothing:1').toString('base64'),
    });
    expect(response.body.data).toEqual({ node: null });
  });

  it('reports GraphQL validation errors with their message, not masked', async () => {
    const response = await server.gql('{ noSuchField }');
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.message).toBe('Cannot query field "noSuchField" on type "Query".');
  });

  it('GET /healthz says the process is up', async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('GET /readyz reports the database and migrations', async () => {
    const response = await fetch(`${server.url}/readyz`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await response.json()).toEqual({ status: 'ready', database: 'ok', migrations: 'applied' });
  });

  it('echoes a sane x-request-id and logs the request under it', async () => {
    const response = await server.gql('{ __typename }', undefined, { 'x-request-id': 'trace-abc-123' });
    expect(response.headers.get('x-request-id')).toBe('trace-abc-123');
    await expect.poll(() => server.logs.find((line) => line['requestId'] === 'trace-abc-123' && line['msg'] === 'request')).toMatchObject({
      method: 'POST',
      path: '/graphql',
      status: 200,
    });
  });

  it('replaces an unsafe x-request-id with a generated one', async () => {
    const response = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'bad id with spaces' } });
    const id = response.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps the authorization header and query string out of the log', async () => {
    await fetch(`${server.url}/graphql?query=${encodeURIComponent('{ __typename }')}&secret=leak-me`, {
      headers: { authorization: 'Bearer very-secret-token', accept: 'application/json' },
    });
    await expect.poll(() => server.logs.some((line) => line['path'] === '/graphql' && line['method'] === 'GET')).toBe(true);
    const text = JSON.stringify(server.logs);
    expect(text).not.toContain('very-secret-token');
    expect(text).not.toContain('leak-me');
  });

  it('answers 404 with JSON for unknown paths', async () => {
    const response = await fetch(`${server.url}/no/such/path`, { headers: { accept: 'application/json' } });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'not found', path: '/no/such/path' });
  });
});
