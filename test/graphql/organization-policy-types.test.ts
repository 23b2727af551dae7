/**
 * EnablePolicyType and DisablePolicyType over HTTP. Disabling a type detaches every policy of it
 * and lifts it at once (a member account's Deny SCP stops denying, on the next request); while it
 * is disabled none can be attached and new targets get only the other type's default. Enabling
 * attaches the AWS managed full-access policy to the root, every OU and every account, not the
 * policies detached before, as AWS does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/server.ts';
import { accessKeyFor, allow, createUser, memberAccountSession, ok, send, startIdentityServer, write } from '../identity/support/server.ts';

const DENY_EC2 = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'ec2:*', Resource: '*' }] });
const ROOTS = '{ organizationRoots { id policyTypes { type status } policies { id } } }';
const ENABLE = `mutation($i: EnablePolicyTypeInput!) { enablePolicyType(input: $i) {
  __typename ... on EnablePolicyTypeSuccess { revision root { policyTypes { type } } } ... on ConstraintViolation { reason } ... on ValidationError { field } ... on ResultError { message } } }`;
const DISABLE = `mutation($i: DisablePolicyTypeInput!) { disablePolicyType(input: $i) {
  __typename ... on DisablePolicyTypeSuccess { revision root { policyTypes { type } } } ... on ConstraintViolation { reason } ... on ValidationError { field rule } ... on ResultError { message } } }`;
const ATTACH = `mutation($i: AttachOrganizationPolicyInput!) { attachOrganizationPolicy(input: $i) {
  __typename ... on WriteSuccess { revision } ... on ConstraintViolation { reason } ... on ResultError { message } } }`;
const AUTHORIZE = 'mutation { authorize(input: { action: "ec2:RunInstances", resourceArn: "*" }) { __typename ... on Decision { decision } } }';
const POLICIES_OF = `query($id: String!) { organizationalUnit(organizationalUnitId: $id) { policies { id } } }`;

describe('enablePolicyType and disablePolicyType', () => {
  let server: TestServer;
  let admin: string;
  let member: string;
  let memberAccount: string;
  let rootId: string;
  let denyEc2: string;
  let ouMadeWhileDisabled: string;

  const decisionOfMember = async () => ((await ok(server, member, AUTHORIZE))['authorize'] as { decision: string }).decision;
  const roots = async () => (await ok(server, admin, ROOTS))['organizationRoots'][0] as { id: string; policyTypes: Array<{ type: string; status: string }>; policies: Array<{ id: string }> };
  const accountScps = async () =>
    ((await ok(server, admin, 'query($id: String!) { organizationAccount(accountId: $id) { policies(filter: SERVICE_CONTROL_POLICY) { id } } }', { id: memberAccount }))['organizationAccount'].policies as Array<{ id: string }>)
      .map((p) => p.id)
      .sort();

  beforeAll(async () => {
    server = await startIdentityServer({ LOG_LEVEL: 'warn' });
    await createUser(server, 'admin', allow('*'));
    admin = (await accessKeyFor(server, 'admin')).header;
    rootId = (await roots()).id;
    ({ accountId: memberAccount, header: member } = await memberAccountSession(server, admin, 'Team P', 'team-p@example.com'));
    const scp = await write(server, admin, 'mutation($i: CreateOrganizationPolicyInput!) { createOrganizationPolicy(input: $i) { __typename ... on CreateOrganizationPolicySuccess { revision policy { id } } ... on ResultError { message } } }', {
      i: { name: 'NoEc2', type: 'SERVICE_CONTROL_POLICY', content: DENY_EC2 },
    });
    denyEc2 = scp['policy'].id;
    await write(server, admin, ATTACH, { i: { policyId: denyEc2, targetId: memberAccount } });
  }, 120_000);
  afterAll(async () => {
    await server?.dispose();
  });

  it('the root starts with both types enabled, and the SCP denies in the member account', async () => {
    expect((await roots()).policyTypes).toEqual([
      { type: 'SERVICE_CONTROL_POLICY', status: 'ENABLED' },
      { type: 'RESOURCE_CONTROL_POLICY', status: 'ENABLED' },
    ]);
    expect(await decisionOfMember()).toBe('EXPLICIT_DENY');
  });

  it('disabling SCPs detaches every SCP and lifts them; none can be attached, and a new OU gets only RCPFullAWSAccess', async () => {
    const disabled = await write(server, admin, DISABLE, { i: { rootId, policyType: 'SERVICE_CONTROL_POLICY' } });
    expect(disabled['root'].policyTypes).toEqual([{ type: 'RESOURCE_CONTROL_POLICY' }]);
    expect((await roots()).policies.map((p) => p.id)).toEqual(['p-RCPFullAWSAccess']);
    expect(await accountScps()).toEqual([]);
    expect(await decisionOfMember()).toBe('ALLOWED');

    const attach = (await ok(server, admin, ATTACH, { i: { policyId: denyEc2, targetId: memberAccount } }))['attachOrganizationPolicy'];
    expect(attach).toMatchObject({ __typename: 'ConstraintViolation', reason: 'POLICY_TYPE_NOT_ENABLED' });
    const again = (await ok(server, admin, DISABLE, { i: { rootId, policyType: 'SERVICE_CONTROL_POLICY' } }))['disablePolicyType'];
    expect(again).toMatchObject({ __typename: 'ConstraintViolation', reason: 'POLICY_TYPE_NOT_ENABLED' });

    const ou = await write(server, admin, 'mutation($i: CreateOrganizationalUnitInput!) { createOrganizationalUnit(input: $i) { __typename ... on CreateOrganizationalUnitSuccess { revision organizationalUnit { id } } ... on ResultError { message } } }', {
      i: { parentId: rootId, name: 'MadeWhileDisabled' },
    });
    ouMadeWhileDisabled = ou['organizationalUnit'].id;
    expect((await ok(server, admin, POLICIES_OF, { id: ouMadeWhileDisabled }))['organizationalUnit'].policies).toEqual([{ id: 'p-RCPFullAWSAccess' }]);
    expect(await decisionOfMember()).toBe('ALLOWED');
  });

  it('enabling SCPs attaches FullAWSAccess to the root, every OU and every account, not the SCPs detached before', async () => {
    const enabled = await write(server, admin, ENABLE, { i: { rootId, policyType: 'SERVICE_CONTROL_POLICY' } });
    expect(enabled['root'].policyTypes.map((t: { type: string }) => t.type).sort()).toEqual(['RESOURCE_CONTROL_POLICY', 'SERVICE_CONTROL_POLICY']);
    expect((await roots()).policies.map((p) => p.id).sort()).toEqual(['p-FullAWSAccess', 'p-RCPFullAWSAccess']);
    expect((await ok(server, admin, POLICIES_OF, { id: ouMadeWhileDisabled }))['organizationalUnit'].policies.map((p: { id: string }) => p.id).sort()).toEqual([
      'p-FullAWSAccess',
      'p-RCPFullAWSAccess',
    ]);
    expect(await accountScps()).toEqual(['p-FullAWSAccess']);
    expect(await decisionOfMember()).toBe('ALLOWED');

    await write(server, admin, ATTACH, { i: { policyId: denyEc2, targetId: memberAccount } });
    expect(await decisionOfMember()).toBe('EXPLICIT_DENY');
    const again = (await ok(server, admin, ENABLE, { i: { rootId, policyType: 'SERVICE_CONTROL_POLICY' } }))['enablePolicyType'];
    expect(again).toMatchObject({ __typename: 'ConstraintViolation', reason: 'POLICY_TYPE_ALREADY_ENABLED' });
  });

  it('names a malformed or unknown root, and refuses a member account and a caller without the action', async () => {
    const malformed = (await ok(server, admin, ENABLE, { i: { rootId: 'root-1', policyType: 'RESOURCE_CONTROL_POLICY' } }))['enablePolicyType'];
    expect(malformed).toMatchObject({ __typename: 'ValidationError', field: 'input.rootId' });
    const unknown = (await ok(server, admin, ENABLE, { i: { rootId: 'r-zzzz', policyType: 'RESOURCE_CONTROL_POLICY' } }))['enablePolicyType'];
    expect(unknown.__typename).toBe('NoSuchEntity');
    // An OU is not a root: disabling "in" one is refused, and the type stays enabled.
    const notRoot = (await ok(server, admin, DISABLE, { i: { rootId: ouMadeWhileDisabled, policyType: 'RESOURCE_CONTROL_POLICY' } }))['disablePolicyType'];
    expect(notRoot).toMatchObject({ __typename: 'ValidationError', field: 'input.rootId', rule: 'pattern' });
    expect((await roots()).policyTypes).toContainEqual({ type: 'RESOURCE_CONTROL_POLICY', status: 'ENABLED' });

    expect((await ok(server, member, DISABLE, { i: { rootId, policyType: 'SERVICE_CONTROL_POLICY' } }))['disablePolicyType'].__typename).toBe('AccessDenied');
    await createUser(server, 'viewer', allow(['organizations:Describe*', 'organizations:List*']));
    const viewer = (await accessKeyFor(server, 'viewer')).header;
    const refused = await send(server, viewer, DISABLE, { i: { rootId, policyType: 'SERVICE_CONTROL_POLICY' } });
    expect(refused.body.data?.['disablePolicyType']).toMatchObject({ __typename: 'AccessDenied' });
    // Nothing changed: SCPs still bind.
    expect(await decisionOfMember()).toBe('EXPLICIT_DENY');
  });
});
