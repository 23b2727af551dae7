/**
 * Issue 13, low: `callerArn` of the simulators takes only an IAM user's ARN, as AWS's
 * SimulateCustomPolicy and SimulatePrincipalPolicy do. A root `callerArn` used to be simulated as
 * the root user, allowed everything in its account, whatever the documents said.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/server.ts';
import { ACCOUNT, ROOT, send, startIdentityServer } from '../identity/support/server.ts';

const NOTHING = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::other' }] });
const CUSTOM = 'query($i: SimulateCustomPolicyInput!) { simulateCustomPolicy(input: $i) { evalDecision } }';
const PRINCIPAL = 'query($i: SimulatePrincipalPolicyInput!) { simulatePrincipalPolicy(input: $i) { evalDecision } }';

describe('the simulated caller', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startIdentityServer();
  }, 60_000);
  afterAll(async () => {
    await server.dispose();
  });

  const custom = (callerArn: string) => send(server, ROOT, CUSTOM, { i: { policyInputList: [NOTHING], actionNames: ['iam:DeleteUser'], callerArn } });

  it.each([
    ['the root user', `arn:aws:iam::${ACCOUNT}:root`],
    ['a role', `arn:aws:iam::${ACCOUNT}:role/Admin`],
    ['a role session', `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/s`],
  ])('simulateCustomPolicy refuses %s as callerArn, naming the field and the rule', async (_what, arn) => {
    const answer = await custom(arn);
    expect(answer.body.data).toEqual({ simulateCustomPolicy: null });
    expect(answer.body.errors?.[0]?.path).toEqual(['simulateCustomPolicy']);
    expect(answer.body.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_ERROR', field: 'input.callerArn', rule: 'user-arn' });
    expect(answer.body.errors?.[0]?.message).toContain('must be an IAM user ARN');
  });

  it('simulateCustomPolicy with a user callerArn decides from the documents alone', async () => {
    const answer = await custom(`arn:aws:iam::${ACCOUNT}:user/anyone`);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data).toEqual({ simulateCustomPolicy: [{ evalDecision: 'IMPLICIT_DENY' }] });
  });

  it('simulatePrincipalPolicy refuses a root callerArn too', async () => {
    const answer = await send(server, ROOT, PRINCIPAL, {
      i: { policySourceArn: `arn:aws:iam::${ACCOUNT}:root`, actionNames: ['iam:DeleteUser'], callerArn: `arn:aws:iam::${ACCOUNT}:root` },
    });
    expect(answer.body.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_ERROR', field: 'input.callerArn', rule: 'user-arn' });
  });
});
