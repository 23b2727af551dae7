/**
 * The resource registry over real HTTP: the mutations' typed results (success with revision and
 * findings; ValidationError naming field and rule for an ARN that does not fit its type's format,
 * an unknown service or tags beyond AWS's limits; MalformedPolicyDocument for an identity policy
 * given as a resource policy; LimitExceeded for a policy over 20,480 characters; a ValidationError
 * for more than 10,000 resources in one import), nothing stored after any of them, and the reads:
 * `resource`, `resources` with filters and pages, `node` by the resource's id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/server.ts';
import { policy } from '../authz/support/directory.ts';
import { ACCOUNT, dataOf, rootAuth, startAuthzServer } from '../authz/support/server.ts';

const RESULT = `__typename ... on WriteSuccess { revision } ... on ResultError { code message }
  ... on ValidationError { field rule } ... on LimitExceeded { quota limit } ... on MalformedPolicyDocument { findings { issueCode } }`;
const REGISTER = `mutation ($input: RegisterResourceInput!) { registerResource(input: $input) { ${RESULT}
  ... on RegisterResourceSuccess { resource { id resourceArn serviceName resourceType tags { key value } resourcePolicy createDate updateDate } findings { issueCode } } } }`;
const IMPORT = `mutation ($input: ImportResourcesInput!) { importResources(input: $input) { ${RESULT} ... on ImportResourcesSuccess { registeredCount updatedCount } } }`;
const TAG = `mutation ($input: TagResourceInput!) { tagResource(input: $input) { __typename ... on ResultError { code message } ... on TagResourceSuccess { resource { tags { key value } } } } }`;
const RESOURCE = `query ($arn: String!) { resource(resourceArn: $arn) { id resourceArn resourceType tags { key value } resourcePolicy } }`;

type Result = Record<string, any>;

describe('resource registry over GraphQL', () => {
  let server: TestServer;
  const call = async (query: string, variables: Record<string, unknown>): Promise<Result> => {
    const data = dataOf(await server.gql<Record<string, Result>>(query, variables, rootAuth));
    return Object.values(data)[0]!;
  };
  const exists = async (arn: string): Promise<boolean> => (await call(RESOURCE, { arn })) !== null;
  const owner = `arn:aws:iam::${ACCOUNT}:root`;

  beforeAll(async () => {
    server = await startAuthzServer();
  }, 60_000);
  afterAll(async () => {
    await server?.dispose();
  });

  it('registers a resource and shows it through resource, resources and node', async () => {
    const registered = await call(REGISTER, {
      input: {
        resourceArn: 'arn:aws:s3:::gq-photos',
        tags: [{ key: 'team', value: 'blue' }],
        resourcePolicy: policy({ Effect: 'Allow', Principal: { AWS: owner }, Action: 's3:ListBucket', Resource: 'arn:aws:s3:::gq-photos' }),
      },
    });
    expect(registered.__typename).toBe('RegisterResourceSuccess');
    expect(registered.revision).toMatch(/^\d+$/);
    expect(registered.resource).toMatchObject({ resourceArn: 'arn:aws:s3:::gq-photos', serviceName: 's3', resourceType: 'bucket', tags: [{ key: 'team', value: 'blue' }] });
    expect(registered.findings).toEqual([]);
    await call(REGISTER, { input: { resourceArn: 'arn:aws:s3:::gq-photos/cat.jpg' } });
    await call(REGISTER, { input: { resourceArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:gq-queue` } });

    const shown = await call(RESOURCE, { arn: 'arn:aws:s3:::gq-photos' });
    expect(shown).toMatchObject({ id: registered.resource.id, resourceType: 'bucket' });
    expect(await call(RESOURCE, { arn: 'arn:aws:s3:::gq-nothing' })).toBeNull();
    const node = await call('query ($id: ID!) { node(id: $id) { __typename ... on RegisteredResource { resourceArn } } }', { id: registered.resource.id });
    expect(node).toEqual({ __typename: 'RegisteredResource', resourceArn: 'arn:aws:s3:::gq-photos' });

    const page = (args: string) => call(`{ resources(${args}) { edges { node { resourceArn } } pageInfo { hasNextPage endCursor } } }`, {});
    const first = await page('first: 1, serviceName: "s3"');
    expect(first.edges.map((e: Result) => e.node.resourceArn)).toEqual(['arn:aws:s3:::gq-photos']);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await page(`first: 5, serviceName: "s3", after: "${first.pageInfo.endCursor}"`);
    expect(second.edges.map((e: Result) => e.node.resourceArn)).toEqual(['arn:aws:s3:::gq-photos/cat.jpg']);
    expect((await page('resourceType: "queue"')).edges).toHaveLength(1);
    expect((await page('arnPrefix: "arn:aws:s3:::gq-photos/"')).edges).toHaveLength(1);
  });

  it('answers bad input with typed errors naming the field and rule, and stores nothing', async () => {
    const cases: Array<[Record<string, unknown>, Record<string, unknown>]> = [
      [{ resourceArn: 'arn:aws:sqs:us-east-1::no-account' }, { __typename: 'ValidationError', field: 'input.resourceArn', rule: 'resource-type-format' }],
      [{ resourceArn: 'arn:aws:s3:::gq-bad/key', resourceType: 'bucket' }, { __typename: 'ValidationError', field: 'input.resourceArn', rule: 'resource-type-format' }],
      [{ resourceArn: 'arn:aws:nosuch:::x' }, { __typename: 'ValidationError', field: 'input.resourceArn', rule: 'unknown-service' }],
      [{ resourceArn: 'arn:aws:s3:::gq-bad', tags: Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: '' })) }, { __typename: 'ValidationError', field: 'input.tags', rule: 'count' }],
      [{ resourceArn: 'arn:aws:s3:::gq-bad', tags: [{ key: 'aws:secret', value: 'x' }] }, { __typename: 'ValidationError', field: 'input.tags[0].key', rule: 'reserved' }],
      [{ resourceArn: 'arn:aws:s3:::gq-bad', tags: [{ key: 'k', value: 'v'.repeat(257) }] }, { __typename: 'ValidationError', field: 'input.tags[0].value', rule: 'length' }],
      [{ resourceArn: 'arn:aws:s3:::gq-bad', resourcePolicy: policy({ Effect: 'Allow', Action: 's3:*', Resource: '*' }) }, { __typename: 'MalformedPolicyDocument', code: 'MALFORMED_POLICY_DOCUMENT' }],
    ];
    for (const [input, expected] of cases) {
      expect(await call(REGISTER, { input }), JSON.stringify(input).slice(0, 120)).toMatchObject(expected);
      expect(await exists(String(input['resourceArn']))).toBe(false);
    }
    const statements = Array.from({ length: 200 }, (_, i) => ({ Effect: 'Allow', Principal: { AWS: owner }, Action: 's3:GetObject', Resource: `arn:aws:s3:::gq-big/prefix-number-${i}/*` }));
    const big = await call(REGISTER, { input: { resourceArn: 'arn:aws:s3:::gq-big', resourcePolicy: policy(...statements) } });
    expect(big).toMatchObject({ __typename: 'LimitExceeded', quota: 'ResourcePolicySize', limit: 20_480 });
    expect(await exists('arn:aws:s3:::gq-big')).toBe(false);

    expect(await call(REGISTER, { input: { resourceArn: 'arn:aws:s3:::gq-photos' } })).toMatchObject({ __typename: 'EntityAlreadyExists', code: 'ENTITY_ALREADY_EXISTS' });
    const tagged = await call(TAG, { input: { resourceArn: 'arn:aws:s3:::gq-nothing', tags: [{ key: 'a', value: 'b' }] } });
    expect(tagged).toMatchObject({ __typename: 'NoSuchEntity', code: 'NO_SUCH_ENTITY' });
  });

  it('imports all or nothing, and refuses more than 10,000 resources', async () => {
    const ok = await call(IMPORT, { input: { resources: [{ resourceArn: 'arn:aws:s3:::gq-imp-1' }, { resourceArn: 'arn:aws:s3:::gq-photos', tags: [{ key: 'team', value: 'red' }] }] } });
    expect(ok).toMatchObject({ __typename: 'ImportResourcesSuccess', registeredCount: 1, updatedCount: 1 });
    expect((await call(RESOURCE, { arn: 'arn:aws:s3:::gq-photos' })).tags).toEqual([{ key: 'team', value: 'red' }]);

    const bad = await call(IMPORT, { input: { resources: [{ resourceArn: 'arn:aws:s3:::gq-imp-2' }, { resourceArn: 'arn:aws:s3:::gq-imp-3', tags: [{ key: 'aws:x', value: '' }] }] } });
    expect(bad).toMatchObject({ __typename: 'ValidationError', field: 'input.resources[1].tags[0].key', rule: 'reserved' });
    expect(await exists('arn:aws:s3:::gq-imp-2')).toBe(false);

    const tooMany = Array.from({ length: 10_001 }, (_, i) => ({ resourceArn: `arn:aws:s3:::gq-many/${i}` }));
    expect(await call(IMPORT, { input: { resources: tooMany } })).toMatchObject({ __typename: 'ValidationError', field: 'input.resources', rule: 'count' });
    expect(await exists('arn:aws:s3:::gq-many/0')).toBe(false);
  });
});
