/**
 * The organization API is the management account's alone: a principal of a member account — even
 * one allowed everything there — and the root of a standalone account are refused every
 * Organizations operation but DescribeOrganization (members only). Lists are bounded, and bad input
 * is a typed error that changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tables from '../../src/db/schema/index.ts';
import { bootstrapAccount, rootArn } from '../../src/iam/bootstrap.ts';
import { createOrganization } from '../../src/iam/organizations/bootstrap.ts';
import { createOrganizationalUnit } from '../../src/iam/organizations/units.ts';
import type { TestServer } from '../support/server.ts';
import { accessKeyFor, allow, basic, bearer, createUser, errorCode, ok, ROOT, send, startIdentityServer } from '../identity/support/server.ts';
import { ROWS, SCP_DOC, type Fixtures, type OrganizationFixtures } from './support/operation-table.ts';

const STANDALONE = '444455556666';
const STANDALONE_ROOT = basic('AKIAORGSECSTANDALONE', 'organizations-security-standalone-secret-0123');

let server: TestServer;
let org: OrganizationFixtures;
let member: string;
let foreignOuId: string;

/** A root mutation's result object. */
async function rootMutation(field: string, input: Record<string, unknown>, selection = ''): Promise<Record<string, any>> {
  const type = `${field[0]!.toUpperCase()}${field.slice(1)}Input`;
  const data = await ok(server, ROOT, `mutation($i: ${type}!) { ${field}(input: $i) { __typename ... on ResultError { code message } ${selection} } }`, { i: input });
  return data[field];
}

beforeAll(async () => {
  server = await startIdentityServer();
  const rootId: string = (await ok(server, ROOT, '{ organizationRoots { id } }'))['organizationRoots'][0].id;
  const ou = async (name: string) => (await rootMutation('createOrganizationalUnit', { parentId: rootId, name }, '... on CreateOrganizationalUnitSuccess { organizationalUnit { id } }'))['organizationalUnit'].id as string;
  const account = async (name: string) =>
    (await rootMutation('createAccount', { accountName: name, email: `${name.toLowerCase()}@example.com` }, '... on CreateAccountSuccess { roleArn account { id } }')) as { roleArn: string; account: { id: string } };
  const scp = async (name: string) => (await rootMutation('createOrganizationPolicy', { name, type: 'SERVICE_CONTROL_POLICY', content: SCP_DOC }, '... on CreateOrganizationPolicySuccess { policy { id } }'))['policy'].id as string;
  const kept = await account('Member');
  org = {
    rootId,
    ouId: await ou('Kept'),
    doomedOuId: await ou('DoomedOu'),
    accountId: kept.account.id,
    closeAccountId: (await account('Closing')).account.id,
    moveAccountId: (await account('Moving')).account.id,
    policyId: await scp('Kept'),
    doomedPolicyId: await scp('DoomedScp'),
  };
  await rootMutation('attachOrganizationPolicy', { policyId: org.policyId, targetId: org.ouId });
  await rootMutation('createOrganizationalUnit', { parentId: org.ouId, name: 'Inner' });
  // A principal of the member account allowed everything there (AdministratorAccess through the role).
  await createUser(server, 'admin', allow('sts:AssumeRole', kept.roleArn));
  const admin = await accessKeyFor(server, 'admin');
  const assumed = await ok(server, admin.header, `mutation { assumeRole(input: { roleArn: "${kept.roleArn}", roleSessionName: "member" }) { ... on AssumeRoleSuccess { credentials { sessionToken } } } }`);
  member = bearer(assumed['assumeRole'].credentials.sessionToken);
  // A standalone account that manages an organization of its own.
  const database = server.running.app.database;
  await bootstrapAccount(database, { accountId: STANDALONE, rootAccessKey: { accessKeyId: 'AKIAORGSECSTANDALONE', secret: 'organizations-security-standalone-secret-0123' } });
  const { result: foreign } = await createOrganization(database, STANDALONE);
  foreignOuId = (await createOrganizationalUnit(database, { accountId: STANDALONE, arn: rootArn(STANDALONE) }, { parentId: foreign.rootId, name: 'Foreign' })).result.id;
}, 120_000);
afterAll(async () => {
  await server?.dispose();
});

/** Rows of the operation table that are AWS Organizations operations. */
const ORGANIZATION_ROWS = ROWS.filter((row) => row.access.kind === 'iam' && row.access.checks.some((c) => c.action.startsWith('organizations:')));

describe('member accounts', () => {
  it.each(ORGANIZATION_ROWS.filter((r) => r.field !== 'Query.organization').map((r) => [r.field, r] as const))('refuses %s to a member-account administrator', async (_name, row) => {
    const before = await organizationTables();
    const response = await send(server, member, row.query, row.variables?.({ org } as unknown as Fixtures));
    expect(errorCode(response), JSON.stringify(response.body).slice(0, 300)).toBe('ACCESS_DENIED');
    expect(await organizationTables()).toEqual(before);
  });

  it('lets a member describe its organization, and another organization sees its own', async () => {
    expect((await ok(server, member, '{ organization { managementAccountId } }'))['organization']).toEqual({ managementAccountId: '111122223333' });
    expect((await ok(server, STANDALONE_ROOT, '{ organization { managementAccountId } }'))['organization']).toEqual({ managementAccountId: STANDALONE });
  });

  it('shows a standalone account no organization and refuses it the API', async () => {
    await bootstrapAccount(server.running.app.database, { accountId: '777788889999', rootAccessKey: { accessKeyId: 'AKIAORGSECALONE00001', secret: 'organizations-security-alone-secret-0123456' } });
    const alone = basic('AKIAORGSECALONE00001', 'organizations-security-alone-secret-0123456');
    expect(await ok(server, alone, '{ organization { id } }')).toEqual({ organization: null });
    expect(errorCode(await send(server, alone, '{ organizationRoots { id } }'))).toBe('ACCESS_DENIED');
    expect(errorCode(await send(server, alone, 'mutation { createAccount(input: { accountName: "X", email: "x@example.com" }) { __typename } }'))).toBe('ACCESS_DENIED');
  });

  it("keeps another organization's management account out of this one", async () => {
    const response = await send(server, STANDALONE_ROOT, `{ organizationAccount(accountId: "${org.accountId}") { id } }`);
    // It manages its own organization, where no such account exists.
    expect(response.body.data).toEqual({ organizationAccount: null });
    const close = await send(server, STANDALONE_ROOT, `mutation { closeAccount(input: { accountId: "${org.accountId}" }) { __typename } }`);
    expect((close.body.data as any).closeAccount.__typename).toBe('NoSuchEntity');
  });
});

