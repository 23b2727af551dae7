/**
 * parsePolicy never throws: arbitrary strings, arbitrary JSON values, and policy-shaped JSON
 * with arbitrary leaves all come back as findings, and no check ever fails internally (which
 * `parsePolicy` would report as VALIDATION_FAILED rather than throw). Also: a document is present
 * exactly when no finding is an ERROR, and every finding is well formed.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ISSUE_CODES, parsePolicy } from '../../../src/policy/validate/index.ts';
import type { PolicyKind } from '../../../src/policy/types.ts';

const kinds = fc.constantFrom<PolicyKind>('identity', 'resource', 'trust', 'boundary', 'session', 'guardrail');

/** JSON values biased towards policy vocabulary so the deeper checks are reached. */
const vocabulary = fc.constantFrom(
  'Version', 'Statement', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Principal', 'NotPrincipal',
  'Condition', 'Sid', 'AWS', 'Service', 'Allow', 'Deny', '*', '2012-10-17', '2008-10-17', 's3:Get*',
  'arn:aws:s3:::b/${aws:username}', '${', '${}', "${a, 'b'}", 'StringEquals', 'ForAllValues:StringLike',
  'NullIfExists', 'IpAddress', 'aws:SourceIp', '10.0.0.0/8', 'Bool', 'true', 'NumericLessThan', 'DateEquals',
  'BinaryEquals', 'ArnLike', 'aws:username', 'arn:aws:iam::111122223333:user/*',
);
const leaf = fc.oneof(vocabulary, fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const policyish = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(fc.oneof(vocabulary, fc.string()), tie('value'), { maxKeys: 5 })),
})).value;
const policyShaped = fc.record({
  Version: fc.oneof(vocabulary, leaf),
  Statement: fc.oneof(
    policyish,
    fc.array(fc.dictionary(vocabulary, policyish, { maxKeys: 8 }), { maxLength: 3 }),
  ),
}, { requiredKeys: [] });

function assertWellFormed(text: string, kind: PolicyKind): void {
  const result = parsePolicy(text, kind);
  const hasError = result.findings.some((f) => f.findingType === 'ERROR');
  expect(result.document === undefined).toBe(hasError);
  for (const f of result.findings) {
    // VALIDATION_FAILED means a check threw and the fail-closed guard caught it: a bug.
    expect(f.issueCode, f.message).not.toBe('VALIDATION_FAILED');
    expect(Object.hasOwn(ISSUE_CODES, f.issueCode)).toBe(true);
    expect(f.path.startsWith('$')).toBe(true);
    expect(f.line).toBeGreaterThanOrEqual(1);
    expect(f.column).toBeGreaterThanOrEqual(1);
    expect(f.message).toBe(f.message.charAt(0).toLowerCase() + f.message.slice(1));
  }
}

describe('parsePolicy never throws', () => {
  test('on arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), kinds, (text, kind) => assertWellFormed(text, kind)), { numRuns: 500 });
  });

  test('on arbitrary JSON values', () => {
    fc.assert(fc.property(fc.jsonValue(), kinds, (value, kind) => assertWellFormed(JSON.stringify(value) ?? 'null', kind)), { numRuns: 500 });
  });

  test('on policy-shaped JSON with arbitrary leaves', () => {
    fc.assert(fc.property(policyShaped, kinds, fc.boolean(), (value, kind, pretty) => assertWellFormed(JSON.stringify(value, null, pretty ? 2 : 0), kind)), { numRuns: 1000 });
  });

  test('on truncations of a valid policy', () => {
    const text = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::b/*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }] }, null, 2);
    for (let i = 0; i <= text.length; i++) assertWellFormed(text.slice(0, i), 'identity');
  });

  test('on huge and deeply nested input', () => {
    assertWellFormed('{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000), 'identity');
    assertWellFormed(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: Array.from({ length: 20_000 }, (_, i) => `s3:A${i}*`), Resource: '*' }] }), 'identity');
  });
});
