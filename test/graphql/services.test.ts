/**
 * The service catalog over real HTTP: putService / deleteService results and typed errors,
 * `service` and `services` (AWS's and the account's own) with action and condition-key completion,
 * catalog warnings on policy writes and in validatePolicy, and a catalog upgrade that drops an
 * action still granted by a stored policy: the policy keeps working, validation starts warning.
 * PGlite, or PostgreSQL with TEST_DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.ts';

const ACCOUNT = '111122223333';
const ROOT_KEY = 'AKIASERVICETESTROOT1:service-test-root-secret-0123456789';
const ROOT = { authorization: `Basic ${Buffer.from(ROOT_KEY).toString('base64')}` };

let server: TestServer;

async function root<T = any>(query: string, variables?: Record<string, unknown>): Promise<T> {
  const response = await server.gql<T>(query, variables, ROOT);
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  return response.body.data as T;
}

const PUT_SERVICE = `mutation ($input: PutServiceInput!) {
  putService(input: $input) {
    __typename
    ... on PutServiceSuccess { revision service { id serviceArn serviceName displayName origin version actions { edges { node { name accessLevel } } } } }
    ... on ResultError { code message }
    ... on ValidationError { field rule }
    ... on LimitExceeded { quota limit }
  }
}`;

/** The `todo` service; `actions` replaces its action names (all Read, on `list`). */
function todo(actions = ['GetList', 'DeleteList', 'ListLists']) {
  return {
    serviceName: 'todo',
    displayName: 'Todo lists',
    actions: actions.map((name) => ({ name, accessLevel: name.startsWith('Delete') ? 'WRITE' : 'READ', resourceTypes: [{ name: 'list' }], conditionKeys: ['todo:Color'] })),
    resourceTypes: [{ name: 'list', arnPattern: 'arn:${Partition}:todo:${Region}:${Account}:list/${ListId}' }],
    conditionKeys: [{ name: 'todo:Color', type: 'String' }],
  };
}

beforeAll(async () => {
  server = await startTestServer({ env: { PORTCULLIS_ROOT_ACCESS_KEY: ROOT_KEY, PORTCULLIS_ACCOUNT_ID: ACCOUNT } });
}, 120_000);
afterAll(async () => {
  await server?.dispose();
});

describe('putService and deleteService', () => {
  it('defines a service, then stores its next version', async () => {
    const first = (await root(PUT_SERVICE, { input: todo() })).putService;
    expect(first).toMatchObject({ __typename: 'PutServiceSuccess', service: { serviceArn: `arn:aws:iam::${ACCOUNT}:service/todo`, serviceName: 'todo', origin: 'CUSTOM', version: 1 } });
    expect(first.service.actions.edges.map((e: any) => e.node)).toEqual([
      { name: 'DeleteList', accessLevel: 'WRITE' },
      { name: 'GetList', accessLevel: 'READ' },
      { name: 'ListLists', accessLevel: 'READ' },
    ]);
    const second = (await root(PUT_SERVICE, { input: todo() })).putService;
    expect(second.service.version).toBe(2);
    expect(second.service.id).toBe(first.service.id);
    expect(BigInt(second.revision)).toBeGreaterThan(BigInt(first.revision));
  });

  it('refuses an AWS prefix and a broken definition as ValidationError naming field and rule', async () => {
    const aws = (await root(PUT_SERVICE, { input: { ...todo(), serviceName: 's3' } })).putService;
    expect(aws).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION_ERROR', field: 'input.serviceName', rule: 'reserved' });
    const broken = (await root(PUT_SERVICE, { input: { ...todo(), resourceTypes: [{ name: 'list', arnPattern: 'arn:aws:todo:::list/*' }] } })).putService;
    expect(broken).toMatchObject({ __typename: 'ValidationError', field: 'input.resourceTypes[0].arnPattern', rule: 'pattern' });
    expect((await root('{ service(serviceName: "todo") { version } }')).service.version).toBe(2);
  });

  it('deletes a custom service; a second delete is NoSuchEntity; AWS services cannot be deleted', async () => {
    await root(PUT_SERVICE, { input: { ...todo(), serviceName: 'doomed', resourceTypes: [], actions: [{ name: 'Go', accessLevel: 'WRITE' }], conditionKeys: [] } });
    const DELETE = `mutation ($input: DeleteServiceInput!) { deleteService(input: $input) { __typename ... on DeleteServiceSuccess { service { serviceName } revision } ... on ResultError { code } ... on ValidationError { rule } } }`;
    expect((await root(DELETE, { input: { serviceName: 'doomed' } })).deleteService).toMatchObject({ __typename: 'DeleteServiceSuccess', service: { serviceName: 'doomed' } });
    expect((await root(DELETE, { input: { serviceName: 'doomed' } })).deleteService).toMatchObject({ __typename: 'NoSuchEntity', code: 'NO_SUCH_ENTITY' });
    expect((await root(DELETE, { input: { serviceName: 'iam' } })).deleteService).toMatchObject({ __typename: 'ValidationError', rule: 'reserved' });
    expect((await root('{ service(serviceName: "doomed") { serviceName } }')).service).toBeNull();
  });
});