/** Every organization row and the accounts, as JSON, to prove a refused or bad call changed nothing. */
async function organizationTables(): Promise<string> {
  const db = server.running.app.database.db;
  return JSON.stringify([
    await db.select().from(tables.accounts).orderBy(tables.accounts.id),
    await db.select().from(tables.organizationalUnits).orderBy(tables.organizationalUnits.id),
    await db.select().from(tables.organizationPolicies).orderBy(tables.organizationPolicies.id),
    await db.select().from(tables.organizationPolicyVersions).orderBy(tables.organizationPolicyVersions.policyId, tables.organizationPolicyVersions.versionNumber),
    await db.select().from(tables.organizationPolicyAttachments).orderBy(tables.organizationPolicyAttachments.policyId, tables.organizationPolicyAttachments.targetId),
  ]);
}

describe('bounded lists', () => {
  it.each(['organizationAccounts', `organizationAccountsForParent(parentId: "ROOT", `, 'organizationPolicies(filter: SERVICE_CONTROL_POLICY, '])('refuses more than 1,000 items: %s', async (call) => {
    const text = call.includes('(') ? `${call.replace('ROOT', org.rootId)}first: 1001)` : `${call}(first: 1001)`;
    const response = await send(server, ROOT, `{ ${text} { hasNextPage } }`);
    expect(errorCode(response)).toBe('VALIDATION_ERROR');
  });
});

describe('bad input changes nothing', () => {
  const principalScp = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' }] });
  const cases: Array<[string, () => [string, Record<string, unknown>], string]> = [
    ['a parent that is not an id', () => ['createOrganizationalUnit', { parentId: 'r-', name: 'X' }], 'VALIDATION_ERROR'],
    ['closing the management account', () => ['closeAccount', { accountId: '111122223333' }], 'CONSTRAINT_VIOLATION'],
    ['an SCP with a Principal', () => ['createOrganizationPolicy', { name: 'P', type: 'SERVICE_CONTROL_POLICY', content: principalScp }], 'MALFORMED_POLICY_DOCUMENT'],
    ['content over 5,120 characters', () => ['createOrganizationPolicy', { name: 'Long', type: 'SERVICE_CONTROL_POLICY', content: SCP_DOC.replace('{', `{${' '.repeat(5120)}`) }], 'LIMIT_EXCEEDED'],
    ['a move from the wrong parent', () => ['moveAccount', { accountId: org.moveAccountId, sourceParentId: org.ouId, destinationParentId: org.doomedOuId }], 'CONSTRAINT_VIOLATION'],
    ["a move into another organization's OU", () => ['moveAccount', { accountId: org.moveAccountId, sourceParentId: org.rootId, destinationParentId: foreignOuId }], 'CONSTRAINT_VIOLATION'],
    ['detaching RCPFullAWSAccess', () => ['detachOrganizationPolicy', { policyId: 'p-RCPFullAWSAccess', targetId: org.rootId }], 'CONSTRAINT_VIOLATION'],
    ['deleting a policy in use', () => ['deleteOrganizationPolicy', { policyId: org.policyId }], 'DELETE_CONFLICT'],
    ['deleting an OU that is not empty', () => ['deleteOrganizationalUnit', { organizationalUnitId: org.ouId }], 'DELETE_CONFLICT'],
    ['a duplicate email', () => ['createAccount', { accountName: 'Again', email: 'MEMBER@example.com' }], 'ENTITY_ALREADY_EXISTS'],
    ['an alias of bad characters', () => ['createAccountAlias', { accountAlias: 'Not_Valid' }], 'VALIDATION_ERROR'],
  ];
  it.each(cases)('%s', async (_name, make, code) => {
    const [field, input] = make();
    const before = await organizationTables();
    const result = await rootMutation(field, input);
    expect(result['code'], JSON.stringify(result)).toBe(code);
    expect(await organizationTables()).toEqual(before);
  });

  it('refuses a sixth SCP on a target, changing nothing', async () => {
    for (let i = 0; i < 3; i++) {
      const id = (await rootMutation('createOrganizationPolicy', { name: `Fill${i}`, type: 'SERVICE_CONTROL_POLICY', content: SCP_DOC }, '... on CreateOrganizationPolicySuccess { policy { id } }'))['policy'].id;
      expect((await rootMutation('attachOrganizationPolicy', { policyId: id, targetId: org.ouId }))['__typename']).toBe('AttachOrganizationPolicySuccess');
    }
    const before = await organizationTables();
    const result = await rootMutation('attachOrganizationPolicy', { policyId: org.doomedPolicyId, targetId: org.ouId }, '... on LimitExceeded { quota limit }');
    expect(result).toMatchObject({ __typename: 'LimitExceeded', quota: 'PoliciesPerTarget', limit: 5 });
    expect(await organizationTables()).toEqual(before);
  });
});
