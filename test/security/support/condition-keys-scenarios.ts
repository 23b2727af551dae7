/**
 * How test/security/condition-keys.test.ts drives each action over GraphQL: a target created as
 * root (tagged team=blue, with a permissions boundary), and the operation a low-privilege caller
 * sends against it carrying the facts every key expects (tag team=blue, the attachable policy, the
 * boundary, the STS session parameters). KEY_VALUES gives the condition each key is tested with.
 */
import { expect } from 'vitest';
import { base32Decode } from '../../../src/iam/mfa/base32.ts';
import { hotp, timeStep } from '../../../src/iam/mfa/totp.ts';
import type { TestServer } from '../../support/server.ts';
import { ACCOUNT, ROOT, ok } from '../../identity/support/server.ts';
import { createTestIdp } from '../../identity/support/saml-idp.ts';

const TAG = { key: 'team', value: 'blue' };
export const BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/CkBoundary`;
export const ATTACHABLE = `arn:aws:iam::${ACCOUNT}:policy/CkAttachable`;
const DOCUMENT = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }] });
const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'] }],
});

/** The condition each key of the Reference is tested with, matching the facts the scenarios send. */
export const KEY_VALUES: Readonly<Record<string, { condition: object }>> = {
  'aws:RequestTag/${TagKey}': { condition: { StringEquals: { 'aws:RequestTag/team': 'blue' } } },
  'aws:TagKeys': { condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'team' } } },
  'aws:ResourceTag/${TagKey}': { condition: { StringEquals: { 'aws:ResourceTag/team': 'blue' } } },
  'iam:ResourceTag/${TagKey}': { condition: { StringEquals: { 'iam:ResourceTag/team': 'blue' } } },
  'iam:PolicyARN': { condition: { ArnEquals: { 'iam:PolicyARN': ATTACHABLE } } },
  'iam:PermissionsBoundary': { condition: { StringEquals: { 'iam:PermissionsBoundary': BOUNDARY } } },
  'sts:ExternalId': { condition: { StringEquals: { 'sts:ExternalId': 'ext-1' } } },
  'sts:RoleSessionName': { condition: { StringEquals: { 'sts:RoleSessionName': 'sess-1' } } },
  'sts:SourceIdentity': { condition: { StringEquals: { 'sts:SourceIdentity': 'src-1' } } },
  'sts:TransitiveTagKeys': { condition: { 'ForAnyValue:StringEquals': { 'sts:TransitiveTagKeys': 'team' } } },
};

/** One operation as a caller sends it. */
export interface Operation {
  readonly query: string;
  readonly variables: Record<string, unknown>;
}

/** How to drive one action. */
export interface Scenario {
  /** The __typename of the operation's success (`list` for a list read). */
  readonly success: string;
  /** Set-up shared by every scenario, run once as root. */
  readonly shared?: (server: TestServer) => Promise<void>;
  /** Creates the target named `name` as root; returns values the operation needs. */
  readonly setup?: (server: TestServer, name: string) => Promise<Record<string, unknown> | void>;
  readonly op: (name: string, values: Record<string, unknown>) => Operation;
}

/** Runs a mutation as root and fails unless it succeeds; returns its result object. */
async function root(server: TestServer, field: string, inputType: string, input: Record<string, unknown>, select = ''): Promise<Record<string, any>> {
  const data = await ok(server, ROOT, `mutation($i: ${inputType}!) { ${field}(input: $i) { __typename ${select} ... on ResultError { message } } }`, { i: input });
  expect(data[field].__typename, `${field}: ${JSON.stringify(data)}`).toMatch(/Success$/);
  return data[field];
}

/** A mutation `field(input: $i)` asking for its __typename, and for what a refusal says. */
function mutation(field: string, inputType: string, input: Record<string, unknown>): Operation {
  return { query: `mutation($i: ${inputType}!) { ${field}(input: $i) { __typename ... on AccessDenied { code message } } }`, variables: { i: input } };
}

const pascal = (s: string) => s[0]!.toUpperCase() + s.slice(1);

async function shared(server: TestServer): Promise<void> {
  const all = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
  await root(server, 'createPolicy', 'CreatePolicyInput', { policyName: 'CkBoundary', policyDocument: all });
  await root(server, 'createPolicy', 'CreatePolicyInput', { policyName: 'CkAttachable', policyDocument: DOCUMENT });
}

const user = (server: TestServer, name: string) =>
  root(server, 'createUser', 'CreateUserInput', { userName: name, tags: [TAG], permissionsBoundary: BOUNDARY });
const role = (server: TestServer, name: string) =>
  root(server, 'createRole', 'CreateRoleInput', { roleName: name, assumeRolePolicyDocument: TRUST, tags: [TAG], permissionsBoundary: BOUNDARY }, '... on CreateRoleSuccess { role { arn } }');
const policy = (server: TestServer, name: string) => root(server, 'createPolicy', 'CreatePolicyInput', { policyName: name, policyDocument: DOCUMENT, tags: [TAG] });
const policyArn = (name: string) => `arn:aws:iam::${ACCOUNT}:policy/${name}`;
const providerInput = (name: string) => ({
  url: `https://${name}.issuer.example.com`,
  clientIdList: ['app'],
  thumbprintList: ['9e99a48a9960b14926bb7f3b02e22da2b0ab7280'],
  tags: [TAG],
});
const provider = (server: TestServer, name: string) => root(server, 'createOpenIDConnectProvider', 'CreateOpenIDConnectProviderInput', providerInput(name));
const providerArn = (name: string) => `arn:aws:iam::${ACCOUNT}:oidc-provider/${name}.issuer.example.com`;
const SAML_METADATA = createTestIdp({ entityId: 'https://idp.keys.example', audience: 'urn:portcullis:webservices', recipient: 'http://localhost/saml' }).metadata;
const samlInput = (name: string) => ({ name, samlMetadataDocument: SAML_METADATA, tags: [TAG] });
const samlProvider = (server: TestServer, name: string) => root(server, 'createSAMLProvider', 'CreateSAMLProviderInput', samlInput(name));
const samlArn = (name: string) => `arn:aws:iam::${ACCOUNT}:saml-provider/${name}`;

