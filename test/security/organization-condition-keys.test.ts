/**
 * The Organizations operations' own checks see the condition keys AWS fills for them:
 * organizations:PolicyType (the type of the policy created, attached, listed or acted on) and
 * aws:ResourceTag/* of the policy or account acted on (CreateAccount's and CreatePolicy's tags,
 * which are stored). Over real HTTP with management-account users whose policies condition on
 * them: a Deny on the key refuses the operation and changes nothing; the same operation on a
 * resource the condition does not match succeeds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/server.ts';
import { accessKeyFor, createUser, errorCode, ok, ROOT, send, startIdentityServer } from '../identity/support/server.ts';
import { SCP_DOC } from './support/operation-table.ts';

let server: TestServer;
let rootId: string;
let red: string;
let blue: string;
let prodScp: string;
let plainScp: string;
let rcp: string;
/** Allowed everything in Organizations but policies of any type other than SCPs. */
let scpOnly: string;
/** Allowed everything in Organizations but what acts on resources tagged team=blue or env=prod. */
let notBlue: string;

const RCP_DOC = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:DeleteObject', Resource: '*' }] });
const POLICY_ACTIONS = [
  'organizations:CreatePolicy',
  'organizations:UpdatePolicy',
  'organizations:DeletePolicy',
  'organizations:DescribePolicy',
  'organizations:AttachPolicy',
  'organizations:DetachPolicy',
  'organizations:ListPolicies',
  'organizations:ListPoliciesForTarget',
  'organizations:ListTargetsForPolicy',
];

/** A mutation's result object, sent with `authorization`. */
async function mutate(authorization: string, field: string, input: Record<string, unknown>, selection = ''): Promise<Record<string, any>> {
  const type = `${field[0]!.toUpperCase()}${field.slice(1)}Input`;
  const data = await ok(server, authorization, `mutation($i: ${type}!) { ${field}(input: $i) { __typename ... on ResultError { code message } ${selection} } }`, { i: input });
  return data[field];
}

async function createAccount(name: string, tags: Array<{ key: string; value: string }>): Promise<string> {
  const created = await mutate(ROOT, 'createAccount', { accountName: name, email: `${name.toLowerCase()}@example.com`, tags }, '... on CreateAccountSuccess { account { id } }');
  expect(created['__typename'], JSON.stringify(created)).toBe('CreateAccountSuccess');
  return created['account'].id;
}

async function createPolicy(authorization: string, name: string, type: string, tags: Array<{ key: string; value: string }> = []): Promise<Record<string, any>> {
  return mutate(authorization, 'createOrganizationPolicy', { name, type, content: type === 'SERVICE_CONTROL_POLICY' ? SCP_DOC : RCP_DOC, tags }, '... on CreateOrganizationPolicySuccess { policy { id } }');
}

async function policiesOf(accountId: string): Promise<string[]> {
  const data = await ok(server, ROOT, `{ organizationAccount(accountId: "${accountId}") { policies { id } } }`);
  return (data['organizationAccount'].policies as Array<{ id: string }>).map((p) => p.id).sort();
}

beforeAll(async () => {
  server = await startIdentityServer();
  rootId = (await ok(server, ROOT, '{ organizationRoots { id } }'))['organizationRoots'][0].id;
  red = await createAccount('Red', [{ key: 'team', value: 'red' }]);
  blue = await createAccount('Blue', [{ key: 'team', value: 'blue' }]);
  prodScp = (await createPolicy(ROOT, 'ProdScp', 'SERVICE_CONTROL_POLICY', [{ key: 'env', value: 'prod' }]))['policy'].id;
  plainScp = (await createPolicy(ROOT, 'PlainScp', 'SERVICE_CONTROL_POLICY'))['policy'].id;
  rcp = (await createPolicy(ROOT, 'SomeRcp', 'RESOURCE_CONTROL_POLICY'))['policy'].id;
  await createUser(server, 'scp-only', {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 'organizations:*', Resource: '*' },
      { Effect: 'Deny', Action: POLICY_ACTIONS, Resource: '*', Condition: { StringNotEquals: { 'organizations:PolicyType': 'SERVICE_CONTROL_POLICY' } } },
    ],
  });
  scpOnly = (await accessKeyFor(server, 'scp-only')).header;
  await createUser(server, 'not-blue', {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 'organizations:*', Resource: '*' },
      { Effect: 'Deny', Action: 'organizations:*', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/team': 'blue' } } },
      { Effect: 'Deny', Action: 'organizations:*', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/env': 'prod' } } },
    ],
  });
  notBlue = (await accessKeyFor(server, 'not-blue')).header;
}, 120_000);
afterAll(async () => {
  await server?.dispose();
});