describe('reads for completion', () => {
  it('completes service prefixes across AWS and custom services', async () => {
    const data = await root('{ services(prefix: "T", first: 100) { edges { node { serviceName displayName origin } } pageInfo { hasNextPage } } }');
    const nodes = data.services.edges.map((e: any) => e.node);
    expect(nodes).toContainEqual({ serviceName: 'todo', displayName: 'Todo lists', origin: 'CUSTOM' });
    expect(nodes.find((n: any) => n.serviceName === 'transfer')?.origin).toBe('AWS');
    const custom = await root('{ services(origin: CUSTOM) { edges { node { serviceName } } } }');
    expect(custom.services.edges.map((e: any) => e.node.serviceName)).toEqual(['todo']);
  });

  it('completes actions and condition keys of an AWS service, in pages', async () => {
    const data = await root(`{ service(serviceName: "s3") {
      serviceName displayName origin
      actions(prefix: "GetObject", first: 3) { edges { node { name accessLevel resourceTypes { name required } } } pageInfo { hasNextPage endCursor } }
      conditionKeys(prefix: "s3:x-amz-acl") { name type }
      resourceTypes { name arnPattern }
    } }`);
    expect(data.service).toMatchObject({ serviceName: 's3', displayName: 'Amazon S3', origin: 'AWS' });
    const actions = data.service.actions.edges.map((e: any) => e.node);
    expect(actions[0]).toMatchObject({ name: 'GetObject', accessLevel: 'READ' });
    expect(actions[0].resourceTypes).toContainEqual({ name: 'object', required: false });
    const names: string[] = actions.map((a: any) => a.name);
    expect(names).toHaveLength(3);
    expect(names.every((n) => n.startsWith('GetObject'))).toBe(true);
    expect(names.map((n) => n.toLowerCase())).toEqual(names.map((n) => n.toLowerCase()).sort());
    expect(data.service.actions.pageInfo.hasNextPage).toBe(true);
    expect(data.service.conditionKeys).toEqual([{ name: 's3:x-amz-acl', type: 'String' }]);
    expect(data.service.resourceTypes).toContainEqual({ name: 'object', arnPattern: 'arn:${Partition}:s3:::${BucketName}/${ObjectName}' });
    const next = await root(`{ service(serviceName: "s3") { actions(prefix: "GetObject", first: 3, after: "${data.service.actions.pageInfo.endCursor}") { edges { node { name } } } } }`);
    const following: string = next.service.actions.edges[0].node.name;
    expect(following.startsWith('GetObject') && following.toLowerCase() > names[2]!.toLowerCase()).toBe(true);
  });

  it('refetches services and actions by node id', async () => {
    const data = await root('{ service(serviceName: "todo") { id actions(first: 1) { edges { node { id name } } } } }');
    const service = data.service;
    const action = service.actions.edges[0].node;
    const nodes = await root('query ($ids: [ID!]!) { nodes(ids: $ids) { __typename ... on Service { serviceName } ... on ServiceAction { name } } }', { ids: [service.id, action.id] });
    expect(nodes.nodes).toEqual([{ __typename: 'Service', serviceName: 'todo' }, { __typename: 'ServiceAction', name: action.name }]);
  });

  it('shows the actions of every custom service of a page', async () => {
    for (const name of ['alpha', 'beta', 'gamma']) await root(PUT_SERVICE, { input: { ...todo(), serviceName: name, resourceTypes: [], conditionKeys: [], actions: [{ name: 'Go', accessLevel: 'READ' }] } });
    const query = '{ services(origin: CUSTOM) { edges { node { serviceName actions { edges { node { name } } } } } } }';
    const counted = await server.gql<any>(query, undefined, ROOT);
    expect(counted.body.data.services.edges).toHaveLength(4);
    expect(counted.body.data.services.edges.every((e: any) => e.node.actions.edges.length >= 1)).toBe(true);
  });
});