/** Scenarios shared by users and roles (the input field is `userName` or `roleName`). */
function principalScenarios(kind: 'user' | 'role'): Record<string, Scenario> {
  const K = pascal(kind);
  const nameField = `${kind}Name`;
  const create = kind === 'user' ? user : role;
  const on = (name: string, extra: Record<string, unknown> = {}) => ({ [nameField]: name, ...extra });
  const simple = (action: string, extra: (name: string) => Record<string, unknown> = () => ({}), before?: Scenario['setup']): Scenario => ({
    success: `${action}Success`,
    setup: async (server, name) => {
      await create(server, name);
      await before?.(server, name);
    },
    op: (name) => mutation(action[0]!.toLowerCase() + action.slice(1), `${action}Input`, on(name, extra(name))),
  });
  return {
    [`iam:Create${K}`]: {
      success: `Create${K}Success`,
      op: (name) =>
        mutation(`create${K}`, `Create${K}Input`, on(name, { tags: [TAG], permissionsBoundary: BOUNDARY, ...(kind === 'role' ? { assumeRolePolicyDocument: TRUST } : {}) })),
    },
    [`iam:Tag${K}`]: simple(`Tag${K}`, () => ({ tags: [TAG] })),
    [`iam:Untag${K}`]: simple(`Untag${K}`, () => ({ tagKeys: ['team'] })),
    [`iam:Delete${K}`]: simple(`Delete${K}`),
    [`iam:Attach${K}Policy`]: simple(`Attach${K}Policy`, () => ({ policyArn: ATTACHABLE })),
    [`iam:Detach${K}Policy`]: simple(`Detach${K}Policy`, () => ({ policyArn: ATTACHABLE }), async (server, name) => {
      await root(server, `attach${K}Policy`, `Attach${K}PolicyInput`, on(name, { policyArn: ATTACHABLE }));
    }),
    [`iam:Put${K}Policy`]: simple(`Put${K}Policy`, () => ({ policyName: 'Inline', policyDocument: DOCUMENT })),
    [`iam:Delete${K}Policy`]: simple(`Delete${K}Policy`, () => ({ policyName: 'Inline' }), async (server, name) => {
      await root(server, `put${K}Policy`, `Put${K}PolicyInput`, on(name, { policyName: 'Inline', policyDocument: DOCUMENT }));
    }),
    [`iam:Put${K}PermissionsBoundary`]: simple(`Put${K}PermissionsBoundary`, () => ({ permissionsBoundary: BOUNDARY })),
    [`iam:Delete${K}PermissionsBoundary`]: simple(`Delete${K}PermissionsBoundary`),
  };
}

