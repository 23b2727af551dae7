/**
 * fast-check generators for the policy engine's property tests: small random policies drawn from
 * a grammar of actions, resources and conditions that overlap on purpose (so statements match
 * often enough to matter), and random requests over the same vocabulary.
 */
import fc from 'fast-check';
import type { ContextValue, EvaluationRequest, RequestPrincipal } from '../../../src/policy/types.ts';

/** A policy statement as JSON, with a Sid unique within the generated policy set. */
export type StatementJson = Record<string, unknown> & { Sid: string; Effect: 'Allow' | 'Deny' };

/** A policy document as JSON. */
export interface PolicyJson {
  Version: '2012-10-17';
  Statement: StatementJson[];
}

const ACTIONS = ['s3:GetObject', 's3:PutObject', 's3:ListBucket', 'ec2:RunInstances', 'iam:CreateUser', 'sqs:SendMessage'];
const ACTION_PATTERNS = [...ACTIONS, 's3:*', 's3:Get*', 's3:?utObject', '*', 'ec2:*', 'iam:Create*', 'S3:getobject'];
const RESOURCES = [
  'arn:aws:s3:::b1/home/alice/k',
  'arn:aws:s3:::b1/private/k',
  'arn:aws:s3:::b2/k',
  'arn:aws:ec2:us-east-1:111122223333:instance/i-1',
  '*',
];
const RESOURCE_PATTERNS = [
  ...RESOURCES,
  'arn:aws:s3:::b1/*',
  'arn:aws:s3:::*',
  'arn:aws:s3:::b1/home/${aws:username}/*',
  'arn:aws:s3:::b?/k',
  'arn:aws:ec2:*:*:instance/*',
];
const CONDITIONS: readonly Record<string, Record<string, unknown>>[] = [
  { StringEquals: { 'aws:PrincipalTag/team': 'blue' } },
  { StringNotEquals: { 'aws:PrincipalTag/team': ['red', 'green'] } },
  { StringLike: { 's3:prefix': 'home/*' } },
  { StringEqualsIfExists: { 's3:prefix': 'home/alice' } },
  { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
  { NotIpAddress: { 'aws:SourceIp': '10.1.0.0/16' } },
  { Bool: { 'aws:SecureTransport': 'true' } },
  { NumericLessThan: { 's3:max-keys': '10' } },
  { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['env', 'owner'] } },
  { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env', 'owner'] } },
  { Null: { 'aws:PrincipalTag/team': 'false' } },
  { DateLessThan: { 'aws:CurrentTime': '2026-06-01T00:00:00Z' } },
];

/** One random statement; `sid` must be unique within the policy set so statements can be traced. */
export function statementArb(sid: string, effect?: 'Allow' | 'Deny'): fc.Arbitrary<StatementJson> {
  return fc
    .record({
      effect: effect === undefined ? fc.constantFrom<'Allow' | 'Deny'>('Allow', 'Allow', 'Deny') : fc.constant(effect),
      notAction: fc.boolean(),
      actions: fc.subarray(ACTION_PATTERNS, { minLength: 1, maxLength: 3 }),
      notResource: fc.boolean(),
      resources: fc.subarray(RESOURCE_PATTERNS, { minLength: 1, maxLength: 3 }),
      conditions: fc.subarray([...CONDITIONS], { maxLength: 2 }),
    })
    .map(({ effect: e, notAction, actions, notResource, resources, conditions }) => {
      // NotAction/NotResource only for single-element lists, so they stay a minority as in real policies.
      const useNotAction = notAction && actions.length === 1;
      const useNotResource = notResource && resources.length === 1 && resources[0] !== '*';
      const s: StatementJson = { Sid: sid, Effect: e };
      s[useNotAction ? 'NotAction' : 'Action'] = actions;
      s[useNotResource ? 'NotResource' : 'Resource'] = resources;
      if (conditions.length > 0) s['Condition'] = Object.assign({}, ...conditions);
      return s;
    });
}

/** A policy of 1–4 random statements whose Sids start with `prefix`. */
export function policyArb(prefix: string, effect?: 'Allow' | 'Deny'): fc.Arbitrary<PolicyJson> {
  return fc
    .integer({ min: 1, max: 4 })
    .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => statementArb(`${prefix}S${i}`, effect))))
    .map((statements) => ({ Version: '2012-10-17' as const, Statement: statements }));
}

/** 0–3 identity policies with distinct Sid prefixes. */
export function identityPoliciesArb(minLength = 0): fc.Arbitrary<PolicyJson[]> {
  return fc
    .integer({ min: minLength, max: 3 })
    .chain((n) => (n === 0 ? fc.constant([]) : fc.tuple(...Array.from({ length: n }, (_, i) => policyArb(`P${i}`)))));
}

const ALICE: RequestPrincipal = {
  type: 'User',
  arn: 'arn:aws:iam::111122223333:user/alice',
  accountId: '111122223333',
  userName: 'alice',
  userId: 'AIDAALICEEXAMPLE',
};

const SESSION: RequestPrincipal = {
  type: 'AssumedRole',
  arn: 'arn:aws:sts::111122223333:assumed-role/AppRole/s1',
  accountId: '111122223333',
  userId: 'AROAAPPROLEEXAMPLE:s1',
  roleArn: 'arn:aws:iam::111122223333:role/AppRole',
};

function optionalEntry(key: string, values: fc.Arbitrary<ContextValue>): fc.Arbitrary<Record<string, ContextValue>> {
  return fc.option(values, { nil: undefined }).map((v) => (v === undefined ? {} : { [key]: v }));
}

/** A random request over the same vocabulary as the policies, with a random subset of context keys. */
export const requestArb: fc.Arbitrary<EvaluationRequest> = fc
  .record({
    principal: fc.constantFrom(ALICE, SESSION),
    team: fc.option(fc.constantFrom('blue', 'red'), { nil: undefined }),
    action: fc.constantFrom(...ACTIONS),
    resource: fc.constantFrom(...RESOURCES),
    prefix: optionalEntry('s3:prefix', fc.constantFrom('home/alice', 'home/bob', 'tmp').map((v) => ({ type: 'string' as const, multi: false, values: [v] }))),
    ip: optionalEntry('aws:SourceIp', fc.constantFrom('10.0.0.1', '10.1.2.3', '192.0.2.1').map((v) => ({ type: 'ip' as const, multi: false, values: [v] }))),
    tls: optionalEntry('aws:SecureTransport', fc.constantFrom('true', 'false').map((v) => ({ type: 'boolean' as const, multi: false, values: [v] }))),
    maxKeys: optionalEntry('s3:max-keys', fc.constantFrom('5', '50').map((v) => ({ type: 'numeric' as const, multi: false, values: [v] }))),
    tagKeys: optionalEntry('aws:TagKeys', fc.subarray(['env', 'owner', 'cost']).map((v) => ({ type: 'string' as const, multi: true, values: v }))),
  })
  .map(({ principal, team, action, resource, prefix, ip, tls, maxKeys, tagKeys }) => ({
    principal: team === undefined ? principal : { ...principal, tags: { team } },
    action,
    resource,
    context: { ...prefix, ...ip, ...tls, ...maxKeys, ...tagKeys },
    now: new Date('2026-01-01T00:00:00Z'),
  }));
