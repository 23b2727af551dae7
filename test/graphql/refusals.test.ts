/**
 * Issue 21: a refusal costs only the refused part. A refused mutation is the AccessDenied member
 * of its result union (the document's other mutations keep their data and revisions), a refused
 * nested field is null with ACCESS_DENIED at its path (the rest of the list stays), and a refused
 * root read nulls only itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT, startInProcess, type InProcess } from '../support/in-process.ts';

describe('a refusal costs only the refused part', () => {
  let app: InProcess;
  let creator: string;
  let lister: string;

  beforeAll(async () => {
    app = await startInProcess();
    // May create users, but not groups.
    creator = await app.userWith('creator', [{ Effect: 'Allow', Action: 'iam:CreateUser', Resource: '*' }]);
    for (const userName of ['open', 'closed']) {
      await app.asRoot('mutation($i: CreateUserInput!) { createUser(input: $i) { __typename } }', { i: { userName } });
    }
    await app.asRoot('mutation { createGroup(input: { groupName: "staff" }) { __typename } }');
    await app.asRoot('mutation { addUserToGroup(input: { groupName: "staff", userName: "open" }) { __typename } }');
    // May list users and the groups of every user but `closed`.
    lister = await app.userWith('lister', [
      { Effect: 'Allow', Action: ['iam:ListUsers', 'iam:ListGroupsForUser'], Resource: '*' },
      { Effect: 'Deny', Action: 'iam:ListGroupsForUser', Resource: `arn:aws:iam::${ACCOUNT}:user/closed` },
    ]);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  it('a permitted and a refused mutation in one document: the first keeps its data and revision, the second is AccessDenied', async () => {
    const answer = await app.gql(
      creator,
      `mutation {
        created: createUser(input: { userName: "made-by-creator" }) {
          __typename
          ... on WriteSuccess { revision }
          ... on CreateUserSuccess { user { userName } }
        }
        refused: createGroup(input: { groupName: "not-allowed" }) {
          __typename
          ... on ResultError { code message }
          ... on AccessDenied { action resource explanation { decision } }
        }
      }`,
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data.created).toEqual({ __typename: 'CreateUserSuccess', revision: expect.stringMatching(/^\d+$/), user: { userName: 'made-by-creator' } });
    expect(answer.data.refused).toMatchObject({
      __typename: 'AccessDenied',
      code: 'ACCESS_DENIED',
      action: 'iam:CreateGroup',
      resource: `arn:aws:iam::${ACCOUNT}:group/not-allowed`,
    });
    expect(answer.data.refused.message).toContain('is not authorized to perform iam:CreateGroup');
    // The first write really committed.
    const user = await app.asRoot('{ user(userName: "made-by-creator") { userName } }');
    expect(user.user).toEqual({ userName: 'made-by-creator' });
  });

  it('a list where one nested field is refused keeps the rest, with ACCESS_DENIED at the refused path', async () => {
    const answer = await app.gql(lister, '{ users(first: 100) { edges { node { userName groups { edges { node { groupName } } } } } } }');
    const edges: Array<{ node: { userName: string; groups: unknown } }> = answer.data.users.edges;
    const index = edges.findIndex((edge) => edge.node.userName === 'closed');
    expect(index).toBeGreaterThanOrEqual(0);
    expect(edges[index]!.node).toEqual({ userName: 'closed', groups: null });
    expect(edges.find((edge) => edge.node.userName === 'open')!.node.groups).toEqual({ edges: [{ node: { groupName: 'staff' } }] });
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors![0]!.path).toEqual(['users', 'edges', index, 'node', 'groups']);
    expect(answer.errors![0]!.extensions).toMatchObject({ code: 'ACCESS_DENIED', action: 'iam:ListGroupsForUser' });
  });

  it('a refused root read nulls only itself', async () => {
    const answer = await app.gql(lister, '{ users(first: 1) { edges { node { userName } } } roles { edges { node { roleName } } } }');
    expect(answer.data.users.edges).toHaveLength(1);
    expect(answer.data.roles).toBeNull();
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors![0]!.path).toEqual(['roles']);
    expect(answer.errors![0]!.extensions).toMatchObject({ code: 'ACCESS_DENIED', action: 'iam:ListRoles' });
  });
});
