/**
 * Principal and NotPrincipal per policy kind, principal keys and values, Allow with NotPrincipal.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
 */
import { describe, expect, test } from 'vitest';
import type { PolicyKind } from '../../../src/policy/types.ts';
import { codes, findingsFor, identityStatement, resourceStatement } from '../support/validate.ts';

describe('presence by kind', () => {
  test.each<PolicyKind>(['identity', 'boundary', 'session', 'guardrail'])('Principal in a %s policy is UNSUPPORTED_PRINCIPAL', (kind) => {
    expect(codes(findingsFor(identityStatement({ Principal: '*' }), kind))).toEqual(['UNSUPPORTED_PRINCIPAL@$.Statement[0].Principal']);
  });

  test.each<PolicyKind>(['resource', 'trust'])('no Principal in a %s policy is MISSING_PRINCIPAL', (kind) => {
    const statement = kind === 'trust' ? { Effect: 'Allow', Action: 'sts:AssumeRole' } : identityStatement();
    expect(codes(findingsFor(statement, kind))).toEqual(['MISSING_PRINCIPAL@$.Statement[0]']);
  });
});

describe('principal values', () => {
  test.each([
    [{ AWS: '*' }],
    ['*'],
    [{ AWS: ['111122223333', 'arn:aws:iam::111122223333:user/path/alice', 'arn:aws:iam::111122223333:role/R', 'arn:aws:sts::111122223333:assumed-role/R/s'] }],
    [{ Service: ['ec2.amazonaws.com', 'lambda.amazonaws.com'] }],
    [{ Federated: 'arn:aws:iam::111122223333:saml-provider/Okta' }],
    [{ Federated: 'accounts.google.com' }],
    [{ CanonicalUser: 'a'.repeat(64) }],
  ])('%j is valid', (principal) => {
    expect(findingsFor(resourceStatement({ Principal: principal }), 'resource')).toEqual([]);
  });

  test.each([
    [{ AWS: 'arn:aws:iam::111122223333:user/*' }, 'UNSUPPORTED_WILDCARD_IN_PRINCIPAL', '$.Statement[0].Principal.AWS'],
    [{ AWS: ['111122223333', 'arn:aws:iam::*:root'] }, 'UNSUPPORTED_WILDCARD_IN_PRINCIPAL', '$.Statement[0].Principal.AWS[1]'],
    [{ AWS: 'alice' }, 'INVALID_PRINCIPAL_FORMAT', '$.Statement[0].Principal.AWS'],
    [{ AWS: 'arn:aws:iam::111122223333:group/Admins' }, 'INVALID_PRINCIPAL_FORMAT', '$.Statement[0].Principal.AWS'],
    [{ Service: 'EC2' }, 'INVALID_SERVICE_PRINCIPAL_FORMAT', '$.Statement[0].Principal.Service'],
    [{ User: 'alice' }, 'INVALID_PRINCIPAL_KEY', '$.Statement[0].Principal.User'],
    ['everyone', 'INVALID_PRINCIPAL_FORMAT', '$.Statement[0].Principal'],
    [42, 'DATA_TYPE_MISMATCH', '$.Statement[0].Principal'],
    [{ AWS: [1] }, 'DATA_TYPE_MISMATCH', '$.Statement[0].Principal.AWS[0]'],
  ])('%j gives %s', (principal, code, path) => {
    expect(codes(findingsFor(resourceStatement({ Principal: principal }), 'resource'))).toEqual([`${code}@${path}`]);
  });

  test('a misspelt principal type suggests the right one', () => {
    expect(findingsFor(resourceStatement({ Principal: { aws: '111122223333' } }), 'resource')[0]?.message).toContain('did you mean "AWS"?');
  });

  test('empty principal object and arrays are suggestions', () => {
    const findings = findingsFor(resourceStatement({ Principal: {} }), 'resource');
    expect(findings.map((f) => [f.findingType, f.issueCode])).toEqual([['SUGGESTION', 'EMPTY_OBJECT_PRINCIPAL']]);
    expect(codes(findingsFor(resourceStatement({ Principal: { AWS: [] } }), 'resource'))).toEqual(['EMPTY_ARRAY_PRINCIPAL@$.Statement[0].Principal.AWS']);
  });
});

describe('Allow with NotPrincipal', () => {
  test('is a SECURITY_WARNING; Deny with NotPrincipal is fine', () => {
    const { Principal: _p, ...base } = resourceStatement();
    const allow = findingsFor({ ...base, NotPrincipal: { AWS: '111122223333' } }, 'resource');
    expect(allow.map((f) => [f.findingType, f.issueCode, f.path])).toEqual([['SECURITY_WARNING', 'ALLOW_WITH_NOT_PRINCIPAL', '$.Statement[0].NotPrincipal']]);
    expect(findingsFor({ ...base, Effect: 'Deny', NotPrincipal: { AWS: '111122223333' } }, 'resource')).toEqual([]);
  });
});
