// The evaluation table, User Guide "Policy evaluation logic"
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html) and
// "Cross-account policy evaluation logic".
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/policy/evaluate.ts';
import type { EvaluationRequest, PolicySet } from '../../../src/policy/types.ts';
import { ACCOUNT, OTHER, alice, bob, policy, root, session } from '../support/engine.ts';

const BUCKET = 'arn:aws:s3:::shared/report.csv';
const allowS3 = policy({ Version: '2012-10-17', Statement: { Sid: 'AllowS3', Effect: 'Allow', Action: 's3:*', Resource: '*' } }, 'identity', 'allow-s3');
const allowIam = policy({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'iam:*', Resource: '*' } }, 'boundary', 'iam-only');
const denyS3 = (layer: 'identity' | 'guardrail' | 'session' | 'boundary' = 'identity') =>
  policy({ Version: '2012-10-17', Statement: { Sid: 'Deny', Effect: 'Deny', Action: 's3:GetObject', Resource: '*' } }, layer, `deny-${layer}`);
const bucketPolicy = (principal: string, id = 'bucket') =>
  policy(
    { Version: '2012-10-17', Statement: { Sid: 'Grant', Effect: 'Allow', Principal: { AWS: principal }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::shared/*' } },
    'resource',
    id,
  );
const req = (principal: EvaluationRequest['principal'], extra: Partial<EvaluationRequest> = {}): EvaluationRequest => ({
  principal,
  action: 's3:GetObject',
  resource: BUCKET,
  ...extra,
});
const ids = (d: ReturnType<typeof evaluate>) => d.matchedStatements.map((m) => `${m.layer}:${m.policyId}`);

describe('default and explicit decisions', () => {
  it('implicit deny when nothing allows', () => {
    const d = evaluate(req(alice), { identity: [] });
    expect(d).toMatchObject({ decision: 'IMPLICIT_DENY', allowed: false, matchedStatements: [] });
    expect(d.layers).toEqual({ identity: 'NO_MATCH', resource: 'NOT_APPLICABLE' });
  });
  it('an identity Allow grants within the account, reporting the statement', () => {
    const d = evaluate(req(alice, { action: 'S3:getobject' }), { identity: [allowS3] });
    expect(d.decision).toBe('ALLOWED');
    expect(d.matchedStatements).toEqual([
      expect.objectContaining({ policyId: 'allow-s3', layer: 'identity', sid: 'AllowS3', statementIndex: 0, effect: 'Allow' }),
    ]);
  });
  it('an explicit Deny in any layer wins over every Allow', () => {
    for (const set of [
      { identity: [allowS3, denyS3()] },
      { identity: [allowS3], guardrails: [[denyS3('guardrail')]] },
      { identity: [allowS3], session: [allowS3, denyS3('session')] },
      { identity: [allowS3], boundary: [allowS3, denyS3('boundary')] },
    ] satisfies PolicySet[]) {
      const d = evaluate(req(session), set);
      expect(d.decision).toBe('EXPLICIT_DENY');
      expect(d.matchedStatements.every((m) => m.effect === 'Deny')).toBe(true);
    }
  });
  it('a resource-policy Deny binds even the root user', () => {
    const deny = policy({ Version: '2012-10-17', Statement: { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' } }, 'resource', 'deny-all');
    expect(evaluate(req(root), { identity: [], resource: deny }).decision).toBe('EXPLICIT_DENY');
  });
});

describe('guardrails (SCPs): every level must allow', () => {
  it('deny when a guardrail does not allow, even for root and resource grants', () => {
    const guard = policy({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'iam:*', Resource: '*' } }, 'guardrail', 'g');
    expect(evaluate(req(alice), { identity: [allowS3], guardrails: [[guard]] }).decision).toBe('IMPLICIT_DENY');
    expect(evaluate(req(root), { identity: [], guardrails: [[guard]] }).decision).toBe('IMPLICIT_DENY');
    expect(evaluate(req(alice), { identity: [], resource: bucketPolicy(alice.arn), guardrails: [[guard]] }).decision).toBe('IMPLICIT_DENY');
    expect(evaluate(req(alice), { identity: [allowS3], guardrails: [] }).decision).toBe('IMPLICIT_DENY');
    expect(evaluate(req(alice), { identity: [allowS3], guardrails: [[]] }).decision).toBe('IMPLICIT_DENY');
  });
  it('all guardrails allowing lets identity decide', () => {
    const all = policy({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: '*', Resource: '*' } }, 'guardrail', 'full');
    const d = evaluate(req(alice), { identity: [allowS3], guardrails: [[all], [all]] });
    expect(d.decision).toBe('ALLOWED');
    expect(d.layers.guardrail).toBe('ALLOW');
  });
});

describe('root user', () => {
  it('is allowed everything in its own account without policies', () => {
    expect(evaluate(req(root, { action: 'iam:DeleteUser' }), { identity: [] }).decision).toBe('ALLOWED');
  });
  it('in another account needs that account’s resource policy', () => {
    const other = { resourceAccount: OTHER };
    expect(evaluate(req(root, other), { identity: [] }).decision).toBe('IMPLICIT_DENY');
    expect(evaluate(req(root, other), { identity: [], resource: bucketPolicy(ACCOUNT) }).decision).toBe('ALLOWED');
  });
});

describe('permissions boundary', () => {
  it('must allow too (intersection with identity policies)', () => {
    const d = evaluate(req(alice), { identity: [allowS3], boundary: [allowIam] });
    expect(d.decision).toBe('IMPLICIT_DENY');
    expect(d.layers).toMatchObject({ identity: 'ALLOW', boundary: 'NO_MATCH' });
  });
  it('an empty boundary list allows nothing', () => {
    expect(evaluate(req(alice), { identity: [allowS3], boundary: [] }).decision).toBe('IMPLICIT_DENY');
  });
});

describe('session policies', () => {
  it('must allow for a role session when present', () => {
    expect(evaluate(req(session), { identity: [allowS3], session: [allowIam] }).decision).toBe('IMPLICIT_DENY');
    expect(evaluate(req(session), { identity: [allowS3], session: [allowS3] }).decision).toBe('ALLOWED');
  });
  it('a role session without session policy is allowed by its identity policies', () => {
    expect(evaluate(req(session), { identity: [allowS3] }).decision).toBe('ALLOWED');
  });
  it('a federated user session without a session policy is denied ("Otherwise, the request is implicitly denied")', () => {
    const fed = { type: 'FederatedUser' as const, arn: `arn:aws:sts::${ACCOUNT}:federated-user/carol`, accountId: ACCOUNT };
    expect(evaluate(req(fed), { identity: [allowS3] }).decision).toBe('IMPLICIT_DENY');
    expect(evaluate(req(fed), { identity: [allowS3], session: [allowS3] }).decision).toBe('ALLOWED');
  });
});

describe('resource-based policies within one account (the resource-policy table)', () => {
  it('a grant to the IAM user ARN allows with no identity policy and despite a boundary', () => {
    const d = evaluate(req(alice), { identity: [], resource: bucketPolicy(alice.arn), boundary: [allowIam] });
    expect(d.decision).toBe('ALLOWED');
    expect(ids(d)).toEqual(['resource:bucket']);
  });
  it('a grant to the role-session ARN allows despite boundary and session policy', () => {
    const d = evaluate(req(session), { identity: [], resource: bucketPolicy(session.arn), boundary: [allowIam], session: [allowIam] });
    expect(d.decision).toBe('ALLOWED');
  });
  it('a grant to the ROLE ARN counts like an identity grant: enough alone, but limited by boundary and session policy', () => {
    const rp = bucketPolicy(session.roleArn!);
    expect(evaluate(req(session), { identity: [], resource: rp }).decision).toBe('ALLOWED');
    expect(evaluate(req(session), { identity: [], resource: rp, boundary: [allowIam] }).decision).toBe('IMPLICIT_DENY');
    expect(evaluate(req(session), { identity: [], resource: rp, session: [allowIam] }).decision).toBe('IMPLICIT_DENY');
  });
  it('a grant to the account does not grant by itself; identity policies must allow', () => {
    const rp = bucketPolicy(`arn:aws:iam::${ACCOUNT}:root`);
    expect(evaluate(req(alice), { identity: [], resource: rp }).decision).toBe('IMPLICIT_DENY');
    expect(evaluate(req(alice), { identity: [allowS3], resource: rp }).decision).toBe('ALLOWED');
  });
  it('either the identity or the resource policy allowing is enough', () => {
    const d = evaluate(req(alice), { identity: [allowS3], resource: bucketPolicy(alice.arn) });
    expect(ids(d)).toEqual(['identity:allow-s3', 'resource:bucket']);
  });
  it('a statement naming someone else is a near miss on the principal', () => {
    const d = evaluate(req(alice), { identity: [], resource: bucketPolicy(bob.arn) });
    expect(d.decision).toBe('IMPLICIT_DENY');
    expect(d.nearMisses).toEqual([{ statement: expect.objectContaining({ policyId: 'bucket', layer: 'resource' }), failed: { part: 'principal' } }]);
  });
});

describe('NotPrincipal with Deny (User Guide: "AWS JSON policy elements: NotPrincipal")', () => {
  const denyAllBut = (names: string[]) =>
    policy(
      {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Deny', NotPrincipal: { AWS: names }, Action: 's3:*', Resource: '*' },
          { Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' },
        ],
      },
      'resource',
      'np',
    );
  it('exempts only the principal named by its exact ARN', () => {
    expect(evaluate(req(alice), { identity: [], resource: denyAllBut([alice.arn, `arn:aws:iam::${ACCOUNT}:root`]) }).decision).toBe('ALLOWED');
  });
  it('naming the account or the role does not exempt other users or other sessions', () => {
    const rp = denyAllBut([`arn:aws:iam::${ACCOUNT}:user/carol`, `arn:aws:iam::${ACCOUNT}:root`, session.roleArn!]);
    expect(evaluate(req(alice), { identity: [], resource: rp }).decision).toBe('EXPLICIT_DENY');
    expect(evaluate(req(session), { identity: [], resource: rp }).decision).toBe('EXPLICIT_DENY');
  });
  it('always denies a principal that has a permissions boundary', () => {
    const rp = denyAllBut([alice.arn]);
    expect(evaluate(req(alice), { identity: [allowS3], resource: rp, boundary: [allowS3] }).decision).toBe('EXPLICIT_DENY');
  });
});

describe('service principals and anonymous callers', () => {
  const svc = { type: 'AWSService' as const, arn: 'logs.amazonaws.com', accountId: '', servicePrincipal: 'logs.amazonaws.com' };
  const anon = { type: 'Anonymous' as const, arn: '*', accountId: '' };
  const servicePolicy = policy(
    { Version: '2012-10-17', Statement: { Effect: 'Allow', Principal: { Service: 'logs.amazonaws.com' }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::shared/*' } },
    'resource',
    'svc',
  );
  it('are decided by the resource policy alone', () => {
    const put = { action: 's3:PutObject', resource: BUCKET, resourceAccount: ACCOUNT };
    expect(evaluate({ principal: svc, ...put }, { identity: [], resource: servicePolicy }).decision).toBe('ALLOWED');
    expect(evaluate({ principal: { ...svc, servicePrincipal: 'ec2.amazonaws.com' }, ...put }, { identity: [], resource: servicePolicy }).decision).toBe('IMPLICIT_DENY');
    expect(evaluate({ principal: anon, ...put }, { identity: [], resource: servicePolicy }).decision).toBe('IMPLICIT_DENY');
    expect(evaluate({ principal: anon, ...put }, { identity: [], resource: bucketPolicy('*') }).decision).toBe('IMPLICIT_DENY');
    expect(evaluate({ principal: anon, ...put, action: 's3:GetObject' }, { identity: [], resource: bucketPolicy('*') }).decision).toBe('ALLOWED');
  });
});

describe('trust policies must allow the principal', () => {
  const assume = (principal: EvaluationRequest['principal']) => ({ principal, action: 'sts:AssumeRole', resource: `arn:aws:iam::${ACCOUNT}:role/Target` });
  const trust = (p: string) => policy({ Version: '2012-10-17', Statement: { Effect: 'Allow', Principal: { AWS: p }, Action: 'sts:AssumeRole' } }, 'trust', 'trust');
  const allowAssume = policy({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' } });
  it('naming the user: allowed without identity permission', () => {
    expect(evaluate(assume(alice), { identity: [], resource: trust(alice.arn) }).decision).toBe('ALLOWED');
  });
  it('naming the account: identity policy must allow as well', () => {
    expect(evaluate(assume(alice), { identity: [], resource: trust(ACCOUNT) }).decision).toBe('IMPLICIT_DENY');
    expect(evaluate(assume(alice), { identity: [allowAssume], resource: trust(ACCOUNT) }).decision).toBe('ALLOWED');
  });
  it('identity permission alone is not enough', () => {
    expect(evaluate(assume(alice), { identity: [allowAssume], resource: trust(bob.arn) }).decision).toBe('IMPLICIT_DENY');
  });
});

describe('cross-account (Cross-account policy evaluation logic)', () => {
  const allowBobS3 = policy({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::shared/*' } }, 'identity', 'bob-s3');
  const cross = (extra: Partial<EvaluationRequest> = {}) => req(bob, { resourceAccount: ACCOUNT, ...extra });
  it('needs both the identity policy and the resource policy', () => {
    expect(evaluate(cross(), { identity: [allowBobS3] }).decision).toBe('IMPLICIT_DENY');
    expect(evaluate(cross(), { identity: [], resource: bucketPolicy(bob.arn) }).decision).toBe('IMPLICIT_DENY');
    const d = evaluate(cross(), { identity: [allowBobS3], resource: bucketPolicy(bob.arn) });
    expect(d.decision).toBe('ALLOWED');
    expect(ids(d)).toEqual(['identity:bob-s3', 'resource:bucket']);
  });
  it('a resource policy naming the other account is enough on the resource side', () => {
    expect(evaluate(cross(), { identity: [allowBobS3], resource: bucketPolicy(OTHER) }).decision).toBe('ALLOWED');
  });
  it('the boundary still limits the identity side', () => {
    expect(evaluate(cross(), { identity: [allowBobS3], resource: bucketPolicy(bob.arn), boundary: [allowIam] }).decision).toBe('IMPLICIT_DENY');
  });
});

describe('explanations', () => {
  it('reports near misses with the failing condition and missing keys as written', () => {
    const p = policy({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Mfa', Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, StringEquals: { 's3:Prefix': 'home/' } } },
        { Sid: 'Other', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::other/*' },
        { Sid: 'Unrelated', Effect: 'Allow', Action: 'ec2:*', Resource: '*' },
      ],
    });
    const d = evaluate(req(alice), { identity: [p] });
    expect(d.decision).toBe('IMPLICIT_DENY');
    expect(d.missingContextValues).toEqual(['aws:MultiFactorAuthPresent', 's3:Prefix']);
    expect(d.nearMisses.map((m) => [m.statement.sid, m.failed])).toEqual([
      ['Mfa', { part: 'condition', operator: 'Bool', key: 'aws:MultiFactorAuthPresent' }],
      ['Other', { part: 'resource' }],
    ]);
  });
  it('NotAction and NotResource invert their element', () => {
    const p = policy({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' },
        { Effect: 'Deny', Action: 's3:*', NotResource: 'arn:aws:s3:::shared/*' },
      ],
    });
    expect(evaluate(req(alice), { identity: [p] }).decision).toBe('ALLOWED');
    expect(evaluate(req(alice, { resource: 'arn:aws:s3:::private/x' }), { identity: [p] }).decision).toBe('EXPLICIT_DENY');
    expect(evaluate(req(alice, { action: 'iam:GetUser' }), { identity: [p] }).decision).toBe('IMPLICIT_DENY');
  });
  it('conditions read derived keys and the request clock', () => {
    const p = policy({
      Version: '2012-10-17',
      Statement: { Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { DateLessThan: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' }, StringEquals: { 'aws:PrincipalTag/team': 'blue' } } },
    });
    expect(evaluate(req(alice, { now: new Date('2025-12-31T00:00:00Z') }), { identity: [p] }).decision).toBe('ALLOWED');
    expect(evaluate(req(alice, { now: new Date('2026-01-02T00:00:00Z') }), { identity: [p] }).decision).toBe('IMPLICIT_DENY');
  });
});

describe('one policy array asked about many actions (its merged action index is reused)', () => {
  // Identity policies are one layer however many there are ("Policy evaluation logic"): a Deny in
  // any of them wins, an Allow in any grants. The reused array must answer as a fresh copy does.
  const many = [
    allowS3,
    denyS3(),
    policy({ Version: '2012-10-17', Statement: [{ Sid: 'Ec2Read', Effect: 'Allow', Action: ['ec2:Describe*', 'ec2:Get*'], Resource: '*' }] }, 'identity', 'ec2'),
    policy({ Version: '2012-10-17', Statement: [{ Sid: 'NotIam', Effect: 'Allow', NotAction: 'iam:*', Resource: 'arn:aws:sqs:*:*:*' }] }, 'identity', 'not-iam'),
  ];
  const actions = ['s3:GetObject', 's3:PutObject', 'ec2:DescribeInstances', 'EC2:getConsoleOutput', 'sqs:SendMessage', 'iam:ListUsers', 'kms:Decrypt'];
  it.each([1, 2, 3])('round %i gives the answers a fresh array gives', () => {
    for (const action of actions) {
      for (const resource of [BUCKET, 'arn:aws:sqs:us-east-1:111122223333:q', '*']) {
        const reused = evaluate(req(alice, { action, resource }), { identity: many });
        const fresh = evaluate(req(alice, { action, resource }), { identity: [...many] });
        expect(reused, `${action} on ${resource}`).toEqual(fresh);
      }
    }
    expect(evaluate(req(alice), { identity: many }).decision).toBe('EXPLICIT_DENY');
    expect(evaluate(req(alice, { action: 's3:PutObject' }), { identity: many }).matchedStatements.map((m) => m.policyId)).toEqual(['allow-s3']);
    expect(evaluate(req(alice, { action: 'sqs:SendMessage', resource: 'arn:aws:sqs:us-east-1:111122223333:q' }), { identity: many }).matchedStatements.map((m) => m.policyId)).toEqual(['not-iam']);
  });
});