describe('account tags', () => {
  it('keeps the tags CreateAccount was given and shows them on the account', async () => {
    const data = await ok(server, ROOT, `{ organizationAccount(accountId: "${blue}") { tags { key value } } }`);
    expect(data['organizationAccount'].tags).toEqual([{ key: 'team', value: 'blue' }]);
  });
});

describe('organizations:PolicyType', () => {
  it('CreatePolicy: refused for an RCP, admitted for an SCP', async () => {
    const refused = await createPolicy(scpOnly, 'NotAllowedRcp', 'RESOURCE_CONTROL_POLICY');
    expect(refused['__typename']).toBe('AccessDenied');
    expect(refused['message']).toContain('organizations:CreatePolicy');
    const list = await ok(server, ROOT, '{ organizationPolicies(filter: RESOURCE_CONTROL_POLICY) { items { name } } }');
    expect((list['organizationPolicies'].items as Array<{ name: string }>).map((p) => p.name)).not.toContain('NotAllowedRcp');
    expect((await createPolicy(scpOnly, 'AllowedScp', 'SERVICE_CONTROL_POLICY'))['__typename']).toBe('CreateOrganizationPolicySuccess');
  });

  it('AttachPolicy and DetachPolicy: the policy\'s type decides, on the policy and on the target', async () => {
    const refused = await mutate(scpOnly, 'attachOrganizationPolicy', { policyId: rcp, targetId: red });
    expect(refused['__typename']).toBe('AccessDenied');
    expect(await policiesOf(red)).not.toContain(rcp);
    expect((await mutate(scpOnly, 'attachOrganizationPolicy', { policyId: plainScp, targetId: red }))['__typename']).toBe('AttachOrganizationPolicySuccess');
    expect(await policiesOf(red)).toContain(plainScp);
    expect((await mutate(ROOT, 'attachOrganizationPolicy', { policyId: rcp, targetId: red }))['__typename']).toBe('AttachOrganizationPolicySuccess');
    expect((await mutate(scpOnly, 'detachOrganizationPolicy', { policyId: rcp, targetId: red }))['__typename']).toBe('AccessDenied');
    expect(await policiesOf(red)).toContain(rcp);
    expect((await mutate(scpOnly, 'detachOrganizationPolicy', { policyId: plainScp, targetId: red }))['__typename']).toBe('DetachOrganizationPolicySuccess');
  });

  it('ListPolicies and ListPoliciesForTarget: the filter is the type', async () => {
    expect(errorCode(await send(server, scpOnly, '{ organizationPolicies(filter: RESOURCE_CONTROL_POLICY) { items { id } } }'))).toBe('ACCESS_DENIED');
    expect((await ok(server, scpOnly, '{ organizationPolicies(filter: SERVICE_CONTROL_POLICY) { items { id } } }'))['organizationPolicies'].items.length).toBeGreaterThan(0);
    const forTarget = (filter: string) => `{ organizationPoliciesForTarget(targetId: "${rootId}", filter: ${filter}) { items { id } } }`;
    expect(errorCode(await send(server, scpOnly, forTarget('RESOURCE_CONTROL_POLICY')))).toBe('ACCESS_DENIED');
    await ok(server, scpOnly, forTarget('SERVICE_CONTROL_POLICY'));
  });

  it("an account's policies field: refused for the RCPs only, the rest of the answer kept", async () => {
    const response = await send(server, scpOnly, `{ organizationAccount(accountId: "${red}") { id scps: policies(filter: SERVICE_CONTROL_POLICY) { id } rcps: policies(filter: RESOURCE_CONTROL_POLICY) { id } } }`);
    expect(errorCode(response)).toBe('ACCESS_DENIED');
    expect(response.body.errors?.[0]?.path).toEqual(['organizationAccount', 'rcps']);
    const account = response.body.data?.['organizationAccount'] as { id: string; scps: unknown[]; rcps: unknown } | null;
    expect(account).toMatchObject({ id: red, rcps: null });
    expect(account?.scps.length).toBeGreaterThan(0);
  });

  it('DescribePolicy, UpdatePolicy, DeletePolicy and ListTargetsForPolicy: the stored type decides', async () => {
    expect(errorCode(await send(server, scpOnly, `{ organizationPolicy(policyId: "${rcp}") { id } }`))).toBe('ACCESS_DENIED');
    expect(errorCode(await send(server, scpOnly, `{ organizationPolicyTargets(policyId: "${rcp}") { items { targetId } } }`))).toBe('ACCESS_DENIED');
    expect((await mutate(scpOnly, 'updateOrganizationPolicy', { policyId: rcp, description: 'changed' }))['__typename']).toBe('AccessDenied');
    expect((await ok(server, ROOT, `{ organizationPolicy(policyId: "${rcp}") { description } }`))['organizationPolicy'].description).toBe('');
    expect((await ok(server, scpOnly, `{ organizationPolicy(policyId: "${plainScp}") { id } }`))['organizationPolicy'].id).toBe(plainScp);
    expect((await mutate(scpOnly, 'updateOrganizationPolicy', { policyId: plainScp, description: 'changed' }))['__typename']).toBe('UpdateOrganizationPolicySuccess');
  });
});

