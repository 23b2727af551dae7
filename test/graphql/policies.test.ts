/**
 * The policy half of the directory API over real HTTP with the root access key: every policy
 * mutation's success path and typed errors, reads and pagination, policy fields on principals,
 * self-authorization (a read-only user is denied writes) and 401 without a credential.
 * PGlite, or PostgreSQL with TEST_DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccessKey } from '../../src/iam/access-keys.ts';
import { rootArn } from '../../src/iam/bootstrap.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const ACCOUNT = '111122223333';
const ROOT_KEY = 'AKIAPOLICYTESTROOT01:policy-test-root-secret-0123456789';
const ROOT = { authorization: `Basic ${Buffer.from(ROOT_KEY).toString('base64')}` };

let server: TestServer;

/** Sends an operation as root and returns `data`, failing on GraphQL errors. */
async function root<T = any>(query: string, variables?: Record<string, unknown>): Promise<T> {
  const response = await server.gql<T>(query, variables, ROOT);
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  return response.body.data as T;
}

const allow = (action: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });
const trust = (service: string) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] });

const CREATE_POLICY = `mutation ($input: CreatePolicyInput!) {
  createPolicy(input: $input) {
    __typename
    ... on CreatePolicySuccess { revision policy { arn policyId policyName path defaultVersionId isAttachable createDate } findings { findingType issueCode } }
    ... on ResultError { code message }
    ... on ValidationError { field rule }
    ... on MalformedPolicyDocument { field findings { findingType issueCode line column } }
    ... on LimitExceeded { quota limit }
    ... on EntityAlreadyExists { entityName }
  }
}`;

async function createPolicy(input: Record<string, unknown>) {
  return (await root(CREATE_POLICY, { input })).createPolicy;
}

beforeAll(async () => {
  server = await startTestServer({ env: { PORTCULLIS_ROOT_ACCESS_KEY: ROOT_KEY, PORTCULLIS_ACCOUNT_ID: ACCOUNT } });
  await root(`mutation {
    u1: createUser(input: { userName: "alice" }) { __typename }
    u2: createUser(input: { userName: "bob" }) { __typename }
    g: createGroup(input: { groupName: "Readers" }) { __typename }
    m: addUserToGroup(input: { groupName: "Readers", userName: "bob" }) { __typename }
  }`);
  const role = await root(`mutation ($doc: String!) { createRole(input: { roleName: "Builder", assumeRolePolicyDocument: $doc }) { __typename } }`, {
    doc: trust('codebuild.amazonaws.com'),
  });
  expect(role.createRole.__typename).toBe('CreateRoleSuccess');
}, 120_000);

afterAll(async () => {
  await server?.dispose();
});

