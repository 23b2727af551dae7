/**
 * The service catalog across accounts and under hostile input, over real HTTP: custom services
 * belong to one account (another account's root neither reads, lists, refetches by node id,
 * overwrites nor deletes them, and its policies do not see them); a refused or oversized putService
 * stores nothing; completion pages stay bounded (first ≤ 1,000).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapAccount } from '../../src/iam/bootstrap.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const ACCOUNT = '111122223333';
const OTHER = '444455556666';
const key = (id: string, secret: string) => ({ authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` });
const ROOT = key('AKIACATALOGSECROOT01', 'catalog-security-root-secret-0123456789');
const OTHER_ROOT = key('AKIACATALOGSECOTHER1', 'catalog-security-other-secret-0123456789');

let server: TestServer;

async function as<T = any>(who: Record<string, string>, query: string, variables?: Record<string, unknown>) {
  const response = await server.gql<T>(query, variables, who);
  return response.body as { data?: any; errors?: Array<{ path?: unknown[]; extensions?: Record<string, unknown> }> };
}

const PUT = 'mutation ($i: PutServiceInput!) { putService(input: $i) { __typename ... on PutServiceSuccess { service { id version } } ... on ValidationError { field rule } } }';
const SECRET_SERVICE = { serviceName: 'ledger', displayName: 'Ledger', actions: [{ name: 'Post', accessLevel: 'WRITE' }] };

let serviceId: string;
beforeAll(async () => {
  server = await startTestServer({ env: { PORTCULLIS_ROOT_ACCESS_KEY: 'AKIACATALOGSECROOT01:catalog-security-root-secret-0123456789', PORTCULLIS_ACCOUNT_ID: ACCOUNT } });
  await bootstrapAccount(server.running.app.database, { accountId: OTHER, rootAccessKey: { accessKeyId: 'AKIACATALOGSECOTHER1', secret: 'catalog-security-other-secret-0123456789' } });
  const put = await as(ROOT, PUT, { i: SECRET_SERVICE });
  serviceId = put.data.putService.service.id;
}, 120_000);
afterAll(async () => {
  await server?.dispose();
});

describe('custom services belong to their account', () => {
  it('another account sees no such service by name, in lists or by node id', async () => {
    expect((await as(OTHER_ROOT, '{ service(serviceName: "ledger") { serviceName } }')).data.service).toBeNull();
    const listed = await as(OTHER_ROOT, '{ services(origin: CUSTOM) { edges { node { serviceName } } } }');
    expect(listed.data.services.edges).toEqual([]);
    expect((await as(OTHER_ROOT, 'query ($id: ID!) { node(id: $id) { __typename } }', { id: serviceId })).data.node).toBeNull();
  });

  it('another account’s put makes its own service; its delete finds nothing of ours', async () => {
    const put = await as(OTHER_ROOT, PUT, { i: SECRET_SERVICE });
    expect(put.data.putService.service.version).toBe(1);
    const del = await as(OTHER_ROOT, 'mutation { deleteService(input: { serviceName: "ledger" }) { __typename } }');
    expect(del.data.deleteService.__typename).toBe('DeleteServiceSuccess');
    const again = await as(OTHER_ROOT, 'mutation { deleteService(input: { serviceName: "ledger" }) { __typename } }');
    expect(again.data.deleteService.__typename).toBe('NoSuchEntity');
    expect((await as(ROOT, '{ service(serviceName: "ledger") { version } }')).data.service.version).toBe(1);
  });

  it('another account’s policy validation does not know our service', async () => {
    const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ledger:Post', Resource: '*' }] });
    const ours = await as(ROOT, 'query ($d: String!) { validatePolicy(policyDocument: $d) { issueCode } }', { d: doc });
    expect(ours.data.validatePolicy).toEqual([]);
    const theirs = await as(OTHER_ROOT, 'query ($d: String!) { validatePolicy(policyDocument: $d) { issueCode } }', { d: doc });
    expect(theirs.data.validatePolicy).toEqual([{ issueCode: 'INVALID_SERVICE_IN_ACTION' }]);
  });
});

describe('hostile input', () => {
  it('refuses an oversized definition with a typed error and stores nothing', async () => {
    const actions = Array.from({ length: 2001 }, (_, i) => ({ name: `A${i}`, accessLevel: 'READ' }));
    const put = await as(ROOT, PUT, { i: { serviceName: 'huge', displayName: 'Huge', actions } });
    expect(put.data.putService).toEqual({ __typename: 'ValidationError', field: 'input.actions', rule: 'count' });
    expect((await as(ROOT, '{ service(serviceName: "huge") { serviceName } }')).data.service).toBeNull();
  });

  it('refuses an ARN format whose placeholders are not ${Name}', async () => {
    const put = await as(ROOT, PUT, {
      i: { ...SECRET_SERVICE, serviceName: 'evil', resourceTypes: [{ name: 'x', arnPattern: 'arn:aws:evil:::x/$(rm -rf)' }] },
    });
    expect(put.data.putService).toEqual({ __typename: 'ValidationError', field: 'input.resourceTypes[0].arnPattern', rule: 'pattern' });
  });

  it('bounds completion pages', async () => {
    const response = await as(ROOT, '{ services(first: 100000) { edges { node { serviceName } } } }');
    expect(response.data.services).toBeNull();
    expect(response.errors?.[0]?.extensions?.['code']).toBe('VALIDATION_ERROR');
    const actions = await as(ROOT, '{ service(serviceName: "ec2") { actions(first: 1001) { edges { node { name } } } } }');
    expect(actions.errors?.[0]?.extensions?.['code']).toBe('VALIDATION_ERROR');
  });
});
