/**
 * Policy size quotas per kind, and redundant statements.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
 */
import { describe, expect, test } from 'vitest';
import { KIND_RULES, parsePolicy, policySize } from '../../../src/policy/validate/index.ts';
import type { PolicyKind } from '../../../src/policy/types.ts';
import { codes, identityStatement, policyText, resourceStatement } from '../support/validate.ts';

/** A valid policy of `kind` whose size without white space is exactly `size`. */
function policyOfSize(kind: PolicyKind, size: number): string {
  const base = kind === 'trust'
    ? { Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 'sts:AssumeRole' }
    : kind === 'resource' || kind === 'resourceGuardrail' ? resourceStatement() : identityStatement();
  const withSid = (sid: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ ...base, Sid: sid }] });
  const padding = size - policySize(withSid(''));
  return withSid('S'.repeat(padding));
}

describe('policy size', () => {
  test('counts characters without white space', () => {
    expect(policySize(' {\n\t"a" : 1 }\r\n')).toBe(7);
  });

  test.each(Object.entries(KIND_RULES) as Array<[PolicyKind, (typeof KIND_RULES)[PolicyKind]]>)('%s: quota %o', (kind, rules) => {
    const atQuota = parsePolicy(policyOfSize(kind, rules.sizeQuota), kind);
    expect(atQuota.findings.filter((f) => f.findingType !== 'SUGGESTION')).toEqual([]);
    const over = parsePolicy(policyOfSize(kind, rules.sizeQuota + 1), kind);
    expect(codes(over.findings)).toEqual([`${rules.sizeIssue}@$`]);
    expect(over.document).toBeUndefined();
  });

  // A role's inline policies may total 10,240 characters (IAM quotas page), over the 6,144 of a
  // managed identity policy: the caller that knows the use passes the real quota.
  test('a caller-given quota replaces the kind default', () => {
    const inlineRolePolicy = policyOfSize('identity', 10240);
    expect(codes(parsePolicy(inlineRolePolicy, 'identity').findings)).toContain('POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA@$');
    const accepted = parsePolicy(inlineRolePolicy, 'identity', { sizeQuota: 10240 });
    expect(accepted.document).toBeDefined();
    expect(codes(parsePolicy(policyOfSize('identity', 10241), 'identity', { sizeQuota: 10240 }).findings)).toEqual([
      'POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA@$',
    ]);
    expect(parsePolicy(policyOfSize('identity', 50000), 'identity', { sizeQuota: Number.POSITIVE_INFINITY }).document).toBeDefined();
  });

  test('the quotas are the documented ones', () => {
    expect(Object.fromEntries(Object.entries(KIND_RULES).map(([k, r]) => [k, r.sizeQuota]))).toEqual({
      identity: 6144, boundary: 6144, session: 2048, guardrail: 5120, resourceGuardrail: 5120, trust: 2048, resource: 20480,
    });
  });
});

describe('redundant statements (REDUNDANT_STATEMENT)', () => {
  test('a statement equal to an earlier one apart from Sid, order and single-vs-array spelling', () => {
    const a = { Sid: 'One', Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } };
    const b = { Resource: ['*'], Condition: { Bool: { 'aws:SecureTransport': ['true'] } }, Action: ['s3:ListBucket', 's3:GetObject'], Effect: 'Allow', Sid: 'Two' };
    const findings = parsePolicy(policyText([a, b]), 'identity').findings;
    expect(findings.map((f) => [f.findingType, f.issueCode, f.path])).toEqual([['SUGGESTION', 'REDUNDANT_STATEMENT', '$.Statement[1]']]);
  });

  test('different effects or conditions are not redundant', () => {
    const a = identityStatement();
    expect(parsePolicy(policyText([a, { ...a, Effect: 'Deny' }]), 'identity').findings).toEqual([]);
    expect(parsePolicy(policyText([a, { ...a, Condition: { Bool: { 'aws:SecureTransport': 'true' } } }]), 'identity').findings).toEqual([]);
  });
});