describe('managed policies', () => {
  it('creates a policy with v1 as default and returns findings and revision', async () => {
    const created = await createPolicy({ policyName: 'ReadLogs', path: '/ops/', policyDocument: allow('logs:Get*'), description: 'read logs' });
    expect(created.__typename).toBe('CreatePolicySuccess');
    expect(created.policy).toMatchObject({ arn: `arn:aws:iam::${ACCOUNT}:policy/ops/ReadLogs`, policyName: 'ReadLogs', path: '/ops/', defaultVersionId: 'v1' });
    expect(created.policy.policyId).toMatch(/^ANPA/);
    expect(created.revision).toMatch(/^[0-9]+$/);
    const warned = await createPolicy({
      policyName: 'Broad',
      policyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }] }),
    });
    expect(warned.findings).toContainEqual({ findingType: 'SECURITY_WARNING', issueCode: 'ALLOW_WITH_NOT_ACTION' });
  });

  it('returns typed errors: EntityAlreadyExists, MalformedPolicyDocument, ValidationError, LimitExceeded', async () => {
    expect(await createPolicy({ policyName: 'readlogs', policyDocument: allow('logs:Get*') })).toMatchObject({
      __typename: 'EntityAlreadyExists',
      code: 'ENTITY_ALREADY_EXISTS',
      entityName: 'readlogs',
    });
    const malformed = await createPolicy({ policyName: 'Bad', policyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Resource":"*"}]}' });
    expect(malformed.__typename).toBe('MalformedPolicyDocument');
    expect(malformed.field).toBe('input.policyDocument');
    expect(malformed.findings[0]).toMatchObject({ findingType: 'ERROR', issueCode: 'MISSING_ACTION', line: 1 });
    expect(await createPolicy({ policyName: 'x y', policyDocument: allow('s3:*') })).toMatchObject({
      __typename: 'ValidationError',
      field: 'input.policyName',
      rule: 'pattern',
    });
    const huge = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: Array.from({ length: 400 }, (_, i) => `s3:GetThing${i}`), Resource: '*' }],
    });
    expect(await createPolicy({ policyName: 'Huge', policyDocument: huge })).toMatchObject({ __typename: 'LimitExceeded', quota: 'PolicySize', limit: 6144 });
  });

  it('reads one policy, null for a missing one, and pages through policies', async () => {
    for (const name of ['P1', 'P2', 'P3']) await createPolicy({ policyName: name, path: '/paged/', policyDocument: allow('s3:ListBucket') });
    const one = await root(`{ policy(policyArn: "arn:aws:iam::${ACCOUNT}:policy/paged/P2") { policyName defaultVersion { versionId document isDefaultVersion } } }`);
    expect(one.policy).toMatchObject({ policyName: 'P2', defaultVersion: { versionId: 'v1', isDefaultVersion: true, document: allow('s3:ListBucket') } });
    expect((await root(`{ policy(policyArn: "arn:aws:iam::${ACCOUNT}:policy/Nope") { policyName } }`)).policy).toBeNull();
    const { id } = (await root(`{ policy(policyArn: "arn:aws:iam::${ACCOUNT}:policy/paged/P2") { id } }`)).policy;
    expect((await root('query ($id: ID!) { node(id: $id) { ... on ManagedPolicy { arn } } }', { id })).node).toEqual({
      arn: `arn:aws:iam::${ACCOUNT}:policy/paged/P2`,
    });
    const page = `query ($after: String) { policies(scope: LOCAL, pathPrefix: "/paged/", first: 2, after: $after) { edges { cursor node { policyName } } pageInfo { hasNextPage endCursor } } }`;
    const first = (await root(page)).policies;
    expect(first.edges.map((e: any) => e.node.policyName)).toEqual(['P1', 'P2']);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await root(page, { after: first.pageInfo.endCursor })).policies;
    expect(second.edges.map((e: any) => e.node.policyName)).toEqual(['P3']);
    expect(second.pageInfo.hasNextPage).toBe(false);
    const builtIns = (await root('{ policies(scope: AWS, first: 100) { edges { node { arn isBuiltIn } } } }')).policies.edges;
    expect(builtIns.map((e: any) => e.node.arn)).toContain('arn:aws:iam::aws:policy/ReadOnlyAccess');
    const bad = await server.gql('{ policies(first: 0) { edges { cursor } } }', undefined, ROOT);
    expect(bad.body.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_ERROR', field: 'first' });
  });

  it('tags and untags a policy', async () => {
    const arn = (await createPolicy({ policyName: 'TagMe', policyDocument: allow('s3:GetObject'), tags: [{ key: 'team', value: 'ops' }] })).policy.arn;
    const tagged = await root(`mutation { tagPolicy(input: { policyArn: "${arn}", tags: [{ key: "env", value: "prod" }] }) {
      __typename ... on TagPolicySuccess { policy { tags { key value } } revision } } }`);
    expect(tagged.tagPolicy.policy.tags).toEqual([{ key: 'team', value: 'ops' }, { key: 'env', value: 'prod' }]);
    const untagged = await root(`mutation { untagPolicy(input: { policyArn: "${arn}", tagKeys: ["TEAM"] }) {
      __typename ... on UntagPolicySuccess { policy { tags { key } } } } }`);
    expect(untagged.untagPolicy.policy.tags).toEqual([{ key: 'env' }]);
    const missing = await root(`mutation { tagPolicy(input: { policyArn: "arn:aws:iam::${ACCOUNT}:policy/Missing", tags: [] }) { __typename } }`);
    expect(missing.tagPolicy.__typename).toBe('NoSuchEntity');
  });

  it('runs the version lifecycle: create, set default, delete, the five-version quota', async () => {
    const arn = (await createPolicy({ policyName: 'Versions', policyDocument: allow('s3:GetObject') })).policy.arn;
    const CREATE = `mutation ($input: CreatePolicyVersionInput!) { createPolicyVersion(input: $input) {
      __typename ... on CreatePolicyVersionSuccess { policyVersion { versionId isDefaultVersion } policy { defaultVersionId } revision }
      ... on LimitExceeded { quota limit } } }`;
    const v2 = (await root(CREATE, { input: { policyArn: arn, policyDocument: allow('s3:PutObject'), setAsDefault: true } })).createPolicyVersion;
    expect(v2).toMatchObject({ policyVersion: { versionId: 'v2', isDefaultVersion: true }, policy: { defaultVersionId: 'v2' } });
    for (let i = 3; i <= 5; i++) await root(CREATE, { input: { policyArn: arn, policyDocument: allow(`s3:Get${i}`) } });
    expect((await root(CREATE, { input: { policyArn: arn, policyDocument: allow('s3:Get6') } })).createPolicyVersion).toMatchObject({
      __typename: 'LimitExceeded',
      quota: 'VersionsPerPolicy',
      limit: 5,
    });
    const setDefault = await root(`mutation { setDefaultPolicyVersion(input: { policyArn: "${arn}", versionId: "v4" }) {
      __typename ... on SetDefaultPolicyVersionSuccess { policy { defaultVersionId } policyVersion { versionId isDefaultVersion } } } }`);
    expect(setDefault.setDefaultPolicyVersion).toMatchObject({ policy: { defaultVersionId: 'v4' }, policyVersion: { isDefaultVersion: true } });
    const DELETE = `mutation ($v: String!) { deletePolicyVersion(input: { policyArn: "${arn}", versionId: $v }) {
      __typename ... on DeleteConflict { entityType dependents } ... on NoSuchEntity { entityType } } }`;
    expect((await root(DELETE, { v: 'v4' })).deletePolicyVersion).toMatchObject({ __typename: 'DeleteConflict', entityType: 'POLICY_VERSION' });
    expect((await root(DELETE, { v: 'v1' })).deletePolicyVersion.__typename).toBe('DeletePolicyVersionSuccess');
    expect((await root(DELETE, { v: 'v1' })).deletePolicyVersion).toMatchObject({ __typename: 'NoSuchEntity', entityType: 'POLICY_VERSION' });
    const versions = await root(`{ policy(policyArn: "${arn}") { versions { versionId } } policyVersion(policyArn: "${arn}", versionId: "v3") { document } }`);
    expect(versions.policy.versions.map((v: any) => v.versionId)).toEqual(['v5', 'v4', 'v3', 'v2']);
    expect(versions.policyVersion.document).toBe(allow('s3:Get3'));
  });
});

