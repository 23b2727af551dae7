/**
 * Issue 13, item 3: introspection counts in the document limits, is refused to anonymous callers
 * whatever GRAPHQL_INTROSPECTION says, and "Did you mean …" suggestions go wherever introspection
 * does not. Real HTTP against a started server with the default limits.
 */
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.ts';
import { ROOT_AUTH, ROOT_ENV } from '../ops/support/env.ts';

const root = { authorization: ROOT_AUTH };
const badKey = { authorization: `Basic ${Buffer.from('AKIANOSUCHKEY0000001:wrongSecret0123456789').toString('base64')}` };

/** POSTs `query` and returns the status, the raw body length and the parsed body. */
async function post(server: TestServer, query: string, headers: Record<string, string> = {}, variables?: Record<string, unknown>, operationName?: string) {
  const response = await fetch(server.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query, variables, operationName }),
  });
  const text = await response.text();
  const body = JSON.parse(text) as { data?: Record<string, unknown> | null; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
  return { status: response.status, bytes: text.length, body };
}

/** `count` aliased copies of `selection` in one query. */
function aliased(count: number, selection: string): string {
  return `{ ${Array.from({ length: count }, (_, i) => `a${i}: ${selection}`).join(' ')} }`;
}

describe('introspection with the default limits (GRAPHQL_INTROSPECTION on)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: ROOT_ENV });
  });
  afterAll(async () => server?.dispose());

  it('answers one full getIntrospectionQuery to an authenticated caller', async () => {
    const { status, body } = await post(server, getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true, specifiedByUrl: true }), root);
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    expect((body.data?.['__schema'] as { types: unknown[] }).types.length).toBeGreaterThan(100);
  });

  it('refuses 1,000 aliased __schema copies before execution with TOO_MANY_INTROSPECTION_FIELDS', async () => {
    // The request: 1,000 aliases of __schema { types { fields { … } } }, about 20 kB.
    const query = aliased(1000, '__schema { types { fields { name } } }');
    expect(query.length).toBeGreaterThan(20_000);
    const { status, bytes, body } = await post(server, query, root);
    expect(status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]).toMatchObject({
      message: 'introspection fields (__schema, __type) are selected 1000 times in the anonymous operation; at most 1 is allowed',
      extensions: { code: 'TOO_MANY_INTROSPECTION_FIELDS', limit: 1, introspectionFields: 1000 },
    });
    expect(bytes).toBeLessThan(2_000);
    // Two copies are already one too many; fragments are counted once per spread.
    const twice = await post(server, '{ ...S ...S } fragment S on Query { __schema { queryType { name } } }', root);
    expect(twice.body.errors?.[0]?.extensions?.['code']).toBe('TOO_MANY_INTROSPECTION_FIELDS');
    const typeAndSchema = await post(server, '{ __type(name: "User") { name } __schema { queryType { name } } }', root);
    expect(typeAndSchema.body.errors?.[0]?.extensions?.['code']).toBe('TOO_MANY_INTROSPECTION_FIELDS');
  });

  it('counts meta-fields in depth: an ofType chain past MAX_QUERY_DEPTH (15) is QUERY_TOO_DEEP', async () => {
    const chain = (levels: number): string => (levels === 0 ? 'name' : `ofType { ${chain(levels - 1)} }`);
    const deep = await post(server, `{ __type(name: "User") { fields { type { ${chain(12)} } } } }`, root);
    expect(deep.status).toBe(400);
    expect(deep.body.errors?.[0]).toMatchObject({ message: 'query depth 16 exceeds the limit of 15 in the anonymous operation', extensions: { code: 'QUERY_TOO_DEEP' } });
    const fits = await post(server, `{ __type(name: "User") { fields { type { ${chain(11)} } } } }`, root);
    expect(fits.body.errors).toBeUndefined();
  });

  it('refuses anonymous introspection with INTROSPECTION_DISABLED but answers __typename', async () => {
    const schema = await post(server, '{ __schema { queryType { name } } }');
    expect(schema.body.data).toBeUndefined();
    expect(schema.body.errors?.[0]).toMatchObject({
      message: "introspection is disabled for anonymous callers: field '__schema' is not allowed (authenticate with an access key or a session)",
      extensions: { code: 'INTROSPECTION_DISABLED' },
    });
    expect((await post(server, '{ __type(name: "User") { name } }')).body.errors?.[0]?.extensions?.['code']).toBe('INTROSPECTION_DISABLED');
    expect((await post(server, '{ __typename }')).body).toEqual({ data: { __typename: 'Query' } });
    // The same documents are answered to an authenticated caller: no verdict leaks between them through Yoga's validation cache.
    expect((await post(server, '{ __schema { queryType { name } } }', root)).body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
    expect((await post(server, '{ __schema { queryType { name } } }')).body.errors?.[0]?.extensions?.['code']).toBe('INTROSPECTION_DISABLED');
  });

  it('gives anonymous callers no field or enum suggestions, and authenticated ones do get them', async () => {
    const anonymous = await post(server, '{ usr(userName: "x") { userName } }');
    expect(anonymous.body.errors?.[0]?.message).toBe('Cannot query field "usr" on type "Query".');
    const authenticated = await post(server, '{ usr(userName: "x") { userName } }', root);
    expect(authenticated.body.errors?.[0]?.message).toMatch(/Did you mean "user"/);
    // Variable coercion happens at execution, past validation (graphql-js's executor takes a
    // document of two operations, and it suggests enum values).
    const coerce = `query A($k: ContextKeyType!) { simulateCustomPolicy(input: { policyInputList: [], actionNames: ["s3:GetObject"], contextEntries: [{ contextKeyName: "a", contextKeyValues: ["b"], contextKeyType: $k }] }) { evalDecision } } query B { __typename }`;
    const anonymousEnum = await post(server, coerce, {}, { k: 'STRNG' }, 'A');
    expect(anonymousEnum.body.errors?.[0]?.message).toMatch(/ContextKeyType/);
    expect(JSON.stringify(anonymousEnum.body)).not.toMatch(/Did you mean/);
    const rootEnum = await post(server, coerce, root, { k: 'STRNG' }, 'A');
    expect(rootEnum.body.errors?.[0]?.message).toMatch(/Did you mean the enum value "STRING"/);
  });

  it('refuses a bad credential with 401 before validating, so it learns nothing of the schema', async () => {
    const response = await post(server, '{ usr(userName: "x") { userName } }', badKey);
    expect(response.status).toBe(401);
    expect(response.body.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    expect(JSON.stringify(response.body)).not.toMatch(/Did you mean|usr/);
  });
});

