/**
 * Condition blocks: operators with IfExists and set qualifiers, Null with IfExists, key format,
 * value JSON types, typed values per operator family, set qualifiers on single-valued keys.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
 */
import { describe, expect, test } from 'vitest';
import { parseConditionOperator } from '../../../src/policy/validate/index.ts';
import { codes, findingsFor, identityStatement } from '../support/validate.ts';

function withCondition(condition: unknown) {
  return findingsFor(identityStatement({ Condition: condition }));
}

describe('parseConditionOperator', () => {
  test('peels qualifier and IfExists', () => {
    expect(parseConditionOperator('ForAnyValue:StringLikeIfExists')).toMatchObject({ qualifier: 'ForAnyValue', base: 'StringLike', ifExists: true });
    expect(parseConditionOperator('Bool')).toMatchObject({ base: 'Bool', ifExists: false });
    expect(parseConditionOperator('NullIfExists')).toMatchObject({ base: 'Null', ifExists: true });
    expect(parseConditionOperator('stringequals')).toBeUndefined();
    expect(parseConditionOperator('ForSomeValues:StringEquals')).toBeUndefined();
    expect(parseConditionOperator('toString')).toBeUndefined();
  });
});

describe('operators and keys', () => {
  test('an unknown operator is INVALID_CONDITION_OPERATOR with a suggestion', () => {
    const findings = withCondition({ StringEqual: { 'aws:username': 'alice' } });
    expect(codes(findings)).toEqual(["INVALID_CONDITION_OPERATOR@$.Statement[0].Condition.StringEqual"]);
    expect(findings[0]?.message).toContain('did you mean "StringEquals"?');
  });

  test('Null with IfExists is NULL_WITH_IF_EXISTS', () => {
    expect(codes(withCondition({ NullIfExists: { 'aws:TokenIssueTime': 'true' } }))).toEqual(['NULL_WITH_IF_EXISTS@$.Statement[0].Condition.NullIfExists']);
  });

  test('a key without a prefix is INVALID_CONDITION_KEY_FORMAT', () => {
    expect(codes(withCondition({ StringEquals: { username: 'alice' } }))).toEqual(['INVALID_CONDITION_KEY_FORMAT@$.Statement[0].Condition.StringEquals.username']);
  });

  test('values must be scalars of one JSON type', () => {
    expect(codes(withCondition({ StringEquals: { 'aws:username': { a: 1 } } }))).toEqual(["DATA_TYPE_MISMATCH@$.Statement[0].Condition.StringEquals['aws:username']"]);
    expect(codes(withCondition({ StringEquals: { 's3:prefix': ['a', 1] } }))).toEqual(["INVALID_CONDITION_DATA_TYPE@$.Statement[0].Condition.StringEquals['s3:prefix']"]);
    expect(codes(withCondition({ StringEquals: 'x' }))).toEqual(['DATA_TYPE_MISMATCH@$.Statement[0].Condition.StringEquals']);
  });

  test('empty blocks are suggestions', () => {
    expect(withCondition({}).map((f) => [f.findingType, f.issueCode])).toEqual([['SUGGESTION', 'EMPTY_OBJECT_CONDITION']]);
    expect(withCondition({ StringEquals: { 'aws:username': [] } }).map((f) => f.issueCode)).toEqual(['EMPTY_ARRAY_CONDITION']);
  });
});

