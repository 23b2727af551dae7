/**
 * The credential report (generateCredentialReport, credentialReport) and the context-key reads
 * (contextKeysForCustomPolicy, contextKeysForPrincipalPolicy) over GraphQL against a started
 * server whose clock the test moves: AWS's CSV columns and placeholders, the root row, reuse of a
 * report younger than four hours and expiry after; the keys of conditions and policy variables.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessKeyFor, ACCOUNT, createUser, ok, putUserPolicy, ROOT, send, startIdentityServer } from '../identity/support/server.ts';
import type { TestServer } from '../support/server.ts';
import { TestClock } from '../support/clock.ts';

const COLUMNS =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,' +
  'access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,' +
  'access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,' +
  'cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
const DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/;
const GENERATE = 'mutation { generateCredentialReport { __typename ... on GenerateCredentialReportSuccess { state description } } }';
const GET = '{ credentialReport { content reportFormat generatedDate } }';

/** The report's rows as column → value, by user. */
function rows(csv: string): Map<string, Record<string, string>> {
  const [header, ...lines] = csv.trimEnd().split('\n');
  const names = header!.split(',');
  return new Map(lines.map((line) => {
    const values = line.split(',');
    return [values[0]!, Object.fromEntries(names.map((n, i) => [n, values[i]!]))];
  }));
}