describe('attachments, inline policies, boundaries and trust policies', () => {
  it('attaches to a user, group and role, shows them on the principals and the policy, and guards deletion', async () => {
    const arn = (await createPolicy({ policyName: 'Shared', policyDocument: allow('s3:GetObject') })).policy.arn;
    const attachUser = await root(`mutation { attachUserPolicy(input: { userName: "alice", policyArn: "${arn}" }) {
      __typename ... on AttachUserPolicySuccess { user { userName attachedPolicies { policyName policyArn } } policy { attachmentCount } revision } } }`);
    expect(attachUser.attachUserPolicy.user.attachedPolicies).toEqual([{ policyName: 'Shared', policyArn: arn }]);
    await root(`mutation {
      g: attachGroupPolicy(input: { groupName: "Readers", policyArn: "${arn}" }) { __typename }
      r: attachRolePolicy(input: { roleName: "Builder", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }) { __typename }
    }`);
    const policy = await root(`{ policy(policyArn: "${arn}") { attachmentCount entities { edges { node { __typename arn ... on Group { groupName } ... on User { userName } } } } } }`);
    expect(policy.policy).toEqual({
      attachmentCount: 2,
      entities: {
        edges: [
          { node: { __typename: 'Group', arn: `arn:aws:iam::${ACCOUNT}:group/Readers`, groupName: 'Readers' } },
          { node: { __typename: 'User', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, userName: 'alice' } },
        ],
      },
    });
    const role = await root('{ role(roleName: "Builder") { attachedPolicies { policy { policyName isBuiltIn } } } }');
    expect(role.role.attachedPolicies).toEqual([{ policy: { policyName: 'ReadOnlyAccess', isBuiltIn: true } }]);

    const del = await root(`mutation { deletePolicy(input: { policyArn: "${arn}" }) { __typename ... on DeleteConflict { dependents } } }`);
    expect(del.deletePolicy.__typename).toBe('DeleteConflict');
    const DETACH = `mutation { detachUserPolicy(input: { userName: "alice", policyArn: "${arn}" }) { __typename ... on NoSuchEntity { entityType } } }`;
    expect((await root(DETACH)).detachUserPolicy.__typename).toBe('DetachUserPolicySuccess');
    expect((await root(DETACH)).detachUserPolicy).toEqual({ __typename: 'NoSuchEntity', entityType: 'POLICY' });
    await root(`mutation { detachGroupPolicy(input: { groupName: "Readers", policyArn: "${arn}" }) { __typename } }`);
    expect((await root(`mutation { deletePolicy(input: { policyArn: "${arn}" }) { __typename } }`)).deletePolicy.__typename).toBe('DeletePolicySuccess');
  });

  it('refuses the eleventh policy on one principal and a missing principal', async () => {
    const ATTACH = `mutation ($arn: String!) { attachUserPolicy(input: { userName: "bob", policyArn: $arn }) {
      __typename ... on LimitExceeded { quota limit } ... on NoSuchEntity { entityType entityName } } }`;
    for (let i = 1; i <= 11; i++) {
      const arn = (await createPolicy({ policyName: `Bob${i}`, policyDocument: allow(`s3:Get${i}`) })).policy.arn;
      const result = (await root(ATTACH, { arn })).attachUserPolicy;
      expect(result.__typename).toBe(i <= 10 ? 'AttachUserPolicySuccess' : 'LimitExceeded');
      if (i > 10) expect(result).toMatchObject({ quota: 'AttachedPoliciesPerUser', limit: 10 });
    }
    const missing = await root(`mutation { attachUserPolicy(input: { userName: "nobody", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }) {
      __typename ... on NoSuchEntity { entityType entityName } } }`);
    expect(missing.attachUserPolicy).toEqual({ __typename: 'NoSuchEntity', entityType: 'USER', entityName: 'nobody' });
  });

  it('puts, reads, lists and deletes inline policies on users, groups and roles', async () => {
    const PUT = `mutation ($doc: String!) {
      u: putUserPolicy(input: { userName: "alice", policyName: "Inline", policyDocument: $doc }) {
        __typename ... on PutUserPolicySuccess { user { inlinePolicies { policyName policyDocument } } inlinePolicy { policyName } findings { issueCode } revision } }
      g: putGroupPolicy(input: { groupName: "Readers", policyName: "GroupInline", policyDocument: $doc }) { __typename }
      r: putRolePolicy(input: { roleName: "Builder", policyName: "RoleInline", policyDocument: $doc }) { __typename }
    }`;
    const put = await root(PUT, { doc: allow('sqs:SendMessage') });
    expect(put.u.user.inlinePolicies).toEqual([{ policyName: 'Inline', policyDocument: allow('sqs:SendMessage') }]);
    expect([put.g.__typename, put.r.__typename]).toEqual(['PutGroupPolicySuccess', 'PutRolePolicySuccess']);
    const read = await root('{ userPolicy(userName: "alice", policyName: "Inline") { policyName } groupPolicy(groupName: "Readers", policyName: "Missing") { policyName } }');
    expect(read).toEqual({ userPolicy: { policyName: 'Inline' }, groupPolicy: null });
    const tooBig = await root(`mutation ($doc: String!) { putUserPolicy(input: { userName: "alice", policyName: "Big", policyDocument: $doc }) {
      __typename ... on LimitExceeded { quota limit } } }`, { doc: allow(`sqs:${'X'.repeat(2000)}`) });
    expect(tooBig.putUserPolicy).toEqual({ __typename: 'LimitExceeded', quota: 'UserPolicySize', limit: 2048 });
    const malformed = await root(`mutation { putRolePolicy(input: { roleName: "Builder", policyName: "Bad", policyDocument: "{" }) {
      __typename ... on MalformedPolicyDocument { findings { issueCode } } } }`);
    expect(malformed.putRolePolicy.__typename).toBe('MalformedPolicyDocument');
    const DELETE = `mutation { deleteUserPolicy(input: { userName: "alice", policyName: "Inline" }) { __typename ... on NoSuchEntity { entityType } } }`;
    expect((await root(DELETE)).deleteUserPolicy.__typename).toBe('DeleteUserPolicySuccess');
    expect((await root(DELETE)).deleteUserPolicy).toEqual({ __typename: 'NoSuchEntity', entityType: 'INLINE_POLICY' });
  });

  it('sets and removes permissions boundaries on users and roles', async () => {
    const arn = (await createPolicy({ policyName: 'Boundary', policyDocument: allow('s3:*') })).policy.arn;
    const put = await root(`mutation { putUserPermissionsBoundary(input: { userName: "alice", permissionsBoundary: "${arn}" }) {
      __typename ... on PutUserPermissionsBoundarySuccess { user { permissionsBoundary { policyName } } permissionsBoundary { permissionsBoundaryUsageCount } } } }`);
    expect(put.putUserPermissionsBoundary).toMatchObject({ user: { permissionsBoundary: { policyName: 'Boundary' } }, permissionsBoundary: { permissionsBoundaryUsageCount: 1 } });
    const role = await root(`mutation { putRolePermissionsBoundary(input: { roleName: "Builder", permissionsBoundary: "arn:aws:iam::aws:policy/PowerUserAccess" }) {
      __typename ... on PutRolePermissionsBoundarySuccess { role { permissionsBoundary { arn } } } } }`);
    expect(role.putRolePermissionsBoundary.role.permissionsBoundary.arn).toBe('arn:aws:iam::aws:policy/PowerUserAccess');
    const removed = await root(`mutation { deleteUserPermissionsBoundary(input: { userName: "alice" }) {
      __typename ... on DeleteUserPermissionsBoundarySuccess { user { permissionsBoundary { policyName } } } } }`);
    expect(removed.deleteUserPermissionsBoundary.user.permissionsBoundary).toBeNull();
    const bad = await root(`mutation { putUserPermissionsBoundary(input: { userName: "alice", permissionsBoundary: "arn:aws:iam::${ACCOUNT}:policy/Missing" }) {
      __typename ... on NoSuchEntity { entityType } } }`);
    expect(bad.putUserPermissionsBoundary).toEqual({ __typename: 'NoSuchEntity', entityType: 'POLICY' });
  });

  it('updates a trust policy, refusing a document without a Principal', async () => {
    const UPDATE = `mutation ($doc: String!) { updateAssumeRolePolicy(input: { roleName: "Builder", policyDocument: $doc }) {
      __typename ... on UpdateAssumeRolePolicySuccess { role { roleName } findings { issueCode } revision } ... on MalformedPolicyDocument { findings { issueCode } } } }`;
    const ok = await root(UPDATE, { doc: trust('lambda.amazonaws.com') });
    expect(ok.updateAssumeRolePolicy).toMatchObject({ __typename: 'UpdateAssumeRolePolicySuccess', role: { roleName: 'Builder' } });
    const bad = await root(UPDATE, { doc: allow('s3:*') });
    expect(bad.updateAssumeRolePolicy.__typename).toBe('MalformedPolicyDocument');
  });
});

