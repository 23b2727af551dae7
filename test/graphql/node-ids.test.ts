/**
 * Every Node type over HTTP: one of each is created, its `id` read where the API shows it, and
 * `node(id:)` / `nodes(ids:)` must give the same object back; a caller refused the read that
 * shows an object gets null with ACCESS_DENIED at that object's path (the others still resolve);
 * ids survive renames of the entity and of its owner.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_ID, credentialsFor, startPrincipalsServer, type PrincipalsServer } from './support/principals.ts';

let s: PrincipalsServer;
/** Each Node type's global id, read from the field that shows the object. */
let ids: Record<string, string>;
let userId: string;
/** The device's id as createVirtualMFADevice returned it. */
let createdDeviceId: string;

const DOC = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
const POLICY_ARN = `arn:aws:iam::${ACCOUNT_ID}:policy/NodePolicy`;
const OIDC_ARN = `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/nodes.example.com`;
const MFA_SERIAL = `arn:aws:iam::${ACCOUNT_ID}:mfa/nina-phone`;

/** A root mutation that must succeed. */
async function write(field: string, input: Record<string, unknown>): Promise<void> {
  const type = `${field[0]!.toUpperCase()}${field.slice(1)}Input`;
  const data = await s.root(`mutation($i: ${type}!) { ${field}(input: $i) { __typename } }`, { i: input });
  expect(data[field].__typename, field).toMatch(/Success$/);
}

beforeAll(async () => {
  s = await startPrincipalsServer();
  await write('createUser', { userName: 'nina', path: '/nodes/' });
  await write('createGroup', { groupName: 'ninjas' });
  await write('createRole', {
    roleName: 'Runner',
    assumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
  });
  await write('createPolicy', { policyName: 'NodePolicy', policyDocument: DOC });
  await write('createPolicyVersion', { policyArn: POLICY_ARN, policyDocument: DOC });
  await write('putUserPolicy', { userName: 'nina', policyName: 'Inline', policyDocument: DOC });
  await write('createAccessKey', { userName: 'nina' });
  await write('createLoginProfile', { userName: 'nina', password: 'Nina-Password-1!' });
  const created = await s.root('mutation { createVirtualMFADevice(input: { virtualMFADeviceName: "nina-phone" }) { ... on CreateVirtualMFADeviceSuccess { mfaDevice { id } } } }');
  createdDeviceId = created.createVirtualMFADevice.mfaDevice.id;
  await write('createOpenIDConnectProvider', { url: 'https://nodes.example.com', clientIdList: ['app'] });

  const read = await s.root(`{
    user(userName: "nina") { id userId inlinePolicies { id } accessKeys { id } loginProfile { id } }
    group(groupName: "ninjas") { id }
    role(roleName: "Runner") { id }
    policy(policyArn: "${POLICY_ARN}") { id versions { id versionId } }
    virtualMFADevices(assignmentStatus: UNASSIGNED) { edges { node { id serialNumber } } }
    openIDConnectProvider(openIDConnectProviderArn: "${OIDC_ARN}") { id }
  }`);
  userId = read.user.userId;
  const device = read.virtualMFADevices.edges.map((e: any) => e.node).find((d: any) => d.serialNumber === MFA_SERIAL);
  ids = {
    User: read.user.id,
    Group: read.group.id,
    Role: read.role.id,
    ManagedPolicy: read.policy.id,
    PolicyVersion: read.policy.versions.find((v: any) => v.versionId === 'v1').id,
    InlinePolicy: read.user.inlinePolicies[0].id,
    AccessKey: read.user.accessKeys[0].id,
    LoginProfile: read.user.loginProfile.id,
    MFADevice: device.id,
    OpenIDConnectProvider: read.openIDConnectProvider.id,
  };
}, 60_000);
afterAll(async () => {
  await s?.server.dispose();
});

