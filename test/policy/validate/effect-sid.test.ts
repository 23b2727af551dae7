/**
 * Effect values and Sid rules.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_effect.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
 */
import { describe, expect, test } from 'vitest';
import { parsePolicy } from '../../../src/policy/validate/index.ts';
import { codes, findingsFor, identityStatement, policyText, resourceStatement } from '../support/validate.ts';

describe('Effect (INVALID_EFFECT)', () => {
  test.each(['allow', 'DENY', 'Permit', ''])('%j is invalid', (effect) => {
    expect(codes(findingsFor(identityStatement({ Effect: effect })))).toEqual(['INVALID_EFFECT@$.Statement[0].Effect']);
  });

  test('the message quotes the input and suggests the right case', () => {
    expect(findingsFor(identityStatement({ Effect: 'deny' }))[0]?.message).toBe(
      '"Effect" "deny" is not valid; use "Allow" or "Deny" (case-sensitive); did you mean "Deny"?',
    );
  });
});

describe('Sid', () => {
  test('identity policies allow only A-Z, a-z, 0-9 (UNSUPPORTED_SID)', () => {
    expect(codes(findingsFor(identityStatement({ Sid: 'Read-Only' })))).toEqual(['UNSUPPORTED_SID@$.Statement[0].Sid']);
    expect(findingsFor(identityStatement({ Sid: 'ReadOnly2' }))).toEqual([]);
  });

  test('resource policies allow other characters', () => {
    expect(findingsFor(resourceStatement({ Sid: 'Allow read-only access' }), 'resource')).toEqual([]);
  });

  test('duplicate Sids are UNIQUE_SIDS_REQUIRED at the later statement', () => {
    const text = policyText([identityStatement({ Sid: 'A' }), identityStatement({ Sid: 'A', Action: 's3:PutObject' })]);
    expect(codes(parsePolicy(text, 'identity').findings)).toEqual(['UNIQUE_SIDS_REQUIRED@$.Statement[1].Sid']);
  });

  test('an empty Sid is a suggestion', () => {
    const findings = findingsFor(identityStatement({ Sid: '' }));
    expect(findings.map((f) => [f.findingType, f.issueCode])).toEqual([['SUGGESTION', 'EMPTY_SID_VALUE']]);
  });
});
