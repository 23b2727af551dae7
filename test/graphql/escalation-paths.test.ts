/**
 * Escalation paths over GraphQL, on the stored directory: `escalationPaths` finds a technique with
 * its steps from what the database holds (inline, managed, group and boundary policies, trust
 * policies), a boundary defeats one, a write that removes a permission removes the path for a
 * question asked with its revision, and `escalationSummary` pages the account's principals with a
 * path, counts them per technique and lists only principals the caller may ask about.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT, startInProcess, type InProcess } from '../support/in-process.ts';

const user = (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`;
const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const doc = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const READ = { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::docs/*' };
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';

const PATHS = `query ($arn: String!, $min: String) {
  escalationPaths(principalArn: $arn, minRevision: $min) {
    revision
    principal { principalArn principalType truncated paths { technique targetArn computeService steps { action resourceArn description } } }
  }
}`;
const SUMMARY = `query ($first: Int, $after: String) {
  escalationSummary {
    revision principalsAnalyzed principalsWithPaths
    techniques { technique principals }
    principals(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node escalation { principalArn paths { technique } } } }
  }
}`;

describe('escalation paths over GraphQL', () => {
  let app: InProcess;
  let auditor: string;

  const write = async (field: string, input: Record<string, unknown>): Promise<string | undefined> => {
    const type = `${field[0]!.toUpperCase()}${field.slice(1)}`;
    const data = await app.asRoot(`mutation($i: ${type}Input!) { ${field}(input: $i) { __typename ... on ResultError { message } ... on ${type}Success { revision } } }`, { i: input });
    expect(data[field].__typename, JSON.stringify(data)).toBe(`${type}Success`);
    return data[field].revision;
  };

  beforeAll(async () => {
    app = await startInProcess({ RATE_LIMIT_PER_SECOND: '0' });
    await write('createPolicy', { policyName: 'S3Only', policyDocument: doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }) });
    for (const name of ['intern', 'boxed', 'admin', 'helpdesk', 'dev', 'safe']) await write('createUser', { userName: name });
    await write('putUserPolicy', { userName: 'intern', policyName: 'Self', policyDocument: doc(READ, { Effect: 'Allow', Action: 'iam:PutUserPolicy', Resource: user('intern') }) });
    await write('putUserPolicy', { userName: 'boxed', policyName: 'Self', policyDocument: doc(READ, { Effect: 'Allow', Action: 'iam:PutUserPolicy', Resource: user('boxed') }) });
    await write('putUserPermissionsBoundary', { userName: 'boxed', permissionsBoundary: `arn:aws:iam::${ACCOUNT}:policy/S3Only` });
    await write('attachUserPolicy', { userName: 'admin', policyArn: ADMIN });
    await write('createGroup', { groupName: 'support' });
    await write('putGroupPolicy', { groupName: 'support', policyName: 'Keys', policyDocument: doc({ Effect: 'Allow', Action: 'iam:CreateAccessKey', Resource: `arn:aws:iam::${ACCOUNT}:user/*` }) });
    await write('addUserToGroup', { groupName: 'support', userName: 'helpdesk' });
    await write('createRole', { roleName: 'Ops', assumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }) });
    await write('attachRolePolicy', { roleName: 'Ops', policyArn: ADMIN });
    await write('putUserPolicy', { userName: 'dev', policyName: 'Assume', policyDocument: doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: role('Ops') }) });
    await write('putUserPolicy', { userName: 'safe', policyName: 'Read', policyDocument: doc(READ) });
    auditor = await app.userWith('auditor', [
      { Effect: 'Allow', Action: 'iam:EscalationSummary', Resource: `arn:aws:iam::${ACCOUNT}:root` },
      { Effect: 'Allow', Action: 'iam:EscalationPaths', Resource: `arn:aws:iam::${ACCOUNT}:user/d*` },
    ]);
  }, 120_000);
  afterAll(() => app?.close());

  it('finds a policy the user may put on itself, with its step', async () => {
    const data = await app.asRoot(PATHS, { arn: user('intern') });
    expect(data.escalationPaths.revision).toMatch(/^\d+$/);
    expect(data.escalationPaths.principal).toMatchObject({ principalArn: user('intern'), principalType: 'USER', truncated: false });
    expect(data.escalationPaths.principal.paths).toEqual([
      {
        technique: 'PUT_USER_POLICY',
        targetArn: user('intern'),
        computeService: null,
        steps: [{ action: 'iam:PutUserPolicy', resourceArn: user('intern'), description: expect.stringContaining('inline policy') }],
      },
    ]);
  });

  it('finds a role to assume and a user to take over through a group, and nothing where a boundary removes the permission', async () => {
    const dev = await app.asRoot(PATHS, { arn: user('dev') });
    expect(dev.escalationPaths.principal.paths.map((p: any) => [p.technique, p.targetArn])).toContainEqual(['ASSUME_ROLE', role('Ops')]);
    const helpdesk = await app.asRoot(PATHS, { arn: user('helpdesk') });
    expect(helpdesk.escalationPaths.principal.paths.map((p: any) => [p.technique, p.targetArn])).toContainEqual(['CREATE_ACCESS_KEY', user('admin')]);
    for (const name of ['boxed', 'safe', 'admin']) {
      const data = await app.asRoot(PATHS, { arn: user(name) });
      expect(data.escalationPaths.principal.paths, name).toEqual([]);
    }
    const ops = await app.asRoot(PATHS, { arn: role('Ops') });
    expect(ops.escalationPaths.principal).toMatchObject({ principalType: 'ROLE', paths: [] });
  });

  it('summarises the account, pages it and counts techniques', async () => {
    const data = await app.asRoot(SUMMARY, {});
    const summary = data.escalationSummary;
    expect(summary.principals.edges.map((e: any) => e.escalation.principalArn)).toEqual([user('dev'), user('helpdesk'), user('intern')]);
    expect(summary.principalsWithPaths).toBe(3);
    expect(summary.principalsAnalyzed).toBeGreaterThanOrEqual(8);
    // helpdesk's paths go on through the users it can take over: intern's own policy, dev's role.
    expect(summary.techniques).toEqual([
      { technique: 'ASSUME_ROLE', principals: 2 },
      { technique: 'PUT_USER_POLICY', principals: 2 },
      { technique: 'CREATE_ACCESS_KEY', principals: 1 },
    ]);
    const first = await app.asRoot(SUMMARY, { first: 1 });
    expect(first.escalationSummary.principals.pageInfo.hasNextPage).toBe(true);
    const second = await app.asRoot(SUMMARY, { first: 1, after: first.escalationSummary.principals.pageInfo.endCursor });
    expect(second.escalationSummary.principals.edges.map((e: any) => e.escalation.principalArn)).toEqual([user('helpdesk')]);
  });

  it('lists only principals the caller may ask about, and refuses the rest', async () => {
    const answer = await app.gql(auditor, SUMMARY, {});
    expect(answer.errors).toBeUndefined();
    expect(answer.data.escalationSummary.principals.edges.map((e: any) => e.escalation.principalArn)).toEqual([user('dev')]);
    expect(answer.data.escalationSummary.principalsAnalyzed).toBe(1);
    const refused = await app.gql(auditor, PATHS, { arn: user('intern') });
    expect(refused.data.escalationPaths).toBeNull();
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'ACCESS_DENIED' });
  });

  it('names bad and unknown principals', async () => {
    const bad = await app.gql(app.root, PATHS, { arn: 'arn:aws:iam::111122223333:group/support' });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(bad.errors?.[0]?.message).toContain('principalArn');
    const unknown = await app.gql(app.root, PATHS, { arn: user('nobody') });
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'NO_SUCH_ENTITY' });
  });

  it('a write that removes the permission removes the path for a question asked with its revision', async () => {
    const revision = await write('deleteUserPolicy', { userName: 'intern', policyName: 'Self' });
    const data = await app.asRoot(PATHS, { arn: user('intern'), min: revision });
    expect(BigInt(data.escalationPaths.revision)).toBeGreaterThanOrEqual(BigInt(revision!));
    expect(data.escalationPaths.principal.paths).toEqual([]);
  });
});