describe('aws:ResourceTag/*', () => {
  it("an account's tags: DescribeAccount and CloseAccount refused on the tagged account, admitted on another", async () => {
    expect(errorCode(await send(server, notBlue, `{ organizationAccount(accountId: "${blue}") { id } }`))).toBe('ACCESS_DENIED');
    expect((await ok(server, notBlue, `{ organizationAccount(accountId: "${red}") { id } }`))['organizationAccount'].id).toBe(red);
    const refused = await mutate(notBlue, 'closeAccount', { accountId: blue });
    expect(refused['__typename']).toBe('AccessDenied');
    expect((await ok(server, ROOT, `{ organizationAccount(accountId: "${blue}") { state } }`))['organizationAccount'].state).toBe('ACTIVE');
  });

  it("a target account's tags: AttachPolicy and MoveAccount refused on the tagged account", async () => {
    expect((await mutate(notBlue, 'attachOrganizationPolicy', { policyId: plainScp, targetId: blue }))['__typename']).toBe('AccessDenied');
    expect(await policiesOf(blue)).not.toContain(plainScp);
    const ou = await mutate(ROOT, 'createOrganizationalUnit', { parentId: rootId, name: 'Elsewhere' }, '... on CreateOrganizationalUnitSuccess { organizationalUnit { id } }');
    const moved = await mutate(notBlue, 'moveAccount', { accountId: blue, sourceParentId: rootId, destinationParentId: ou['organizationalUnit'].id });
    expect(moved['__typename']).toBe('AccessDenied');
    expect((await ok(server, ROOT, `{ organizationAccount(accountId: "${blue}") { parent { id } } }`))['organizationAccount'].parent.id).toBe(rootId);
  });

  it("a policy's tags: UpdatePolicy, AttachPolicy and DescribePolicy refused on the tagged policy, admitted on another", async () => {
    expect((await mutate(notBlue, 'updateOrganizationPolicy', { policyId: prodScp, description: 'changed' }))['__typename']).toBe('AccessDenied');
    expect((await mutate(notBlue, 'attachOrganizationPolicy', { policyId: prodScp, targetId: red }))['__typename']).toBe('AccessDenied');
    expect(await policiesOf(red)).not.toContain(prodScp);
    expect(errorCode(await send(server, notBlue, `{ organizationPolicy(policyId: "${prodScp}") { id } }`))).toBe('ACCESS_DENIED');
    expect((await mutate(notBlue, 'updateOrganizationPolicy', { policyId: plainScp, description: 'again' }))['__typename']).toBe('UpdateOrganizationPolicySuccess');
  });
});

