/**
 * Statement shape: unknown elements, JSON types, required Effect/Action/Resource, exclusive
 * pairs, trust policies without Resource, empty arrays.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user.html (trust policy without Resource)
 */
import { describe, expect, test } from 'vitest';
import { codes, findingsFor, identityStatement, resourceStatement } from '../support/validate.ts';

describe('unknown statement elements', () => {
  test('"Actions" suggests "Action" and also leaves the action missing', () => {
    const findings = findingsFor({ Effect: 'Allow', Actions: 's3:GetObject', Resource: '*' });
    expect(codes(findings)).toEqual(['MISSING_ACTION@$.Statement[0]', 'INVALID_POLICY_ELEMENT@$.Statement[0].Actions']);
    expect(findings[1]?.message).toBe('element "Actions" is not a valid statement element; did you mean "Action"?');
  });

  test('wrong case is suggested too, and a top-level element says where it belongs', () => {
    expect(findingsFor(identityStatement({ condition: {} })).find((f) => f.issueCode === 'INVALID_POLICY_ELEMENT')?.message).toContain('"Condition"');
    expect(findingsFor(identityStatement({ Version: '2012-10-17' }))[0]?.message).toContain('belongs at the top level');
  });
});

describe('JSON types of elements (DATA_TYPE_MISMATCH)', () => {
  test.each([
    [{ Effect: 1 }, '$.Statement[0].Effect'],
    [{ Sid: true }, '$.Statement[0].Sid'],
    [{ Action: { a: 1 } }, '$.Statement[0].Action'],
    [{ Action: ['s3:GetObject', 5] }, '$.Statement[0].Action[1]'],
    [{ Resource: null }, '$.Statement[0].Resource'],
    [{ Condition: [] }, '$.Statement[0].Condition'],
  ])('%j', (override, path) => {
    expect(codes(findingsFor(identityStatement(override)))).toContain(`DATA_TYPE_MISMATCH@${path}`);
  });
});

describe('required elements', () => {
  test('missing Effect, Action and Resource are reported at the statement', () => {
    const findings = findingsFor({ Sid: 'Empty' });
    expect(codes(findings)).toEqual(['MISSING_EFFECT@$.Statement[0]', 'MISSING_ACTION@$.Statement[0]', 'MISSING_RESOURCE@$.Statement[0]']);
    expect(findings[0]).toMatchObject({ line: 4, column: 5 });
  });

  test('NotAction and NotResource satisfy the requirement', () => {
    expect(findingsFor({ Effect: 'Deny', NotAction: 's3:*', NotResource: '*' })).toEqual([]);
  });

  test('a trust policy must not contain Resource, and needs none', () => {
    const trust = { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' };
    expect(findingsFor(trust, 'trust')).toEqual([]);
    expect(codes(findingsFor({ ...trust, Resource: '*' }, 'trust'))).toEqual(['ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE@$.Statement[0].Resource']);
  });

  test('a resource policy needs Resource', () => {
    const { Resource: _omit, ...withoutResource } = resourceStatement();
    expect(codes(findingsFor(withoutResource, 'resource'))).toEqual(['MISSING_RESOURCE@$.Statement[0]']);
  });
});

describe('exclusive pairs (UNSUPPORTED_ELEMENT_COMBINATION)', () => {
  test('Action with NotAction, Resource with NotResource', () => {
    expect(codes(findingsFor(identityStatement({ NotAction: 's3:PutObject' })))).toContain('UNSUPPORTED_ELEMENT_COMBINATION@$.Statement[0].NotAction');
    expect(codes(findingsFor(identityStatement({ Effect: 'Deny', NotResource: '*' })))).toEqual(['UNSUPPORTED_ELEMENT_COMBINATION@$.Statement[0].NotResource']);
  });

  test('Principal with NotPrincipal', () => {
    expect(codes(findingsFor(resourceStatement({ Effect: 'Deny', NotPrincipal: { AWS: '111122223333' } }), 'resource'))).toEqual([
      'UNSUPPORTED_ELEMENT_COMBINATION@$.Statement[0].NotPrincipal',
    ]);
  });
});

describe('empty arrays are suggestions', () => {
  test('Action [] and Resource []', () => {
    const findings = findingsFor(identityStatement({ Action: [], Resource: [] }));
    expect(findings.map((f) => [f.findingType, f.issueCode])).toEqual([
      ['SUGGESTION', 'EMPTY_ARRAY_ACTION'],
      ['SUGGESTION', 'EMPTY_ARRAY_RESOURCE'],
    ]);
  });
});
