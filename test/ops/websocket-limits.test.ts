/**
 * The abuse limits hold on graphql-ws as on HTTP: depth, aliases, cost, tokens and introspection
 * refuse the operation with the same code and message while the socket stays open, and a message
 * larger than MAX_BODY_BYTES closes the socket with 1009 (message too big).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.ts';
import { ROOT_AUTH, ROOT_ENV } from './support/env.ts';
import { once, wsClient } from './support/ws.ts';

describe('abuse limits over graphql-ws', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      env: { ...ROOT_ENV, MAX_BODY_BYTES: '4096', MAX_QUERY_DEPTH: '3', MAX_QUERY_ALIASES: '2', MAX_QUERY_COST: '50', MAX_QUERY_TOKENS: '200', GRAPHQL_INTROSPECTION: 'false' },
    });
  });
  afterAll(async () => server?.dispose());

  it('refuses each over-limit operation with its code and keeps the socket open', async () => {
    const { client, closes } = wsClient(server.graphqlUrl, ROOT_AUTH);
    const held: unknown[] = [];
    const stop = client.subscribe({ query: 'subscription { changes { revision } }' }, { next: (v) => void held.push(v), error: (e) => void held.push(e), complete: () => {} });
    try {
      const cases: Array<[string, string, RegExp]> = [
        ['query Deep { users { edges { node { userName } } } }', 'QUERY_TOO_DEEP', /query depth 4 exceeds the limit of 3 in operation 'Deep'/],
        ['{ a: serverInfo { version } b: serverInfo { version } c: serverInfo { version } }', 'TOO_MANY_ALIASES', /alias count 3 exceeds the limit of 2/],
        ['{ users(first: 100) { edges { cursor } } }', 'QUERY_TOO_COSTLY', /query cost 201 exceeds the limit of 50/],
        [`{ ${Array.from({ length: 250 }, () => '__typename').join(' ')} }`, 'TOO_MANY_TOKENS', /token count exceeds the limit of 200/],
        ['{ __schema { queryType { name } } }', 'INTROSPECTION_DISABLED', /introspection is disabled/],
      ];
      for (const [query, code, message] of cases) {
        const result = JSON.stringify(await once(client, query));
        expect(result, query).toContain(code);
        expect(result, query).toMatch(message);
      }
      expect(await once(client, '{ serverInfo { version } }')).toMatchObject({ data: { serverInfo: { version: expect.any(String) } } });
      expect(closes).toEqual([]);
      expect(held).toEqual([]);
    } finally {
      stop();
      await client.dispose();
    }
  });

  it('closes the socket with 1009 when one message exceeds MAX_BODY_BYTES', async () => {
    const { client, closes } = wsClient(server.graphqlUrl, ROOT_AUTH);
    try {
      const result = await once(client, `{ serverInfo { version } } # ${'x'.repeat(5000)}`);
      expect(result).toHaveProperty('socketError');
      await expect.poll(() => closes[0]?.code).toBe(1009);
    } finally {
      await client.dispose();
    }
  });
});
