/**
 * Top-level checks: invalid JSON, non-object policy, unknown top-level elements, Version and
 * Statement. Pages: Access Analyzer policy check reference
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html),
 * Version (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html),
 * Statement (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_statement.html).
 */
import { describe, expect, test } from 'vitest';
import { parsePolicy } from '../../../src/policy/validate/index.ts';
import { codes, identityStatement, policyText } from '../support/validate.ts';

describe('invalid JSON (JSON_SYNTAX_ERROR)', () => {
  test('reports the line and column of the first syntax error and no document', () => {
    const result = parsePolicy('{\n  "Version": "2012-10-17",\n  "Statement": [ { "Effect": "Allow", } ]\n}', 'identity');
    expect(result.document).toBeUndefined();
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({ findingType: 'ERROR', issueCode: 'JSON_SYNTAX_ERROR', line: 3, column: 39 });
    expect(result.findings[0]?.message).toMatch(/^invalid json at line 3 column 39/);
  });

  test('a policy that is not an object is a DATA_TYPE_MISMATCH at $', () => {
    expect(codes(parsePolicy('[]', 'identity').findings)).toEqual(['DATA_TYPE_MISMATCH@$']);
    expect(codes(parsePolicy('"x"', 'identity').findings)).toEqual(['DATA_TYPE_MISMATCH@$']);
  });

  test('duplicate keys with different case are errors', () => {
    const text = '{"Version":"2012-10-17","version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}';
    expect(codes(parsePolicy(text, 'identity').findings)).toContain('DUPLICATE_KEYS_WITH_DIFFERENT_CASE@$.version');
  });
});

describe('top-level elements', () => {
  test('unknown element is INVALID_POLICY_ELEMENT with a suggestion', () => {
    const findings = parsePolicy(policyText([identityStatement()], { Versoin: "x", Statment2: 1 }), 'identity').findings;
    expect(codes(findings)).toEqual(['INVALID_POLICY_ELEMENT@$.Versoin', 'INVALID_POLICY_ELEMENT@$.Statment2']);
    expect(findings[0]?.message).toContain('did you mean "Version"?');
  });

  test('a statement element at the top level says where it belongs', () => {
    const findings = parsePolicy(policyText([identityStatement()], { Effect: 'Allow' }), 'identity').findings;
    expect(findings[0]?.message).toContain('belongs inside a statement');
  });

  test('Id must be a string', () => {
    expect(codes(parsePolicy(policyText([identityStatement()], { Id: 7 }), 'identity').findings)).toEqual(['DATA_TYPE_MISMATCH@$.Id']);
  });
});

describe('Version', () => {
  test('missing Version is a MISSING_VERSION warning and the document uses 2008-10-17', () => {
    const result = parsePolicy(JSON.stringify({ Statement: [identityStatement()] }), 'identity');
    expect(result.findings.map((f) => [f.findingType, f.issueCode])).toEqual([['WARNING', 'MISSING_VERSION']]);
    expect(result.document).toMatchObject({ version: '2008-10-17', versionGiven: false });
  });

  test('an unknown version is INVALID_VERSION; a non-string is DATA_TYPE_MISMATCH', () => {
    expect(codes(parsePolicy(policyText([identityStatement()], { Version: '2012-10-18' }), 'identity').findings)).toEqual(['INVALID_VERSION@$.Version']);
    expect(codes(parsePolicy(policyText([identityStatement()], { Version: 2012 }), 'identity').findings)).toEqual(['DATA_TYPE_MISMATCH@$.Version']);
  });

  test('2008-10-17 written out is accepted', () => {
    const result = parsePolicy(policyText([identityStatement()], { Version: '2008-10-17' }), 'identity');
    expect(result.findings).toEqual([]);
    expect(result.document).toMatchObject({ version: '2008-10-17', versionGiven: true });
  });
});

describe('Statement', () => {
  test('missing, empty, wrong type, non-object items', () => {
    expect(codes(parsePolicy('{"Version":"2012-10-17"}', 'identity').findings)).toEqual(['MISSING_STATEMENT@$']);
    expect(codes(parsePolicy(policyText([]), 'identity').findings)).toEqual(['MISSING_STATEMENT@$.Statement']);
    expect(codes(parsePolicy(policyText('x'), 'identity').findings)).toEqual(['DATA_TYPE_MISMATCH@$.Statement']);
    expect(codes(parsePolicy(policyText([identityStatement(), 3]), 'identity').findings)).toEqual(['DATA_TYPE_MISMATCH@$.Statement[1]']);
  });

  test('a single statement object has path $.Statement and index 0', () => {
    const result = parsePolicy(policyText(identityStatement({ Resource: 'bucket' })), 'identity');
    expect(codes(result.findings)).toEqual(['INVALID_ARN_PREFIX@$.Statement.Resource']);
  });
});
