/**
 * The fixtures of every-operation.test.ts, shared with account-isolation.test.ts: the users,
 * groups, roles, policies, credentials, providers, services and resources the rows of
 * operation-table.ts act on, created as the bootstrap account's root, and a snapshot of every
 * directory table (a refused call must leave each row exactly as it was).
 */
import * as tables from '../../../src/db/schema/index.ts';
import type { Database } from '../../../src/db/client.ts';
import { base32Decode } from '../../../src/iam/mfa/base32.ts';
import { hotp, timeStep } from '../../../src/iam/mfa/totp.ts';
import { expect } from 'vitest';
import type { TestServer } from '../../support/server.ts';
import { accessKeyFor, createUser, ok, ROOT } from '../../identity/support/server.ts';
import { BUCKET, DOOMED_BUCKET, IDENTITY_DOC, OIDC, POLICY, RESOURCE_DOC, SAML_METADATA, SCP_DOC, SERVICE_INPUT, TRUST_DOC, type Fixtures } from './operation-table.ts';

const CALLER_PASSWORD = 'Caller-Password-1!';

/** The directory's tables; a refused call must leave every row of each exactly as it was. */
export const DIRECTORY = {
  accounts: tables.accounts,
  passwordPolicies: tables.passwordPolicies,
  users: tables.users,
  groups: tables.groups,
  groupMemberships: tables.groupMemberships,
  roles: tables.roles,
  managedPolicies: tables.managedPolicies,
  policyVersions: tables.policyVersions,
  policyAttachments: tables.policyAttachments,
  inlinePolicies: tables.inlinePolicies,
  accessKeys: tables.accessKeys,
  mfaDevices: tables.mfaDevices,
  oidcProviders: tables.oidcProviders,
  samlProviders: tables.samlProviders,
  services: tables.services,
  serviceVersions: tables.serviceVersions,
  stsSessions: tables.stsSessions,
  resources: tables.resources,
  organizations: tables.organizations,
  organizationalUnits: tables.organizationalUnits,
  organizationPolicies: tables.organizationPolicies,
  organizationPolicyVersions: tables.organizationPolicyVersions,
  organizationPolicyAttachments: tables.organizationPolicyAttachments,
};

/** A root mutation that must succeed; returns its result. */
async function rootWrite(server: TestServer, field: string, input: Record<string, unknown>, selection = ''): Promise<Record<string, any>> {
  const type = `${field[0]!.toUpperCase()}${field.slice(1)}Input`;
  const data = await ok(server, ROOT, `mutation($i: ${type}!) { ${field}(input: $i) { __typename ... on ResultError { message } ${selection} } }`, { i: input });
  expect(data[field].__typename, `${field}: ${JSON.stringify(data)}`).toMatch(/Success$/);
  return data[field];
}

