/**
 * READ_DATABASE_URL: query operations read the directory through the replica's pool, mutations
 * through the primary's. The "replica" here is the same test database opened through a second
 * URL; routing is proven by the `pool` field of the trace-level SQL log lines. Needs TEST_DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, createTestStorage, type TestServer, type TestStorage } from '../support/server.ts';
import { CREATE_USER, must } from './support/directory.ts';
import { ROOT_AUTH, ROOT_ENV } from './support/env.ts';

const hasPostgres = (process.env['TEST_DATABASE_URL'] ?? '') !== '';

describe.skipIf(!hasPostgres)('read replica routing', () => {
  let storage: TestStorage;
  let server: TestServer;
  beforeAll(async () => {
    storage = await createTestStorage('postgres');
    const replica = new URL(storage.env['DATABASE_URL']!);
    replica.searchParams.set('application_name', 'portcullis-replica-test');
    server = await startTestServer({ storage, env: { ...ROOT_ENV, LOG_LEVEL: 'trace', READ_DATABASE_URL: replica.href } });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await storage?.destroy();
  });

  /** SQL text each pool ran while `run` did its work. */
  async function statementsDuring(run: () => Promise<unknown>): Promise<Record<'primary' | 'replica', string[]>> {
    const from = server.logs.length;
    await run();
    const lines = server.logs.slice(from).filter((line) => line['msg'] === 'sql');
    const of = (pool: string) => lines.filter((line) => line['pool'] === pool).map((line) => String(line['sql']));
    return { primary: of('primary'), replica: of('replica') };
  }

  it('runs a users query on the replica and a createUser mutation on the primary', async () => {
    await must(server.graphqlUrl, ROOT_AUTH, CREATE_USER, { u: 'replica-seed' });

    const query = await statementsDuring(async () => {
      const data = await must(server.graphqlUrl, ROOT_AUTH, '{ users(first: 5) { edges { node { userName } } } }', {});
      expect(data['users'].edges.map((edge: any) => edge.node.userName)).toContain('replica-seed');
    });
    expect(query.replica.some((sql) => /from\s+"users"/i.test(sql))).toBe(true);
    // The caller's credential is cached by now, so the primary has no reason to read users.
    expect(query.primary.filter((sql) => /from\s+"users"/i.test(sql))).toEqual([]);

    const mutation = await statementsDuring(() => must(server.graphqlUrl, ROOT_AUTH, CREATE_USER, { u: 'replica-written' }));
    expect(mutation.replica).toEqual([]);
    expect(mutation.primary.some((sql) => /insert into\s+"users"/i.test(sql))).toBe(true);
  });

  it('routes by the operation a document with several names, as Yoga parsed it', async () => {
    const document = `query Names { users(first: 5) { edges { node { userName } } } }
mutation Create($u: String!) { createUser(input: { userName: $u }) { __typename } }`;
    const run = async (operationName: string, variables: Record<string, unknown>): Promise<void> => {
      const response = await fetch(server.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: ROOT_AUTH },
        body: JSON.stringify({ query: document, operationName, variables }),
      });
      const body = (await response.json()) as { errors?: unknown };
      expect(body.errors).toBeUndefined();
    };
    const query = await statementsDuring(() => run('Names', {}));
    expect(query.replica.some((sql) => /from\s+"users"/i.test(sql))).toBe(true);
    const mutation = await statementsDuring(() => run('Create', { u: 'replica-named' }));
    expect(mutation.replica).toEqual([]);
    expect(mutation.primary.some((sql) => /insert into\s+"users"/i.test(sql))).toBe(true);
  });
});