/** One row per Node type: a field it shows, and that field's value for the object created above. */
const NODE_TYPES: ReadonlyArray<{ type: string; selection: string; expected: (names: { user: string; group: string }) => Record<string, unknown> }> = [
  { type: 'User', selection: 'userName', expected: ({ user }) => ({ userName: user }) },
  { type: 'Group', selection: 'groupName', expected: ({ group }) => ({ groupName: group }) },
  { type: 'Role', selection: 'roleName', expected: () => ({ roleName: 'Runner' }) },
  { type: 'ManagedPolicy', selection: 'policyName', expected: () => ({ policyName: 'NodePolicy' }) },
  { type: 'PolicyVersion', selection: 'versionId policy { policyName }', expected: () => ({ versionId: 'v1', policy: { policyName: 'NodePolicy' } }) },
  {
    type: 'InlinePolicy',
    selection: 'policyName owner { __typename ... on User { userName } }',
    expected: ({ user }) => ({ policyName: 'Inline', owner: { __typename: 'User', userName: user } }),
  },
  { type: 'AccessKey', selection: 'userName user { userName }', expected: ({ user }) => ({ userName: user, user: { userName: user } }) },
  { type: 'LoginProfile', selection: 'userName user { userName }', expected: ({ user }) => ({ userName: user, user: { userName: user } }) },
  { type: 'MFADevice', selection: 'serialNumber user { userName }', expected: () => ({ serialNumber: MFA_SERIAL, user: null }) },
  { type: 'OpenIDConnectProvider', selection: 'arn', expected: () => ({ arn: OIDC_ARN }) },
];

const NODE = (type: string, selection: string) => `query($id: ID!) { node(id: $id) { __typename id ... on ${type} { ${selection} } } }`;

describe('node(id:) over every Node type', () => {
  it.each(NODE_TYPES)('$type resolves to the same object', async ({ type, selection, expected }) => {
    const { node } = await s.root(NODE(type, selection), { id: ids[type] });
    expect(node).toEqual({ __typename: type, id: ids[type], ...expected({ user: 'nina', group: 'ninjas' }) });
  });

  it('a created object carries the id its reads show', async () => {
    expect(createdDeviceId).toBe(ids['MFADevice']);
  });

  it('nodes(ids:) resolves them all, in order, in one request', async () => {
    const selections = NODE_TYPES.map(({ type, selection }) => `... on ${type} { ${selection} }`).join(' ');
    const { nodes } = await s.root(`query($ids: [ID!]!) { nodes(ids: $ids) { __typename ${selections} } }`, { ids: NODE_TYPES.map(({ type }) => ids[type]) });
    expect(nodes.map((n: { __typename: string }) => n.__typename)).toEqual(NODE_TYPES.map(({ type }) => type));
    NODE_TYPES.forEach(({ expected }, i) => expect(nodes[i]).toMatchObject(expected({ user: 'nina', group: 'ninjas' })));
  });

  it('an id naming nothing resolves to null, for every type', async () => {
    const missing = (type: string, raw: string) => Buffer.from(`${type}:${raw}`).toString('base64');
    const unknown = [
      missing('AccessKey', 'AKIAAAAAAAAAAAAAAAAA'),
      missing('LoginProfile', 'AIDAAAAAAAAAAAAAAAAAA'),
      missing('MFADevice', `arn:aws:iam::${ACCOUNT_ID}:mfa/nobody`),
      missing('OpenIDConnectProvider', `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/nowhere.example.com`),
      missing('PolicyVersion', `${Buffer.from(ids['PolicyVersion']!, 'base64').toString().split(':')[1]!.split('/')[0]}/v9`),
      missing('InlinePolicy', `${userId}/NoSuchPolicy`),
    ];
    const response = await s.rootRaw('query($ids: [ID!]!) { nodes(ids: $ids) { __typename } }', { ids: unknown });
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data).toEqual({ nodes: unknown.map(() => null) });
  });

  it("the root user's access key has no User (the root user is none) and names `root`", async () => {
    const { accessKeys } = await s.root('{ accessKeys { id userName user { userName } } }');
    expect(accessKeys[0]).toMatchObject({ userName: 'root', user: null });
    expect((await s.root(NODE('AccessKey', 'userName'), { id: accessKeys[0].id })).node).toMatchObject({ __typename: 'AccessKey', userName: 'root' });
  });
});