const POLICY = (actions: string[]) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] }, null, 2);

describe('catalog warnings on writes and in validatePolicy', () => {
  it('saves s3:GetObjekt with a warning suggesting s3:GetObject', async () => {
    const data = await root(`mutation ($doc: String!) { createPolicy(input: { policyName: "Typo", policyDocument: $doc }) {
      __typename ... on CreatePolicySuccess { findings { findingType issueCode message line column } } } }`, { doc: POLICY(['s3:GetObjekt']) });
    expect(data.createPolicy.__typename).toBe('CreatePolicySuccess');
    expect(data.createPolicy.findings).toEqual([{ findingType: 'WARNING', issueCode: 'UNKNOWN_ACTION', message: expect.stringContaining('did you mean "s3:GetObject"?'), line: 7, column: 9 }]);
    const validated = await root('query ($doc: String!) { validatePolicy(policyDocument: $doc) { issueCode message } }', { doc: POLICY(['s3:GetObjekt', 'dynamdb:GetItem']) });
    expect(validated.validatePolicy.map((f: any) => f.issueCode)).toEqual(['UNKNOWN_ACTION', 'INVALID_SERVICE_IN_ACTION']);
    expect(validated.validatePolicy[1].message).toContain('did you mean "dynamodb"?');
  });

  it('a catalog upgrade that drops a granted action: the stored policy keeps working, validation starts warning', async () => {
    await root(PUT_SERVICE, { input: todo(['GetList', 'DeleteList', 'ArchiveList']) });
    await root('mutation { createUser(input: { userName: "archivist" }) { __typename } }');
    const put = await root(`mutation ($doc: String!) { putUserPolicy(input: { userName: "archivist", policyName: "Archive", policyDocument: $doc }) {
      __typename ... on PutUserPolicySuccess { findings { issueCode } } } }`, { doc: POLICY(['todo:ArchiveList']) });
    expect(put.putUserPolicy).toEqual({ __typename: 'PutUserPolicySuccess', findings: [] });

    // The new version drops ArchiveList.
    const upgraded = (await root(PUT_SERVICE, { input: todo(['GetList', 'DeleteList']) })).putService;
    expect(upgraded.__typename).toBe('PutServiceSuccess');

    const AUTHORIZE = `mutation ($rev: String!) { authorize(input: { principalArn: "arn:aws:iam::${ACCOUNT}:user/archivist", action: "todo:ArchiveList",
      resourceArn: "arn:aws:todo:us-east-1:${ACCOUNT}:list/groceries", minRevision: $rev }) { __typename ... on Decision { decision } } }`;
    expect((await root(AUTHORIZE, { rev: upgraded.revision })).authorize).toEqual({ __typename: 'Decision', decision: 'ALLOWED' });
    const stored = await root('{ userPolicy(userName: "archivist", policyName: "Archive") { policyDocument } }');
    expect(JSON.parse(stored.userPolicy.policyDocument).Statement[0].Action).toEqual(['todo:ArchiveList']);

    const validated = await root('query ($doc: String!) { validatePolicy(policyDocument: $doc) { findingType issueCode message } }', { doc: POLICY(['todo:ArchiveList']) });
    expect(validated.validatePolicy).toEqual([{ findingType: 'WARNING', issueCode: 'UNKNOWN_ACTION', message: expect.stringContaining('"todo:ArchiveList" is not an action of todo') }]);
    // Saving it again still works, with the warning.
    const again = await root(`mutation ($doc: String!) { putUserPolicy(input: { userName: "archivist", policyName: "Archive", policyDocument: $doc }) {
      __typename ... on PutUserPolicySuccess { findings { issueCode } } } }`, { doc: POLICY(['todo:ArchiveList']) });
    expect(again.putUserPolicy).toEqual({ __typename: 'PutUserPolicySuccess', findings: [{ issueCode: 'UNKNOWN_ACTION' }] });
  });
});
