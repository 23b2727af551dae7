import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_ID, credentialsFor, errorFields, startPrincipalsServer, type PrincipalsServer } from './support/principals.ts';

let s: PrincipalsServer;
beforeAll(async () => {
  s = await startPrincipalsServer();
}, 60_000);
afterAll(async () => {
  await s?.server.dispose();
});

const CREATE_USER = `mutation($input: CreateUserInput!) {
  createUser(input: $input) {
    ${errorFields('ValidationError', 'EntityAlreadyExists', 'NoSuchEntity', 'LimitExceeded')}
    ... on CreateUserSuccess { revision user { id userId userName arn path createDate tags { key value } } }
  }
}`;

describe('createUser over HTTP', () => {
  it('creates a user and returns it with the revision', async () => {
    const data = await s.root(CREATE_USER, { input: { userName: 'alice', path: '/engineering/', tags: [{ key: 'team', value: 'core' }] } });
    const result = data.createUser;
    expect(result.__typename).toBe('CreateUserSuccess');
    expect(result.revision).toMatch(/^[0-9]+$/);
    expect(result.user).toMatchObject({
      userName: 'alice',
      path: '/engineering/',
      arn: `arn:aws:iam::${ACCOUNT_ID}:user/engineering/alice`,
      tags: [{ key: 'team', value: 'core' }],
    });
    expect(result.user.userId).toMatch(/^AIDA/);
    expect(Number.isNaN(Date.parse(result.user.createDate))).toBe(false);
    // The global id refetches the same user through Query.node.
    const node = await s.root(`query($id: ID!) { node(id: $id) { ... on User { userName } } }`, { id: result.user.id });
    expect(node.node).toEqual({ userName: 'alice' });
  });

  it('returns ValidationError naming the field and rule', async () => {
    const { createUser } = await s.root(CREATE_USER, { input: { userName: 'bad name' } });
    expect(createUser).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION_ERROR', field: 'input.userName', rule: 'pattern' });
    expect(createUser.message).toContain('"bad name"');
    const tagged = await s.root(CREATE_USER, { input: { userName: 'ok', tags: [{ key: 'aws:reserved', value: 'x' }] } });
    expect(tagged.createUser).toMatchObject({ __typename: 'ValidationError', field: 'input.tags[0].key', rule: 'reserved' });
  });

  it('returns EntityAlreadyExists for a name differing only in case', async () => {
    const { createUser } = await s.root(CREATE_USER, { input: { userName: 'ALICE' } });
    expect(createUser).toMatchObject({ __typename: 'EntityAlreadyExists', code: 'ENTITY_ALREADY_EXISTS', entityType: 'USER', entityName: 'ALICE' });
    expect(createUser.message).toBe("user 'ALICE' already exists");
  });

  it('returns NoSuchEntity for a permissions boundary that does not exist', async () => {
    const { createUser } = await s.root(CREATE_USER, {
      input: { userName: 'bounded', permissionsBoundary: `arn:aws:iam::${ACCOUNT_ID}:policy/Missing` },
    });
    expect(createUser).toMatchObject({ __typename: 'NoSuchEntity', entityType: 'POLICY' });
  });
});

