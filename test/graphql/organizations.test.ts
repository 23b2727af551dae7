/**
 * AWS Organizations over HTTP: the management account builds its tree and guardrails through the
 * API, reaches a new member account through OrganizationAccountAccessRole (as AWS intends), and
 * closing that account stops its credentials at once, cached or not. Lists of accounts and
 * policies with their nested fields cost a fixed number of statements.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/server.ts';
import { ACCOUNT, accessKeyFor, allow, basic, bearer, createUser, errorCode, ok, ROOT, send, startIdentityServer } from '../identity/support/server.ts';

const SCP = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'ec2:*', Resource: '*' }] });

const TREE = `{
  organization { id arn managementAccountId managementAccountEmail featureSet availablePolicyTypes { type status } }
  organizationRoots { id arn name policies { id name type awsManaged } }
}`;

const ACCOUNTS = `query($first: Int!) { organizationAccounts(first: $first) {
  hasNextPage endCursor
  items { id arn name email status state joinedMethod joinedDate isManagementAccount parent { id type } policies { id name type content version } }
} }`;

let server: TestServer;
beforeAll(async () => {
  server = await startIdentityServer({ LOG_LEVEL: 'trace' });
}, 120_000);
afterAll(async () => {
  await server?.dispose();
});

/** A root mutation that must succeed; returns its success object. */
async function write(field: string, input: Record<string, unknown>, selection: string): Promise<Record<string, any>> {
  const type = `${field[0]!.toUpperCase()}${field.slice(1)}Input`;
  const data = await ok(server, ROOT, `mutation($i: ${type}!) { ${field}(input: $i) { __typename ... on ResultError { message } ${selection} } }`, { i: input });
  expect(data[field].__typename, JSON.stringify(data)).toMatch(/Success$/);
  return data[field];
}

/** SQL statements logged for the requests `run` makes (background statements carry no request id). */
async function statementsDuring(run: () => Promise<unknown>): Promise<number> {
  const start = server.logs.length;
  await run();
  return server.logs.slice(start).filter((line) => line['msg'] === 'sql' && typeof line['requestId'] === 'string').length;
}

describe('organizations over HTTP', () => {
  let rootId: string;

  it('shows the organization the bootstrap account manages, with FullAWSAccess and RCPFullAWSAccess on the root', async () => {
    const data = await ok(server, ROOT, TREE);
    expect(data['organization']).toMatchObject({ managementAccountId: ACCOUNT, featureSet: 'ALL', arn: `arn:aws:organizations::${ACCOUNT}:organization/${data['organization'].id}` });
    rootId = data['organizationRoots'][0].id;
    expect(data['organizationRoots'][0]).toMatchObject({ name: 'Root', arn: `arn:aws:organizations::${ACCOUNT}:root/${data['organization'].id}/${rootId}` });
    expect(data['organizationRoots'][0].policies.map((p: any) => p.id).sort()).toEqual(['p-FullAWSAccess', 'p-RCPFullAWSAccess']);
  });

  it('builds OUs, accounts and guardrails, and reads them back', async () => {
    const ou = (await write('createOrganizationalUnit', { parentId: rootId, name: 'Workloads' }, '... on CreateOrganizationalUnitSuccess { organizationalUnit { id name parent { id type } } }'))['organizationalUnit'];
    expect(ou.parent).toEqual({ id: rootId, type: 'ROOT' });
    const created = await write('createAccount', { accountName: 'Prod', email: 'prod@example.com' }, '... on CreateAccountSuccess { roleArn account { id state joinedMethod parent { id } } }');
    expect(created['account']).toMatchObject({ state: 'ACTIVE', joinedMethod: 'CREATED', parent: { id: rootId } });
    const accountId = created['account'].id as string;
    await write('moveAccount', { accountId, sourceParentId: rootId, destinationParentId: ou.id }, '... on MoveAccountSuccess { account { parent { id } } }');
    const policy = (await write('createOrganizationPolicy', { name: 'NoEc2', type: 'SERVICE_CONTROL_POLICY', content: SCP }, '... on CreateOrganizationPolicySuccess { policy { id arn version } }'))['policy'];
    expect(policy.arn).toMatch(new RegExp(`^arn:aws:organizations::${ACCOUNT}:policy/o-[a-z0-9]+/service_control_policy/${policy.id}$`));
    await write('attachOrganizationPolicy', { policyId: policy.id, targetId: ou.id }, '... on AttachOrganizationPolicySuccess { warnings }');

    const read = await ok(
      server,
      ROOT,
      `query($ou: String!, $p: String!) {
        organizationalUnitsForParent(parentId: "${rootId}") { items { id name } }
        organizationChildren(parentId: $ou, childType: ACCOUNT) { items { id type } }
        organizationParents(childId: "${accountId}") { id type }
        organizationPoliciesForTarget(targetId: $ou, filter: SERVICE_CONTROL_POLICY) { items { name content versions { versionNumber } } }
        organizationPolicyTargets(policyId: $p) { items { targetId name type } }
      }`,
      { ou: ou.id, p: policy.id },
    );
    expect(read['organizationalUnitsForParent'].items).toEqual([{ id: ou.id, name: 'Workloads' }]);
    expect(read['organizationChildren'].items).toEqual([{ id: accountId, type: 'ACCOUNT' }]);
    expect(read['organizationParents']).toEqual([{ id: ou.id, type: 'ORGANIZATIONAL_UNIT' }]);
    expect(read['organizationPoliciesForTarget'].items.map((p: any) => p.name).sort()).toEqual(['FullAWSAccess', 'NoEc2']);
    expect(read['organizationPolicyTargets'].items).toEqual([{ targetId: ou.id, name: 'Workloads', type: 'ORGANIZATIONAL_UNIT' }]);

    const last = await ok(server, ROOT, `mutation { detachOrganizationPolicy(input: { policyId: "p-FullAWSAccess", targetId: "${ou.id}" }) { __typename ... on DetachOrganizationPolicySuccess { warnings } } }`);
    expect(last['detachOrganizationPolicy'].warnings).toEqual([]);
    const management = await ok(server, ROOT, `mutation { closeAccount(input: { accountId: "${ACCOUNT}" }) { __typename ... on ConstraintViolation { reason code } } }`);
    expect(management["closeAccount"]).toEqual({ __typename: 'ConstraintViolation', reason: 'MASTER_ACCOUNT_CANNOT_BE_CLOSED', code: 'CONSTRAINT_VIOLATION' });
  });

  it('lists accounts with their parents and policies in a fixed number of statements', async () => {
    for (let i = 0; i < 6; i++) await write('createAccount', { accountName: `Batch${i}`, email: `batch${i}@example.com` }, '');
    const { changes, database } = server.running.app;
    expect(await changes.bus.waitForRevision(database.commits.highest, 10_000)).toBe(true);
    await ok(server, ROOT, ACCOUNTS, { first: 2 });
    let small: any;
    let large: any;
    const smallCount = await statementsDuring(async () => (small = await ok(server, ROOT, ACCOUNTS, { first: 2 })));
    const largeCount = await statementsDuring(async () => (large = await ok(server, ROOT, ACCOUNTS, { first: 8 })));
    expect(small['organizationAccounts'].items).toHaveLength(2);
    expect(large['organizationAccounts'].items).toHaveLength(8);
    expect(large['organizationAccounts'].items.every((a: any) => a.policies.length >= 1 && a.policies.every((p: any) => p.content.length > 0))).toBe(true);
    expect(smallCount).toBeGreaterThan(0);
    expect(largeCount).toBe(smallCount);
  });
});

