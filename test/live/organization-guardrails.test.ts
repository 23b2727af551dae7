/**
 * SCPs and RCPs in every decision, live: an organization (management account 111122223333, root →
 * OU Prod → OU Team → member account M, and member account X directly under the root), written
 * through the outbox with the change rows the Organizations commands record (no principal ids:
 * the rows name the target). Writes go to instance A; questions and watches are on instance B (the
 * same PGlite server when no PostgreSQL is configured).
 * - An SCP attached to OU Prod flips the decisionChanged watch of a principal of M (two levels
 *   below) and, asked with the write's revision as minRevision, `authorize` answers from it;
 *   detaching flips it back. X (not under Prod) is untouched; the management account never is.
 * - An allow list replacing FullAWSAccess at a level limits what every level allows.
 * - Targeted: an organization change re-evaluates only the watches whose answers used a placement
 *   under its target (counted by the rounds): not X's on a change to OU Team, none on an empty OU.
 * - An RCP on M denies another account's principal a resource of M that its policy grants.
 * - aws:PrincipalOrgID / aws:PrincipalOrgPaths / aws:ResourceOrgID reach conditions.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { createAccessKey } from '../../src/iam/access-keys.ts';
import { attachPolicy } from '../../src/iam/attachments.ts';
import { createPolicy } from '../../src/iam/policies.ts';
import { createRole } from '../../src/iam/roles.ts';
import { createUser } from '../../src/iam/users.ts';
import {
  FULL_AWS_ACCESS,
  attachOrganizationPolicyRows,
  createMemberAccountRows,
  createOrganizationPolicyRows,
  createOrganizationRows,
  createOuRows,
  detachOrganizationPolicyRows,
  type TestOrganization,
} from '../support/organization-rows.ts';
import { ACCOUNT_ID, ROOT_AUTH, allowDocument, basic, caughtUp, collect, connect, databaseOf, eventually, liveListeners, startPair, type ServerPair } from './support/servers.ts';

const M = '444455556666';
const X = '777788889999';
const BUCKET = 'arn:aws:s3:::team-reports/2026.csv';

const DECISIONS = `subscription ($checks: [AuthorizeInput!]!) {
  decisionChanged(checks: $checks) {
    index revision change { kind }
    decision: result { __typename ... on Decision { decision } }
  }
}`;
const AUTHORIZE = `mutation ($input: AuthorizeInput!) {
  authorize(input: $input) { __typename ... on Decision { decision revision layers { layer outcome } matchedStatements { layer policyName } } ... on AccessDenied { message } }
}`;

let pair: ServerPair;
let db: Database;
let org: TestOrganization;
let prod: string;
let team: string;
let maria: { arn: string; authorization: string };
let xavier: { arn: string; authorization: string };
let denyS3: string;

/** A user of `accountId` with an access key and a policy of `actions`. */
async function memberUser(accountId: string, userName: string, actions: readonly string[]): Promise<{ arn: string; authorization: string }> {
  const actor = { arn: `arn:aws:iam::${accountId}:root`, accountId };
  const { result: user } = await createUser(db, actor, { userName });
  const { result } = await createPolicy(db, actor, { policyName: `${userName}-policy`, policyDocument: allowDocument(actions) });
  await attachPolicy(db, actor, 'user', { principalName: userName, policyArn: result.policy.arn });
  const { result: key } = await createAccessKey(db, actor, undefined, { userName });
  return { arn: user.arn, authorization: basic(key.accessKey.accessKeyId, key.secretAccessKey) };
}

async function authorize(authorization: string, input: Record<string, unknown>): Promise<any> {
  const { body } = await pair.b.gql<any>(AUTHORIZE, { input }, { authorization });
  expect(body.errors).toBeUndefined();
  return body.data.authorize;
}

beforeAll(async () => {
  pair = await startPair();
  db = databaseOf(pair.a);
  org = await createOrganizationRows(db, ACCOUNT_ID);
  prod = await createOuRows(db, org, org.rootId, 'Prod');
  team = await createOuRows(db, org, prod, 'Team');
  await createMemberAccountRows(db, org, M, team);
  await createMemberAccountRows(db, org, X, org.rootId);
  maria = await memberUser(M, 'maria', ['s3:*', 'ec2:*', 'iam:*']);
  xavier = await memberUser(X, 'xavier', ['s3:*', 'iam:*']);
  denyS3 = await createOrganizationPolicyRows(db, org, 'DenyS3', { Version: '2012-10-17', Statement: [{ Sid: 'NoS3', Effect: 'Deny', Action: 's3:*', Resource: '*' }] });
  await caughtUp(pair.b, pair.a);
}, 120_000);