/** A query `field(args)` asking for its __typename. */
function read(field: string, args: Record<string, [string, unknown]>): Operation {
  const params = Object.entries(args).map(([name, [type]]) => `$${name}: ${type}`).join(', ');
  const passed = Object.keys(args).map((name) => `${name}: $${name}`).join(', ');
  return { query: `query(${params}) { ${field}(${passed}) { __typename } }`, variables: Object.fromEntries(Object.entries(args).map(([n, [, v]]) => [n, v])) };
}

/** Scenarios for reads of users, roles and policies. */
function readScenarios(): Record<string, Scenario> {
  const withInline = (kind: 'user' | 'role'): Scenario['setup'] => async (server, name) => {
    await (kind === 'user' ? user : role)(server, name);
    const K = pascal(kind);
    await root(server, `put${K}Policy`, `Put${K}PolicyInput`, { [`${kind}Name`]: name, policyName: 'Inline', policyDocument: DOCUMENT });
  };
  return {
    'iam:GetUser': { success: 'User', setup: user, op: (name) => read('user', { userName: ['String!', name] }) },
    'iam:GetRole': { success: 'Role', setup: role, op: (name) => read('role', { roleName: ['String!', name] }) },
    'iam:GetPolicy': { success: 'ManagedPolicy', setup: policy, op: (name) => read('policy', { policyArn: ['String!', policyArn(name)] }) },
    'iam:GetPolicyVersion': {
      success: 'PolicyVersion',
      setup: policy,
      op: (name) => read('policyVersion', { policyArn: ['String!', policyArn(name)], versionId: ['String!', 'v1'] }),
    },
    'iam:GetLoginProfile': { success: 'LoginProfile', setup: withLogin, op: (name) => read('loginProfile', { userName: ['String', name] }) },
    'iam:ListAccessKeys': { success: 'list', setup: user, op: (name) => read('accessKeys', { userName: ['String', name] }) },
    'iam:ListMFADevices': { success: 'list', setup: user, op: (name) => read('mfaDevices', { userName: ['String', name] }) },
    'iam:GetUserPolicy': {
      success: 'InlinePolicy',
      setup: withInline('user'),
      op: (name) => read('userPolicy', { userName: ['String!', name], policyName: ['String!', 'Inline'] }),
    },
    'iam:GetRolePolicy': {
      success: 'InlinePolicy',
      setup: withInline('role'),
      op: (name) => read('rolePolicy', { roleName: ['String!', name], policyName: ['String!', 'Inline'] }),
    },
    'iam:GenerateServiceLastAccessedDetails': {
      success: 'GenerateServiceLastAccessedDetailsResponse',
      setup: user,
      op: (name) => read('generateServiceLastAccessedDetails', { input: ['GenerateServiceLastAccessedDetailsInput!', { arn: `arn:aws:iam::${ACCOUNT}:user/${name}` }] }),
    },
    'iam:GetAccessKeyLastUsed': {
      success: 'AccessKeyLastUsed',
      setup: withKey,
      op: (_name, v) => read('accessKeyLastUsed', { accessKeyId: ['String!', v['accessKeyId']] }),
    },
  };
}

const withKey: Scenario['setup'] = async (server, name) => {
  await user(server, name);
  const created = await root(server, 'createAccessKey', 'CreateAccessKeyInput', { userName: name }, '... on CreateAccessKeySuccess { accessKey { accessKeyId } }');
  return { accessKeyId: created['accessKey'].accessKeyId };
};
const withLogin: Scenario['setup'] = async (server, name) => {
  await user(server, name);
  await root(server, 'createLoginProfile', 'CreateLoginProfileInput', { userName: name, password: 'Ck-Passw0rd-123!' });
};

/** A user with an unassigned virtual device (created as root); its serial number and seed. */
const withDevice = async (server: TestServer, name: string): Promise<Record<string, unknown>> => {
  await user(server, name);
  const device = await root(server, 'createVirtualMFADevice', 'CreateVirtualMFADeviceInput', { virtualMFADeviceName: name }, '... on CreateVirtualMFADeviceSuccess { serialNumber base32StringSeed }');
  return { serialNumber: device['serialNumber'], seed: device['base32StringSeed'] };
};

