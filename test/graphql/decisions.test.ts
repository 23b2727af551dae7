/**
 * authorize and authorizeBatch over real HTTP: decisions from users' managed, inline and group
 * policies and boundaries, explanations, per-item errors, self-authorization and minRevision.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/server.ts';
import { accessKeyFor, arn, policy, userIdOf, write } from '../authz/support/directory.ts';
import { ACCOUNT, dataOf, rootAuth, startAuthzServer } from '../authz/support/server.ts';

const DECISION = `allowed decision revision missingContextValues
  matchedStatements { sourcePolicyId sourcePolicyType layer statementIndex sid effect }
  layers { layer outcome } nearMisses { failedPart conditionKey statement { sid } }`;
const ERROR = '... on ResultError { code message } ... on ValidationError { field rule } ... on AccessDenied { action resource }';
const AUTHORIZE = `mutation ($input: AuthorizeInput!) { authorize(input: $input) { __typename ... on Decision { ${DECISION} } ${ERROR} } }`;
const BATCH = `mutation ($requests: [AuthorizeInput!]!) { authorizeBatch(requests: $requests) {
  __typename ... on Decision { allowed decision revision } ${ERROR} } }`;

/** One item of authorizeBatch: the AuthorizeResult of the question at the same position. */
type BatchAnswer = Record<string, unknown>;

interface DecisionView {
  allowed: boolean;
  decision: string;
  revision: string;
  missingContextValues: string[];
  matchedStatements: Array<{ sourcePolicyId: string; sourcePolicyType: string; layer: string; sid: string | null; effect: string }>;
  layers: Array<{ layer: string; outcome: string }>;
  nearMisses: Array<{ failedPart: string; conditionKey: string | null; statement: { sid: string | null } }>;
}

const BUCKET = 'arn:aws:s3:::reports';

