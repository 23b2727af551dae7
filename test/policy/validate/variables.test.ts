/**
 * Policy variables: syntax, where they are allowed, and Version 2008-10-17.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
 */
import { describe, expect, test } from 'vitest';
import { parsePolicy } from '../../../src/policy/validate/index.ts';
import { codes, findingsFor, identityStatement, resourceStatement } from '../support/validate.ts';

describe('variable syntax', () => {
  test.each([
    'arn:aws:s3:::bucket/${aws:username}/*',
    "arn:aws:s3:::bucket/${aws:PrincipalTag/team, 'shared'}/*",
    'arn:aws:s3:::bucket/${*}literal-star',
  ])('%j is valid', (resource) => {
    expect(findingsFor(identityStatement({ Resource: resource }))).toEqual([]);
  });

  test.each([
    ['arn:aws:s3:::bucket/${aws:username', 'MISSING_BRACE_IN_VARIABLE'],
    ['arn:aws:s3:::bucket/${}', 'EMPTY_VARIABLE'],
    ['arn:aws:s3:::bucket/${aws:user name}', 'UNSUPPORTED_SPACE_IN_VARIABLE'],
    ['arn:aws:s3:::bucket/${aws:user#name}', 'UNSUPPORTED_SYMBOL_IN_VARIABLE'],
    ['arn:aws:s3:::bucket/${aws:username, shared}', 'MISSING_QUOTE_IN_VARIABLE'],
    ['arn:aws:s3:::bucket/${aws:username, "shared"}', 'MISSING_QUOTE_IN_VARIABLE'],
  ])('%j gives %s', (resource, code) => {
    expect(codes(findingsFor(identityStatement({ Resource: resource })))).toEqual([`${code}@$.Statement[0].Resource`]);
  });

  test('condition values are checked too', () => {
    expect(codes(findingsFor(identityStatement({ Condition: { StringEquals: { 's3:prefix': '${aws:username' } } })))).toEqual([
      "MISSING_BRACE_IN_VARIABLE@$.Statement[0].Condition.StringEquals['s3:prefix']",
    ]);
  });
});

describe('unsupported elements', () => {
  test('a variable in Action or Principal is VARIABLE_UNSUPPORTED_IN_ELEMENT', () => {
    expect(codes(findingsFor(identityStatement({ Action: 's3:${aws:username}' })))).toEqual(['VARIABLE_UNSUPPORTED_IN_ELEMENT@$.Statement[0].Action']);
    expect(codes(findingsFor(resourceStatement({ Principal: { AWS: 'arn:aws:iam::111122223333:user/${aws:username}' } }), 'resource'))).toEqual([
      'VARIABLE_UNSUPPORTED_IN_ELEMENT@$.Statement[0].Principal.AWS',
    ]);
  });
});

describe('Version 2008-10-17', () => {
  test('any variable is a warning that it is literal, and the document is still produced', () => {
    const text = JSON.stringify({ Version: '2008-10-17', Statement: [identityStatement({ Resource: 'arn:aws:s3:::b/${aws:username}' })] });
    const result = parsePolicy(text, 'identity');
    expect(result.findings.map((f) => [f.findingType, f.issueCode])).toEqual([['WARNING', 'VARIABLE_UNSUPPORTED_IN_VERSION']]);
    expect(result.document?.statements[0]?.resource).toEqual(['arn:aws:s3:::b/${aws:username}']);
  });

  test('a missing Version behaves the same', () => {
    const text = JSON.stringify({ Statement: [identityStatement({ Resource: 'arn:aws:s3:::b/${aws:username' })] });
    expect(parsePolicy(text, 'identity').findings.map((f) => f.issueCode)).toEqual(['MISSING_VERSION', 'VARIABLE_UNSUPPORTED_IN_VERSION']);
  });
});
