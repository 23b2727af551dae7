/**
 * Issue 13 (low): nested fields are authorized as the AWS action that returns their data, on the
 * entity they belong to. AWS's ListUsers, ListRoles, ListPolicies and GetGroup leave out tags and
 * permissions boundaries; a caller holding only those actions read them anyway. Each check comes
 * from the caller's policy set loaded once per request: reading tags of 30 users costs the same
 * SQL as reading their names.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT, startInProcess, type Answer, type InProcess } from '../support/in-process.ts';

const USERS = 30;
const BOUNDARY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';

/** The first error's code and action, or undefined when the answer has none. */
function denial(answer: Answer): { code: unknown; action: unknown } | undefined {
  const error = answer.errors?.[0];
  return error === undefined ? undefined : { code: error.extensions?.['code'], action: error.extensions?.['action'] };
}

describe('nested fields are authorized as the action that returns them', () => {
  let app: InProcess;
  let lister: string;
  let groupReader: string;
  let roleLister: string;
  let policyLister: string;
  let tagReader: string;
  let getter: string;

  beforeAll(async () => {
    app = await startInProcess();
    await app.asRoot('mutation { createGroup(input: { groupName: "staff" }) { __typename } }');
    for (let i = 0; i < USERS; i++) {
      const userName = `member${String(i).padStart(2, '0')}`;
      await app.asRoot('mutation($i: CreateUserInput!) { createUser(input: $i) { __typename } }', {
        i: { userName, tags: [{ key: 'clearance', value: `level-${i}` }], permissionsBoundary: BOUNDARY },
      });
      await app.asRoot('mutation($i: AddUserToGroupInput!) { addUserToGroup(input: $i) { __typename } }', { i: { groupName: 'staff', userName } });
    }
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    await app.asRoot('mutation($i: CreateRoleInput!) { createRole(input: $i) { __typename } }', {
      i: { roleName: 'tagged-role', assumeRolePolicyDocument: trust, tags: [{ key: 'secret', value: 'x' }], permissionsBoundary: BOUNDARY },
    });
    const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
    await app.asRoot('mutation($i: CreatePolicyInput!) { createPolicy(input: $i) { __typename } }', {
      i: { policyName: 'Tagged', policyDocument: doc, description: 'private notes', tags: [{ key: 'owner', value: 'x' }] },
    });
    lister = await app.userWith('lister', [{ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' }]);
    groupReader = await app.userWith('group-reader', [{ Effect: 'Allow', Action: 'iam:GetGroup', Resource: '*' }]);
    roleLister = await app.userWith('role-lister', [{ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' }]);
    policyLister = await app.userWith('policy-lister', [{ Effect: 'Allow', Action: ['iam:ListPolicies', 'iam:ListAttachedUserPolicies', 'iam:GetUser'], Resource: '*' }]);
    tagReader = await app.userWith('tag-reader', [{ Effect: 'Allow', Action: ['iam:ListUsers', 'iam:ListUserTags'], Resource: '*' }]);
    getter = await app.userWith('getter', [{ Effect: 'Allow', Action: ['iam:GetUser', 'iam:GetRole'], Resource: '*' }]);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  it('a ListUsers-only caller lists users but cannot read their tags or boundaries', async () => {
    const names = await app.gql(lister, '{ users(first: 100) { edges { node { userName path } } } }');
    expect(names.errors).toBeUndefined();
    expect(names.data.users.edges.length).toBeGreaterThan(USERS);
    const tags = await app.gql(lister, '{ users(first: 100) { edges { node { userName tags { key value } } } } }');
    expect(denial(tags)).toEqual({ code: 'ACCESS_DENIED', action: 'iam:ListUserTags' });
    expect(JSON.stringify(tags)).not.toContain('level-');
    const boundary = await app.gql(lister, '{ users(first: 100) { edges { node { permissionsBoundary { arn } } } } }');
    expect(denial(boundary)).toEqual({ code: 'ACCESS_DENIED', action: 'iam:GetUser' });
    expect(JSON.stringify(boundary)).not.toContain('ReadOnlyAccess');
  });

  it("a GetGroup-only caller sees the members but not their tags or boundaries", async () => {
    const members = await app.gql(groupReader, '{ group(groupName: "staff") { users(first: 100) { edges { node { userName } } } } }');
    expect(members.errors).toBeUndefined();
    expect(members.data.group.users.edges).toHaveLength(USERS);
    const tags = await app.gql(groupReader, '{ group(groupName: "staff") { users(first: 100) { edges { node { tags { value } } } } } }');
    expect(denial(tags)).toEqual({ code: 'ACCESS_DENIED', action: 'iam:ListUserTags' });
    expect(JSON.stringify(tags)).not.toContain('level-');
    const boundary = await app.gql(groupReader, '{ group(groupName: "staff") { users(first: 5) { edges { node { permissionsBoundary { arn } } } } } }');
    expect(denial(boundary)).toEqual({ code: 'ACCESS_DENIED', action: 'iam:GetUser' });
  });

  it('a ListRoles-only caller cannot read role tags, boundaries or last use', async () => {
    const listed = await app.gql(roleLister, '{ roles { edges { node { roleName assumeRolePolicyDocument maxSessionDuration } } } }');
    expect(listed.errors).toBeUndefined();
    for (const [field, action] of [
      ['tags { key }', 'iam:ListRoleTags'],
      ['permissionsBoundary { arn }', 'iam:GetRole'],
      ['lastUsedDate', 'iam:GetRole'],
    ] as const) {
      const answer = await app.gql(roleLister, `{ roles { edges { node { roleName ${field} } } } }`);
      expect(denial(answer), field).toEqual({ code: 'ACCESS_DENIED', action });
    }
  });

  it("a ListPolicies-only caller cannot read a policy's tags or description; an attachment's policy needs GetPolicy", async () => {
    const listed = await app.gql(policyLister, '{ policies(scope: LOCAL) { edges { node { policyName attachmentCount } } } }');
    expect(listed.errors).toBeUndefined();
    const tags = await app.gql(policyLister, '{ policies(scope: LOCAL) { edges { node { tags { key } } } } }');
    expect(denial(tags)).toEqual({ code: 'ACCESS_DENIED', action: 'iam:ListPolicyTags' });
    const description = await app.gql(policyLister, '{ policies(scope: LOCAL) { edges { node { description } } } }');
    expect(denial(description)).toEqual({ code: 'ACCESS_DENIED', action: 'iam:GetPolicy' });
    await app.asRoot(`mutation { attachUserPolicy(input: { userName: "member00", policyArn: "arn:aws:iam::${ACCOUNT}:policy/Tagged" }) { __typename } }`);
    const attached = await app.gql(policyLister, '{ user(userName: "member00") { attachedPolicies { policyName policyArn } } }');
    expect(attached.errors).toBeUndefined();
    const whole = await app.gql(policyLister, '{ user(userName: "member00") { attachedPolicies { policy { createDate } } } }');
    expect(denial(whole)).toEqual({ code: 'ACCESS_DENIED', action: 'iam:GetPolicy' });
  });

  it('GetUser / GetRole (or ListUserTags) still read them', async () => {
    const user = await app.gql(getter, '{ user(userName: "member03") { tags { value } permissionsBoundary { arn } } }');
    expect(user.errors).toBeUndefined();
    expect(user.data.user).toEqual({ tags: [{ value: 'level-3' }], permissionsBoundary: { arn: BOUNDARY } });
    const role = await app.gql(getter, '{ role(roleName: "tagged-role") { tags { key } permissionsBoundary { arn } lastUsedDate } }');
    expect(role.errors).toBeUndefined();
    expect(role.data.role.tags).toEqual([{ key: 'secret' }]);
  });

  it('checks each row from the loaded policy set: tags of 30 users cost no more SQL than their names', async () => {
    const query = (fields: string) => `{ users(first: 100, pathPrefix: "/") { edges { node { userName ${fields} } } } }`;
    await app.gql(tagReader, query('')); // warm the caller's cached credential and policies
    const names = await app.counted(tagReader, query(''));
    const tags = await app.counted(tagReader, query('tags { key value }'));
    expect(tags.answer.errors).toBeUndefined();
    expect(tags.answer.data.users.edges.filter((e: any) => e.node.tags.length > 0)).toHaveLength(USERS);
    expect(tags.statements).toBe(names.statements);
  });
});