/** The users, groups, roles, policies, credentials and providers every row acts on. */
export async function createFixtures(server: TestServer): Promise<{ fx: Fixtures; caller: string }> {
  await rootWrite(server, 'createPolicy', { policyName: 'Managed', path: '/t/', policyDocument: IDENTITY_DOC });
  await rootWrite(server, 'createPolicyVersion', { policyArn: POLICY, policyDocument: IDENTITY_DOC });
  await rootWrite(server, 'createPolicy', { policyName: 'DoomedPolicy', path: '/t/', policyDocument: IDENTITY_DOC });
  for (const userName of ['target', 'doomed', 'renamee', 'nopass']) await rootWrite(server, 'createUser', { userName, path: '/t/' });
  await rootWrite(server, 'tagUser', { userName: 'target', tags: [{ key: 'team', value: 'blue' }] });
  await rootWrite(server, 'createLoginProfile', { userName: 'target', password: 'Target-Password-1!' });
  await rootWrite(server, 'putUserPolicy', { userName: 'target', policyName: 'Inline', policyDocument: IDENTITY_DOC });
  await rootWrite(server, 'attachUserPolicy', { userName: 'target', policyArn: POLICY });
  const keepKeyId = (await accessKeyFor(server, 'target')).accessKeyId;
  const spareKeyId = (await accessKeyFor(server, 'target')).accessKeyId;
  for (const groupName of ['team', 'doomedgroup', 'renamegroup']) await rootWrite(server, 'createGroup', { groupName, path: '/t/' });
  await rootWrite(server, 'addUserToGroup', { groupName: 'team', userName: 'target' });
  await rootWrite(server, 'putGroupPolicy', { groupName: 'team', policyName: 'Inline', policyDocument: IDENTITY_DOC });
  for (const roleName of ['Worker', 'DoomedRole']) await rootWrite(server, 'createRole', { roleName, path: '/t/', assumeRolePolicyDocument: TRUST_DOC });
  await rootWrite(server, 'putRolePolicy', { roleName: 'Worker', policyName: 'Inline', policyDocument: IDENTITY_DOC });
  for (const host of ['issuer.example.com', 'doomed.example.com']) await rootWrite(server, 'createOpenIDConnectProvider', { url: `https://${host}`, clientIdList: ['app'] });
  for (const name of ['Corp', 'Doomed']) await rootWrite(server, 'createSAMLProvider', { name, samlMetadataDocument: SAML_METADATA });
  for (const serviceName of ['todo', 'doomedsvc']) await rootWrite(server, 'putService', { serviceName, ...SERVICE_INPUT });
  await rootWrite(server, 'registerResource', { resourceArn: BUCKET, tags: [{ key: 'env', value: 'test' }], resourcePolicy: RESOURCE_DOC });
  await rootWrite(server, 'registerResource', { resourceArn: DOOMED_BUCKET });
  await rootWrite(server, 'createVirtualMFADevice', { virtualMFADeviceName: 'spare', path: '/t/' });
  const device = await rootWrite(server, 'createVirtualMFADevice', { virtualMFADeviceName: 'targetmfa', path: '/t/' }, '... on CreateVirtualMFADeviceSuccess { serialNumber base32StringSeed }');
  const seed = base32Decode(device['base32StringSeed']);
  const step = timeStep(new Date());
  await rootWrite(server, 'enableMFADevice', { userName: 'target', serialNumber: device['serialNumber'], authenticationCode1: hotp(seed, step - 1), authenticationCode2: hotp(seed, step) });

  await createUser(server, 'caller');
  await rootWrite(server, 'createLoginProfile', { userName: 'caller', password: CALLER_PASSWORD });
  const caller = (await accessKeyFor(server, 'caller')).header;
  const ids = await ok(
    server,
    ROOT,
    `{ user(userName: "target") { id inlinePolicies { id } accessKeys { id } loginProfile { id } } group(groupName: "team") { id } role(roleName: "Worker") { id }
       policy(policyArn: "${POLICY}") { id versions { id } } openIDConnectProvider(openIDConnectProviderArn: "${OIDC}") { id }
       service(serviceName: "todo") { id actions { edges { node { id } } } }
       virtualMFADevices(assignmentStatus: UNASSIGNED) { edges { node { id } } } resource(resourceArn: "${BUCKET}") { id } }`,
  );
  const fx: Fixtures = {
    keepKeyId,
    spareKeyId,
    userNodeId: ids['user'].id,
    groupNodeId: ids['group'].id,
    roleNodeId: ids['role'].id,
    policyNodeId: ids['policy'].id,
    policyVersionNodeId: ids['policy'].versions[0].id,
    inlinePolicyNodeId: ids['user'].inlinePolicies[0].id,
    accessKeyNodeId: ids['user'].accessKeys[0].id,
    loginProfileNodeId: ids['user'].loginProfile.id,
    mfaDeviceNodeId: ids['virtualMFADevices'].edges[0].node.id,
    oidcProviderNodeId: ids['openIDConnectProvider'].id,
    serviceNodeId: ids['service'].id,
    serviceActionNodeId: ids['service'].actions.edges[0].node.id,
    resourceNodeId: ids['resource'].id,
    targetMfaSerial: device['serialNumber'],
    callerPassword: CALLER_PASSWORD,
    org: await createOrganizationFixtures(server),
  };
  return { fx, caller };
}

/** Every directory row, by table, as sorted JSON text, with usage bookkeeping (last used) left out. */
export async function snapshotDirectory(database: Database): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const [name, table] of Object.entries(DIRECTORY)) {
    const rows = (await database.db.select().from(table as typeof tables.users)) as Array<Record<string, unknown>>;
    out[name] = rows
      .map((row) => JSON.stringify(row, (key, value: unknown) => (/lastUsed/i.test(key) ? undefined : typeof value === 'bigint' ? String(value) : value)))
      .sort();
  }
  return out;
}

/** The OUs, member accounts and SCPs of the organization the fixtures' account manages. */
async function createOrganizationFixtures(server: TestServer): Promise<Fixtures['org']> {
  const rootId: string = (await ok(server, ROOT, '{ organizationRoots { id } }'))['organizationRoots'][0].id;
  const ou = async (name: string) =>
    (await rootWrite(server, 'createOrganizationalUnit', { parentId: rootId, name }, '... on CreateOrganizationalUnitSuccess { organizationalUnit { id } }'))['organizationalUnit'].id as string;
  const account = async (accountName: string) =>
    (await rootWrite(server, 'createAccount', { accountName, email: `${accountName.toLowerCase()}@example.com` }, '... on CreateAccountSuccess { account { id } }'))['account'].id as string;
  const scp = async (name: string) =>
    (await rootWrite(server, 'createOrganizationPolicy', { name, type: 'SERVICE_CONTROL_POLICY', content: SCP_DOC }, '... on CreateOrganizationPolicySuccess { policy { id } }'))['policy'].id as string;
  const org = {
    rootId,
    ouId: await ou('Kept'),
    doomedOuId: await ou('DoomedOu'),
    accountId: await account('Member'),
    closeAccountId: await account('Closing'),
    moveAccountId: await account('Moving'),
    policyId: await scp('Kept'),
    doomedPolicyId: await scp('DoomedScp'),
  };
  await rootWrite(server, 'attachOrganizationPolicy', { policyId: org.policyId, targetId: org.ouId });
  return org;
}