afterAll(async () => {
  await pair?.dispose();
});

describe('SCPs in decisions and watches', () => {
  it('FullAWSAccess at every level: the identity policy decides, and the guardrail layer is reported', async () => {
    const d = await authorize(maria.authorization, { action: 's3:GetObject', resourceArn: BUCKET });
    expect(d.decision).toBe('ALLOWED');
    expect(d.layers).toContainEqual({ layer: 'GUARDRAIL', outcome: 'ALLOW' });
  });

  it('an SCP attached to an OU flips the watch of a principal two levels below, and minRevision sees it; detaching restores', async () => {
    const ws = connect(pair.b, maria.authorization);
    const sub = collect(ws, DECISIONS, {
      checks: [
        { action: 's3:GetObject', resourceArn: BUCKET },
        { action: 'ec2:RunInstances', resourceArn: '*' },
      ],
    });
    const initial = await sub.waitFor(2);
    expect(initial.map((v) => v.decisionChanged.decision.decision)).toEqual(['ALLOWED', 'ALLOWED']);
    await eventually(() => liveListeners(pair.b) >= 1, 5_000, 'the watch to listen');

    const attached = await attachOrganizationPolicyRows(databaseOf(pair.a), org, denyS3, prod);
    const [, , flip] = await sub.waitFor(3, 10_000);
    // The change row is the management account's own: a member account's watcher gets the flip, not the row.
    expect(flip.decisionChanged).toMatchObject({ index: 0, change: null, decision: { decision: 'EXPLICIT_DENY' } });
    expect(BigInt(flip.decisionChanged.revision)).toBeGreaterThanOrEqual(BigInt(attached));

    // The consistency contract: with the write's revision, no answer from older guardrails.
    const denied = await authorize(maria.authorization, { action: 's3:PutObject', resourceArn: BUCKET, minRevision: attached });
    expect(denied.decision).toBe('EXPLICIT_DENY');
    expect(denied.matchedStatements).toEqual([{ layer: 'GUARDRAIL', policyName: 'DenyS3' }]);
    // simulatePrincipalPolicy shows the guardrail verdict; simulateCustomPolicy stays without SCPs, as AWS's.
    const simulated = await pair.b.gql<any>(
      `query ($p: SimulatePrincipalPolicyInput!, $c: SimulateCustomPolicyInput!) {
        principal: simulatePrincipalPolicy(input: $p) { evalDecision layers { layer outcome } }
        custom: simulateCustomPolicy(input: $c) { evalDecision }
      }`,
      {
        p: { policySourceArn: maria.arn, actionNames: ['s3:GetObject', 'ec2:RunInstances'], resourceArns: [BUCKET] },
        c: { policyInputList: [allowDocument(['s3:*'])], actionNames: ['s3:GetObject'], resourceArns: [BUCKET] },
      },
      { authorization: maria.authorization },
    );
    expect(simulated.body.errors).toBeUndefined();
    expect(simulated.body.data.principal.map((r: any) => r.evalDecision)).toEqual(['EXPLICIT_DENY', 'ALLOWED']);
    expect(simulated.body.data.principal[0].layers).toContainEqual({ layer: 'GUARDRAIL', outcome: 'DENY' });
    expect(simulated.body.data.custom.map((r: any) => r.evalDecision)).toEqual(['ALLOWED']);
    // X is not under Prod; the management account is never bound.
    expect((await authorize(xavier.authorization, { action: 's3:GetObject', resourceArn: BUCKET, minRevision: attached })).decision).toBe('ALLOWED');
    expect((await authorize(ROOT_AUTH, { action: 's3:GetObject', resourceArn: BUCKET, minRevision: attached })).decision).toBe('ALLOWED');

    const detached = await detachOrganizationPolicyRows(databaseOf(pair.a), org, denyS3, prod);
    const [, , , back] = await sub.waitFor(4, 10_000);
    expect(back.decisionChanged).toMatchObject({ index: 0, change: null, decision: { decision: 'ALLOWED' } });
    expect((await authorize(maria.authorization, { action: 's3:GetObject', resourceArn: BUCKET, minRevision: detached })).decision).toBe('ALLOWED');
    // The ec2 check never flipped.
    expect(sub.values.filter((v) => v.decisionChanged.index === 1)).toHaveLength(1);
    sub.unsubscribe();
    await ws.dispose();
  }, 60_000);

  it('an allow list replacing FullAWSAccess at a level limits every account below it', async () => {
    const ec2Only = await createOrganizationPolicyRows(db, org, 'Ec2Only', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['ec2:*', 'iam:*'], Resource: '*' }] });
    await attachOrganizationPolicyRows(db, org, ec2Only, team);
    const revision = await detachOrganizationPolicyRows(db, org, FULL_AWS_ACCESS, team);
    const s3 = await authorize(maria.authorization, { action: 's3:GetObject', resourceArn: BUCKET, minRevision: revision });
    expect(s3.decision).toBe('IMPLICIT_DENY');
    expect(s3.layers).toContainEqual({ layer: 'GUARDRAIL', outcome: 'NO_MATCH' });
    expect((await authorize(maria.authorization, { action: 'ec2:RunInstances', resourceArn: '*', minRevision: revision })).decision).toBe('ALLOWED');
    await attachOrganizationPolicyRows(db, org, FULL_AWS_ACCESS, team);
    const restored = await detachOrganizationPolicyRows(db, org, ec2Only, team);
    expect((await authorize(maria.authorization, { action: 's3:GetObject', resourceArn: BUCKET, minRevision: restored })).decision).toBe('ALLOWED');
  }, 60_000);

  it('an SCP change on an OU re-evaluates only the watches of accounts under it: none for an empty OU, not X outside Team', async () => {
    const sandbox = await createOuRows(db, org, org.rootId, 'Sandbox');
    await caughtUp(pair.b, pair.a);
    const rounds = pair.b.running.app.live.decisionRounds;
    const check = [{ action: 's3:GetObject', resourceArn: BUCKET }];
    const mariaWs = connect(pair.b, maria.authorization);
    const xavierWs = connect(pair.b, xavier.authorization);
    const mariaSub = collect(mariaWs, DECISIONS, { checks: check });
    const xavierSub = collect(xavierWs, DECISIONS, { checks: check });
    expect((await mariaSub.waitFor(1))[0].decisionChanged.decision.decision).toBe('ALLOWED');
    expect((await xavierSub.waitFor(1))[0].decisionChanged.decision.decision).toBe('ALLOWED');
    // Each subscription listens twice (its watch and its permit).
    await eventually(() => liveListeners(pair.b) >= 4, 5_000, 'both watches to listen');
    const before = rounds.watchesEvaluated;

    // The empty OU first, then Team: each in its own write, so the first is its own batch.
    await attachOrganizationPolicyRows(db, org, denyS3, sandbox);
    await attachOrganizationPolicyRows(db, org, denyS3, team);
    const [, flip] = await mariaSub.waitFor(2, 10_000);
    expect(flip.decisionChanged.decision.decision).toBe('EXPLICIT_DENY');
    // Maria's watch once (Team is above M); X is not under Team, and nothing is under Sandbox.
    expect(rounds.watchesEvaluated - before).toBe(1);

    await detachOrganizationPolicyRows(db, org, denyS3, sandbox);
    await detachOrganizationPolicyRows(db, org, denyS3, team);
    const [, , back] = await mariaSub.waitFor(3, 10_000);
    expect(back.decisionChanged.decision.decision).toBe('ALLOWED');
    expect(rounds.watchesEvaluated - before).toBe(2);

    // A change that does reach X (an SCP on its own account) still re-evaluates and flips its watch.
    await attachOrganizationPolicyRows(db, org, denyS3, X);
    const [, xFlip] = await xavierSub.waitFor(2, 10_000);
    expect(xFlip.decisionChanged.decision.decision).toBe('EXPLICIT_DENY');
    expect(rounds.watchesEvaluated - before).toBe(3);
    await detachOrganizationPolicyRows(db, org, denyS3, X);
    await xavierSub.waitFor(3, 10_000);
    expect(mariaSub.values).toHaveLength(3);
    mariaSub.unsubscribe();
    xavierSub.unsubscribe();
    await Promise.all([mariaWs.dispose(), xavierWs.dispose()]);
  }, 60_000);
});