/** Two consecutive codes of a seed, for EnableMFADevice. */
function codes(seedBase32: unknown): { authenticationCode1: string; authenticationCode2: string } {
  const seed = base32Decode(String(seedBase32));
  const step = timeStep(new Date());
  return { authenticationCode1: hotp(seed, step - 1), authenticationCode2: hotp(seed, step) };
}

/** Scenarios for the credential operations on a user. */
function credentialScenarios(): Record<string, Scenario> {
  return {
    'iam:UpdateUser': { success: 'UpdateUserSuccess', setup: user, op: (name) => mutation('updateUser', 'UpdateUserInput', { userName: name, newPath: '/moved/' }) },
    'iam:EnableMFADevice': {
      success: 'EnableMFADeviceSuccess',
      setup: withDevice,
      op: (name, v) => mutation('enableMFADevice', 'EnableMFADeviceInput', { userName: name, serialNumber: v['serialNumber'], ...codes(v['seed']) }),
    },
    'iam:DeactivateMFADevice': {
      success: 'DeactivateMFADeviceSuccess',
      setup: async (server, name) => {
        const device = await withDevice(server, name);
        await root(server, 'enableMFADevice', 'EnableMFADeviceInput', { userName: name, serialNumber: device['serialNumber'], ...codes(device['seed']) });
        return device;
      },
      op: (name, v) => mutation('deactivateMFADevice', 'DeactivateMFADeviceInput', { userName: name, serialNumber: v['serialNumber'] }),
    },
    'iam:CreateAccessKey': { success: 'CreateAccessKeySuccess', setup: user, op: (name) => mutation('createAccessKey', 'CreateAccessKeyInput', { userName: name }) },
    'iam:UpdateAccessKey': {
      success: 'UpdateAccessKeySuccess',
      setup: withKey,
      op: (name, v) => mutation('updateAccessKey', 'UpdateAccessKeyInput', { userName: name, accessKeyId: v['accessKeyId'], status: 'INACTIVE' }),
    },
    'iam:DeleteAccessKey': {
      success: 'DeleteAccessKeySuccess',
      setup: withKey,
      op: (name, v) => mutation('deleteAccessKey', 'DeleteAccessKeyInput', { userName: name, accessKeyId: v['accessKeyId'] }),
    },
    'iam:CreateLoginProfile': {
      success: 'CreateLoginProfileSuccess',
      setup: user,
      op: (name) => mutation('createLoginProfile', 'CreateLoginProfileInput', { userName: name, password: 'Ck-Passw0rd-123!' }),
    },
    'iam:UpdateLoginProfile': {
      success: 'UpdateLoginProfileSuccess',
      setup: withLogin,
      op: (name) => mutation('updateLoginProfile', 'UpdateLoginProfileInput', { userName: name, passwordResetRequired: true }),
    },
    'iam:DeleteLoginProfile': { success: 'DeleteLoginProfileSuccess', setup: withLogin, op: (name) => mutation('deleteLoginProfile', 'DeleteLoginProfileInput', { userName: name }) },
  };
}

