/**
 * Every Query and Mutation field is authorized as exactly the action(s) and resource(s) of the
 * hand-written table in support/operation-table.ts (DESIGN.md "Self-authorization"; issue 13). For each
 * permission a call needs, a caller allowed everything else — every other action anywhere, and
 * that action on every other resource — is refused with ACCESS_DENIED naming the action, and the
 * refused call changes nothing in the directory nor writes anything but audit rows. A caller
 * allowed only the listed permissions gets past authorization. Fields without a row fail the test.
 */
import { and, gt, max, ne } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tables from '../../src/db/schema/index.ts';
import { base32Decode } from '../../src/iam/mfa/base32.ts';
import { hotp, timeStep } from '../../src/iam/mfa/totp.ts';
import { getNamedType, isUnionType } from 'graphql';
import { schema } from '../../src/graphql/schema.ts';
import type { GqlResponse, TestServer } from '../support/server.ts';
import { accessKeyFor, createUser, ok, putUserPolicy, ROOT, send, startIdentityServer } from '../identity/support/server.ts';
import { BUCKET, DOOMED_BUCKET, IDENTITY_DOC, OIDC, POLICY, RESOURCE_DOC, ROWS, SAML_METADATA, SCP_DOC, SERVICE_INPUT, TRUST_DOC, type Check, type Fixtures, type Row } from './support/operation-table.ts';

const CALLER_PASSWORD = 'Caller-Password-1!';

/** The directory's tables; a refused call must leave every row of each exactly as it was. */
const DIRECTORY = {
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
async function createFixtures(server: TestServer): Promise<{ fx: Fixtures; caller: string }> {
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

/** Allowed every action but `check.action`, and that action on every resource but `check.resource`. */
function allButPolicy(check: Check): object {
  // An action AWS lists with no resource type is requested on `*`: allowing it on every ARN is not enough.
  const elsewhere = check.resource === '*' ? { Resource: 'arn:*:*:*:*:*' } : { NotResource: check.resource };
  return {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', NotAction: check.action, Resource: '*' },
      { Effect: 'Allow', Action: check.action, ...elsewhere },
    ],
  };
}

/** Allowed exactly the checks, each on its own resource. */
function onlyPolicy(checks: readonly Check[]): object {
  return { Version: '2012-10-17', Statement: checks.map((c) => ({ Effect: 'Allow', Action: c.action, Resource: c.resource })) };
}

const DENY_ALL = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] };

function rowName(row: Row): string {
  return row.label === undefined ? row.field : `${row.field} (${row.label})`;
}

function fieldOf(row: Row): string {
  return row.field.split('.')[1]!;
}

/** Every authorization failure code a response carries. */
function authErrors(response: GqlResponse): unknown[] {
  return (response.body.errors ?? []).map((e) => e.extensions?.['code']).filter((c) => c === 'ACCESS_DENIED' || c === 'UNAUTHENTICATED');
}

/** The call was answered past authorization: data for the field, or a typed domain error, never a refusal or a masked failure. */
function expectPastAuthorization(row: Row, response: GqlResponse): void {
  const text = `${rowName(row)}: ${JSON.stringify(response.body).slice(0, 400)}`;
  expect(response.status, text).toBeLessThan(500);
  expect(authErrors(response), text).toEqual([]);
  for (const error of response.body.errors ?? []) expect(error.extensions?.['code'], text).not.toBe('INTERNAL_SERVER_ERROR');
  for (const type of resultTypes(response, row)) expect(type, text).not.toBe('AccessDenied');
}

/** The __typename of the field's value, or of each item of a list (authorizeBatch's AuthorizeResults). */
function resultTypes(response: GqlResponse, row: Row): Array<string | undefined> {
  const value = (response.body.data as Record<string, unknown> | null | undefined)?.[fieldOf(row)];
  const items = (Array.isArray(value) ? value : [value]) as Array<{ __typename?: string } | null>;
  return items.map((item) => item?.__typename);
}

/** Whether the row's field returns a result union that carries AccessDenied (every mutation's does). */
function refusedAsData(row: Row): boolean {
  const [type, name] = row.field.split('.') as [string, string];
  const field = (type === 'Query' ? schema.getQueryType() : schema.getMutationType())!.getFields()[name]!;
  const named = getNamedType(field.type);
  return isUnionType(named) && named.getTypes().some((member) => member.name === 'AccessDenied');
}

/**
 * The call was refused for `check` and for nothing else: a result union's AccessDenied member
 * naming the action, else the field null with ACCESS_DENIED at its path.
 */
