/**
 * Least privilege from real use over GraphQL against a started server (issue 20 points 1, 4, 5):
 * decisions asked through `authorize` are recorded per action and resource, then access advisor
 * reports them in AWS's shapes, a policy is drafted from the allowed ones (with its widenings and
 * access preview), and unused access shows as findings that resolve, live, when the directory changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/server.ts';
import { TestClock } from '../support/clock.ts';
import { ACCOUNT, ROOT, accessKeyFor, allow, createRole, createUser, errorCode, ok, putRolePolicy, send, startIdentityServer } from '../identity/support/server.ts';
import { collect, connect } from '../live/support/servers.ts';

const user = (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`;
const AUTHORIZE = 'mutation($r: [AuthorizeInput!]!) { authorizeBatch(requests: $r) { __typename ... on Decision { allowed } } }';
const GENERATE = 'query($i: GenerateServiceLastAccessedDetailsInput!) { generateServiceLastAccessedDetails(input: $i) { jobId } }';
const DETAILS = `query($i: GetServiceLastAccessedDetailsInput!) { serviceLastAccessedDetails(input: $i) {
  jobStatus jobType isTruncated marker error { code }
  servicesLastAccessed { serviceNamespace lastAuthenticatedDate lastAuthenticatedEntity totalAuthenticatedEntities trackedActionsLastAccessed { actionName lastAccessedDate lastAccessedEntity } } } }`;
const ENTITIES = 'query($i: GetServiceLastAccessedDetailsWithEntitiesInput!) { serviceLastAccessedDetailsWithEntities(input: $i) { jobStatus entityDetailsList { entityInfo { arn type name } lastAuthenticatedDate } } }';
const GENERATED = `query($i: GeneratedPolicyInput!) { generatedPolicy(input: $i) { startDate endDate policyDocument actions statementCount isComplete
  widenings { resource actions replaces reason } accessPreview { grantedActionCount deniedActionCount deniedActions newlyGrantedActions } } }`;
const FINDINGS = 'query($d: Int) { unusedAccessFindings(unusedAccessAge: $d) { id findingType resource accessKeyId serviceNamespace status analyzedDate lastAccessedDate actions { action lastAccessedDate } } }';

const clock = TestClock.running();
let server: TestServer;

const RFC_3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** Every non-null `…Date` value in `value` is an RFC 3339 instant in UTC that round-trips; returns how many were seen. */
function expectDates(value: unknown): number {
  let seen = 0;
  const walk = (v: unknown, key = ''): void => {
    if (Array.isArray(v)) v.forEach((x) => walk(x));
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
    else if (key.endsWith('Date') && v !== null) {
      expect(v, key).toMatch(RFC_3339_UTC);
      expect(new Date(v as string).toISOString(), key).toBe(v);
      seen++;
    }
  };
  walk(value);
  return seen;
}

/** Asks `authorize` for each (principal, action, resource) as root, then flushes usage. */
async function decide(...questions: Array<[string, string, string]>): Promise<boolean[]> {
  const data = await ok(server, ROOT, AUTHORIZE, { r: questions.map(([principalArn, action, resourceArn]) => ({ principalArn, action, resourceArn })) });
  await server.running.app.authz.flushUsage();
  return data['authorizeBatch'].map((d: { allowed: boolean }) => d.allowed);
}

async function report(arn: string, granularity = 'SERVICE_LEVEL'): Promise<any> {
  const { jobId } = (await ok(server, ROOT, GENERATE, { i: { arn, granularity } }))['generateServiceLastAccessedDetails'];
  return (await ok(server, ROOT, DETAILS, { i: { jobId } }))['serviceLastAccessedDetails'];
}