describe('cross-account AssumeRole under SCPs and RCPs', () => {
  const ASSUME = `mutation ($roleArn: String!) { assumeRole(input: { roleArn: $roleArn, roleSessionName: "sam-session" }) { __typename ... on ValidationError { message } } }`;
  const roleArn = `arn:aws:iam::${X}:role/TrustsSam`;
  let sam: { arn: string; authorization: string };
  const assume = async () => { const r = (await pair.b.gql<any>(ASSUME, { roleArn }, { authorization: sam.authorization })).body.data.assumeRole; return r.message ?? r.__typename; };

  beforeAll(async () => {
    sam = await memberUser(M, 'sam', ['sts:AssumeRole']);
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: sam.arn }, Action: 'sts:AssumeRole' }] });
    await createRole(db, { arn: `arn:aws:iam::${X}:root`, accountId: X }, { roleName: 'TrustsSam', assumeRolePolicyDocument: trust });
    await caughtUp(pair.b, pair.a);
  }, 60_000);

  it("the caller's SCP (on its OU) and the role account's RCP each stop sts:AssumeRole; detaching restores it", async () => {
    expect(await assume()).toBe('AssumeRoleSuccess');
    const denyAssume = await createOrganizationPolicyRows(db, org, 'DenyAssume', { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'sts:AssumeRole', Resource: '*' }] });
    await attachOrganizationPolicyRows(db, org, denyAssume, prod);
    await caughtUp(pair.b, pair.a);
    expect(await assume()).toBe('AccessDenied');
    await detachOrganizationPolicyRows(db, org, denyAssume, prod);
    await caughtUp(pair.b, pair.a);
    expect(await assume()).toBe('AssumeRoleSuccess');

    const rcp = await createOrganizationPolicyRows(
      db,
      org,
      'NoAssumeFromM',
      { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRole', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalAccount': M } } }] },
      'RESOURCE_CONTROL_POLICY',
    );
    await attachOrganizationPolicyRows(db, org, rcp, X);
    await caughtUp(pair.b, pair.a);
    expect(await assume()).toBe('AccessDenied');
    await detachOrganizationPolicyRows(db, org, rcp, X);
    await caughtUp(pair.b, pair.a);
    expect(await assume()).toBe('AssumeRoleSuccess');
  }, 60_000);
});

