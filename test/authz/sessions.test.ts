/**
 * Bearer sessions end to end: a user assumes a role with a session policy, the session token
 * authenticates, decisions about the session use role policies cut by the session policy, and
 * revoking the role's sessions takes effect at the revision the revoke returned.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/server.ts';
import { accessKeyFor, arn, policy, userIdOf, write } from './support/directory.ts';
import { ACCOUNT, dataOf, rootAuth, startAuthzServer } from './support/server.ts';

const AUTHORIZE = `mutation ($input: AuthorizeInput!) { authorize(input: $input) { __typename ... on Decision { decision layers { layer outcome } } ... on AccessDenied { message } } }`;
const ASSUME = `mutation ($input: AssumeRoleInput!) { assumeRole(input: $input) {
  __typename ... on ResultError { code message } ... on AssumeRoleSuccess { credentials { sessionToken } assumedRoleUser { arn } } } }`;

describe('bearer sessions', () => {
  let server: TestServer;
  let bearer: Record<string, string>;
  let sessionArn: string;
  const ask = async (input: Record<string, unknown>, headers: Record<string, string>) =>
    server.gql<{ authorize: { decision: string; layers: Array<{ layer: string; outcome: string }> } }>(AUTHORIZE, { input }, headers);

  beforeAll(async () => {
    server = await startAuthzServer();
    await write(server, 'createUser', { userName: 'sam' });
    await write(server, 'putUserPolicy', {
      userName: 'sam',
      policyName: 'MayDeploy',
      policyDocument: policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: arn.role('deployer') }),
    });
    await write(server, 'createRole', {
      roleName: 'deployer',
      assumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: arn.user('sam') }, Action: 'sts:AssumeRole' }],
      }),
    });
    await write(server, 'putRolePolicy', {
      roleName: 'deployer',
      policyName: 'Deploy',
      policyDocument: policy(
        { Effect: 'Allow', Action: 's3:*', Resource: '*' },
        { Effect: 'Allow', Action: 'iam:Authorize', Resource: `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/*` },
      ),
    });
    const sam = await accessKeyFor(server, await userIdOf(server, 'sam'));
    const assumed = dataOf(
      await server.gql<{ assumeRole: { __typename: string; message?: string; credentials: { sessionToken: string }; assumedRoleUser: { arn: string } } }>(
        ASSUME,
        {
          input: {
            roleArn: arn.role('deployer'),
            roleSessionName: 'release-1',
            // The session policy limits everything the session does, asking included.
            policy: policy({ Effect: 'Allow', Action: ['s3:GetObject', 'iam:Authorize'], Resource: '*' }),
          },
        },
        sam,
      ),
    ).assumeRole;
    if (assumed.__typename !== 'AssumeRoleSuccess') throw new Error(`assumeRole failed: ${assumed.message}`);
    bearer = { authorization: `Bearer ${assumed.credentials.sessionToken}` };
    sessionArn = assumed.assumedRoleUser.arn;
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('authenticates the session token and cuts the role\'s permissions by the session policy', async () => {
    expect(sessionArn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/deployer/release-1`);
    const read = dataOf(await ask({ action: 's3:GetObject', resourceArn: 'arn:aws:s3:::artifacts/app.zip' }, bearer)).authorize;
    expect(read.decision).toBe('ALLOWED');
    const upload = dataOf(await ask({ action: 's3:PutObject', resourceArn: 'arn:aws:s3:::artifacts/app.zip' }, bearer)).authorize;
    expect(upload.decision).toBe('IMPLICIT_DENY');
    expect(upload.layers).toContainEqual({ layer: 'SESSION', outcome: 'NO_MATCH' });
    // The role itself, asked about by root, has no session policy.
    const role = dataOf(await ask({ principalArn: arn.role('deployer'), action: 's3:PutObject', resourceArn: 'arn:aws:s3:::artifacts/app.zip' }, rootAuth)).authorize;
    expect(role.decision).toBe('ALLOWED');
    // Asked about by its ARN, the session's own policies apply too.
    const byArn = dataOf(await ask({ principalArn: sessionArn, action: 's3:PutObject', resourceArn: 'arn:aws:s3:::artifacts/app.zip' }, rootAuth)).authorize;
    expect(byArn.decision).toBe('IMPLICIT_DENY');
  });

  it('stops honouring the session at the revision its revocation returned', async () => {
    const revoked = dataOf(
      await server.gql<{ revokeRoleSessions: { revision?: string } }>(
        'mutation { revokeRoleSessions(input: { roleName: "deployer" }) { ... on RevokeRoleSessionsSuccess { revision } } }',
        undefined,
        rootAuth,
      ),
    ).revokeRoleSessions.revision;
    expect(revoked).toMatch(/^\d+$/);
    const after = await ask({ action: 's3:GetObject', resourceArn: 'arn:aws:s3:::artifacts/app.zip', minRevision: revoked }, bearer);
    expect(dataOf(after).authorize).toMatchObject({ __typename: 'AccessDenied' });
    const asked = dataOf(await ask({ principalArn: sessionArn, action: 's3:GetObject', resourceArn: 'arn:aws:s3:::artifacts/app.zip', minRevision: revoked }, rootAuth));
    expect(asked.authorize.decision).toBe('EXPLICIT_DENY');
  });
});
