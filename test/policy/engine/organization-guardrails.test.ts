// Service control policies and resource control policies in levels, root first, as AWS
// Organizations evaluates them:
// - SCP evaluation (and its inheritance examples):
//   https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
// - RCPs: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
//   and https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_evaluation.html
// - The flowchart (deny, RCPs, SCPs, resource, identity, boundary, session):
//   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
// - The organization keys: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
import { describe, expect, it } from 'vitest';
import { compilePolicy, evaluate } from '../../../src/policy/index.ts';
import type { CompiledPolicy, EvaluationRequest, OrganizationMembership, PolicyKind, RequestPrincipal } from '../../../src/policy/types.ts';

const MEMBER = '444455556666';
const OUTSIDER = '777788889999';
const PROD: OrganizationMembership = { organizationId: 'o-aa11bb22cc', path: 'o-aa11bb22cc/r-ab12/ou-ab12-prod0001/' };

function compile(doc: unknown, kind: PolicyKind, id: string): CompiledPolicy {
  const result = compilePolicy(JSON.stringify(doc), kind, { id });
  if (!result.ok) throw new Error(`${id}: ${JSON.stringify(result.findings)}`);
  return result.policy;
}
const scp = (id: string, ...statements: object[]) => compile({ Version: '2012-10-17', Statement: statements }, 'guardrail', id);
const rcp = (id: string, ...statements: object[]) => compile({ Version: '2012-10-17', Statement: statements }, 'resourceGuardrail', id);
const identity = (id: string, action: string | string[]) => compile({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] }, 'identity', id);

