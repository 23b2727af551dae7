/**
 * Batching, proved by counting SQL: 100 users, each in groups, each group with attached policies,
 * each policy's default version, each user with an access key and an inline policy — the GraphQL
 * read, and `nodes(ids:)` over them, costs a fixed number of statements, the same for 10 users as
 * for 100 (STYLE.md 9). Runs in process through yoga.fetch with the root key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { attachPolicy } from '../../src/iam/attachments.ts';
import { bootstrapAccount, rootArn } from '../../src/iam/bootstrap.ts';
import { addUserToGroup } from '../../src/iam/group-membership.ts';
import { createGroup } from '../../src/iam/groups.ts';
import { createPolicy } from '../../src/iam/policies.ts';
import { ensureBuiltInPolicies } from '../../src/iam/seeds.ts';
import { createUser } from '../../src/iam/users.ts';
import { accessKeys, inlinePolicies } from '../../src/db/schema/index.ts';
import { newUniqueId } from '../../src/iam/ids.ts';
import { createApp, type App } from '../../src/server/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { openTestDatabase } from '../support/database.ts';

const ACCOUNT = '111122223333';
const KEY = { accessKeyId: 'AKIABATCHINGTEST0001', secret: 'batching-test-secret-0123456789' };
const AUTH = `Basic ${Buffer.from(`${KEY.accessKeyId}:${KEY.secret}`).toString('base64')}`;

const QUERY = `query ($first: Int!) {
  users(first: $first) {
    edges { node { userName
      groups { edges { node { groupName
        attachedPolicies { policyName policy { defaultVersionId defaultVersion { document } attachmentCount } }
      } } }
      attachedPolicies { policyName }
      inlinePolicies { policyName }
      permissionsBoundary { policyName }
      accessKeys { accessKeyId user { userName } }
      mfaDevices { serialNumber }
      loginProfile { createDate }
    } }
  }
}`;

let database: Database;
let cleanup: () => Promise<void>;
let app: App;
const statements: string[] = [];

async function gql(query: string, variables: Record<string, unknown>) {
  const response = await app.yoga.fetch('http://yoga/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: AUTH },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: any; errors?: unknown[] };
}

beforeAll(async () => {
  ({ database, cleanup } = await openTestDatabase({ onQuery: (sql) => statements.push(sql) }));
  await bootstrapAccount(database, { accountId: ACCOUNT, rootAccessKey: KEY, rootPassword: 'batching-password-1' });
  await ensureBuiltInPolicies(database, ACCOUNT);
  const actor = { accountId: ACCOUNT, arn: rootArn(ACCOUNT) };
  const policyArns: string[] = ['arn:aws:iam::aws:policy/ReadOnlyAccess'];
  for (let i = 0; i < 4; i++) {
    const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: `s3:Get${i}`, Resource: '*' }] });
    policyArns.push((await createPolicy(database, actor, { policyName: `Batch${i}`, policyDocument: doc })).result.policy.arn);
  }
  for (let g = 0; g < 5; g++) {
    await createGroup(database, actor, { groupName: `Group${g}` });
    await attachPolicy(database, actor, 'group', { principalName: `Group${g}`, policyArn: policyArns[g]! });
    await attachPolicy(database, actor, 'group', { principalName: `Group${g}`, policyArn: policyArns[(g + 1) % 5]! });
  }
  for (let u = 0; u < 100; u++) {
    const userName = `user${String(u).padStart(3, '0')}`;
    const { result: user } = await createUser(database, actor, { userName });
    // Credentials and an inline policy written directly: only the reads below are measured.
    await database.db.insert(accessKeys).values({ id: newUniqueId('accessKey'), userId: user.id, secretHash: 'unused' });
    await database.db.insert(inlinePolicies).values({ principalKind: 'user', userId: user.id, name: 'Own', document: '{"Version":"2012-10-17","Statement":[]}' });
    await addUserToGroup(database, actor, { groupName: `Group${u % 5}`, userName });
    await addUserToGroup(database, actor, { groupName: `Group${(u + 2) % 5}`, userName });
  }
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: 'memory://unused' });
  app = createApp(config, database, { logger: createLogger('silent') });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await cleanup?.();
});

/**
 * Statements one query sends. A warm-up request first fills what outlives a request (the
 * authenticated caller and its compiled policies are cached across requests).
 */
async function countStatements(first: number): Promise<{ count: number; data: any }> {
  await gql(QUERY, { first: 1 });
  statements.length = 0;
  const result = await gql(QUERY, { first });
  expect(result.errors).toBeUndefined();
  return { count: statements.length, data: result.data };
}

describe('policy fields batch through loaders', () => {
  it('answers 100 users with groups, attached policies, default versions and credentials in a fixed number of statements', async () => {
    const small = await countStatements(10);
    const large = await countStatements(100);
    expect(large.data.users.edges).toHaveLength(100);
    const first = large.data.users.edges[0].node;
    expect(first.groups.edges).toHaveLength(2);
    const policy = first.groups.edges[0].node.attachedPolicies[0].policy;
    expect(policy.defaultVersionId).toBe('v1');
    expect(policy.defaultVersion.document).toContain('"Effect"');
    // users, groups of users, attached policies of groups, default versions, usage counts (2),
    // the users' own attached and inline policies, access keys, the keys' users and MFA devices
    // (login profiles are on the user row): the same eleven for 10 users or 100.
    expect(large.count).toBe(small.count);
    expect(large.count).toBeLessThanOrEqual(11);
  });
});

describe('node(id:) batches by type', () => {
  const IDS = `query ($first: Int!) { users(first: $first) { edges { node { id accessKeys { id } loginProfile { id } inlinePolicies { id } } } } }`;
  const NODES = `query ($ids: [ID!]!) { nodes(ids: $ids) { __typename
    ... on AccessKey { accessKeyId user { userName } }
    ... on InlinePolicy { policyName owner { arn } }
    ... on User { userName } } }`;

  /** Statements `nodes(ids:)` sends for the access keys, inline policies and users of the first `first` users. */
  async function countNodes(first: number): Promise<{ count: number; nodes: any[] }> {
    const users = (await gql(IDS, { first })).data.users.edges.map((e: any) => e.node);
    const ids = users.flatMap((u: any) => [u.id, u.accessKeys[0].id, u.inlinePolicies[0].id]);
    await gql(NODES, { ids: ids.slice(0, 3) });
    statements.length = 0;
    const result = await gql(NODES, { ids });
    expect(result.errors).toBeUndefined();
    return { count: statements.length, nodes: result.data.nodes };
  }

  it('resolves 300 objects of three types in as many statements as 30', async () => {
    const small = await countNodes(10);
    const large = await countNodes(100);
    expect(large.nodes).toHaveLength(300);
    expect(large.nodes.slice(0, 3)).toEqual([
      { __typename: 'User', userName: 'user000' },
      { __typename: 'AccessKey', accessKeyId: expect.stringMatching(/^AKIA/), user: { userName: 'user000' } },
      { __typename: 'InlinePolicy', policyName: 'Own', owner: { arn: `arn:aws:iam::${ACCOUNT}:user/user000` } },
    ]);
    expect(large.count).toBe(small.count);
  });
});