describe('TagResource, UntagResource and ListTagsForResource', () => {
  const tagsOf = async (authorization: string, resourceId: string) => (await ok(server, authorization, `{ organizationResourceTags(resourceId: "${resourceId}") { key value } }`))['organizationResourceTags'];

  it('tags and untags the root, an OU, an account and a customer policy, each seen by ListTagsForResource and its tags field', async () => {
    const ou = await mutate(ROOT, 'createOrganizationalUnit', { parentId: rootId, name: 'Tagged' }, '... on CreateOrganizationalUnitSuccess { organizationalUnit { id } }');
    const ouId: string = ou['organizationalUnit'].id;
    for (const [resourceId, type] of [[rootId, 'ROOT'], [ouId, 'ORGANIZATIONAL_UNIT'], [red, 'ACCOUNT'], [plainScp, 'POLICY']] as const) {
      const tagged = await mutate(ROOT, 'tagOrganizationResource', { resourceId, tags: [{ key: 'cost-centre', value: '42' }, { key: 'owner', value: 'ops' }] }, '... on TagOrganizationResourceSuccess { revision resource { type tags { key value } } }');
      expect(tagged['__typename'], JSON.stringify(tagged)).toBe('TagOrganizationResourceSuccess');
      expect(tagged['resource'].type).toBe(type);
      expect(tagged['revision']).toMatch(/^\d+$/);
      const untagged = await mutate(ROOT, 'untagOrganizationResource', { resourceId, tagKeys: ['OWNER', 'absent'] }, '... on UntagOrganizationResourceSuccess { resource { tags { key } } }');
      expect(untagged['__typename'], JSON.stringify(untagged)).toBe('UntagOrganizationResourceSuccess');
      const expected = [...(type === 'ACCOUNT' ? [{ key: 'team', value: 'red' }] : []), { key: 'cost-centre', value: '42' }];
      expect(await tagsOf(ROOT, resourceId)).toEqual(expected);
    }
    const fields = await ok(server, ROOT, `{ organizationRoots { tags { key } } organizationalUnit(organizationalUnitId: "${ouId}") { tags { key } } organizationPolicy(policyId: "${plainScp}") { tags { key } } }`);
    expect(fields['organizationRoots'][0].tags).toEqual([{ key: 'cost-centre' }]);
    expect(fields['organizationalUnit'].tags).toEqual([{ key: 'cost-centre' }]);
    expect(fields['organizationPolicy'].tags).toEqual([{ key: 'cost-centre' }]);
  });

  it('refuses a tag on a tagged resource a Deny on aws:ResourceTag protects, and a key a Deny on aws:TagKeys names, changing nothing', async () => {
    const onBlue = await mutate(notBlue, 'tagOrganizationResource', { resourceId: blue, tags: [{ key: 'team', value: 'red' }] });
    expect(onBlue['__typename']).toBe('AccessDenied');
    expect(onBlue['message']).toContain('organizations:TagResource');
    expect(await tagsOf(ROOT, blue)).toEqual([{ key: 'team', value: 'blue' }]);
    await createUser(server, 'no-owner-tags', {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'organizations:*', Resource: '*' },
        { Effect: 'Deny', Action: ['organizations:TagResource', 'organizations:UntagResource'], Resource: '*', Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'owner' } } },
      ],
    });
    const noOwner = (await accessKeyFor(server, 'no-owner-tags')).header;
    expect((await mutate(noOwner, 'tagOrganizationResource', { resourceId: red, tags: [{ key: 'owner', value: 'me' }] }))['__typename']).toBe('AccessDenied');
    expect((await mutate(noOwner, 'untagOrganizationResource', { resourceId: red, tagKeys: ['owner'] }))['__typename']).toBe('AccessDenied');
    expect((await mutate(noOwner, 'tagOrganizationResource', { resourceId: red, tags: [{ key: 'stage', value: 'dev' }] }))['__typename']).toBe('TagOrganizationResourceSuccess');
    expect((await tagsOf(ROOT, red)).map((t: { key: string }) => t.key)).not.toContain('owner');
  });

  it('a tags field the caller may not list is null with ACCESS_DENIED at its path, the rest kept', async () => {
    await createUser(server, 'describe-only', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'organizations:DescribeAccount', Resource: '*' }] });
    const describeOnly = (await accessKeyFor(server, 'describe-only')).header;
    const response = await send(server, describeOnly, `{ organizationAccount(accountId: "${red}") { id tags { key } } }`);
    expect(errorCode(response)).toBe('ACCESS_DENIED');
    expect(response.body.errors?.[0]?.path).toEqual(['organizationAccount', 'tags']);
    expect(response.body.data?.['organizationAccount']).toEqual({ id: red, tags: null });
  });

  it('bad input is a typed error naming the field, and changes nothing', async () => {
    const before = await tagsOf(ROOT, red);
    const badId = await mutate(ROOT, 'tagOrganizationResource', { resourceId: 'not-an-id', tags: [{ key: 'a', value: 'b' }] }, '... on ValidationError { field }');
    expect(badId).toMatchObject({ __typename: 'ValidationError', field: 'input.resourceId' });
    const managed = await mutate(ROOT, 'tagOrganizationResource', { resourceId: 'p-FullAWSAccess', tags: [{ key: 'a', value: 'b' }] }, '... on ValidationError { field }');
    expect(managed).toMatchObject({ __typename: 'ValidationError', field: 'input.resourceId' });
    expect(managed['message']).toContain('AWS managed');
    const badKey = await mutate(ROOT, 'tagOrganizationResource', { resourceId: red, tags: [{ key: 'aws:reserved', value: 'b' }] }, '... on ValidationError { field }');
    expect(badKey['__typename']).toBe('ValidationError');
    expect(badKey['field']).toContain('input.tags[0].key');
    const tooMany = Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    expect((await mutate(ROOT, 'tagOrganizationResource', { resourceId: red, tags: tooMany }))['__typename']).toBe('LimitExceeded');
    const missing = await mutate(ROOT, 'tagOrganizationResource', { resourceId: 'ou-abcd-zzzzzzzz', tags: [{ key: 'a', value: 'b' }] });
    expect(missing['__typename']).toBe('NoSuchEntity');
    expect(await tagsOf(ROOT, red)).toEqual(before);
  });
});
