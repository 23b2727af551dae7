/**
 * Every abuse limit over real HTTP, each answering with a code naming it and a message stating
 * the measured value and the limit; introspection and GraphiQL switched by configuration.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { ROOT_AUTH, ROOT_ENV } from './support/env.ts';

const auth = { authorization: ROOT_AUTH };

describe('abuse limits over HTTP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      env: {
        ...ROOT_ENV,
        MAX_BODY_BYTES: '4096',
        MAX_QUERY_DEPTH: '3',
        MAX_QUERY_ALIASES: '2',
        MAX_QUERY_COST: '50',
        MAX_QUERY_TOKENS: '200',
        GRAPHQL_INTROSPECTION: 'false',
        GRAPHIQL: 'false',
      },
    });
  });
  afterAll(async () => server?.dispose());

  it('answers 413 PAYLOAD_TOO_LARGE for a declared body over the limit', async () => {
    const query = `{ serverInfo { version } } # ${'x'.repeat(5000)}`;
    const response = await fetch(server.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify({ query }) });
    expect(response.status).toBe(413);
    const body = (await response.json()) as { errors: Array<{ message: string; extensions: Record<string, unknown> }> };
    expect(body.errors[0]?.extensions['code']).toBe('PAYLOAD_TOO_LARGE');
    expect(body.errors[0]?.message).toMatch(/request body of \d+ bytes exceeds the limit of 4096 bytes/);
  });

  it('cuts a chunked body (no Content-Length) at the limit with 413', async () => {
    const { status, text } = await chunkedPost(server.graphqlUrl, ['{"query":"{ serverInfo { version } }", "pad": "', 'y'.repeat(3000), 'y'.repeat(3000), '"}']);
    expect(status).toBe(413);
    expect(text).toMatch(/PAYLOAD_TOO_LARGE/);
    expect(text).toMatch(/exceeds the limit of 4096 bytes/);
  });

  it('accepts a body under the limit', async () => {
    const response = await server.gql('{ serverInfo { version } }', undefined, auth);
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({ serverInfo: { version: expect.any(String) } });
  });

  it('refuses a query deeper than MAX_QUERY_DEPTH, counting through fragments', async () => {
    const response = await server.gql('query Deep { users { edges { node { userName } } } }', undefined, auth);
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]).toMatchObject({
      message: "query depth 4 exceeds the limit of 3 in operation 'Deep'",
      extensions: { code: 'QUERY_TOO_DEEP', limit: 3 },
    });
    const viaFragment = await server.gql('{ users { ...E } } fragment E on UserConnection { edges { node { userName } } }', undefined, auth);
    expect(viaFragment.body.errors?.[0]?.extensions?.['code']).toBe('QUERY_TOO_DEEP');
    expect((await server.gql('{ users { edges { cursor } } }', undefined, auth)).body.errors).toBeUndefined();
  });

  it('refuses more aliases than MAX_QUERY_ALIASES, a fragment counting once per spread', async () => {
    const three = await server.gql('{ a: serverInfo { version } b: serverInfo { version } c: serverInfo { version } }', undefined, auth);
    expect(three.status).toBe(400);
    expect(three.body.errors?.[0]).toMatchObject({ message: 'alias count 3 exceeds the limit of 2 in the anonymous operation', extensions: { code: 'TOO_MANY_ALIASES' } });
    const spread = await server.gql('{ ...F ...F } fragment F on Query { x: serverInfo { version } y: serverInfo { version } }', undefined, auth);
    expect(spread.body.errors?.[0]?.message).toMatch(/alias count 4 exceeds the limit of 2/);
    expect((await server.gql('{ a: serverInfo { version } b: serverInfo { version } }', undefined, auth)).body.errors).toBeUndefined();
  });

  it('stops parsing past MAX_QUERY_TOKENS', async () => {
    const fields = Array.from({ length: 250 }, () => '__typename').join(' ');
    const response = await server.gql(`{ ${fields} }`, undefined, auth);
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]).toMatchObject({ message: 'token count exceeds the limit of 200', extensions: { code: 'TOO_MANY_TOKENS', limit: 200 } });
  });

  it('refuses introspection when GRAPHQL_INTROSPECTION=false but keeps __typename', async () => {
    const response = await server.gql('{ __schema { queryType { name } } }', undefined, auth);
    expect(response.body.errors?.[0]).toMatchObject({ extensions: { code: 'INTROSPECTION_DISABLED' } });
    expect(response.body.errors?.[0]?.message).toMatch(/introspection is disabled on this server: field '__schema'/);
    expect((await server.gql('{ __type(name: "User") { name } }', undefined, auth)).body.errors?.[0]?.extensions?.['code']).toBe('INTROSPECTION_DISABLED');
    expect((await server.gql('{ __typename }', undefined, auth)).body.data).toEqual({ __typename: 'Query' });
  });

  it('serves no GraphiQL page when GRAPHIQL=false', async () => {
    const response = await fetch(server.graphqlUrl, { headers: { accept: 'text/html' } });
    expect(response.headers.get('content-type') ?? '').not.toMatch(/text\/html/);
    expect(await response.text()).not.toMatch(/graphiql/i);
  });

});

describe('field cost and batch size over HTTP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { ...ROOT_ENV, MAX_QUERY_COST: '50' } });
  });
  afterAll(async () => server?.dispose());

  it('refuses a query costlier than MAX_QUERY_COST, pages multiplied by first (also from variables)', async () => {
    const literal = await server.gql('{ users(first: 100) { edges { node { userName } } } }', undefined, auth);
    expect(literal.status).toBe(400);
    // users 1 + 100 × (edges 1 + node 1 + userName 1) = 301
    expect(literal.body.errors?.[0]).toMatchObject({ message: 'query cost 301 exceeds the limit of 50', extensions: { code: 'QUERY_TOO_COSTLY', limit: 50, cost: 301 } });
    const variable = await server.gql('query ($n: Int) { users(first: $n) { edges { node { userName } } } }', { n: 20 }, auth);
    expect(variable.body.errors?.[0]?.message).toBe('query cost 61 exceeds the limit of 50');
    const cheap = await server.gql('query ($n: Int) { users(first: $n) { edges { node { userName } } } }', { n: 5 }, auth);
    expect(cheap.body.errors).toBeUndefined();
  });

  it('counts the questions of an authorizeBatch in its cost, each with its selection', async () => {
    const requests = Array.from({ length: 60 }, () => ({ action: 's3:GetObject', resourceArn: '*' }));
    const big = await startBigBody(server, requests);
    // 60 answers × (the answer 1 + its __typename 1).
    expect(big.errors?.[0]?.message).toBe('query cost 120 exceeds the limit of 50');
  });
});

describe('batch size over HTTP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: ROOT_ENV });
  });
  afterAll(async () => server?.dispose());

  it('refuses authorizeBatch beyond 1000 questions, naming the limit', async () => {
    const requests = Array.from({ length: 1001 }, () => ({ action: 's3:GetObject', resourceArn: '*' }));
    const big = await startBigBody(server, requests);
    expect(big.errors?.[0]?.message).toBe('requests may hold at most 1000 questions, got 1001');
  });
});

describe('introspection and GraphiQL defaults', () => {
  it('are on in development and test, off in production, and switchable', () => {
    expect(loadConfig({ NODE_ENV: 'development' })).toMatchObject({ introspection: true, graphiql: true });
    expect(loadConfig({ NODE_ENV: 'production' })).toMatchObject({ introspection: false, graphiql: false });
    expect(loadConfig({ NODE_ENV: 'production', GRAPHQL_INTROSPECTION: 'true', GRAPHIQL: '1' })).toMatchObject({ introspection: true, graphiql: true });
    expect(() => loadConfig({ GRAPHIQL: 'yes' })).toThrow("GRAPHIQL must be true, false, 1 or 0, got 'yes'");
    expect(() => loadConfig({ MAX_QUERY_DEPTH: '0' })).toThrow('MAX_QUERY_DEPTH must be an integer from 1 to 1000');
  });

  it('serves GraphiQL and introspection when enabled', async () => {
    const server = await startTestServer({ env: ROOT_ENV });
    try {
      const page = await fetch(server.graphqlUrl, { headers: { accept: 'text/html' } });
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      const introspection = await server.gql('{ __schema { queryType { name } } }', undefined, auth);
      expect(introspection.body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    } finally {
      await server.dispose();
    }
  });
});

/** POSTs an authorizeBatch with the requests as a variable (a big body, few tokens). */
async function startBigBody(server: TestServer, requests: unknown[]) {
  const response = await server.gql('mutation ($r: [AuthorizeInput!]!) { authorizeBatch(requests: $r) { __typename } }', { r: requests }, auth);
  return response.body;
}

/** POSTs `chunks` with Transfer-Encoding: chunked and returns the status and body text. */
function chunkedPost(url: string, chunks: string[]): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: ROOT_AUTH } }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
    });
    request.on('error', reject);
    for (const chunk of chunks) request.write(chunk);
    request.end();
  });
}
