/**
 * accountAuthorizationDetails (GetAccountAuthorizationDetails) and importAccountAuthorizationDetails over GraphQL against a
 * started server: a document in the AWS CLI's shape is imported (one change-log batch), exported
 * page by page, and compared with what went in modulo exactly the ids and account the import says
 * it replaced; each kind of bad input is refused with a typed error naming the element's JSON path
 * and leaves the directory and the change log as they were.
 */
import { desc, max, ne } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tables from '../../src/db/schema/index.ts';
import { ACCOUNT, ok, ROOT, send, startIdentityServer } from '../identity/support/server.ts';
import type { TestServer } from '../support/server.ts';

const SOURCE = '999988887777';
const arn = (rest: string) => `arn:aws:iam::${SOURCE}:${rest}`;
const READ_S3 = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::docs/*' }] };
const READ_S3_V3 = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: '*' }] };
const BOUNDARY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] };
const TRUST = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: arn('root') }, Action: 'sts:AssumeRole' }] };
const INLINE = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'blue' } } }] };

/** A document as `aws iam get-account-authorization-details` prints it. */
function awsDocument(): any {
  return {
    UserDetailList: [
      {
        Path: '/', UserName: 'alice', UserId: 'AIDAEXAMPLEALICE00001', Arn: arn('user/alice'), CreateDate: '2020-01-02T03:04:05+00:00',
        UserPolicyList: [{ PolicyName: 'send', PolicyDocument: INLINE }],
        GroupList: ['readers'],
        AttachedManagedPolicies: [{ PolicyName: 'ReadDocs', PolicyArn: arn('policy/app/ReadDocs') }],
        PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: arn('policy/Boundary') },
        Tags: [{ Key: 'team', Value: 'blue' }],
      },
      { Path: '/ops/', UserName: 'bob', UserId: 'AIDAEXAMPLEBOB0000001', Arn: arn('user/ops/bob'), CreateDate: '2021-05-06T07:08:09+00:00', GroupList: [], AttachedManagedPolicies: [{ PolicyName: 'ReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }] },
    ],
    GroupDetailList: [
      { Path: '/', GroupName: 'readers', GroupId: 'AGPAEXAMPLEREADERS001', Arn: arn('group/readers'), CreateDate: '2019-01-01T00:00:00+00:00', GroupPolicyList: [{ PolicyName: 'grp', PolicyDocument: READ_S3 }], AttachedManagedPolicies: [{ PolicyName: 'ReadDocs', PolicyArn: arn('policy/app/ReadDocs') }] },
    ],
    RoleDetailList: [
      {
        Path: '/', RoleName: 'Worker', RoleId: 'AROAEXAMPLEWORKER0001', Arn: arn('role/Worker'), CreateDate: '2022-02-02T02:02:02+00:00',
        AssumeRolePolicyDocument: TRUST,
        InstanceProfileList: [{ InstanceProfileName: 'Worker', Path: '/', Arn: arn('instance-profile/Worker') }],
        RolePolicyList: [{ PolicyName: 'inline', PolicyDocument: READ_S3 }],
        AttachedManagedPolicies: [],
        Tags: [{ Key: 'env', Value: 'prod' }],
        RoleLastUsed: { LastUsedDate: '2023-03-03T03:03:03+00:00', Region: 'us-east-1' },
      },
      {
        Path: '/aws-service-role/support.amazonaws.com/', RoleName: 'AWSServiceRoleForSupport', RoleId: 'AROAEXAMPLESUPPORT001', Arn: arn('role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport'),
        CreateDate: '2018-01-01T00:00:00+00:00', AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'support.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
        InstanceProfileList: [], RolePolicyList: [], AttachedManagedPolicies: [], RoleLastUsed: {},
      },
    ],
    Policies: [
      {
        PolicyName: 'Boundary', PolicyId: 'ANPAEXAMPLEBOUNDARY01', Arn: arn('policy/Boundary'), Path: '/', DefaultVersionId: 'v1', AttachmentCount: 0, PermissionsBoundaryUsageCount: 1, IsAttachable: true,
        CreateDate: '2019-02-02T00:00:00+00:00', UpdateDate: '2019-02-02T00:00:00+00:00',
        PolicyVersionList: [{ Document: BOUNDARY, VersionId: 'v1', IsDefaultVersion: true, CreateDate: '2019-02-02T00:00:00+00:00' }],
      },
      {
        PolicyName: 'ReadDocs', PolicyId: 'ANPAEXAMPLEREADDOCS01', Arn: arn('policy/app/ReadDocs'), Path: '/app/', DefaultVersionId: 'v3', AttachmentCount: 2, PermissionsBoundaryUsageCount: 0, IsAttachable: true,
        Description: 'Read the docs bucket', CreateDate: '2019-03-03T00:00:00+00:00', UpdateDate: '2019-04-04T00:00:00+00:00',
        PolicyVersionList: [
          { Document: READ_S3_V3, VersionId: 'v3', IsDefaultVersion: true, CreateDate: '2019-04-04T00:00:00+00:00' },
          // The raw API's form: URL-encoded JSON text.
          { Document: encodeURIComponent(JSON.stringify(READ_S3)), VersionId: 'v1', IsDefaultVersion: false, CreateDate: '2019-03-03T00:00:00+00:00' },
        ],
      },
    ],
  };
}

const IMPORT = `mutation($i: ImportAccountAuthorizationDetailsInput!) { importAccountAuthorizationDetails(input: $i) {
  __typename
  ... on ImportAccountAuthorizationDetailsSuccess { revision users groups roles policies policyVersions inlinePolicies attachments memberships sourceAccountId replacedIds { path previousId newId } skipped { path reason } }
  ... on ValidationError { field rule message }
  ... on MalformedPolicyDocument { field message }
  ... on ResultError { message }
} }`;

const EXPORT = `query($m: String, $n: Int, $f: [AuthorizationDetailsEntityType!]) { accountAuthorizationDetails(marker: $m, maxItems: $n, filter: $f) { document isTruncated marker } }`;

/** Every page of the export, merged as the CLI merges them. */
async function exportAll(server: TestServer, maxItems: number, filter?: string[]): Promise<any> {
  const merged: any = { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [] };
  let marker: string | null = null;
  let pages = 0;
  do {
    const data = await ok(server, ROOT, EXPORT, { m: marker, n: maxItems, f: filter ?? null });
    const page = JSON.parse(data['accountAuthorizationDetails'].document);
    expect(page.UserDetailList.length + page.GroupDetailList.length + page.RoleDetailList.length + page.Policies.length).toBeLessThanOrEqual(maxItems);
    for (const key of Object.keys(merged)) merged[key].push(...page[key]);
    marker = data['accountAuthorizationDetails'].marker;
    expect(data['accountAuthorizationDetails'].isTruncated).toBe(marker !== null);
    pages++;
  } while (marker !== null && pages < 50);
  return merged;
}

/** Every row of the directory's tables and the change log's highest revision (audit rows aside). */
async function snapshot(server: TestServer): Promise<string> {
  const db = server.running.app.database.db;
  const rows = await Promise.all(
    [tables.users, tables.groups, tables.roles, tables.managedPolicies, tables.policyVersions, tables.policyAttachments, tables.inlinePolicies, tables.groupMemberships].map((t) => db.select().from(t)),
  );
  const [revision] = await db.select({ r: max(tables.changeLog.revision) }).from(tables.changeLog).where(ne(tables.changeLog.kind, 'AccessDenied'));
  return JSON.stringify({ rows, revision: String(revision?.r) }, (_k, v) => (typeof v === 'bigint' ? String(v) : v));
}

describe('account authorization details', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startIdentityServer();
  }, 60_000);
  afterAll(async () => {
    await server?.dispose();
  });

  it('refuses each kind of bad input with a typed error naming the JSON path, and imports nothing', async () => {
    await ok(server, ROOT, `mutation { createUser(input: { userName: "taken" }) { __typename } }`);
    const before = await snapshot(server);
    const cases: Array<[string, string, { typename: string; field: string; rule?: string }]> = [];
    const text = JSON.stringify(awsDocument());
    cases.push(['truncated', text.slice(0, text.length / 2), { typename: 'ValidationError', field: '$', rule: 'json' }]);
    cases.push(['not JSON', 'UserDetailList: alice', { typename: 'ValidationError', field: '$', rule: 'json' }]);
    const badPolicy = awsDocument();
    badPolicy.Policies[1].PolicyVersionList[0].Document = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject' }] };
    cases.push(['policy failing validation', JSON.stringify(badPolicy), { typename: 'MalformedPolicyDocument', field: '$.Policies[1].PolicyVersionList[0].Document' }]);
    const clash = awsDocument();
    clash.UserDetailList[1].UserName = 'TAKEN';
    cases.push(['name clash with an existing user', JSON.stringify(clash), { typename: 'ValidationError', field: '$.UserDetailList[1].UserName', rule: 'entity-exists' }]);
    const dangling = awsDocument();
    dangling.RoleDetailList[0].AttachedManagedPolicies = [{ PolicyName: 'Gone', PolicyArn: arn('policy/Gone') }];
    cases.push(['reference to a policy the document lacks', JSON.stringify(dangling), { typename: 'ValidationError', field: '$.RoleDetailList[0].AttachedManagedPolicies[0].PolicyArn', rule: 'dangling-reference' }]);
    const noGroup = awsDocument();
    noGroup.UserDetailList[0].GroupList = ['readers', 'writers'];
    cases.push(['reference to a group the document lacks', JSON.stringify(noGroup), { typename: 'ValidationError', field: '$.UserDetailList[0].GroupList[1]', rule: 'dangling-reference' }]);
    const badTrust = awsDocument();
    badTrust.RoleDetailList[0].AssumeRolePolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/nobody` }, Action: 'sts:AssumeRole' }] };
    cases.push(['trust policy naming a missing local user', JSON.stringify(badTrust), { typename: 'MalformedPolicyDocument', field: '$.RoleDetailList[0].AssumeRolePolicyDocument' }]);
    for (const [name, document, expected] of cases) {
      const result = (await ok(server, ROOT, IMPORT, { i: { document } }))['importAccountAuthorizationDetails'];
      expect(result.__typename, name).toBe(expected.typename);
      expect(result.field, name).toBe(expected.field);
      if (expected.rule !== undefined) expect(result.rule, name).toBe(expected.rule);
      expect(result.message, name).toContain(expected.field);
    }
    expect(await snapshot(server)).toBe(before);
  }, 60_000);

  it('imports a CLI document as one change-log batch, and exports it back modulo the ids and account it replaced', async () => {
    const original = awsDocument();
    const result = (await ok(server, ROOT, IMPORT, { i: { document: JSON.stringify(original) } }))['importAccountAuthorizationDetails'];
    expect(result.__typename, JSON.stringify(result)).toBe('ImportAccountAuthorizationDetailsSuccess');
    expect(result).toMatchObject({ users: 2, groups: 1, roles: 1, policies: 2, policyVersions: 3, inlinePolicies: 3, attachments: 3, memberships: 1, sourceAccountId: SOURCE });
    expect(result.skipped.map((s: any) => s.path).sort()).toEqual(['$.RoleDetailList[0].InstanceProfileList', '$.RoleDetailList[0].RoleLastUsed', '$.RoleDetailList[1]']);
    expect(result.replacedIds).toHaveLength(2 + 1 + 1 + 2);

    // One batch: every change row of the import carries the same transaction's revisions, contiguous, and nothing else.
    const db = server.running.app.database.db;
    const latest = await db.select({ revision: tables.changeLog.revision, kind: tables.changeLog.kind, payload: tables.changeLog.payload }).from(tables.changeLog).orderBy(desc(tables.changeLog.revision)).limit(7);
    expect(String(latest[0]!.revision)).toBe(result.revision);
    const batch = latest.slice(0, 6);
    expect(batch.map((c) => c.kind).sort()).toEqual(['GroupCreated', 'PolicyCreated', 'PolicyCreated', 'RoleCreated', 'UserCreated', 'UserCreated']);
    expect(batch.every((c) => (c.payload as { imported?: boolean }).imported === true)).toBe(true);
    expect((latest[6]!.payload as { imported?: boolean }).imported).toBeUndefined();

    const exported = await exportAll(server, 2);
    // What the import said it replaced: ids, the source account in ARNs; and what it skipped.
    const ids = new Map<string, string>(result.replacedIds.map((r: any) => [r.previousId, r.newId]));
    const expected = JSON.parse(JSON.stringify(original).replaceAll(`arn:aws:iam::${SOURCE}:`, `arn:aws:iam::${ACCOUNT}:`).replace(/"(A[A-Z]{3}EXAMPLE[A-Z0-9]+)"/g, (_m, id: string) => JSON.stringify(ids.get(id) ?? id)));
    // The trust policy keeps naming the source account's root: it is a principal, not an entity.
    expected.RoleDetailList[0].AssumeRolePolicyDocument = TRUST;
    expected.RoleDetailList = [expected.RoleDetailList[0]];
    expected.RoleDetailList[0].InstanceProfileList = [];
    expected.RoleDetailList[0].RoleLastUsed = {};
    expected.Policies[1].PolicyVersionList[1].Document = READ_S3;
    // ReadOnlyAccess is built in here: it is listed as an AWS managed policy the account uses.
    const readOnly = exported.Policies.find((p: any) => p.PolicyName === 'ReadOnlyAccess');
    expect(readOnly).toMatchObject({ Arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess', AttachmentCount: 1 });
    const own = { ...exported, Policies: exported.Policies.filter((p: any) => p !== readOnly) };
    const bobAndAlice = own.UserDetailList.filter((u: any) => ['alice', 'bob'].includes(u.UserName));
    expect({ ...own, UserDetailList: bobAndAlice }).toEqual(expected);
  }, 60_000);

  it('takes documents over the GraphQL body limit on its upload route, up to 50 MB, with the same guard', async () => {
    const route = `${server.url}/import/account-authorization-details`;
    const many = Array.from({ length: 1_200 }, (_, i) => ({ Path: '/bulk/', UserName: `bulk-${i}`, GroupList: [], AttachedManagedPolicies: [], UserPolicyList: [{ PolicyName: 'p', PolicyDocument: READ_S3 }], Tags: ['a', 'b', 'c', 'd'].map((k) => ({ Key: k, Value: 'x'.repeat(250) })) }));
    const big = JSON.stringify({ UserDetailList: many, GroupDetailList: [], RoleDetailList: [], Policies: [] });
    expect(Buffer.byteLength(big)).toBeGreaterThan(server.config.maxBodyBytes);
    const overGraphQL = await send(server, ROOT, IMPORT, { i: { document: big } });
    expect(overGraphQL.status).toBe(413);
    const anonymous = await fetch(route, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
    expect(anonymous.status).toBe(401);
    const imported = await fetch(route, { method: 'POST', headers: { authorization: ROOT, 'content-type': 'application/json' }, body: big });
    expect(imported.status).toBe(200);
    expect(await imported.json()).toMatchObject({ users: 1_200, inlinePolicies: 1_200 });
    const again = await fetch(route, { method: 'POST', headers: { authorization: ROOT, 'content-type': 'application/json' }, body: big });
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ code: 'VALIDATION_ERROR', field: '$.UserDetailList[0].UserName', rule: 'entity-exists' });
    const tooBig = await fetch(route, { method: 'POST', headers: { authorization: ROOT, 'content-type': 'application/json' }, body: ' '.repeat(50 * 1024 * 1024 + 1) });
    expect(tooBig.status).toBe(413);
    expect(await tooBig.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', field: '$' });
  }, 60_000);

  it('filters by entity type and pages within maxItems', async () => {
    const roles = await exportAll(server, 1, ['ROLE']);
    expect(roles.UserDetailList).toEqual([]);
    expect(roles.Policies).toEqual([]);
    expect(roles.RoleDetailList.map((r: any) => r.RoleName)).toEqual(['Worker']);
    const local = await exportAll(server, 1, ['LOCAL_MANAGED_POLICY']);
    expect(local.Policies.map((p: any) => p.PolicyName)).toEqual(['Boundary', 'ReadDocs']);
    const bad = await send(server, ROOT, EXPORT, { m: 'not-a-marker', n: 10, f: null });
    expect(bad.body.errors?.[0]?.extensions?.['code']).toBe('VALIDATION_ERROR');
  }, 60_000);
});