describe('credential report and context keys', () => {
  let server: TestServer;
  const clock = TestClock.running();
  beforeAll(async () => {
    server = await startIdentityServer({}, clock);
  }, 60_000);
  afterAll(async () => {
    await server?.dispose();
  });

  it("reports every user with AWS's columns, reuses a report younger than four hours and expires it after", async () => {
    const missing = await send(server, ROOT, GET);
    expect(missing.body.errors?.[0]?.extensions?.['code']).toBe('NO_SUCH_ENTITY');

    await createUser(server, 'carol');
    await ok(server, ROOT, 'mutation { createLoginProfile(input: { userName: "carol", password: "Carol-Password-1!" }) { __typename } }');
    const key = await accessKeyFor(server, 'carol');
    // A use of the key: it shows as last used, with the service it called.
    await ok(server, key.header, '{ callerIdentity { arn } }');
    await createUser(server, 'dave');

    expect((await ok(server, ROOT, GENERATE))['generateCredentialReport']).toMatchObject({ __typename: 'GenerateCredentialReportSuccess', state: 'COMPLETE' });
    const report = (await ok(server, ROOT, GET))['credentialReport'];
    expect(report.reportFormat).toBe('text/csv');
    expect(report.content.split('\n')[0]).toBe(COLUMNS);
    const byUser = rows(report.content);
    expect([...byUser.keys()]).toEqual(['<root_account>', 'carol', 'dave']);
    const root = byUser.get('<root_account>')!;
    expect(root).toMatchObject({ arn: `arn:aws:iam::${ACCOUNT}:root`, password_enabled: 'not_supported', password_last_changed: 'not_supported', password_next_rotation: 'not_supported', access_key_1_active: 'true' });
    const carol = byUser.get('carol')!;
    expect(carol).toMatchObject({ arn: `arn:aws:iam::${ACCOUNT}:user/carol`, password_enabled: 'true', password_last_used: 'no_information', password_next_rotation: 'N/A', mfa_active: 'false', access_key_1_active: 'true', access_key_2_active: 'false', access_key_2_last_rotated: 'N/A', cert_1_active: 'false', cert_2_last_rotated: 'N/A' });
    expect(carol['user_creation_time']).toMatch(DATE);
    expect(carol['password_last_changed']).toMatch(DATE);
    expect(carol['access_key_1_last_rotated']).toMatch(DATE);
    const dave = byUser.get('dave')!;
    expect(dave).toMatchObject({ password_enabled: 'false', password_last_used: 'N/A', password_last_changed: 'N/A', access_key_1_active: 'false', access_key_1_last_used_date: 'N/A' });

    // Younger than four hours: generating again keeps the report (AWS's rule), so erin is not in it yet.
    await createUser(server, 'erin');
    clock.advance(3 * 3_600_000);
    await ok(server, ROOT, GENERATE);
    expect(rows((await ok(server, ROOT, GET))['credentialReport'].content).has('erin')).toBe(false);
    // Four hours on it has expired; a new one has erin.
    clock.advance(3_600_000);
    const expired = await send(server, ROOT, GET);
    expect(expired.body.errors?.[0]?.extensions?.['code']).toBe('NO_SUCH_ENTITY');
    await ok(server, ROOT, GENERATE);
    expect(rows((await ok(server, ROOT, GET))['credentialReport'].content).has('erin')).toBe(true);
  }, 60_000);

  it('lists the condition keys and policy variables of custom policies, each once', async () => {
    const policy = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::home/${aws:username}/*', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'blue', 's3:prefix': '${aws:userid}' } } },
        { Effect: 'Deny', Action: '*', Resource: '*', Condition: { Bool: { 'AWS:MultiFactorAuthPresent': 'false' }, StringLike: { 'aws:principaltag/TEAM': 'x*' } } },
      ],
    };
    const old = { Version: '2008-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::${aws:username}' }] };
    const data = await ok(server, ROOT, 'query($p: [String!]!) { contextKeysForCustomPolicy(input: { policyInputList: $p }) { contextKeyNames } }', { p: [JSON.stringify(policy), JSON.stringify(old)] });
    expect(data['contextKeysForCustomPolicy'].contextKeyNames).toEqual(['aws:username', 'aws:PrincipalTag/team', 's3:prefix', 'aws:userid', 'AWS:MultiFactorAuthPresent']);

    const bad = await send(server, ROOT, 'query($p: [String!]!) { contextKeysForCustomPolicy(input: { policyInputList: $p }) { contextKeyNames } }', { p: [JSON.stringify(policy), '{"Version": '] });
    expect(bad.body.errors?.[0]?.extensions).toMatchObject({ code: 'MALFORMED_POLICY_DOCUMENT', field: 'input.policyInputList[1]' });
  });

  it("lists the keys of a user's own, attached and group policies, then of extra documents", async () => {
    await putUserPolicy(server, 'dave', 'own', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sqs:*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }] });
    const managed = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*', Condition: { StringEquals: { 'ec2:Region': 'eu-west-1' } } }] });
    await ok(server, ROOT, 'mutation($d: String!) { createPolicy(input: { policyName: "Regional", policyDocument: $d }) { __typename } }', { d: managed });
    await ok(server, ROOT, 'mutation { createGroup(input: { groupName: "ops" }) { __typename } }');
    await ok(server, ROOT, 'mutation { addUserToGroup(input: { groupName: "ops", userName: "dave" }) { __typename } }');
    await ok(server, ROOT, `mutation { attachGroupPolicy(input: { groupName: "ops", policyArn: "arn:aws:iam::${ACCOUNT}:policy/Regional" }) { __typename } }`);
    const extra = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } } }] });
    const query = 'query($a: String!, $p: [String!]) { contextKeysForPrincipalPolicy(input: { policySourceArn: $a, policyInputList: $p }) { contextKeyNames } }';
    const data = await ok(server, ROOT, query, { a: `arn:aws:iam::${ACCOUNT}:user/dave`, p: [extra] });
    expect([...data['contextKeysForPrincipalPolicy'].contextKeyNames].sort()).toEqual(['aws:CurrentTime', 'aws:SourceIp', 'ec2:Region']);
    expect(data['contextKeysForPrincipalPolicy'].contextKeyNames.at(-1)).toBe('aws:CurrentTime');
    const group = await ok(server, ROOT, query, { a: `arn:aws:iam::${ACCOUNT}:group/ops`, p: null });
    expect(group['contextKeysForPrincipalPolicy'].contextKeyNames).toEqual(['ec2:Region']);
    const nobody = await send(server, ROOT, query, { a: `arn:aws:iam::${ACCOUNT}:user/nobody`, p: null });
    expect(nobody.body.errors?.[0]?.extensions?.['code']).toBe('NO_SUCH_ENTITY');
  });
});