describe('RCPs and the organization keys', () => {
  const grantAll = (condition?: Record<string, unknown>) =>
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*', ...(condition === undefined ? {} : { Condition: condition }) }] });
  const inM = `arn:aws:s3:::m-bucket/k`;

  it("an RCP on the resource's account denies another account's principal whom the resource policy grants", async () => {
    const ask = (minRevision?: string) => authorize(xavier.authorization, { action: 's3:GetObject', resourceArn: inM, resourceOwner: M, resourcePolicy: grantAll(), ...(minRevision === undefined ? {} : { minRevision }) });
    expect((await ask()).decision).toBe('ALLOWED');
    const perimeter = await createOrganizationPolicyRows(
      db,
      org,
      'OnlyProd',
      { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: { 'ForAllValues:StringNotLike': { 'aws:PrincipalOrgPaths': [`${org.id}/${org.rootId}/${prod}/*`] } } }] },
      'RESOURCE_CONTROL_POLICY',
    );
    const attached = await attachOrganizationPolicyRows(db, org, perimeter, M);
    const denied = await ask(attached);
    expect(denied.decision).toBe('EXPLICIT_DENY');
    expect(denied.matchedStatements).toEqual([{ layer: 'RESOURCE_GUARDRAIL', policyName: 'OnlyProd' }]);
    // maria's account is under Prod: the RCP lets her through.
    expect((await authorize(maria.authorization, { action: 's3:GetObject', resourceArn: inM, resourceOwner: M, minRevision: attached })).decision).toBe('ALLOWED');
    const detached = await detachOrganizationPolicyRows(db, org, perimeter, M);
    expect((await ask(detached)).decision).toBe('ALLOWED');
  }, 60_000);

  it('aws:PrincipalOrgID and aws:ResourceOrgID come from the accounts\' places', async () => {
    const ask = (condition: Record<string, unknown>) =>
      authorize(xavier.authorization, { action: 's3:GetObject', resourceArn: inM, resourceOwner: M, resourcePolicy: grantAll(condition) }).then((d) => d.decision);
    expect(await ask({ StringEquals: { 'aws:PrincipalOrgID': org.id } })).toBe('ALLOWED');
    expect(await ask({ StringEquals: { 'aws:PrincipalOrgID': 'o-someoneelse' } })).toBe('IMPLICIT_DENY');
    expect(await ask({ StringEquals: { 'aws:ResourceOrgID': org.id } })).toBe('ALLOWED');
    expect(await ask({ 'ForAnyValue:StringLike': { 'aws:ResourceOrgPaths': `${org.id}/${org.rootId}/${prod}/${team}/` } })).toBe('ALLOWED');
    expect(await ask({ 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': `${org.id}/${org.rootId}/${prod}/*` } })).toBe('IMPLICIT_DENY');
  }, 60_000);
});