beforeAll(async () => {
  server = await startIdentityServer({}, clock);
  await createUser(server, 'reader', allow(['s3:GetObject', 's3:ListBucket', 'dynamodb:GetItem']));
  await createUser(server, 'writer', allow(['s3:*']));
  await ok(server, ROOT, 'mutation { createGroup(input: { groupName: "readers" }) { __typename } }');
  for (const userName of ['reader', 'writer']) await ok(server, ROOT, `mutation { addUserToGroup(input: { groupName: "readers", userName: "${userName}" }) { __typename } }`);
  await ok(server, ROOT, `mutation($d: String!) { putGroupPolicy(input: { groupName: "readers", policyName: "g", policyDocument: $d }) { __typename } }`, { d: JSON.stringify(allow('s3:GetObject')) });
}, 60_000);

afterAll(async () => {
  await server?.dispose();
});

describe('access advisor', () => {
  it('reports granted services with their last use, per action at ACTION_LEVEL', async () => {
    expect(await decide([user('reader'), 's3:GetObject', 'arn:aws:s3:::docs/a.txt'], [user('reader'), 'ec2:RunInstances', '*'])).toEqual([true, false]);
    const service = await report(user('reader'));
    expect(service).toMatchObject({ jobStatus: 'COMPLETED', jobType: 'SERVICE_LEVEL', isTruncated: false, error: null });
    const byNs = Object.fromEntries(service.servicesLastAccessed.map((s: any) => [s.serviceNamespace, s]));
    // Granted: s3 and dynamodb; ec2 was asked about but is not granted, so it is not listed.
    expect(Object.keys(byNs)).toEqual(['dynamodb', 's3']);
    expect(byNs['s3']).toMatchObject({ lastAuthenticatedEntity: user('reader'), totalAuthenticatedEntities: 1, trackedActionsLastAccessed: null });
    expect(byNs['s3'].lastAuthenticatedDate).not.toBeNull();
    expect(byNs['dynamodb']).toMatchObject({ lastAuthenticatedDate: null, lastAuthenticatedEntity: null, totalAuthenticatedEntities: 0 });

    expect(expectDates(service)).toBeGreaterThan(0);
    const action = await report(user('reader'), 'ACTION_LEVEL');
    expect(expectDates(action)).toBeGreaterThan(0);
    const s3 = action.servicesLastAccessed.find((s: any) => s.serviceNamespace === 's3');
    expect(s3.trackedActionsLastAccessed.map((a: any) => a.actionName)).toEqual(['GetObject', 'ListBucket']);
    expect(s3.trackedActionsLastAccessed[0]).toMatchObject({ lastAccessedEntity: user('reader') });
    expect(s3.trackedActionsLastAccessed[1]).toMatchObject({ lastAccessedDate: null, lastAccessedEntity: null });
  });

  it('counts a group\'s members, and lists them with entities', async () => {
    await decide([user('writer'), 's3:GetObject', 'arn:aws:s3:::docs/b.txt']);
    const group = await report(`arn:aws:iam::${ACCOUNT}:group/readers`);
    expect(group.servicesLastAccessed).toMatchObject([{ serviceNamespace: 's3', totalAuthenticatedEntities: 2 }]);
    const { jobId } = (await ok(server, ROOT, GENERATE, { i: { arn: `arn:aws:iam::${ACCOUNT}:group/readers` } }))['generateServiceLastAccessedDetails'];
    const entities = (await ok(server, ROOT, ENTITIES, { i: { jobId, serviceNamespace: 's3' } }))['serviceLastAccessedDetailsWithEntities'];
    expect(entities.entityDetailsList.map((e: any) => e.entityInfo.arn).sort()).toEqual([user('reader'), user('writer')]);
    expect(expectDates(entities)).toBeGreaterThan(0);
    expect(entities.entityDetailsList.every((e: any) => e.entityInfo.type === 'USER' && e.lastAuthenticatedDate !== null)).toBe(true);
  });

  it('pages services with maxItems and marker', async () => {
    const { jobId } = (await ok(server, ROOT, GENERATE, { i: { arn: user('reader') } }))['generateServiceLastAccessedDetails'];
    const first = (await ok(server, ROOT, DETAILS, { i: { jobId, maxItems: 1 } }))['serviceLastAccessedDetails'];
    expect(first).toMatchObject({ isTruncated: true, servicesLastAccessed: [{ serviceNamespace: 'dynamodb' }] });
    const second = (await ok(server, ROOT, DETAILS, { i: { jobId, maxItems: 1, marker: first.marker } }))['serviceLastAccessedDetails'];
    expect(second).toMatchObject({ isTruncated: false, marker: null, servicesLastAccessed: [{ serviceNamespace: 's3' }] });
  });

  it('refuses bad input with the field named, and a missing entity as NoSuchEntity', async () => {
    const notEntity = await send(server, ROOT, GENERATE, { i: { arn: 'arn:aws:s3:::bucket' } });
    expect(notEntity.body.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_ERROR', field: 'input.arn' });
    expect(errorCode(await send(server, ROOT, GENERATE, { i: { arn: user('nobody') } }))).toBe('NO_SUCH_ENTITY');
    const badJob = await send(server, ROOT, DETAILS, { i: { jobId: 'not-a-job' } });
    expect(badJob.body.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_ERROR', field: 'input.jobId' });
    const badPage = await send(server, ROOT, DETAILS, { i: { jobId: 'x', maxItems: 0 } });
    expect(badPage.body.errors?.[0]?.extensions?.['code']).toBe('VALIDATION_ERROR');
  });

  it('fails the job, as AWS does, once its entity is deleted', async () => {
    await createUser(server, 'shortlived');
    const { jobId } = (await ok(server, ROOT, GENERATE, { i: { arn: user('shortlived') } }))['generateServiceLastAccessedDetails'];
    await ok(server, ROOT, 'mutation { deleteUser(input: { userName: "shortlived" }) { __typename } }');
    expect((await ok(server, ROOT, DETAILS, { i: { jobId } }))['serviceLastAccessedDetails']).toMatchObject({ jobStatus: 'FAILED', error: { code: 'NoSuchEntity' }, servicesLastAccessed: [] });
  });
});

describe('policy generation from use', () => {
  it('drafts exactly the allowed actions and resources seen, and previews what it would deny', async () => {
    await createUser(server, 'app', allow(['s3:GetObject', 's3:PutObject', 'sqs:SendMessage']));
    await decide(
      [user('app'), 's3:GetObject', 'arn:aws:s3:::data/in/1.csv'],
      [user('app'), 's3:GetObject', 'arn:aws:s3:::data/in/2.csv'],
      [user('app'), 's3:DeleteObject', 'arn:aws:s3:::data/in/1.csv'],
    );
    const start = new Date(clock.now() - 86_400_000).toISOString();
    const generated = (await ok(server, ROOT, GENERATED, { i: { principalArn: user('app'), startDate: start } }))['generatedPolicy'];
    expect(JSON.parse(generated.policyDocument)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Sid: 'S3Used', Effect: 'Allow', Action: 's3:GetObject', Resource: ['arn:aws:s3:::data/in/1.csv', 'arn:aws:s3:::data/in/2.csv'] }],
    });
    expect(expectDates(generated)).toBe(2);
    expect(generated).toMatchObject({ actions: ['s3:GetObject'], statementCount: 1, isComplete: true, widenings: [] });
    expect(generated.accessPreview).toMatchObject({ grantedActionCount: 3, deniedActionCount: 2, deniedActions: ['s3:PutObject', 'sqs:SendMessage'], newlyGrantedActions: [] });
  });

  it('writes many sibling resources as their path with *, and says so', async () => {
    await createUser(server, 'batch', allow('s3:GetObject'));
    const objects = Array.from({ length: 12 }, (_, i) => [user('batch'), 's3:GetObject', `arn:aws:s3:::lake/day/${i}.parquet`] as [string, string, string]);
    await decide(...objects, [user('batch'), 's3:GetObject', 'arn:aws:s3:::other/x']);
    const start = new Date(clock.now() - 86_400_000).toISOString();
    const generated = (await ok(server, ROOT, GENERATED, { i: { principalArn: user('batch'), startDate: start } }))['generatedPolicy'];
    expect(JSON.parse(generated.policyDocument).Statement[0].Resource).toEqual(['arn:aws:s3:::lake/day/*', 'arn:aws:s3:::other/x']);
    expect(generated.widenings).toEqual([{ resource: 'arn:aws:s3:::lake/day/*', actions: ['s3:GetObject'], replaces: 12, reason: 'SIBLING_RESOURCES' }]);
  });

  it('refuses a window over 90 days and a principal that is not a user or role', async () => {
    const long = await send(server, ROOT, GENERATED, { i: { principalArn: user('app'), startDate: new Date(clock.now() - 91 * 86_400_000).toISOString() } });
    expect(long.body.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_ERROR', field: 'input.startDate' });
    const group = await send(server, ROOT, GENERATED, { i: { principalArn: `arn:aws:iam::${ACCOUNT}:group/readers`, startDate: new Date(clock.now() - 86_400_000).toISOString() } });
    expect(group.body.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_ERROR', field: 'input.principalArn' });
  });
});

describe('unused access findings', () => {
  it('reports unused roles, keys, passwords and permissions, and resolves them live', async () => {
    await createRole(server, 'Idle', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }] });
    await putRolePolicy(server, 'Idle', 'p', allow('sqs:*'));
    const key = await accessKeyFor(server, 'reader');
    await ok(server, ROOT, 'mutation { createLoginProfile(input: { userName: "writer", password: "Writer-Password-1!" }) { __typename } }');
    // Nothing is a finding before it has had the window to be used.
    expect((await ok(server, ROOT, FINDINGS, { d: 30 }))['unusedAccessFindings']).toEqual([]);

    clock.advance(31 * 86_400_000);
    const findings: any[] = (await ok(server, ROOT, FINDINGS, { d: 30 }))['unusedAccessFindings'];
    expect(expectDates(findings)).toBeGreaterThan(findings.length);
    const kinds = findings.map((f) => `${f.findingType} ${f.resource.split(':').pop()} ${f.accessKeyId ?? f.serviceNamespace ?? ''}`.trim());
    expect(kinds).toContain('UNUSED_IAM_ROLE role/Idle');
    expect(kinds).toContain(`UNUSED_IAM_USER_ACCESS_KEY user/reader ${key.accessKeyId}`);
    expect(kinds).toContain('UNUSED_IAM_USER_PASSWORD user/writer');
    expect(kinds).toContain('UNUSED_PERMISSION user/reader dynamodb');
    // An unused role is one finding, not one per permission.
    expect(kinds.filter((k) => k.includes('role/Idle'))).toEqual(['UNUSED_IAM_ROLE role/Idle']);

    const ws = connect(server, ROOT);
    try {
      const live = collect(ws, 'subscription { unusedAccessFindingsChanged(unusedAccessAge: 30) { analyzedDate findings { id } appeared { id } resolved { id findingType status } } }');
      const [first] = await live.waitFor(1);
      expect(first.unusedAccessFindingsChanged.appeared.length).toBe(findings.length);
      expect(expectDates(first)).toBe(1);
      await ok(server, ROOT, `mutation { deleteAccessKey(input: { userName: "reader", accessKeyId: "${key.accessKeyId}" }) { __typename } }`);
      const [, second] = await live.waitFor(2);
      expect(second.unusedAccessFindingsChanged.resolved).toMatchObject([{ id: expect.any(String), findingType: 'UNUSED_IAM_USER_ACCESS_KEY', status: 'RESOLVED' }]);
      expect(second.unusedAccessFindingsChanged.findings.length).toBe(findings.length - 1);
      live.unsubscribe();
    } finally {
      await ws.dispose();
    }
  });

  it('refuses a window outside 1-365 days', async () => {
    const response = await send(server, ROOT, FINDINGS, { d: 0 });
    expect(response.body.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_ERROR', field: 'unusedAccessAge' });
  });
});