// The AWS managed defaults, attached to every target.
const FULL_AWS_ACCESS = scp('FullAWSAccess', { Effect: 'Allow', Action: '*', Resource: '*' });
const RCP_FULL_AWS_ACCESS = rcp('RCPFullAWSAccess', { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' });
const ALLOW_S3_EC2 = scp('AllowS3EC2', { Sid: 'AllowList', Effect: 'Allow', Action: ['s3:*', 'ec2:*'], Resource: '*' });
const ALLOW_EC2 = scp('AllowEC2', { Effect: 'Allow', Action: 'ec2:*', Resource: '*' });
const DENY_S3 = scp('DenyS3', { Sid: 'DenyS3', Effect: 'Deny', Action: 's3:*', Resource: '*' });
const ADMIN = identity('admin', '*');

const alice: RequestPrincipal = { type: 'User', arn: `arn:aws:iam::${MEMBER}:user/alice`, accountId: MEMBER, userName: 'alice' };
const memberRoot: RequestPrincipal = { type: 'Account', arn: `arn:aws:iam::${MEMBER}:root`, accountId: MEMBER };
/** Principals of the member account stand in PROD. */
const IN_PROD = new Set<RequestPrincipal>([alice, memberRoot]);
const outsider: RequestPrincipal = { type: 'User', arn: `arn:aws:iam::${OUTSIDER}:user/eve`, accountId: OUTSIDER, userName: 'eve' };

const req = (principal: RequestPrincipal, action: string, extra: Partial<EvaluationRequest> = {}): EvaluationRequest => ({
  principal,
  action,
  resource: '*',
  ...(IN_PROD.has(principal) ? { principalOrganization: PROD } : {}),
  ...extra,
});

describe('SCP inheritance (the examples of orgs_manage_policies_scps_evaluation)', () => {
  it('FullAWSAccess at every level: the identity policies decide', () => {
    const levels = [[FULL_AWS_ACCESS], [FULL_AWS_ACCESS], [FULL_AWS_ACCESS]];
    const d = evaluate(req(alice, 'dynamodb:GetItem'), { identity: [ADMIN], guardrails: levels });
    expect(d.decision).toBe('ALLOWED');
    expect(d.layers.guardrail).toBe('ALLOW');
    // Guardrails never grant: the matched statements are the identity policy's.
    expect(d.matchedStatements.map((m) => `${m.layer}:${m.policyId}`)).toEqual(['identity:admin']);
  });

  it('an allow list at the OU (FullAWSAccess replaced): only what every level allows', () => {
    const levels = [[FULL_AWS_ACCESS], [ALLOW_S3_EC2], [FULL_AWS_ACCESS]];
    expect(evaluate(req(alice, 's3:GetObject'), { identity: [ADMIN], guardrails: levels }).decision).toBe('ALLOWED');
    const dynamo = evaluate(req(alice, 'dynamodb:GetItem'), { identity: [ADMIN], guardrails: levels });
    expect(dynamo.decision).toBe('IMPLICIT_DENY');
    expect(dynamo.layers.guardrail).toBe('NO_MATCH');
  });

  it('the intersection of allow lists: S3 and EC2 at the OU, EC2 only at the account', () => {
    const levels = [[FULL_AWS_ACCESS], [ALLOW_S3_EC2], [ALLOW_EC2]];
    expect(evaluate(req(alice, 'ec2:RunInstances'), { identity: [ADMIN], guardrails: levels }).decision).toBe('ALLOWED');
    expect(evaluate(req(alice, 's3:GetObject'), { identity: [ADMIN], guardrails: levels }).decision).toBe('IMPLICIT_DENY');
  });

  it('one level allowing through any of its policies is enough for that level', () => {
    const levels = [[FULL_AWS_ACCESS], [ALLOW_EC2, ALLOW_S3_EC2], [FULL_AWS_ACCESS]];
    expect(evaluate(req(alice, 's3:GetObject'), { identity: [ADMIN], guardrails: levels }).decision).toBe('ALLOWED');
  });

  it('a Deny at the account level denies, whatever the other levels allow, and is reported', () => {
    const levels = [[FULL_AWS_ACCESS], [FULL_AWS_ACCESS], [FULL_AWS_ACCESS, DENY_S3]];
    const d = evaluate(req(alice, 's3:GetObject'), { identity: [ADMIN], guardrails: levels });
    expect(d.decision).toBe('EXPLICIT_DENY');
    expect(d.layers.guardrail).toBe('DENY');
    expect(d.matchedStatements).toEqual([expect.objectContaining({ policyId: 'DenyS3', layer: 'guardrail', sid: 'DenyS3', effect: 'Deny' })]);
  });

  it('a Deny at the root binds every account below it', () => {
    const levels = [[FULL_AWS_ACCESS, DENY_S3], [FULL_AWS_ACCESS], [FULL_AWS_ACCESS]];
    expect(evaluate(req(alice, 's3:PutObject'), { identity: [ADMIN], guardrails: levels }).decision).toBe('EXPLICIT_DENY');
  });

  it('a level with no policy left (the last one detached) denies everything below it', () => {
    const levels = [[FULL_AWS_ACCESS], [], [FULL_AWS_ACCESS]];
    expect(evaluate(req(alice, 's3:GetObject'), { identity: [ADMIN], guardrails: levels }).decision).toBe('IMPLICIT_DENY');
  });

  it("SCPs bind a member account's root user", () => {
    const levels = [[FULL_AWS_ACCESS], [ALLOW_EC2], [FULL_AWS_ACCESS]];
    expect(evaluate(req(memberRoot, 'ec2:RunInstances'), { identity: [], guardrails: levels }).decision).toBe('ALLOWED');
    expect(evaluate(req(memberRoot, 's3:GetObject'), { identity: [], guardrails: levels }).decision).toBe('IMPLICIT_DENY');
  });

  it("SCPs limit what a resource-based policy grants the member account's principals", () => {
    const bucket = compile(
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: alice.arn }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::shared/*' }] },
      'resource',
      'bucket',
    );
    const request = req(alice, 's3:GetObject', { resource: 'arn:aws:s3:::shared/k', resourceAccount: MEMBER });
    expect(evaluate(request, { identity: [], resource: bucket, guardrails: [[FULL_AWS_ACCESS]] }).decision).toBe('ALLOWED');
    expect(evaluate(request, { identity: [], resource: bucket, guardrails: [[FULL_AWS_ACCESS], [ALLOW_EC2]] }).decision).toBe('IMPLICIT_DENY');
  });
});

describe('RCPs: every level must allow, whoever asks (orgs_manage_policies_rcps_evaluation)', () => {
  // The data perimeter example: deny access to the organization's resources from outside it.
  const ENFORCE_ORG = rcp('EnforceOrgIdentities', {
    Sid: 'EnforceOrgIdentities',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: '*',
    Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': PROD.organizationId } },
  });
  const bucket = compile(
    { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: [outsider.arn, alice.arn] }, Action: 's3:GetObject', Resource: '*' }] },
    'resource',
    'bucket',
  );
  const onMemberBucket = (p: RequestPrincipal) => req(p, 's3:GetObject', { resource: 'arn:aws:s3:::member-bucket/k', resourceAccount: MEMBER, resourceOrganization: PROD });

  it('RCPFullAWSAccess everywhere changes nothing', () => {
    const levels = [[RCP_FULL_AWS_ACCESS], [RCP_FULL_AWS_ACCESS]];
    const d = evaluate(onMemberBucket(outsider), { identity: [ADMIN], resource: bucket, resourceGuardrails: levels });
    expect(d.decision).toBe('ALLOWED');
    expect(d.layers.resourceGuardrail).toBe('ALLOW');
  });

  it('a Deny in an RCP stops a principal of another account, though the bucket policy grants it', () => {
    const levels = [[RCP_FULL_AWS_ACCESS, ENFORCE_ORG], [RCP_FULL_AWS_ACCESS]];
    const d = evaluate(onMemberBucket(outsider), { identity: [ADMIN], resource: bucket, resourceGuardrails: levels });
    expect(d.decision).toBe('EXPLICIT_DENY');
    expect(d.matchedStatements).toEqual([expect.objectContaining({ policyId: 'EnforceOrgIdentities', layer: 'resourceGuardrail', effect: 'Deny' })]);
    expect(d.layers.resourceGuardrail).toBe('DENY');
    // The organization's own principals pass (aws:PrincipalOrgID matches).
    expect(evaluate(onMemberBucket(alice), { identity: [ADMIN], resource: bucket, resourceGuardrails: levels }).decision).toBe('ALLOWED');
  });

  it('a level of the resource account that does not allow denies (implicitly), even the root user of that account', () => {
    const ec2Only = rcp('RcpEc2', { Effect: 'Allow', Principal: '*', Action: 'ec2:*', Resource: '*' });
    const levels = [[RCP_FULL_AWS_ACCESS], [ec2Only]];
    const d = evaluate(onMemberBucket(memberRoot), { identity: [], resourceGuardrails: levels });
    expect(d.decision).toBe('IMPLICIT_DENY');
    expect(d.layers.resourceGuardrail).toBe('NO_MATCH');
  });

  it('RCPs never grant: an RCP Allow with no identity or resource grant is still denied', () => {
    const d = evaluate(onMemberBucket(alice), { identity: [], resourceGuardrails: [[RCP_FULL_AWS_ACCESS]] });
    expect(d.decision).toBe('IMPLICIT_DENY');
    expect(d.matchedStatements).toEqual([]);
  });

  it('SCPs of the caller and RCPs of the resource apply together', () => {
    const set = { identity: [ADMIN], resource: bucket, guardrails: [[FULL_AWS_ACCESS], [ALLOW_EC2]], resourceGuardrails: [[RCP_FULL_AWS_ACCESS]] };
    const d = evaluate(onMemberBucket(alice), set);
    expect(d.decision).toBe('IMPLICIT_DENY');
    expect(d.layers).toMatchObject({ guardrail: 'NO_MATCH', resourceGuardrail: 'ALLOW' });
  });

  it('the RCP grammar: a Principal is required', () => {
    const missing = compilePolicy(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:*', Resource: '*' }] }), 'resourceGuardrail');
    expect(missing.ok).toBe(false);
    expect(missing.findings.map((f) => f.issueCode)).toContain('MISSING_PRINCIPAL');
  });
});

describe('the organization condition keys', () => {
  const keyed = (key: string, value: string, operator = 'StringEquals') =>
    compile({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { [operator]: { [key]: value } } }] }, 'identity', `${key}`);

  it('aws:PrincipalOrgID and aws:PrincipalOrgPaths come from the principal, absent outside an organization', () => {
    expect(evaluate(req(alice, 's3:GetObject'), { identity: [keyed('aws:PrincipalOrgID', PROD.organizationId)] }).decision).toBe('ALLOWED');
    const paths = keyed('aws:PrincipalOrgPaths', 'o-aa11bb22cc/r-ab12/ou-ab12-prod0001/*', 'ForAnyValue:StringLike');
    expect(evaluate(req(alice, 's3:GetObject'), { identity: [paths] }).decision).toBe('ALLOWED');
    const outside = evaluate(req(outsider, 's3:GetObject'), { identity: [keyed('aws:PrincipalOrgID', PROD.organizationId)] });
    expect(outside.decision).toBe('IMPLICIT_DENY');
    expect(outside.missingContextValues).toEqual(['aws:PrincipalOrgID']);
  });

  it("aws:ResourceOrgID and aws:ResourceOrgPaths come from the resource's account, else the principal's own", () => {
    const orgId = keyed('aws:ResourceOrgID', PROD.organizationId);
    const foreign = { resourceAccount: OUTSIDER };
    const elsewhere: OrganizationMembership = { organizationId: 'o-zz99yy88xx', path: 'o-zz99yy88xx/r-zz99/' };
    const stated = { identity: [orgId] };
    expect(evaluate(req(alice, 's3:GetObject', { resourceAccount: MEMBER, resourceOrganization: PROD }), stated).decision).toBe('ALLOWED');
    expect(evaluate(req(alice, 's3:GetObject', { resourceAccount: MEMBER, resourceOrganization: elsewhere }), stated).decision).toBe('IMPLICIT_DENY');
    // Same account by default: the principal's own organization.
    expect(evaluate(req(alice, 's3:GetObject'), { identity: [orgId] }).decision).toBe('ALLOWED');
    const missing = evaluate(req(alice, 's3:GetObject', foreign), { identity: [orgId] });
    expect(missing.missingContextValues).toEqual(['aws:ResourceOrgID']);
    const paths = keyed('aws:ResourceOrgPaths', 'o-aa11bb22cc/r-ab12/*', 'ForAnyValue:StringLike');
    expect(evaluate(req(alice, 's3:GetObject', { resourceAccount: MEMBER, resourceOrganization: PROD }), { identity: [paths] }).decision).toBe('ALLOWED');
    expect(evaluate(req(alice, 's3:GetObject', { resourceAccount: MEMBER, resourceOrganization: elsewhere }), { identity: [paths] }).decision).toBe('IMPLICIT_DENY');
  });

  it('aws:ResourceAccount is the resource owner', () => {
    const owner = keyed('aws:ResourceAccount', MEMBER);
    expect(evaluate(req(alice, 's3:GetObject', { resourceAccount: MEMBER }), { identity: [owner] }).decision).toBe('ALLOWED');
    const other = evaluate(req(alice, 's3:GetObject', { resourceAccount: OUTSIDER }), { identity: [owner] });
    expect(other.decision).toBe('IMPLICIT_DENY');
    expect(other.missingContextValues).toEqual([]);
  });
});