/** Scenarios for managed policies, groups, providers, devices and STS. */
function otherScenarios(): Record<string, Scenario> {
  const withV2: Scenario['setup'] = async (server, name) => {
    await policy(server, name);
    await root(server, 'createPolicyVersion', 'CreatePolicyVersionInput', { policyArn: policyArn(name), policyDocument: DOCUMENT, setAsDefault: false });
  };
  const group = async (server: TestServer, name: string) => {
    await root(server, 'createGroup', 'CreateGroupInput', { groupName: name });
  };
  return {
    'iam:CreatePolicy': { success: 'CreatePolicySuccess', op: (name) => mutation('createPolicy', 'CreatePolicyInput', { policyName: name, policyDocument: DOCUMENT, tags: [TAG] }) },
    'iam:TagPolicy': { success: 'TagPolicySuccess', setup: policy, op: (name) => mutation('tagPolicy', 'TagPolicyInput', { policyArn: policyArn(name), tags: [TAG] }) },
    'iam:UntagPolicy': { success: 'UntagPolicySuccess', setup: policy, op: (name) => mutation('untagPolicy', 'UntagPolicyInput', { policyArn: policyArn(name), tagKeys: ['team'] }) },
    'iam:DeletePolicy': { success: 'DeletePolicySuccess', setup: policy, op: (name) => mutation('deletePolicy', 'DeletePolicyInput', { policyArn: policyArn(name) }) },
    'iam:CreatePolicyVersion': {
      success: 'CreatePolicyVersionSuccess',
      setup: policy,
      op: (name) => mutation('createPolicyVersion', 'CreatePolicyVersionInput', { policyArn: policyArn(name), policyDocument: DOCUMENT }),
    },
    'iam:SetDefaultPolicyVersion': {
      success: 'SetDefaultPolicyVersionSuccess',
      setup: withV2,
      op: (name) => mutation('setDefaultPolicyVersion', 'SetDefaultPolicyVersionInput', { policyArn: policyArn(name), versionId: 'v2' }),
    },
    'iam:DeletePolicyVersion': {
      success: 'DeletePolicyVersionSuccess',
      setup: withV2,
      op: (name) => mutation('deletePolicyVersion', 'DeletePolicyVersionInput', { policyArn: policyArn(name), versionId: 'v2' }),
    },
    'iam:AttachGroupPolicy': { success: 'AttachGroupPolicySuccess', setup: group, op: (name) => mutation('attachGroupPolicy', 'AttachGroupPolicyInput', { groupName: name, policyArn: ATTACHABLE }) },
    'iam:DetachGroupPolicy': {
      success: 'DetachGroupPolicySuccess',
      setup: async (server, name) => {
        await group(server, name);
        await root(server, 'attachGroupPolicy', 'AttachGroupPolicyInput', { groupName: name, policyArn: ATTACHABLE });
      },
      op: (name) => mutation('detachGroupPolicy', 'DetachGroupPolicyInput', { groupName: name, policyArn: ATTACHABLE }),
    },
    'iam:UpdateRole': { success: 'UpdateRoleSuccess', setup: role, op: (name) => mutation('updateRole', 'UpdateRoleInput', { roleName: name, description: 'changed' }) },
    'iam:UpdateAssumeRolePolicy': {
      success: 'UpdateAssumeRolePolicySuccess',
      setup: role,
      op: (name) => mutation('updateAssumeRolePolicy', 'UpdateAssumeRolePolicyInput', { roleName: name, policyDocument: TRUST }),
    },
    'iam:CreateOpenIDConnectProvider': {
      success: 'CreateOpenIDConnectProviderSuccess',
      op: (name) => mutation('createOpenIDConnectProvider', 'CreateOpenIDConnectProviderInput', providerInput(name)),
    },
    'iam:SimulatePrincipalPolicy': {
      success: 'list',
      setup: user,
      op: (name) => ({
        query: 'query($i: SimulatePrincipalPolicyInput!) { simulatePrincipalPolicy(input: $i) { __typename } }',
        variables: { i: { policySourceArn: `arn:aws:iam::${ACCOUNT}:user/${name}`, actionNames: ['iam:GetUser'] } },
      }),
    },
    'iam:GetOpenIDConnectProvider': {
      success: 'OpenIDConnectProvider',
      setup: provider,
      op: (name) => read('openIDConnectProvider', { openIDConnectProviderArn: ['String!', providerArn(name)] }),
    },
    'iam:DeleteOpenIDConnectProvider': {
      success: 'DeleteOpenIDConnectProviderSuccess',
      setup: provider,
      op: (name) => mutation('deleteOpenIDConnectProvider', 'DeleteOpenIDConnectProviderInput', { openIDConnectProviderArn: providerArn(name) }),
    },
    'iam:AddClientIDToOpenIDConnectProvider': {
      success: 'AddClientIDToOpenIDConnectProviderSuccess',
      setup: provider,
      op: (name) => mutation('addClientIDToOpenIDConnectProvider', 'AddClientIDToOpenIDConnectProviderInput', { openIDConnectProviderArn: providerArn(name), clientID: 'other-app' }),
    },
    'iam:RemoveClientIDFromOpenIDConnectProvider': {
      success: 'RemoveClientIDFromOpenIDConnectProviderSuccess',
      setup: provider,
      op: (name) => mutation('removeClientIDFromOpenIDConnectProvider', 'RemoveClientIDFromOpenIDConnectProviderInput', { openIDConnectProviderArn: providerArn(name), clientID: 'app' }),
    },
    'iam:UpdateOpenIDConnectProviderThumbprint': {
      success: 'UpdateOpenIDConnectProviderThumbprintSuccess',
      setup: provider,
      op: (name) => mutation('updateOpenIDConnectProviderThumbprint', 'UpdateOpenIDConnectProviderThumbprintInput', { openIDConnectProviderArn: providerArn(name), thumbprintList: ['a'.repeat(40)] }),
    },
    'iam:TagOpenIDConnectProvider': {
      success: 'TagOpenIDConnectProviderSuccess',
      setup: provider,
      op: (name) => mutation('tagOpenIDConnectProvider', 'TagOpenIDConnectProviderInput', { openIDConnectProviderArn: providerArn(name), tags: [TAG] }),
    },
    'iam:UntagOpenIDConnectProvider': {
      success: 'UntagOpenIDConnectProviderSuccess',
      setup: provider,
      op: (name) => mutation('untagOpenIDConnectProvider', 'UntagOpenIDConnectProviderInput', { openIDConnectProviderArn: providerArn(name), tagKeys: ['team'] }),
    },
    'iam:ListOpenIDConnectProviderTags': {
      success: 'list',
      setup: provider,
      op: (name) => read('openIDConnectProviderTags', { openIDConnectProviderArn: ['String!', providerArn(name)] }),
    },
    'iam:CreateSAMLProvider': {
      success: 'CreateSAMLProviderSuccess',
      op: (name) => mutation('createSAMLProvider', 'CreateSAMLProviderInput', samlInput(name)),
    },
    'iam:GetSAMLProvider': {
      success: 'SAMLProvider',
      setup: samlProvider,
      op: (name) => read('samlProvider', { samlProviderArn: ['String!', samlArn(name)] }),
    },
    'iam:UpdateSAMLProvider': {
      success: 'UpdateSAMLProviderSuccess',
      setup: samlProvider,
      op: (name) => mutation('updateSAMLProvider', 'UpdateSAMLProviderInput', { samlProviderArn: samlArn(name), samlMetadataDocument: SAML_METADATA }),
    },
    'iam:DeleteSAMLProvider': {
      success: 'DeleteSAMLProviderSuccess',
      setup: samlProvider,
      op: (name) => mutation('deleteSAMLProvider', 'DeleteSAMLProviderInput', { samlProviderArn: samlArn(name) }),
    },
    'iam:TagSAMLProvider': {
      success: 'TagSAMLProviderSuccess',
      setup: samlProvider,
      op: (name) => mutation('tagSAMLProvider', 'TagSAMLProviderInput', { samlProviderArn: samlArn(name), tags: [TAG] }),
    },
    'iam:UntagSAMLProvider': {
      success: 'UntagSAMLProviderSuccess',
      setup: samlProvider,
      op: (name) => mutation('untagSAMLProvider', 'UntagSAMLProviderInput', { samlProviderArn: samlArn(name), tagKeys: ['team'] }),
    },
    'iam:ListSAMLProviderTags': {
      success: 'list',
      setup: samlProvider,
      op: (name) => read('samlProviderTags', { samlProviderArn: ['String!', samlArn(name)] }),
    },
    'iam:DeleteVirtualMFADevice': {
      success: 'DeleteVirtualMFADeviceSuccess',
      setup: async (server, name) => {
        const device = await root(server, 'createVirtualMFADevice', 'CreateVirtualMFADeviceInput', { virtualMFADeviceName: name, tags: [TAG] }, '... on CreateVirtualMFADeviceSuccess { serialNumber }');
        return { serialNumber: device['serialNumber'] };
      },
      op: (_name, v) => mutation('deleteVirtualMFADevice', 'DeleteVirtualMFADeviceInput', { serialNumber: v['serialNumber'] }),
    },
    'iam:CreateVirtualMFADevice': {
      success: 'CreateVirtualMFADeviceSuccess',
      op: (name) => mutation('createVirtualMFADevice', 'CreateVirtualMFADeviceInput', { virtualMFADeviceName: name, tags: [TAG] }),
    },
    'sts:AssumeRole': {
      success: 'AssumeRoleSuccess',
      setup: role,
      op: (name) =>
        mutation('assumeRole', 'AssumeRoleInput', {
          roleArn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
          roleSessionName: 'sess-1',
          externalId: 'ext-1',
          sourceIdentity: 'src-1',
          tags: [TAG],
          transitiveTagKeys: ['team'],
        }),
    },
  };
}

/** Every driven action, by name. */
export const SCENARIOS: Readonly<Record<string, Scenario>> = Object.fromEntries(
  Object.entries({ ...principalScenarios('user'), ...principalScenarios('role'), ...credentialScenarios(), ...otherScenarios(), ...readScenarios() }).map(([action, s]) => [
    action,
    { ...s, shared },
  ]),
);
