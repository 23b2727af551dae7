/**
 * Paths no test exercised before issue 13: the reads accountPasswordPolicy, loginProfile,
 * rolePolicy, validatePolicy and nodes, and the success paths of deactivateMFADevice,
 * deleteVirtualMFADevice, updateLoginProfile, deleteGroupPolicy and deleteRolePolicy. Each is
 * checked for what it does, through the API only, over real HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base32Decode } from '../../src/iam/mfa/base32.ts';
import { hotp, timeStep } from '../../src/iam/mfa/totp.ts';
import type { TestServer } from '../support/server.ts';
import { ACCOUNT, createRole, createUser, ok, putRolePolicy, ROOT, send, startIdentityServer } from '../identity/support/server.ts';

const DOC = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
const TRUST = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }] };

describe('paths no test exercised before', () => {
  let server: TestServer;

  /** A root mutation taking `input: <Name>Input!`; returns its result with `selection`. */
  async function write(field: string, input: Record<string, unknown>, selection = ''): Promise<Record<string, any>> {
    const type = `${field[0]!.toUpperCase()}${field.slice(1)}Input`;
    const data = await ok(server, ROOT, `mutation($i: ${type}!) { ${field}(input: $i) { __typename ... on ResultError { code message } ${selection} } }`, { i: input });
    return data[field];
  }

  async function signIn(userName: string, password: string, mfaCode?: string): Promise<Record<string, any>> {
    const data = await ok(server, undefined, 'mutation($i: SignInInput!) { signIn(input: $i) { __typename ... on SignInSuccess { passwordResetRequired } } }', {
      i: { account: ACCOUNT, userName, password, ...(mfaCode === undefined ? {} : { mfaCode }) },
    });
    return data['signIn'];
  }

  beforeAll(async () => {
    server = await startIdentityServer();
  }, 60_000);
  afterAll(async () => {
    await server.dispose();
  });

  it('accountPasswordPolicy: null until set, then the rules set, then null again once deleted', async () => {
    const read = async () => (await ok(server, ROOT, '{ accountPasswordPolicy { minimumPasswordLength requireSymbols allowUsersToChangePassword maxPasswordAge } }'))['accountPasswordPolicy'];
    expect(await read()).toBeNull();
    expect((await write('updateAccountPasswordPolicy', { minimumPasswordLength: 14, requireSymbols: true, maxPasswordAge: 90 })).__typename).toBe('UpdateAccountPasswordPolicySuccess');
    expect(await read()).toEqual({ minimumPasswordLength: 14, requireSymbols: true, allowUsersToChangePassword: false, maxPasswordAge: 90 });
    const deleted = await ok(server, ROOT, 'mutation { deleteAccountPasswordPolicy { __typename } }');
    expect(deleted['deleteAccountPasswordPolicy'].__typename).toBe('DeleteAccountPasswordPolicySuccess');
    expect(await read()).toBeNull();
  });

  it('loginProfile: a user with a password, none without; updateLoginProfile replaces the password and sets the reset flag', async () => {
    await createUser(server, 'pat');
    await createUser(server, 'nopassword');
    const profile = async (userName: string) => (await ok(server, ROOT, `{ loginProfile(userName: "${userName}") { userName passwordResetRequired } }`))['loginProfile'];
    expect(await profile('nopassword')).toBeNull();
    expect((await write('createLoginProfile', { userName: 'pat', password: 'First-Password-1!' })).__typename).toBe('CreateLoginProfileSuccess');
    expect(await profile('pat')).toEqual({ userName: 'pat', passwordResetRequired: false });

    const updated = await write('updateLoginProfile', { userName: 'pat', password: 'Second-Password-2!', passwordResetRequired: true }, '... on UpdateLoginProfileSuccess { loginProfile { userName passwordResetRequired } }');
    expect(updated).toEqual({ __typename: 'UpdateLoginProfileSuccess', loginProfile: { userName: 'pat', passwordResetRequired: true } });
    expect(await profile('pat')).toEqual({ userName: 'pat', passwordResetRequired: true });
    expect((await signIn('pat', 'First-Password-1!')).__typename).toBe('SignInFailed');
    expect(await signIn('pat', 'Second-Password-2!')).toEqual({ __typename: 'SignInSuccess', passwordResetRequired: true });
    expect((await write('updateLoginProfile', { userName: 'nopassword', passwordResetRequired: true })).__typename).toBe('NoSuchEntity');
  });

  it('rolePolicy: the stored document, and null for a name the role does not have; deleteRolePolicy removes it', async () => {
    await createRole(server, 'Reader', TRUST);
    await putRolePolicy(server, 'Reader', 'ReadObjects', JSON.parse(DOC) as object);
    const read = async (policyName: string) => (await ok(server, ROOT, `{ rolePolicy(roleName: "Reader", policyName: "${policyName}") { policyName policyDocument } }`))['rolePolicy'];
    const stored = await read('ReadObjects');
    expect(stored.policyName).toBe('ReadObjects');
    expect(JSON.parse(stored.policyDocument)).toEqual(JSON.parse(DOC));
    expect(await read('Missing')).toBeNull();

    const deleted = await write('deleteRolePolicy', { roleName: 'Reader', policyName: 'ReadObjects' }, '... on DeleteRolePolicySuccess { inlinePolicy { policyName } role { inlinePolicies { policyName } } }');
    expect(deleted).toEqual({ __typename: 'DeleteRolePolicySuccess', inlinePolicy: { policyName: 'ReadObjects' }, role: { inlinePolicies: [] } });
    expect(await read('ReadObjects')).toBeNull();
    expect((await write('deleteRolePolicy', { roleName: 'Reader', policyName: 'ReadObjects' })).__typename).toBe('NoSuchEntity');
  });

  it('deleteGroupPolicy removes the inline policy, and a second delete is NoSuchEntity', async () => {
    expect((await write('createGroup', { groupName: 'auditors' })).__typename).toBe('CreateGroupSuccess');
    expect((await write('putGroupPolicy', { groupName: 'auditors', policyName: 'Audit', policyDocument: DOC })).__typename).toBe('PutGroupPolicySuccess');
    const read = async () => (await ok(server, ROOT, '{ groupPolicy(groupName: "auditors", policyName: "Audit") { policyName } group(groupName: "auditors") { inlinePolicies { policyName } } }'));
    expect(await read()).toEqual({ groupPolicy: { policyName: 'Audit' }, group: { inlinePolicies: [{ policyName: 'Audit' }] } });
    const deleted = await write('deleteGroupPolicy', { groupName: 'auditors', policyName: 'Audit' }, '... on DeleteGroupPolicySuccess { inlinePolicy { policyName } }');
    expect(deleted).toEqual({ __typename: 'DeleteGroupPolicySuccess', inlinePolicy: { policyName: 'Audit' } });
    expect(await read()).toEqual({ groupPolicy: null, group: { inlinePolicies: [] } });
    expect((await write('deleteGroupPolicy', { groupName: 'auditors', policyName: 'Audit' })).__typename).toBe('NoSuchEntity');
  });

  it('validatePolicy: no finding for a sound document, located ERROR findings for a broken one', async () => {
    const validate = async (policyDocument: string) =>
      (await ok(server, ROOT, 'query($d: String!) { validatePolicy(policyDocument: $d) { findingType issueCode line column path } }', { d: policyDocument }))['validatePolicy'];
    expect(await validate(DOC)).toEqual([]);
    const findings = await validate('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject"}]}');
    expect(findings.length).toBeGreaterThan(0);
    for (const finding of findings) {
      expect(finding.findingType).toBe('ERROR');
      expect(finding.issueCode).toMatch(/\S/);
      expect(finding.line).toBe(1);
      expect(finding.column).toBeGreaterThan(0);
    }
  });

  it('nodes: each id resolves to its object, in order, and an unknown id to null', async () => {
    await createUser(server, 'noel');
    expect((await write('createGroup', { groupName: 'noels' })).__typename).toBe('CreateGroupSuccess');
    const ids = await ok(server, ROOT, '{ user(userName: "noel") { id } group(groupName: "noels") { id } }');
    const unknown = Buffer.from('User:AIDAAAAAAAAAAAAAAAAAA').toString('base64');
    const data = await ok(server, ROOT, 'query($ids: [ID!]!) { nodes(ids: $ids) { __typename ... on User { userName } ... on Group { groupName } } }', {
      ids: [ids['group'].id, unknown, ids['user'].id],
    });
    expect(data['nodes']).toEqual([{ __typename: 'Group', groupName: 'noels' }, null, { __typename: 'User', userName: 'noel' }]);
    // A malformed id is a typed input error that does not echo the id back.
    const malformed = await send(server, ROOT, 'query($ids: [ID!]!) { nodes(ids: $ids) { __typename } }', { ids: ['%%not-a-global-id'] });
    expect(malformed.body.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_ERROR', field: 'id', rule: 'global-id' });
    expect(malformed.body.errors?.[0]?.message).not.toContain('not-a-global-id');
  });

  it('deactivateMFADevice unbinds the device (sign-in no longer asks for a code); deleteVirtualMFADevice then deletes it', async () => {
    await createUser(server, 'mia');
    expect((await write('createLoginProfile', { userName: 'mia', password: 'Mia-Password-1!' })).__typename).toBe('CreateLoginProfileSuccess');
    const device = await write('createVirtualMFADevice', { virtualMFADeviceName: 'mia-phone' }, '... on CreateVirtualMFADeviceSuccess { serialNumber base32StringSeed }');
    const serialNumber: string = device['serialNumber'];
    const seed = base32Decode(device['base32StringSeed']);
    const step = timeStep(new Date());
    const enabled = await write('enableMFADevice', { userName: 'mia', serialNumber, authenticationCode1: hotp(seed, step - 1), authenticationCode2: hotp(seed, step) });
    expect(enabled.__typename).toBe('EnableMFADeviceSuccess');
    expect((await signIn('mia', 'Mia-Password-1!')).__typename).toBe('MFARequired');
    // An assigned device cannot be deleted.
    expect((await write('deleteVirtualMFADevice', { serialNumber })).__typename).toBe('DeleteConflict');

    const deactivated = await write('deactivateMFADevice', { userName: 'mia', serialNumber }, '... on DeactivateMFADeviceSuccess { mfaDevice { serialNumber } }');
    expect(deactivated).toEqual({ __typename: 'DeactivateMFADeviceSuccess', mfaDevice: { serialNumber } });
    expect((await ok(server, ROOT, '{ mfaDevices(userName: "mia") { serialNumber } }'))['mfaDevices']).toEqual([]);
    const unassigned = (await ok(server, ROOT, '{ virtualMFADevices(assignmentStatus: UNASSIGNED) { edges { node { serialNumber userName user { userName } } } } }'))['virtualMFADevices'];
    expect(unassigned.edges.map((e: { node: unknown }) => e.node)).toContainEqual({ serialNumber, userName: null, user: null });
    expect((await signIn('mia', 'Mia-Password-1!')).__typename).toBe('SignInSuccess');

    const deleted = await write('deleteVirtualMFADevice', { serialNumber });
    expect(deleted.__typename).toBe('DeleteVirtualMFADeviceSuccess');
    const all = (await ok(server, ROOT, '{ virtualMFADevices { edges { node { serialNumber } } } }'))['virtualMFADevices'];
    expect(all.edges.map((e: { node: unknown }) => e.node)).not.toContainEqual({ serialNumber });
    expect((await write('deleteVirtualMFADevice', { serialNumber })).__typename).toBe('NoSuchEntity');
  });
});