describe('reads', () => {
  beforeAll(async () => {
    for (const [userName, path] of [
      ['bob', '/engineering/'],
      ['carol', '/sales/'],
      ['dave', '/'],
      ['erin', '/engineering/'],
    ]) {
      await s.root(CREATE_USER, { input: { userName, path } });
    }
  });

  const USERS = `query($first: Int, $after: String, $pathPrefix: String) {
    users(first: $first, after: $after, pathPrefix: $pathPrefix) {
      edges { cursor node { userName } }
      pageInfo { hasNextPage endCursor }
    }
  }`;

  it('finds a user by name in any case, and null for none', async () => {
    expect((await s.root(`{ user(userName: "BOB") { userName path } }`)).user).toEqual({ userName: 'bob', path: '/engineering/' });
    expect((await s.root(`{ user(userName: "nobody") { userName } }`)).user).toBeNull();
  });

  it('pages forward with first/after and filters by path prefix', async () => {
    const page1 = (await s.root(USERS, { first: 2 })).users;
    expect(page1.edges.map((e: any) => e.node.userName)).toEqual(['alice', 'bob']);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = (await s.root(USERS, { first: 2, after: page1.pageInfo.endCursor })).users;
    expect(page2.edges.map((e: any) => e.node.userName)).toEqual(['carol', 'dave']);
    const page3 = (await s.root(USERS, { first: 2, after: page2.pageInfo.endCursor })).users;
    expect(page3.edges.map((e: any) => e.node.userName)).toEqual(['erin']);
    expect(page3.pageInfo.hasNextPage).toBe(false);
    const engineering = (await s.root(USERS, { pathPrefix: '/engineering/' })).users;
    expect(engineering.edges.map((e: any) => e.node.userName)).toEqual(['alice', 'bob', 'erin']);
  });

  it('reports bad list arguments as VALIDATION_ERROR naming the argument', async () => {
    const response = await s.rootRaw(USERS, { after: 'not-a-cursor' });
    expect(response.body.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_ERROR', field: 'after', rule: 'cursor' });
    const prefix = await s.rootRaw(USERS, { pathPrefix: 'engineering' });
    expect(prefix.body.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_ERROR', field: 'pathPrefix' });
  });
});

describe('updateUser, tagUser, untagUser, deleteUser', () => {
  it('renames and moves a user', async () => {
    const { updateUser } = await s.root(
      `mutation { updateUser(input: { userName: "dave", newUserName: "David", newPath: "/ops/" }) {
        ${errorFields()} ... on UpdateUserSuccess { revision user { userName arn } } } }`,
    );
    expect(updateUser.user).toEqual({ userName: 'David', arn: `arn:aws:iam::${ACCOUNT_ID}:user/ops/David` });
    const clash = await s.root(`mutation { updateUser(input: { userName: "David", newUserName: "Alice" }) { ${errorFields('EntityAlreadyExists')} } }`);
    expect(clash.updateUser).toMatchObject({ __typename: 'EntityAlreadyExists' });
  });

  it('tags and untags, keys case-insensitive', async () => {
    const tagged = await s.root(
      `mutation { tagUser(input: { userName: "bob", tags: [{ key: "Team", value: "a" }, { key: "cost", value: "7" }] }) {
        ${errorFields()} ... on TagUserSuccess { user { tags { key value } } } } }`,
    );
    expect(tagged.tagUser.user.tags).toEqual([
      { key: 'Team', value: 'a' },
      { key: 'cost', value: '7' },
    ]);
    const untagged = await s.root(
      `mutation { untagUser(input: { userName: "bob", tagKeys: ["team"] }) { ${errorFields()} ... on UntagUserSuccess { user { tags { key } } } } }`,
    );
    expect(untagged.untagUser.user.tags).toEqual([{ key: 'cost' }]);
  });

  it('refuses more than 50 tags with LimitExceeded', async () => {
    const first = Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    await s.root(`mutation($tags: [TagInput!]!) { tagUser(input: { userName: "erin", tags: $tags }) { __typename } }`, { tags: first });
    const { tagUser } = await s.root(`mutation { tagUser(input: { userName: "erin", tags: [{ key: "more", value: "v" }] }) { ${errorFields('LimitExceeded')} } }`);
    expect(tagUser).toMatchObject({ __typename: 'LimitExceeded', quota: 'TagsPerEntity', limit: 50 });
  });

  it('returns NoSuchEntity for a missing user', async () => {
    const { deleteUser } = await s.root(`mutation { deleteUser(input: { userName: "ghost" }) { ${errorFields('NoSuchEntity')} } }`);
    expect(deleteUser).toMatchObject({ __typename: 'NoSuchEntity', entityType: 'USER', entityName: 'ghost' });
  });

  it('deletes a user without dependents', async () => {
    const { deleteUser } = await s.root(
      `mutation { deleteUser(input: { userName: "carol" }) { ${errorFields()} ... on DeleteUserSuccess { revision user { userName } } } }`,
    );
    expect(deleteUser).toMatchObject({ __typename: 'DeleteUserSuccess', user: { userName: 'carol' } });
    expect((await s.root(`{ user(userName: "carol") { userName } }`)).user).toBeNull();
  });
});

describe('self-authorization', () => {
  it('denies a user without permission, naming the action, and allows what its policy grants', async () => {
    const limited = await s.root(CREATE_USER, { input: { userName: 'limited' } });
    const headers = await credentialsFor(s.server, limited.createUser.user.userId, {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: `arn:aws:iam::${ACCOUNT_ID}:user/engineering/*` }],
    });
    const denied = await s.server.gql<any>(`mutation { createUser(input: { userName: "sneaky" }) { __typename ... on AccessDenied { code action message } } }`, undefined, headers);
    expect(denied.body.errors).toBeUndefined();
    expect(denied.body.data.createUser).toMatchObject({ __typename: 'AccessDenied', code: 'ACCESS_DENIED', action: 'iam:CreateUser' });
    expect(denied.body.data.createUser.message).toContain('iam:CreateUser');
    const list = await s.server.gql(`{ users { edges { node { userName } } } }`, undefined, headers);
    expect(list.body.errors?.[0]?.extensions).toMatchObject({ code: 'ACCESS_DENIED', action: 'iam:ListUsers' });
    // Allowed on /engineering/ users, denied on others.
    const bob = await s.server.gql<any>(`{ user(userName: "bob") { userName } }`, undefined, headers);
    expect(bob.body.data?.user).toEqual({ userName: 'bob' });
    const david = await s.server.gql(`{ user(userName: "David") { userName } }`, undefined, headers);
    // Decided on user/ops/David, but named without the path the caller may not read (issue 13).
    expect(david.body.errors?.[0]?.extensions).toMatchObject({ code: 'ACCESS_DENIED', resource: `arn:aws:iam::${ACCOUNT_ID}:user/David` });
    // A user's groups are a separate action (iam:ListGroupsForUser) that the policy does not grant.
    const groups = await s.server.gql(`{ user(userName: "bob") { groups { edges { node { groupName } } } } }`, undefined, headers);
    expect(groups.body.errors?.[0]?.extensions).toMatchObject({ code: 'ACCESS_DENIED', action: 'iam:ListGroupsForUser' });
    const sneaky = await s.root(`{ user(userName: "sneaky") { userName } }`);
    expect(sneaky.user).toBeNull();
  });

  it('rejects a request without credentials as UNAUTHENTICATED', async () => {
    const response = await s.server.gql(`{ users { edges { cursor } } }`);
    expect(response.status).toBe(401);
    expect(response.body.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
