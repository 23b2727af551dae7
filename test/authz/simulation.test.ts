/**
 * simulateCustomPolicy and simulatePrincipalPolicy over HTTP: one result per action × resource in
 * order, typed input errors, self-authorization, and no last-accessed records (decisions do record).
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceLastAccessed } from '../../src/db/schema/last-accessed.ts';
import type { TestServer } from '../support/server.ts';
import { accessKeyFor, arn, policy, userIdOf, write } from './support/directory.ts';
import { dataOf, rootAuth, startAuthzServer } from './support/server.ts';

const RESULT = 'evalActionName evalResourceName evalDecision matchedStatements { sourcePolicyId sid } missingContextValues';
const CUSTOM = `query ($input: SimulateCustomPolicyInput!) { simulateCustomPolicy(input: $input) { ${RESULT} } }`;
const PRINCIPAL = `query ($input: SimulatePrincipalPolicyInput!) { simulatePrincipalPolicy(input: $input) { ${RESULT} } }`;

interface Result {
  evalActionName: string;
  evalResourceName: string;
  evalDecision: string;
  matchedStatements: Array<{ sourcePolicyId: string; sid: string | null }>;
}

describe('policy simulation', () => {
  let server: TestServer;
  let ericId: string;
  beforeAll(async () => {
    server = await startAuthzServer();
    await write(server, 'createUser', { userName: 'eric' });
    await write(server, 'createPolicy', {
      policyName: 'EricLogs',
      policyDocument: policy({ Sid: 'Logs', Effect: 'Allow', Action: 'logs:*', Resource: '*' }),
    });
    await write(server, 'attachUserPolicy', { userName: 'eric', policyArn: arn.policy('EricLogs') });
    ericId = await userIdOf(server, 'eric');
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('answers every action × resource pair, in the order asked', async () => {
    const input = {
      policyInputList: [policy({ Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::open/*' })],
      actionNames: ['s3:GetObject', 's3:PutObject'],
      resourceArns: ['arn:aws:s3:::open/a', 'arn:aws:s3:::closed/a'],
    };
    const results = dataOf(await server.gql<{ simulateCustomPolicy: Result[] }>(CUSTOM, { input }, rootAuth)).simulateCustomPolicy;
    expect(results.map((r) => [r.evalActionName, r.evalResourceName, r.evalDecision])).toEqual([
      ['s3:GetObject', 'arn:aws:s3:::open/a', 'ALLOWED'],
      ['s3:GetObject', 'arn:aws:s3:::closed/a', 'IMPLICIT_DENY'],
      ['s3:PutObject', 'arn:aws:s3:::open/a', 'IMPLICIT_DENY'],
      ['s3:PutObject', 'arn:aws:s3:::closed/a', 'IMPLICIT_DENY'],
    ]);
    expect(results[0]?.matchedStatements).toEqual([{ sourcePolicyId: 'PolicyInputList.1', sid: 'Read' }]);
  });

  it('defaults resourceArns to "*" and names a malformed document by its index', async () => {
    const ok = dataOf(
      await server.gql<{ simulateCustomPolicy: Result[] }>(CUSTOM, { input: { policyInputList: [policy({ Effect: 'Allow', Action: '*', Resource: '*' })], actionNames: ['ec2:RunInstances'] } }, rootAuth),
    ).simulateCustomPolicy;
    expect(ok.map((r) => [r.evalResourceName, r.evalDecision])).toEqual([['*', 'ALLOWED']]);
    const bad = await server.gql(CUSTOM, { input: { policyInputList: [policy({ Effect: 'Allow', Action: '*', Resource: '*' }), '{"Statement":[{"Effect":"Maybe"}]}'], actionNames: ['s3:GetObject'] } }, rootAuth);
    expect(bad.body.errors?.[0]?.extensions).toMatchObject({ code: 'MALFORMED_POLICY_DOCUMENT', field: 'input.policyInputList[1]' });
    const badAction = await server.gql(CUSTOM, { input: { policyInputList: [], actionNames: ['GetObject'] } }, rootAuth);
    expect(badAction.body.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_ERROR', field: 'input.actionNames[0]' });
  });

  it("simulates a principal's own policies plus extra ones, and a replacement boundary", async () => {
    const ask = async (extra: Record<string, unknown>) =>
      dataOf(
        await server.gql<{ simulatePrincipalPolicy: Result[] }>(PRINCIPAL, { input: { policySourceArn: arn.user('eric'), actionNames: ['logs:PutLogEvents', 'sqs:SendMessage'], ...extra } }, rootAuth),
      ).simulatePrincipalPolicy.map((r) => r.evalDecision);
    expect(await ask({})).toEqual(['ALLOWED', 'IMPLICIT_DENY']);
    expect(await ask({ policyInputList: [policy({ Effect: 'Allow', Action: 'sqs:*', Resource: '*' })] })).toEqual(['ALLOWED', 'ALLOWED']);
    expect(await ask({ permissionsBoundaryPolicyInputList: [policy({ Effect: 'Allow', Action: 'sqs:*', Resource: '*' })] })).toEqual(['IMPLICIT_DENY', 'IMPLICIT_DENY']);
  });

  it('refuses unknown principals and ARNs that name no principal', async () => {
    const unknown = await server.gql(PRINCIPAL, { input: { policySourceArn: arn.user('nobody'), actionNames: ['s3:GetObject'] } }, rootAuth);
    expect(unknown.body.errors?.[0]?.extensions?.['code']).toBe('NO_SUCH_ENTITY');
    const group = await server.gql(PRINCIPAL, { input: { policySourceArn: arn.group('admins'), actionNames: ['s3:GetObject'] } }, rootAuth);
    expect(group.body.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_ERROR', field: 'input.policySourceArn' });
  });

  it('needs iam:SimulateCustomPolicy and iam:SimulatePrincipalPolicy', async () => {
    const eric = await accessKeyFor(server, ericId);
    const custom = await server.gql(CUSTOM, { input: { policyInputList: [], actionNames: ['s3:GetObject'] } }, eric);
    expect(custom.body.errors?.[0]?.extensions?.['code']).toBe('ACCESS_DENIED');
    const principal = await server.gql(PRINCIPAL, { input: { policySourceArn: arn.user('eric'), actionNames: ['s3:GetObject'] } }, eric);
    expect(principal.body.errors?.[0]?.message).toContain('iam:SimulatePrincipalPolicy');
  });

  it('records last-accessed data for decisions only, flushed in batches', async () => {
    const authz = server.running.app.authz;
    await server.gql(PRINCIPAL, { input: { policySourceArn: arn.user('eric'), actionNames: ['kms:Decrypt'] } }, rootAuth);
    await authz.lastAccessed.flush();
    const db = server.running.app.database.db;
    const rowsOf = () => db.select().from(serviceLastAccessed).where(eq(serviceLastAccessed.principalId, ericId));
    expect(await rowsOf()).toEqual([]);

    dataOf(await server.gql('mutation ($input: AuthorizeInput!) { authorize(input: $input) { __typename ... on Decision { decision } ... on AccessDenied { message } } }', { input: { principalArn: arn.user('eric'), action: 'logs:PutLogEvents', resourceArn: '*' } }, rootAuth));
    // Nothing is written on the decision path itself.
    expect(await rowsOf()).toEqual([]);
    await authz.lastAccessed.flush();
    const rows = await rowsOf();
    expect(rows.map((r) => [r.serviceNamespace, r.lastAction])).toEqual([['logs', 'logs:PutLogEvents']]);
  });
});
