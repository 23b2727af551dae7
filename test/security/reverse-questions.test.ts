/**
 * The reverse questions on the wire are self-authorized and bounded: `whoCan` needs iam:WhoCan on
 * the resource and shows only principals the caller may iam:Authorize on (the count too, so the
 * answer leaks nobody else); each edge's node needs iam:GetUser/GetRole and a refusal nulls only
 * it; pages are at most 1,000 with opaque cursors; and a page costs the same SQL whatever its size.
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