describe('authorize', () => {
  let server: TestServer;
  /** authorize's result, whatever its type. */
  const result = async (input: Record<string, unknown>, headers = rootAuth): Promise<Record<string, unknown>> =>
    dataOf(await server.gql<{ authorize: Record<string, unknown> }>(AUTHORIZE, { input }, headers)).authorize;
  /** authorize's Decision (fails the test on an error result). */
  const ask = async (input: Record<string, unknown>, headers = rootAuth): Promise<DecisionView> => {
    const answer = await result(input, headers);
    expect(answer['__typename']).toBe('Decision');
    return answer as unknown as DecisionView;
  };

  beforeAll(async () => {
    server = await startAuthzServer();
    await write(server, 'createUser', { userName: 'alice', tags: [{ key: 'team', value: 'blue' }] });
    await write(server, 'createPolicy', {
      policyName: 'ReadReports',
      policyDocument: policy(
        { Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: `${BUCKET}/*` },
        { Sid: 'FromOffice', Effect: 'Allow', Action: 's3:PutObject', Resource: `${BUCKET}/*`, Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
      ),
    });
    await write(server, 'attachUserPolicy', { userName: 'alice', policyArn: arn.policy('ReadReports') });
    await write(server, 'createGroup', { groupName: 'auditors' });
    await write(server, 'addUserToGroup', { groupName: 'auditors', userName: 'alice' });
    await write(server, 'putGroupPolicy', {
      groupName: 'auditors',
      policyName: 'NoSecrets',
      policyDocument: policy({ Sid: 'DenySecrets', Effect: 'Deny', Action: 's3:*', Resource: `${BUCKET}/secret/*` }),
    });
    await write(server, 'putUserPolicy', {
      userName: 'alice',
      policyName: 'OwnTeam',
      policyDocument: policy({ Sid: 'TeamTag', Effect: 'Allow', Action: 'ec2:StartInstances', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } } }),
    });
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('allows through an attached managed policy and names the statement', async () => {
    const d = await ask({ principalArn: arn.user('alice'), action: 's3:GetObject', resourceArn: `${BUCKET}/q1.csv` });
    expect(d).toMatchObject({ allowed: true, decision: 'ALLOWED' });
    expect(d.matchedStatements).toEqual([
      { sourcePolicyId: `${arn.policy('ReadReports')}:v1`, sourcePolicyType: 'USER_MANAGED', layer: 'IDENTITY', statementIndex: 0, sid: 'Read', effect: 'ALLOW' },
    ]);
    expect(d.revision).toMatch(/^\d+$/);
  });

  it('denies explicitly through a group inline policy', async () => {
    const d = await ask({ principalArn: arn.user('alice'), action: 's3:GetObject', resourceArn: `${BUCKET}/secret/plan.txt` });
    expect(d).toMatchObject({ allowed: false, decision: 'EXPLICIT_DENY' });
    expect(d.matchedStatements.map((s) => [s.sid, s.effect, s.sourcePolicyType])).toEqual([['DenySecrets', 'DENY', 'GROUP']]);
  });

  it('denies implicitly and explains the near miss and missing context', async () => {
    const d = await ask({ principalArn: arn.user('alice'), action: 's3:PutObject', resourceArn: `${BUCKET}/q1.csv` });
    expect(d).toMatchObject({ allowed: false, decision: 'IMPLICIT_DENY', matchedStatements: [] });
    expect(d.missingContextValues).toEqual(['aws:SourceIp']);
    expect(d.nearMisses).toContainEqual({ failedPart: 'CONDITION', conditionKey: 'aws:SourceIp', statement: { sid: 'FromOffice' } });
  });

  it('explains near misses asked for through a fragment spread in a batch', async () => {
    // Near misses are computed only when the operation selects them (src/graphql/selection.ts),
    // so a selection hidden in a named fragment must still count.
    const query = `mutation ($requests: [AuthorizeInput!]!) { authorizeBatch(requests: $requests) { ...Why } }
      fragment Why on AuthorizeResult { ... on Decision { decision ...Misses } }
      fragment Misses on Explanation { nearMisses { failedPart conditionKey statement { sid } } }`;
    const question = { principalArn: arn.user('alice'), action: 's3:PutObject', resourceArn: `${BUCKET}/q1.csv` };
    const body = dataOf(await server.gql<{ authorizeBatch: Array<Pick<DecisionView, 'decision' | 'nearMisses'>> }>(query, { requests: [question, question] }, rootAuth));
    for (const item of body.authorizeBatch) {
      expect(item.decision).toBe('IMPLICIT_DENY');
      expect(item.nearMisses).toContainEqual({ failedPart: 'CONDITION', conditionKey: 'aws:SourceIp', statement: { sid: 'FromOffice' } });
    }
  });

  it('uses typed context entries and the principal\'s tags', async () => {
    const office = await ask({
      principalArn: arn.user('alice'),
      action: 's3:PutObject',
      resourceArn: `${BUCKET}/q1.csv`,
      contextEntries: [{ contextKeyName: 'aws:SourceIp', contextKeyValues: ['10.1.2.3'], contextKeyType: 'IP' }],
    });
    expect(office.decision).toBe('ALLOWED');
    const tagged = (team: string) =>
      ask({
        principalArn: arn.user('alice'),
        action: 'ec2:StartInstances',
        resourceArn: `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/i-1`,
        contextEntries: [{ contextKeyName: 'aws:ResourceTag/team', contextKeyValues: [team], contextKeyType: 'STRING' }],
      });
    expect((await tagged('blue')).decision).toBe('ALLOWED');
    expect((await tagged('red')).decision).toBe('IMPLICIT_DENY');
  });

  it('applies a resource policy passed with the question, same account', async () => {
    const d = await ask({
      principalArn: arn.user('alice'),
      action: 's3:DeleteObject',
      resourceArn: `${BUCKET}/old.csv`,
      resourcePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Sid: 'AliceMayDelete', Effect: 'Allow', Principal: { AWS: arn.user('alice') }, Action: 's3:DeleteObject', Resource: `${BUCKET}/*` }],
      }),
    });
    expect(d.decision).toBe('ALLOWED');
    expect(d.matchedStatements.map((s) => [s.layer, s.sid])).toEqual([['RESOURCE', 'AliceMayDelete']]);
  });

  it('caps permissions with a boundary', async () => {
    await write(server, 'createPolicy', { policyName: 'OnlyEc2', policyDocument: policy({ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }) });
    const revision = await write(server, 'putUserPermissionsBoundary', { userName: 'alice', permissionsBoundary: arn.policy('OnlyEc2') });
    const capped = await ask({ principalArn: arn.user('alice'), action: 's3:GetObject', resourceArn: `${BUCKET}/q1.csv`, minRevision: revision });
    expect(capped.decision).toBe('IMPLICIT_DENY');
    expect(capped.layers).toContainEqual({ layer: 'BOUNDARY', outcome: 'NO_MATCH' });
    const lifted = await write(server, 'deleteUserPermissionsBoundary', { userName: 'alice' });
    expect((await ask({ principalArn: arn.user('alice'), action: 's3:GetObject', resourceArn: `${BUCKET}/q1.csv`, minRevision: lifted })).decision).toBe(
      'ALLOWED',
    );
  });

  it('sees a detach at the revision the write returned', async () => {
    await write(server, 'createUser', { userName: 'bob' });
    await write(server, 'createPolicy', { policyName: 'BobRead', policyDocument: policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }) });
    const attached = await write(server, 'attachUserPolicy', { userName: 'bob', policyArn: arn.policy('BobRead') });
    const question = { principalArn: arn.user('bob'), action: 's3:GetObject', resourceArn: `${BUCKET}/x` };
    const before = await ask({ ...question, minRevision: attached });
    expect(before.decision).toBe('ALLOWED');
    expect(BigInt(before.revision)).toBeGreaterThanOrEqual(BigInt(attached));
    const detached = await write(server, 'detachUserPolicy', { userName: 'bob', policyArn: arn.policy('BobRead') });
    const after = await ask({ ...question, minRevision: detached });
    expect(after.decision).toBe('IMPLICIT_DENY');
    expect(BigInt(after.revision)).toBeGreaterThanOrEqual(BigInt(detached));
  });

  it('answers a minRevision the change log has not reached with a ValidationError', async () => {
    const response = await result({ action: 's3:GetObject', resourceArn: '*', minRevision: '999999999' });
    expect(response).toMatchObject({ __typename: 'ValidationError', field: 'input.minRevision' });
  });

  it('requires iam:Authorize on the principal asked about, even for the caller itself', async () => {
    await write(server, 'createUser', { userName: 'carol' });
    const carol = await accessKeyFor(server, await userIdOf(server, 'carol'));
    // A refusal is the answer (AccessDenied), not an error that nulls the response.
    const denied = await server.gql(AUTHORIZE, { input: { action: 's3:GetObject', resourceArn: '*' } }, carol);
    expect(denied.body.errors).toBeUndefined();
    expect(dataOf(denied)).toEqual({
      authorize: {
        __typename: 'AccessDenied',
        // The code's spelling is the ErrorCode contract's (errors lane); here it only has to be there.
        code: expect.any(String),
        message: `user ${arn.user('carol')} is not authorized to perform iam:Authorize on resource ${arn.user('carol')}`,
        action: 'iam:Authorize',
        resource: arn.user('carol'),
      },
    });

    const granted = await write(server, 'putUserPolicy', {
      userName: 'carol',
      policyName: 'AskAboutSelf',
      policyDocument: policy({ Effect: 'Allow', Action: 'iam:Authorize', Resource: arn.user('carol') }),
    });
    const self = await ask({ action: 'iam:Authorize', resourceArn: arn.user('carol'), minRevision: granted }, carol);
    expect(self.decision).toBe('ALLOWED');
    const other = await result({ principalArn: arn.user('alice'), action: 's3:GetObject', resourceArn: '*' }, carol);
    expect(other).toMatchObject({ __typename: 'AccessDenied', action: 'iam:Authorize', resource: arn.user('alice') });

    // In a batch, the refused question fails alone: carol's question about herself is answered.
    const batch = dataOf(
      await server.gql<{ authorizeBatch: BatchAnswer[] }>(
        BATCH,
        {
          requests: [
            { principalArn: arn.user('alice'), action: 's3:GetObject', resourceArn: '*' },
            { action: 'iam:Authorize', resourceArn: arn.user('carol') },
          ],
        },
        carol,
      ),
    );
    expect(batch.authorizeBatch).toEqual([
      expect.objectContaining({ __typename: 'AccessDenied', action: 'iam:Authorize', resource: arn.user('alice') }),
      expect.objectContaining({ __typename: 'Decision', decision: 'ALLOWED' }),
    ]);
  });

  it('answers a batch in order with per-item errors', async () => {
    const requests = [
      { principalArn: arn.user('alice'), action: 's3:GetObject', resourceArn: `${BUCKET}/a` },
      { principalArn: arn.user('nobody'), action: 's3:GetObject', resourceArn: `${BUCKET}/a` },
      { principalArn: arn.user('alice'), action: 's3:GetObject', resourceArn: `${BUCKET}/a`, contextEntries: [{ contextKeyName: 'aws:SourceIp', contextKeyValues: ['not-an-ip'], contextKeyType: 'IP' }] },
      { principalArn: arn.user('alice'), action: 's3:GetObject', resourceArn: `${BUCKET}/a`, resourcePolicy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow"}]}' },
      { principalArn: arn.user('alice'), action: 'not an action', resourceArn: `${BUCKET}/a` },
      { principalArn: 'arn:aws:iam::444455556666:user/eve', action: 's3:GetObject', resourceArn: `${BUCKET}/a` },
      { principalArn: arn.user('alice'), action: 's3:GetObject', resourceArn: `${BUCKET}/secret/a` },
    ];
    const data = dataOf(await server.gql<{ authorizeBatch: BatchAnswer[] }>(BATCH, { requests }, rootAuth));
    expect(data.authorizeBatch.map((r) => r['__typename'])).toEqual([
      'Decision',
      'NoSuchEntity',
      'ValidationError',
      'MalformedPolicyDocument',
      'ValidationError',
      'AccessDenied',
      'Decision',
    ]);
    expect(data.authorizeBatch[0]).toMatchObject({ decision: 'ALLOWED' });
    expect(data.authorizeBatch[2]).toMatchObject({ field: 'requests[2].contextEntries[0].contextKeyValues[0]', rule: 'format' });
    expect(data.authorizeBatch[4]).toMatchObject({ field: 'requests[4].action' });
    expect(data.authorizeBatch[6]).toMatchObject({ decision: 'EXPLICIT_DENY' });
  });

  it('answers keyed questions by position, and refuses a key over 256 characters for that question alone (in authorize too)', async () => {
    const question = { principalArn: arn.user('alice'), action: 's3:GetObject', resourceArn: `${BUCKET}/a` };
    const requests = [
      { ...question, key: 'order:42' },
      { ...question, key: 'k'.repeat(257) },
      question,
      { ...question, key: '' },
    ];
    const answers = dataOf(await server.gql<{ authorizeBatch: BatchAnswer[] }>(BATCH, { requests }, rootAuth)).authorizeBatch;
    expect(answers.map((a) => a['__typename'])).toEqual(['Decision', 'ValidationError', 'Decision', 'Decision']);
    expect(answers[1]).toMatchObject({ field: 'requests[1].key', rule: 'max-length' });
    // authorize does not echo a key either, but caps it alike.
    expect(await result({ ...question, key: 'k'.repeat(257) })).toMatchObject({ __typename: 'ValidationError', field: 'input.key', rule: 'max-length' });
  });

  it('refuses a batch over 1,000 questions', async () => {
    const requests = Array.from({ length: 1_001 }, () => ({ action: 's3:GetObject', resourceArn: '*' }));
    const response = await server.gql(BATCH, { requests }, rootAuth);
    expect(response.body.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_ERROR', field: 'requests' });
  });

  it('answers aliased authorize fields in one operation', async () => {
    const query = `mutation { a: authorize(input: { principalArn: "${arn.user('alice')}", action: "s3:GetObject", resourceArn: "${BUCKET}/a" }) { ... on Decision { decision } }
      b: authorize(input: { principalArn: "${arn.user('bob')}", action: "s3:GetObject", resourceArn: "${BUCKET}/a" }) { ... on Decision { decision } } }`;
    const data = dataOf(await server.gql<{ a: { decision: string }; b: { decision: string } }>(query, undefined, rootAuth));
    expect(data).toEqual({ a: { decision: 'ALLOWED' }, b: { decision: 'IMPLICIT_DENY' } });
  });
});