function expectRefused(row: Row, check: Check, response: GqlResponse): void {
  const text = `${rowName(row)} without ${check.action} on ${check.resource}: ${JSON.stringify(response.body).slice(0, 400)}`;
  const value = (response.body.data as Record<string, unknown> | null | undefined)?.[fieldOf(row)];
  if (row.perItem) {
    const types = resultTypes(response, row);
    expect(types.length, text).toBeGreaterThan(0);
    expect(types, text).toEqual(types.map(() => 'AccessDenied'));
    return;
  }
  if (row.perNode === true && row.access.kind === 'iam') {
    // Each check guards one object; the refused one is null at its own index, the others resolve.
    const refused = row.access.checks.indexOf(check);
    const items = value as Array<{ __typename: string } | null>;
    items.forEach((item, i) => (i === refused ? expect(item, text).toBeNull() : expect(item, text).not.toBeNull()));
    expect(response.body.errors?.map((e) => e.path), text).toEqual([[fieldOf(row), refused]]);
    expect(response.body.errors?.[0]?.extensions?.['code'], text).toBe('ACCESS_DENIED');
    expect(response.body.errors?.[0]?.extensions?.['action'], text).toBe(check.action);
    return;
  }
  if (refusedAsData(row)) {
    expect(value, text).toEqual({ __typename: 'AccessDenied', action: check.action });
    expect(response.body.errors, text).toBeUndefined();
    return;
  }
  expect(value, text).toBeNull();
  expect(response.body.errors?.[0]?.path, text).toEqual([fieldOf(row)]);
  expect(response.body.errors?.[0]?.extensions?.['code'], text).toBe('ACCESS_DENIED');
  expect(response.body.errors?.[0]?.extensions?.['action'], text).toBe(check.action);
}

describe('every operation is authorized as the table says', () => {
  let server: TestServer;
  let fx: Fixtures;
  let caller: string;

  /** Every directory row, by table, with usage bookkeeping (last used) left out. */
  async function snapshot(): Promise<Record<string, string[]>> {
    const db = server.running.app.database.db;
    const out: Record<string, string[]> = {};
    for (const [name, table] of Object.entries(DIRECTORY)) {
      const rows = (await db.select().from(table as typeof tables.users)) as Array<Record<string, unknown>>;
      out[name] = rows
        .map((row) => JSON.stringify(row, (key, value: unknown) => (/lastUsed/i.test(key) ? undefined : typeof value === 'bigint' ? String(value) : value)))
        .sort();
    }
    return out;
  }

  async function latestRevision(): Promise<bigint> {
    const [row] = await server.running.app.database.db.select({ top: max(tables.changeLog.revision) }).from(tables.changeLog);
    return row?.top ?? 0n;
  }

  /** Change-log rows after `revision` that are not audit rows. */
  async function writesAfter(revision: bigint): Promise<string[]> {
    const rows = await server.running.app.database.db
      .select({ kind: tables.changeLog.kind, entityArn: tables.changeLog.entityArn })
      .from(tables.changeLog)
      .where(and(gt(tables.changeLog.revision, revision), ne(tables.changeLog.entityType, 'audit')));
    return rows.map((r) => `${r.kind} ${r.entityArn}`);
  }

  const grant = (policy: object) => putUserPolicy(server, 'caller', 'Grant', policy);
  const call = (row: Row, authorization: string | undefined) => send(server, authorization, row.query, row.variables?.(fx));

  beforeAll(async () => {
    server = await startIdentityServer();
    ({ fx, caller } = await createFixtures(server));
  }, 120_000);
  afterAll(async () => {
    await server.dispose();
  });

  it('has a row for every Query and Mutation field of the schema, and no row for a field that is gone', () => {
    const fields = [
      ...Object.keys(schema.getQueryType()!.getFields()).map((f) => `Query.${f}`),
      ...Object.keys(schema.getMutationType()!.getFields()).map((f) => `Mutation.${f}`),
    ].sort();
    expect([...new Set(ROWS.map((r) => r.field))].sort()).toEqual(fields);
  });

  it.each(ROWS.filter((r) => r.access.kind === 'iam').map((r) => [rowName(r), r] as const))('%s', async (_name, row) => {
    if (row.access.kind !== 'iam') return;
    const anonymous = await call(row, undefined);
    expect(anonymous.status, JSON.stringify(anonymous.body).slice(0, 300)).toBe(401);
    expect(anonymous.body.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');

    for (const check of row.access.checks) {
      await grant(allButPolicy(check));
      const before = await snapshot();
      const revision = await latestRevision();
      expectRefused(row, check, await call(row, caller));
      expect(await snapshot(), `${rowName(row)}: a refused call changed the directory`).toEqual(before);
      expect(await writesAfter(revision), `${rowName(row)}: a refused call wrote to the change log`).toEqual([]);
    }

    await grant(onlyPolicy(row.access.checks));
    expectPastAuthorization(row, await call(row, caller));
  });

  it.each(ROWS.filter((r) => r.access.kind === 'authenticated').map((r) => [rowName(r), r] as const))('%s: any credential, even one denied everything; none is refused', async (_name, row) => {
    const anonymous = await call(row, undefined);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    await grant(DENY_ALL);
    expectPastAuthorization(row, await call(row, caller));
  });

  it.each(ROWS.filter((r) => r.access.kind === 'anonymous').map((r) => [rowName(r), r] as const))('%s: answers without a credential', async (_name, row) => {
    const response = await call(row, undefined);
    expectPastAuthorization(row, response);
    expect((response.body.data as Record<string, unknown>)[fieldOf(row)], JSON.stringify(response.body)).toBeTruthy();
  });
});