describe('refusals', () => {
  it('a caller refused the read that shows an object gets null and ACCESS_DENIED at its path; the others resolve', async () => {
    // Allowed GetUser only: the user resolves, every other object is refused on its own.
    await write('createUser', { userName: 'outsider' });
    const { user } = await s.root('{ user(userName: "outsider") { userId } }');
    const headers = await credentialsFor(s.server, user.userId, { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }] });
    const order = NODE_TYPES.map(({ type }) => type);
    const response = await s.server.gql<any>('query($ids: [ID!]!) { nodes(ids: $ids) { __typename } }', { ids: order.map((type) => ids[type]) }, headers);
    expect(response.body.data?.nodes).toEqual(order.map((type) => (type === 'User' ? { __typename: 'User' } : null)));
    const refusedAt = (response.body.errors ?? []).map((e) => ({ path: e.path, code: e.extensions?.['code'] }));
    expect(refusedAt).toEqual(
      expect.arrayContaining(order.flatMap((type, i) => (type === 'User' ? [] : [{ path: ['nodes', i], code: 'ACCESS_DENIED' }]))),
    );
    expect(refusedAt).toHaveLength(order.length - 1);

    for (const { type } of NODE_TYPES.filter(({ type }) => type !== 'User')) {
      const one = await s.server.gql<any>('query($id: ID!) { node(id: $id) { __typename } }', { id: ids[type] }, headers);
      expect(one.body.data, type).toEqual({ node: null });
      expect(one.body.errors?.map((e) => ({ path: e.path, code: e.extensions?.['code'] })), type).toEqual([{ path: ['node'], code: 'ACCESS_DENIED' }]);
    }
  });

  it('a refused credential field of a user nulls only that field', async () => {
    await write('createUser', { userName: 'keyreader' });
    const { user } = await s.root('{ user(userName: "keyreader") { userId } }');
    const headers = await credentialsFor(s.server, user.userId, {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['iam:GetUser', 'iam:ListAccessKeys'], Resource: '*' }],
    });
    const response = await s.server.gql<any>(
      'query($id: ID!) { node(id: $id) { ... on User { userName accessKeys { accessKeyId } mfaDevices { serialNumber } loginProfile { createDate } } } }',
      { id: ids['User'] },
      headers,
    );
    expect(response.body.data?.node).toMatchObject({ userName: 'nina', mfaDevices: null, loginProfile: null });
    expect(response.body.data?.node.accessKeys).toHaveLength(1);
    expect(response.body.errors?.map((e) => e.path)).toEqual(expect.arrayContaining([['node', 'mfaDevices'], ['node', 'loginProfile']]));
  });
});

describe('renames', () => {
  it('ids survive renaming a user and a group, and name the renamed entity', async () => {
    await write('updateUser', { userName: 'nina', newUserName: 'nora', newPath: '/moved/' });
    await write('updateGroup', { groupName: 'ninjas', newGroupName: 'ninjas2' });
    for (const { type, selection, expected } of NODE_TYPES) {
      const { node } = await s.root(NODE(type, selection), { id: ids[type] });
      expect(node, type).toEqual({ __typename: type, id: ids[type], ...expected({ user: 'nora', group: 'ninjas2' }) });
    }
    const { user } = await s.root('{ user(userName: "nora") { id arn inlinePolicies { id } accessKeys { id } loginProfile { id } } }');
    expect(user).toEqual({
      id: ids['User'],
      arn: `arn:aws:iam::${ACCOUNT_ID}:user/moved/nora`,
      inlinePolicies: [{ id: ids['InlinePolicy'] }],
      accessKeys: [{ id: ids['AccessKey'] }],
      loginProfile: { id: ids['LoginProfile'] },
    });
  });
});
