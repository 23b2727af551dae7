import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUMMARY_KEYS } from '../../src/iam/account-summary.ts';
import { ACCOUNT_ID, errorFields, startPrincipalsServer, type PrincipalsServer } from './support/principals.ts';

let s: PrincipalsServer;
beforeAll(async () => {
  s = await startPrincipalsServer();
  for (const userName of ['ann', 'ben', 'cat']) await s.root(`mutation($n: String!) { createUser(input: { userName: $n }) { __typename } }`, { n: userName });
}, 60_000);
afterAll(async () => {
  await s?.server.dispose();
});

const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` }, Action: 'sts:AssumeRole' }],
});

const add = (groupName: string, userName: string) =>
  s.root(
    `mutation($g: String!, $u: String!) { addUserToGroup(input: { groupName: $g, userName: $u }) {
      ${errorFields('NoSuchEntity', 'LimitExceeded')}
      ... on AddUserToGroupSuccess { revision user { userName } group { groupName } } } }`,
    { g: groupName, u: userName },
  );

describe('groups and membership over HTTP', () => {
  it('creates a group, refuses a case-insensitive duplicate', async () => {
    const created = await s.root(`mutation { createGroup(input: { groupName: "Devs", path: "/eng/" }) {
      ${errorFields('EntityAlreadyExists')} ... on CreateGroupSuccess { revision group { groupName groupId arn path } } } }`);
    expect(created.createGroup.group).toMatchObject({ groupName: 'Devs', arn: `arn:aws:iam::${ACCOUNT_ID}:group/eng/Devs`, path: '/eng/' });
    expect(created.createGroup.group.groupId).toMatch(/^AGPA/);
    const dup = await s.root(`mutation { createGroup(input: { groupName: "devs" }) { ${errorFields('EntityAlreadyExists')} } }`);
    expect(dup.createGroup).toMatchObject({ __typename: 'EntityAlreadyExists', entityType: 'GROUP', entityName: 'devs' });
    const bad = await s.root(`mutation { createGroup(input: { groupName: "x", path: "/no-trailing" }) { ${errorFields('ValidationError')} } }`);
    expect(bad.createGroup).toMatchObject({ __typename: 'ValidationError', field: 'input.path', rule: 'pattern' });
  });

  it('adds users to a group and lists both directions', async () => {
    expect((await add('Devs', 'ann')).addUserToGroup).toMatchObject({ __typename: 'AddUserToGroupSuccess', user: { userName: 'ann' }, group: { groupName: 'Devs' } });
    await add('devs', 'BEN');
    const group = await s.root(`{ group(groupName: "Devs") { users(first: 1) { edges { node { userName } } pageInfo { hasNextPage endCursor } } } }`);
    expect(group.group.users.edges.map((e: any) => e.node.userName)).toEqual(['ann']);
    expect(group.group.users.pageInfo.hasNextPage).toBe(true);
    const rest = await s.root(`query($a: String) { group(groupName: "Devs") { users(after: $a) { edges { node { userName } } } } }`, {
      a: group.group.users.pageInfo.endCursor,
    });
    expect(rest.group.users.edges.map((e: any) => e.node.userName)).toEqual(['ben']);
    const user = await s.root(`{ user(userName: "ann") { groups { edges { node { groupName } } } } }`);
    expect(user.user.groups.edges).toEqual([{ node: { groupName: 'Devs' } }]);
  });

  it('returns NoSuchEntity for a missing user or group', async () => {
    expect((await add('Devs', 'nobody')).addUserToGroup).toMatchObject({ __typename: 'NoSuchEntity', entityType: 'USER' });
    expect((await add('Nope', 'ann')).addUserToGroup).toMatchObject({ __typename: 'NoSuchEntity', entityType: 'GROUP' });
  });

  it('returns LimitExceeded past 10 groups per user', async () => {
    for (let i = 0; i < 10; i++) {
      await s.root(`mutation($n: String!) { createGroup(input: { groupName: $n }) { __typename } }`, { n: `team${i}` });
      expect((await add(`team${i}`, 'cat')).addUserToGroup.__typename).toBe('AddUserToGroupSuccess');
    }
    expect((await add('Devs', 'cat')).addUserToGroup).toMatchObject({ __typename: 'LimitExceeded', quota: 'GroupsPerUser', limit: 10 });
  });

  it('returns DeleteConflict for a group with members and for a user in a group', async () => {
    const group = await s.root(`mutation { deleteGroup(input: { groupName: "Devs" }) { ${errorFields('DeleteConflict')} } }`);
    expect(group.deleteGroup).toMatchObject({ __typename: 'DeleteConflict', entityType: 'GROUP', entityName: 'Devs' });
    expect(group.deleteGroup.dependents).toContain('2 member(s)');
    const user = await s.root(`mutation { deleteUser(input: { userName: "ann" }) { ${errorFields('DeleteConflict')} } }`);
    expect(user.deleteUser).toMatchObject({ __typename: 'DeleteConflict', entityType: 'USER' });
  });

  it('removes members, renames and deletes the group', async () => {
    for (const u of ['ann', 'ben']) {
      const removed = await s.root(`mutation($u: String!) { removeUserFromGroup(input: { groupName: "Devs", userName: $u }) {
        ${errorFields()} ... on RemoveUserFromGroupSuccess { revision } } }`, { u });
      expect(removed.removeUserFromGroup.revision).toMatch(/^[0-9]+$/);
    }
    const renamed = await s.root(`mutation { updateGroup(input: { groupName: "Devs", newGroupName: "Developers" }) {
      ${errorFields()} ... on UpdateGroupSuccess { group { arn } } } }`);
    expect(renamed.updateGroup.group.arn).toBe(`arn:aws:iam::${ACCOUNT_ID}:group/eng/Developers`);
    const deleted = await s.root(`mutation { deleteGroup(input: { groupName: "developers" }) { ${errorFields()} ... on DeleteGroupSuccess { group { groupName } } } }`);
    expect(deleted.deleteGroup).toMatchObject({ __typename: 'DeleteGroupSuccess', group: { groupName: 'Developers' } });
    const groups = await s.root(`{ groups(pathPrefix: "/eng/") { edges { node { groupName } } } }`);
    expect(groups.groups.edges).toEqual([]);
  });
});

describe('roles over HTTP', () => {
  const CREATE_ROLE = `mutation($input: CreateRoleInput!) { createRole(input: $input) {
    ${errorFields('ValidationError', 'EntityAlreadyExists', 'LimitExceeded', 'NoSuchEntity')}
    ... on MalformedPolicyDocument { field findings { issueCode line column } }
    ... on CreateRoleSuccess { revision trustPolicyFindings { issueCode }
      role { roleName roleId arn description maxSessionDuration assumeRolePolicyDocument tags { key value } } } } }`;

  it('creates a role', async () => {
    const { createRole } = await s.root(CREATE_ROLE, {
      input: { roleName: 'Builder', path: '/ci/', assumeRolePolicyDocument: TRUST, description: 'builds', maxSessionDuration: 7200, tags: [{ key: 'env', value: 'ci' }] },
    });
    expect(createRole.__typename).toBe('CreateRoleSuccess');
    expect(createRole.role).toMatchObject({
      roleName: 'Builder',
      arn: `arn:aws:iam::${ACCOUNT_ID}:role/ci/Builder`,
      description: 'builds',
      maxSessionDuration: 7200,
      assumeRolePolicyDocument: TRUST,
      tags: [{ key: 'env', value: 'ci' }],
    });
  });

  it('returns MalformedPolicyDocument with located findings for a bad trust policy', async () => {
    const { createRole } = await s.root(CREATE_ROLE, { input: { roleName: 'Bad', assumeRolePolicyDocument: '{"Version": "2012-10-17", "Statement": [' } });
    expect(createRole).toMatchObject({ __typename: 'MalformedPolicyDocument', code: 'MALFORMED_POLICY_DOCUMENT', field: 'input.assumeRolePolicyDocument' });
    expect(createRole.findings.length).toBeGreaterThan(0);
    expect(createRole.findings[0].line).toBeGreaterThanOrEqual(1);
  });

  it('returns ValidationError for a session cap out of range, and EntityAlreadyExists in any case', async () => {
    const range = await s.root(CREATE_ROLE, { input: { roleName: 'Long', assumeRolePolicyDocument: TRUST, maxSessionDuration: 50_000 } });
    expect(range.createRole).toMatchObject({ __typename: 'ValidationError', field: 'input.maxSessionDuration', rule: 'range' });
    const dup = await s.root(CREATE_ROLE, { input: { roleName: 'BUILDER', assumeRolePolicyDocument: TRUST } });
    expect(dup.createRole).toMatchObject({ __typename: 'EntityAlreadyExists', entityType: 'ROLE' });
  });

  it('updates, tags, untags, lists and deletes a role', async () => {
    const updated = await s.root(`mutation { updateRole(input: { roleName: "builder", description: "ships", maxSessionDuration: 3600 }) {
      ${errorFields()} ... on UpdateRoleSuccess { role { description maxSessionDuration } } } }`);
    expect(updated.updateRole.role).toEqual({ description: 'ships', maxSessionDuration: 3600 });
    const tagged = await s.root(`mutation { tagRole(input: { roleName: "Builder", tags: [{ key: "ENV", value: "prod" }] }) {
      ${errorFields()} ... on TagRoleSuccess { role { tags { key value } } } } }`);
    expect(tagged.tagRole.role.tags).toEqual([{ key: 'ENV', value: 'prod' }]);
    const untagged = await s.root(`mutation { untagRole(input: { roleName: "Builder", tagKeys: ["env"] }) {
      ${errorFields()} ... on UntagRoleSuccess { role { tags { key } } } } }`);
    expect(untagged.untagRole.role.tags).toEqual([]);
    const roles = await s.root(`{ roles(pathPrefix: "/ci/") { edges { node { roleName } } } role(roleName: "BUILDER") { roleName } }`);
    expect(roles.roles.edges).toEqual([{ node: { roleName: 'Builder' } }]);
    expect(roles.role).toEqual({ roleName: 'Builder' });
    const deleted = await s.root(`mutation { deleteRole(input: { roleName: "Builder" }) { ${errorFields()} ... on DeleteRoleSuccess { role { roleName } } } }`);
    expect(deleted.deleteRole.__typename).toBe('DeleteRoleSuccess');
    const missing = await s.root(`mutation { deleteRole(input: { roleName: "Builder" }) { ${errorFields('NoSuchEntity')} } }`);
    expect(missing.deleteRole).toMatchObject({ __typename: 'NoSuchEntity', entityType: 'ROLE', entityName: 'Builder' });
  });
});

describe('accountSummary over HTTP', () => {
  it('reports usage and quotas as SummaryMap entries', async () => {
    const { accountSummary } = await s.root(`{ accountSummary { accountId summaryMap { key value } users: value(key: USERS) quota: value(key: USERS_QUOTA) } }`);
    expect(accountSummary.accountId).toBe(ACCOUNT_ID);
    expect(accountSummary.users).toBe(3);
    expect(accountSummary.quota).toBe(5000);
    const keys = accountSummary.summaryMap.map((e: any) => e.key);
    // Every key, in the order of AWS's key names (as AWS CLI prints the map).
    expect(keys).toHaveLength(SUMMARY_KEYS.length);
    expect(keys).toEqual(expect.arrayContaining(['GROUPS', 'GROUPS_QUOTA', 'ROLES', 'POLICIES', 'ATTACHED_POLICIES_PER_USER_QUOTA', 'ACCOUNT_ACCESS_KEYS_PRESENT', 'MFA_DEVICES_IN_USE']));
    expect(keys.indexOf('GROUP_POLICY_SIZE_QUOTA')).toBeLessThan(keys.indexOf('GROUPS'));
    // The root user's access key comes from PORTCULLIS_ROOT_ACCESS_KEY.
    expect(accountSummary.summaryMap.find((e: any) => e.key === 'ACCOUNT_ACCESS_KEYS_PRESENT').value).toBe(1);
  });

  it('refuses a key that is not a SummaryKeyType value, AWS spelling included, as a validation error', async () => {
    const { body } = await s.rootRaw(`{ accountSummary { value(key: Users) } }`);
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});
