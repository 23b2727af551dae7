/**
 * The reverse questions on the wire are self-authorized, agree with authorize and are bounded:
 * `whoCan` needs iam:WhoCan on
 * the resource and shows only principals the caller may iam:Authorize on (the count too, so the
 * answer leaks nobody else); each edge's node needs iam:GetUser/GetRole and a refusal nulls only
 * it; pages are at most 1,000 with opaque cursors; and a page costs the same SQL whatever its size.
 * `whatCanActions` and `whatCanResources` need iam:Authorize on the principal (and
 * iam:ListResources), and use registered resources' stored policies and tags as authorize does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT, startInProcess, type InProcess } from '../support/in-process.ts';

const DOC = 'arn:aws:s3:::docs/report';
const user = (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`;
const WHO_CAN = `query ($input: WhoCanInput!, $first: Int, $after: String) {
  whoCan(input: $input, first: $first, after: $after) {
    totalCount revision
    pageInfo { hasNextPage endCursor }
    edges { cursor principalArn principalType groupArns node { __typename arn } statements { direct groupArns statement { sourcePolicyId effect } } decision { decision } }
  }
}`;
const READ = { action: 's3:GetObject', resourceArn: DOC };
const READ_DOCS = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::docs/*' }] });

describe('whoCan self-authorization and bounds', () => {
  let app: InProcess;
  let auditor: string;

  beforeAll(async () => {
    app = await startInProcess({ RATE_LIMIT_PER_SECOND: '0' });
    await app.asRoot('mutation($i: CreateGroupInput!) { createGroup(input: $i) { __typename } }', { i: { groupName: 'readers' } });
    await app.asRoot('mutation($i: PutGroupPolicyInput!) { putGroupPolicy(input: $i) { __typename } }', { i: { groupName: 'readers', policyName: 'Read', policyDocument: READ_DOCS } });
    for (const name of ['alice', 'amy', 'andy', 'bob', 'zed']) {
      await app.asRoot('mutation($i: CreateUserInput!) { createUser(input: $i) { __typename } }', { i: { userName: name } });
      if (name !== 'zed') await app.asRoot('mutation($i: AddUserToGroupInput!) { addUserToGroup(input: $i) { __typename } }', { i: { groupName: 'readers', userName: name } });
    }
    auditor = await app.userWith('auditor', [
      { Effect: 'Allow', Action: 'iam:WhoCan', Resource: 'arn:aws:s3:::docs/*' },
      { Effect: 'Allow', Action: 'iam:Authorize', Resource: `arn:aws:iam::${ACCOUNT}:user/a*` },
      { Effect: 'Allow', Action: 'iam:GetUser', Resource: user('alice') },
    ]);
  }, 120_000);
  afterAll(() => app?.close());

  it('answers the root caller with everyone allowed, through their group', async () => {
    const data = await app.asRoot(WHO_CAN, { input: READ });
    expect(data.whoCan.totalCount).toBe(5);
    expect(data.whoCan.edges.map((e: any) => e.principalArn)).toEqual([`arn:aws:iam::${ACCOUNT}:root`, ...['alice', 'amy', 'andy', 'bob'].map(user)]);
    const alice = data.whoCan.edges[1];
    expect(alice).toMatchObject({ principalType: 'USER', groupArns: [`arn:aws:iam::${ACCOUNT}:group/readers`], node: { __typename: 'User', arn: user('alice') }, decision: { decision: 'ALLOWED' } });
    expect(alice.statements).toEqual([{ direct: false, groupArns: [`arn:aws:iam::${ACCOUNT}:group/readers`], statement: { sourcePolicyId: `arn:aws:iam::${ACCOUNT}:group/readers/inline/Read`, effect: 'ALLOW' } }]);
    expect(data.whoCan.edges[0]).toMatchObject({ principalType: 'ROOT', node: null });
  });

  it('shows only principals the caller may ask about, and each node only when it may read it', async () => {
    const answer = await app.gql(auditor, WHO_CAN, { input: READ });
    expect(answer.data.whoCan.totalCount).toBe(3);
    expect(answer.data.whoCan.edges.map((e: any) => e.principalArn)).toEqual(['alice', 'amy', 'andy'].map(user));
    expect(answer.data.whoCan.edges.map((e: any) => e.node?.arn ?? null)).toEqual([user('alice'), null, null]);
    // Each refused node is its own ACCESS_DENIED at its own path; nothing else is lost.
    expect(answer.errors?.map((e) => [e.extensions?.['code'], e.path?.join('.')])).toEqual([
      ['ACCESS_DENIED', 'whoCan.edges.1.node'],
      ['ACCESS_DENIED', 'whoCan.edges.2.node'],
    ]);
  });

  it('refuses the question without iam:WhoCan on the resource', async () => {
    const answer = await app.gql(auditor, WHO_CAN, { input: { ...READ, resourceArn: 'arn:aws:s3:::private/x' } });
    expect(answer.data.whoCan).toBeNull();
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'ACCESS_DENIED' });
    expect(answer.errors?.[0]?.message).toContain('iam:WhoCan');
  });

  it('pages with opaque cursors, at most 1,000 a page', async () => {
    const first = await app.asRoot(WHO_CAN, { input: READ, first: 2 });
    expect(first.whoCan.edges).toHaveLength(2);
    expect(first.whoCan.pageInfo.hasNextPage).toBe(true);
    const rest = await app.asRoot(WHO_CAN, { input: READ, first: 10, after: first.whoCan.pageInfo.endCursor });
    expect(rest.whoCan.edges.map((e: any) => e.principalArn)).toEqual(['amy', 'andy', 'bob'].map(user));
    expect(rest.whoCan.pageInfo.hasNextPage).toBe(false);
    for (const [variables, field] of [
      [{ first: 1001 }, 'first'],
      [{ first: 0 }, 'first'],
      [{ after: 'not-a-cursor' }, 'after'],
    ] as const) {
      const answer = await app.gql(app.root, WHO_CAN, { input: READ, ...variables });
      expect(answer.errors?.[0]?.extensions, JSON.stringify(variables)).toMatchObject({ code: 'VALIDATION_ERROR', field });
    }
    const bad = await app.gql(app.root, WHO_CAN, { input: { ...READ, contextEntries: [{ contextKeyName: 'aws:SourceIp', contextKeyValues: ['nowhere'], contextKeyType: 'IP' }] } });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_ERROR', field: 'input.contextEntries[0].contextKeyValues[0]' });
  });

  it('costs the same SQL for a page of one principal as for a page of five with their nodes', async () => {
    await app.asRoot(WHO_CAN, { input: READ });
    const one = await app.counted(app.root, WHO_CAN, { input: READ, first: 1, after: (await app.asRoot(WHO_CAN, { input: READ, first: 1 })).whoCan.pageInfo.endCursor });
    const five = await app.counted(app.root, WHO_CAN, { input: READ, first: 5 });
    expect(one.answer.errors).toBeUndefined();
    expect(five.answer.data.whoCan.edges).toHaveLength(5);
    expect(five.statements).toBe(one.statements);
  });
});

const WHAT_ACTIONS = `query ($input: WhatCanActionsInput!, $first: Int, $after: String) {
  whatCanActions(input: $input, first: $first, after: $after) { totalCount edges { node decision { decision matchedStatements { sourcePolicyId } } } }
}`;
const WHAT_RESOURCES = `query ($input: WhatCanResourcesInput!, $first: Int, $after: String) {
  whatCanResources(input: $input, first: $first, after: $after) { totalCount revision edges { resourceArn node { resourceArn tags { key value } } decision { decision } } }
}`;
const AUTHORIZE = `mutation ($requests: [AuthorizeInput!]!) { authorizeBatch(requests: $requests) { ... on Decision { decision } } }`;

describe('whatCanActions and whatCanResources', () => {
  let app: InProcess;
  let reader: string;
  const bucket = (name: string) => `arn:aws:s3:::${name}`;

  beforeAll(async () => {
    app = await startInProcess({ RATE_LIMIT_PER_SECOND: '0' });
    await app.asRoot('mutation($i: CreateUserInput!) { createUser(input: $i) { __typename } }', { i: { userName: 'carl' } });
    const carlPolicy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:ListBucket'], Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/team': 'blue' } } },
        { Effect: 'Allow', Action: 's3:GetBucketTagging', Resource: bucket('open') },
        { Effect: 'Deny', Action: 's3:PutObject', Resource: bucket('locked') },
      ],
    });
    await app.asRoot('mutation($i: PutUserPolicyInput!) { putUserPolicy(input: $i) { __typename } }', { i: { userName: 'carl', policyName: 'Work', policyDocument: carlPolicy } });
    const register = async (arn: string, tags: Array<{ key: string; value: string }>, resourcePolicy?: string) => {
      const data = await app.asRoot('mutation($i: RegisterResourceInput!) { registerResource(input: $i) { __typename ... on ResultError { message } } }', {
        i: { resourceArn: arn, tags, ...(resourcePolicy === undefined ? {} : { resourcePolicy }) },
      });
      expect(data.registerResource.__typename, JSON.stringify(data)).toBe('RegisterResourceSuccess');
    };
    await register(bucket('blue-1'), [{ key: 'team', value: 'blue' }]);
    await register(bucket('locked'), [{ key: 'team', value: 'blue' }]);
    await register(bucket('red-1'), [{ key: 'team', value: 'red' }]);
    // A resource policy alone grants carl on open (same account).
    await register(bucket('open'), [], JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: user('carl') }, Action: 's3:ListBucket', Resource: bucket('open') }] }));
    reader = await app.userWith('reader', [{ Effect: 'Allow', Action: 'iam:Authorize', Resource: user('carl') }]);
  }, 120_000);
  afterAll(() => app?.close());

  it('lists the registered resources authorize allows, with their stored tags and policies', async () => {
    const data = await app.asRoot(WHAT_RESOURCES, { input: { principalArn: user('carl'), action: 's3:ListBucket', serviceName: 's3' } });
    expect(data.whatCanResources.edges.map((e: any) => e.resourceArn)).toEqual([bucket('blue-1'), bucket('locked'), bucket('open')]);
    expect(data.whatCanResources.edges[0].node).toEqual({ resourceArn: bucket('blue-1'), tags: [{ key: 'team', value: 'blue' }] });
    const put = await app.asRoot(WHAT_RESOURCES, { input: { principalArn: user('carl'), action: 's3:PutObject', arnPrefix: bucket('') } });
    expect(put.whatCanResources.edges.map((e: any) => e.resourceArn)).toEqual([bucket('blue-1')]);
    // The request's own context overrides a stored tag, as in authorize.
    const overridden = await app.asRoot(WHAT_RESOURCES, {
      input: { principalArn: user('carl'), action: 's3:GetObject', contextEntries: [{ contextKeyName: 'aws:ResourceTag/team', contextKeyValues: ['red'], contextKeyType: 'STRING' }] },
    });
    expect(overridden.whatCanResources.totalCount).toBe(0);
    // Every resource, asked one by one, agrees.
    const arns = ['blue-1', 'locked', 'red-1', 'open'].map(bucket);
    const single = await app.asRoot(AUTHORIZE, { requests: arns.map((resourceArn) => ({ principalArn: user('carl'), action: 's3:ListBucket', resourceArn })) });
    expect(arns.filter((_, i) => single.authorizeBatch[i].decision === 'ALLOWED')).toEqual(data.whatCanResources.edges.map((e: any) => e.resourceArn));
  });

  it("lists the catalog actions of the resource's type that authorize allows", async () => {
    const data = await app.asRoot(WHAT_ACTIONS, { input: { principalArn: user('carl'), resourceArn: bucket('open') } });
    expect(data.whatCanActions.edges.map((e: any) => e.node)).toEqual(['s3:GetBucketTagging', 's3:ListBucket']);
    // The bucket's stored policy decides; stored resource policies are named as a policy passed with
    // a question is (one compiled copy per text, src/authz/registered-resources.ts).
    expect(data.whatCanActions.edges[1].decision.matchedStatements).toEqual([{ sourcePolicyId: 'ResourcePolicy' }]);
    const blue = await app.asRoot(WHAT_ACTIONS, { input: { principalArn: user('carl'), resourceArn: bucket('blue-1') } });
    expect(blue.whatCanActions.edges.map((e: any) => e.node)).toEqual(['s3:ListBucket']);
    // Objects are another resource type: GetObject and PutObject take them, ListBucket does not.
    const object = await app.asRoot(WHAT_ACTIONS, {
      input: { principalArn: user('carl'), resourceArn: `${bucket('x')}/key`, contextEntries: [{ contextKeyName: 'aws:ResourceTag/team', contextKeyValues: ['blue'], contextKeyType: 'STRING' }] },
    });
    expect(object.whatCanActions.edges.map((e: any) => e.node)).toEqual(['s3:GetObject', 's3:PutObject']);
    const unknown = await app.gql(app.root, WHAT_ACTIONS, { input: { principalArn: user('carl'), resourceArn: 'arn:aws:nosuchservice:::thing' } });
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_ERROR', field: 'input.resourceArn' });
  });

  it('needs iam:Authorize on the principal, and iam:ListResources to list resources', async () => {
    const actions = await app.gql(reader, WHAT_ACTIONS, { input: { principalArn: user('carl'), resourceArn: bucket('open') } });
    expect(actions.errors).toBeUndefined();
    const resources = await app.gql(reader, WHAT_RESOURCES, { input: { principalArn: user('carl'), action: 's3:ListBucket' } });
    expect(resources.data.whatCanResources).toBeNull();
    expect(resources.errors?.[0]?.message).toContain('iam:ListResources');
    const other = await app.gql(reader, WHAT_ACTIONS, { input: { principalArn: user('reader'), resourceArn: bucket('open') } });
    expect(other.errors?.[0]?.extensions).toMatchObject({ code: 'ACCESS_DENIED' });
    expect(other.errors?.[0]?.message).toContain('iam:Authorize');
  });
});