describe('introspection switched off (GRAPHQL_INTROSPECTION=false)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { ...ROOT_ENV, GRAPHQL_INTROSPECTION: 'false' } });
  });
  afterAll(async () => server?.dispose());

  it('gives even an authenticated caller no suggestions', async () => {
    const response = await post(server, '{ usr(userName: "x") { userName } }', root);
    expect(response.body.errors?.[0]?.message).toBe('Cannot query field "usr" on type "Query".');
    const schema = await post(server, '{ __schema { queryType { name } } }', root);
    expect(schema.body.errors?.[0]?.extensions?.['code']).toBe('INTROSPECTION_DISABLED');
  });
});

describe('cost counts meta-fields', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { ...ROOT_ENV, MAX_QUERY_COST: '100' } });
  });
  afterAll(async () => server?.dispose());

  it('refuses __schema { types { fields { name } } } as QUERY_TOO_COSTLY when it costs more than the limit', async () => {
    // __schema 1 + types 10 × (1 + fields 10 × (1 + name 1)) = 211
    const response = await post(server, '{ __schema { types { fields { name } } } }', root);
    expect(response.body.errors?.[0]).toMatchObject({ message: 'query cost 211 exceeds the limit of 100', extensions: { code: 'QUERY_TOO_COSTLY', cost: 211 } });
  });
});