describe('typed values', () => {
  test.each([
    ['NumericLessThan', 'aws:MultiFactorAuthAge', ['3600', '1.5', '-2']],
    ['NumericLessThan', 'aws:MultiFactorAuthAge', [3600, 1.5]],
    ['DateGreaterThan', 'aws:CurrentTime', ['2026-01-31', '2026-01-31T12:00:00Z', '2026-01-31T12:00:00.123+01:00', '1767225600']],
    ['Bool', 'aws:SecureTransport', ['true']],
    ['Bool', 'aws:SecureTransport', false],
    ['Bool', 'aws:SecureTransport', 'FALSE'],
    ['BinaryEquals', 'myapp:blob', ['QmluYXJ5VmFsdWU=']],
    ['IpAddress', 'aws:SourceIp', ['203.0.113.0/24', '10.0.0.1', '2001:db8::/32', '::1', '::ffff:10.0.0.1']],
    ['ArnLike', 'aws:SourceArn', ['arn:aws:s3:::bucket', 'arn:aws:sns:*:111122223333:*', '*']],
    ['StringLike', 's3:prefix', ['home/*']],
  ])('%s accepts %j', (operator, key, values) => {
    expect(withCondition({ [operator]: { [key]: values } })).toEqual([]);
  });

  test.each([
    ['NumericEquals', 'aws:MultiFactorAuthAge', 'ten', 'TYPE_MISMATCH_NUMBER'],
    ['DateLessThan', 'aws:CurrentTime', '31/01/2026', 'TYPE_MISMATCH_DATE'],
    ['DateLessThan', 'aws:CurrentTime', '2026-13-01', 'TYPE_MISMATCH_DATE'],
    ['Bool', 'aws:SecureTransport', 'yes', 'TYPE_MISMATCH_BOOLEAN'],
    ['Null', 'aws:TokenIssueTime', 'maybe', 'TYPE_MISMATCH_BOOLEAN'],
    ['BinaryEquals', 'myapp:blob', 'not base64!', 'TYPE_MISMATCH_BINARY'],
    ['IpAddress', 'aws:SourceIp', '10.0.0.0/33', 'TYPE_MISMATCH_IP_RANGE'],
    ['NotIpAddress', 'aws:SourceIp', '256.1.1.1', 'TYPE_MISMATCH_IP_RANGE'],
    ['IpAddress', 'aws:SourceIp', '2001:db8:::1', 'TYPE_MISMATCH_IP_RANGE'],
    ['ArnEquals', 'aws:SourceArn', 'bucket', 'TYPE_MISMATCH_ARN'],
  ])('%s with %s = %j gives %s', (operator, key, value, code) => {
    expect(codes(withCondition({ [operator]: { [key]: value } }))).toEqual([`${code}@$.Statement[0].Condition.${operator}['${key}']`]);
  });

  test('a value with a policy variable is not type-checked', () => {
    expect(withCondition({ NumericEquals: { 'myapp:limit': '${aws:PrincipalTag/limit}' } })).toEqual([]);
  });

  test('Bool with both true and false is INVALID_CONDITION_MULTIPLE_BOOLEAN', () => {
    expect(codes(withCondition({ Bool: { 'aws:SecureTransport': ['true', 'false'] } }))).toEqual([
      "INVALID_CONDITION_MULTIPLE_BOOLEAN@$.Statement[0].Condition.Bool['aws:SecureTransport']",
    ]);
  });

  test('a wildcard under a literal String operator is WILDCARD_WITHOUT_LIKE_OPERATOR', () => {
    const findings = withCondition({ StringEquals: { 's3:prefix': 'home/*' } });
    expect(findings.map((f) => [f.findingType, f.issueCode])).toEqual([['WARNING', 'WILDCARD_WITHOUT_LIKE_OPERATOR']]);
  });
});

describe('set qualifiers on single-valued keys', () => {
  test('ForAllValues is a SECURITY_WARNING, ForAnyValue a WARNING', () => {
    expect(withCondition({ 'ForAllValues:StringEquals': { 'aws:username': 'alice' } }).map((f) => [f.findingType, f.issueCode])).toEqual([
      ['SECURITY_WARNING', 'FORALLVALUES_WITH_SINGLE_VALUED_KEY'],
    ]);
    expect(withCondition({ 'ForAnyValue:StringEquals': { 'aws:PrincipalTag/team': 'a' } }).map((f) => [f.findingType, f.issueCode])).toEqual([
      ['WARNING', 'FORANYVALUE_WITH_SINGLE_VALUED_KEY'],
    ]);
  });

  test('multivalued keys take qualifiers without findings', () => {
    expect(withCondition({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team', 'env'] } })).toEqual([]);
  });
});

describe('operator suggestions', () => {
  test.each([
    ['stringequals', 'StringEquals'],
    ['forallvalues:stringlike', 'ForAllValues:StringLike'],
    ['ForAnyValue:StringEqualsIfexists', 'ForAnyValue:StringEqualsIfExists'],
    ['NumericLessThen', 'NumericLessThan'],
    ['IpAdress', 'IpAddress'],
  ])('%j suggests %j', (operator, suggestion) => {
    const findings = withCondition({ [operator]: { 'aws:SourceIp': '10.0.0.1' } });
    expect(findings.map((f) => f.issueCode)).toEqual(['INVALID_CONDITION_OPERATOR']);
    expect(findings[0]?.message).toContain(`did you mean "${suggestion}"?`);
  });

  test('no suggestion when nothing is close', () => {
    expect(withCondition({ Whatever: { 'aws:SourceIp': '10.0.0.1' } })[0]?.message).toBe('condition operator "Whatever" is not valid');
  });
});