describe('a member account reached through OrganizationAccountAccessRole', () => {
  it('works through the role, is refused the organization API, and stops authenticating once closed', async () => {
    const created = await write('createAccount', { accountName: 'Team', email: 'team@example.com' }, '... on CreateAccountSuccess { roleArn account { id } }');
    const memberId = created['account'].id as string;
    // An administrator of the management account assumes the role the new account trusts it with.
    await createUser(server, 'admin', allow('sts:AssumeRole', created['roleArn']));
    const admin = await accessKeyFor(server, 'admin');
    const assumed = await ok(server, admin.header, `mutation { assumeRole(input: { roleArn: "${created['roleArn']}", roleSessionName: "setup" }) { __typename ... on AssumeRoleSuccess { credentials { sessionToken } } ... on ResultError { message } } }`);
    expect(assumed['assumeRole'].__typename, JSON.stringify(assumed)).toBe('AssumeRoleSuccess');
    const session = bearer(assumed['assumeRole'].credentials.sessionToken);
    expect((await ok(server, session, '{ callerIdentity { account } }'))['callerIdentity'].account).toBe(memberId);

    // The role administers the member account's own IAM: a user with a key there.
    const user = await ok(server, session, 'mutation { createUser(input: { userName: "dev" }) { __typename } createAccessKey(input: { userName: "dev" }) { ... on CreateAccessKeySuccess { secretAccessKey accessKey { accessKeyId } } } }');
    const key = basic(user['createAccessKey'].accessKey.accessKeyId, user['createAccessKey'].secretAccessKey);
    expect((await ok(server, key, '{ callerIdentity { account } }'))['callerIdentity'].account).toBe(memberId);

    // Members may describe their organization, and nothing else of it.
    expect((await ok(server, session, '{ organization { managementAccountId } }'))['organization'].managementAccountId).toBe(ACCOUNT);
    const refused = await send(server, session, '{ organizationAccounts { items { id } } }');
    expect(errorCode(refused)).toBe('ACCESS_DENIED');
    const write2 = await send(server, session, `mutation { closeAccount(input: { accountId: "${memberId}" }) { __typename } }`);
    expect(errorCode(write2)).toBe('ACCESS_DENIED');

    // Closing: the cached key and the session are refused on the next request.
    const closed = await write('closeAccount', { accountId: memberId }, '... on CloseAccountSuccess { account { state } }');
    expect(closed['account'].state).toBe('PENDING_CLOSURE');
    const { changes, database } = server.running.app;
    expect(await changes.bus.waitForRevision(database.commits.highest, 10_000)).toBe(true);
    for (const credential of [key, session]) {
      const after = await send(server, credential, '{ callerIdentity { account } }');
      expect(after.status).toBe(401);
      expect(errorCode(after)).toBe('UNAUTHENTICATED');
    }
    // The data is kept.
    const described = await ok(server, ROOT, `{ organizationAccount(accountId: "${memberId}") { state closedDate } }`);
    expect(described['organizationAccount'].state).toBe('PENDING_CLOSURE');
  });
});

describe('account aliases over HTTP', () => {
  it('creates, lists and deletes the alias, and sign-in accepts it', async () => {
    await write('createAccountAlias', { accountAlias: 'example-corp' }, '... on CreateAccountAliasSuccess { accountAlias }');
    expect((await ok(server, ROOT, '{ accountAliases }'))['accountAliases']).toEqual(['example-corp']);
    const signIn = await ok(server, undefined, 'mutation { signIn(input: { account: "example-corp", userName: "root", password: "Root-Password-123!" }) { __typename } }');
    expect(signIn['signIn'].__typename).toBe('SignInSuccess');
    await write('deleteAccountAlias', { accountAlias: 'example-corp' }, '');
    expect((await ok(server, ROOT, '{ accountAliases }'))['accountAliases']).toEqual([]);
  });
});