describe('self-authorization', () => {
  it('refuses anonymous requests with 401', async () => {
    const response = await server.gql('{ policies { edges { cursor } } }');
    expect(response.status).toBe(401);
    expect(response.body.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  });

  it('lets a read-only user read policies but not create or attach them', async () => {
    await root(`mutation {
      c: createUser(input: { userName: "reader" }) { __typename }
      a: attachUserPolicy(input: { userName: "reader", policyArn: "arn:aws:iam::aws:policy/IAMReadOnlyAccess" }) { __typename }
    }`);
    const key = await createAccessKey(server.running.app.database, { accountId: ACCOUNT, arn: rootArn(ACCOUNT) }, undefined, { userName: 'reader' });
    const reader = { authorization: `Basic ${Buffer.from(`${key.result.accessKey.accessKeyId}:${key.result.secretAccessKey}`).toString('base64')}` };
    const read = await server.gql('{ policy(policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess") { policyName } }', undefined, reader);
    expect(read.body.data).toEqual({ policy: { policyName: 'ReadOnlyAccess' } });
    const denied = await server.gql<any>(CREATE_POLICY, { input: { policyName: 'Nope', policyDocument: allow('s3:*') } }, reader);
    expect(denied.body.errors).toBeUndefined();
    expect(denied.body.data.createPolicy).toMatchObject({ __typename: 'AccessDenied', code: 'ACCESS_DENIED' });
    expect(denied.body.data.createPolicy.message).toContain('iam:CreatePolicy');
    const attach = await server.gql<any>(
      'mutation { attachUserPolicy(input: { userName: "reader", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }) { __typename ... on AccessDenied { action } } }',
      undefined,
      reader,
    );
    expect(attach.body.data.attachUserPolicy).toEqual({ __typename: 'AccessDenied', action: 'iam:AttachUserPolicy' });

    // A new default version of a policy attached to the reader changes what the reader may do.
    const granting = (await createPolicy({ policyName: 'ReaderExtras', policyDocument: allow('sqs:ListQueues') })).policy.arn;
    await root(`mutation { attachUserPolicy(input: { userName: "reader", policyArn: "${granting}" }) { __typename } }`);
    const version = await root(`mutation ($doc: String!) { createPolicyVersion(input: { policyArn: "${granting}", policyDocument: $doc, setAsDefault: true }) { __typename } }`, {
      doc: allow('iam:CreatePolicy'),
    });
    expect(version.createPolicyVersion.__typename).toBe('CreatePolicyVersionSuccess');
    // The change reaches this instance's caches through the change-log listener.
    const { changes, database } = server.running.app;
    expect(await changes.bus.waitForRevision(database.commits.highest, 10_000)).toBe(true);
    const response = await server.gql<any>(CREATE_POLICY, { input: { policyName: 'ByReader', policyDocument: allow('s3:GetObject') } }, reader);
    expect(response.body.data?.createPolicy?.__typename, JSON.stringify(response.body.errors)).toBe('CreatePolicySuccess');
  });
});
