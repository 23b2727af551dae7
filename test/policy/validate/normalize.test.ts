/**
 * The normalised PolicyDocument: arrays everywhere, stringified condition values, spans,
 * principals, version defaults; and no document when there is an ERROR.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 */
import { describe, expect, test } from 'vitest';
import { parsePolicy } from '../../../src/policy/validate/index.ts';

describe('toPolicyDocument via parsePolicy', () => {
  test('normalises a resource policy', () => {
    const text = [
      '{',
      '  "Version": "2012-10-17",',
      '  "Id": "BucketPolicy",',
      '  "Statement": [',
      '    {',
      '      "Sid": "Read",',
      '      "Effect": "Allow",',
      '      "Principal": { "AWS": "111122223333", "Service": ["s3.amazonaws.com"] },',
      '      "Action": "s3:GetObject",',
      '      "Resource": "arn:aws:s3:::b/*",',
      '      "Condition": { "NumericLessThan": { "s3:max-keys": 10 }, "Bool": { "aws:SecureTransport": [true] } }',
      '    },',
      '    { "Effect": "Deny", "NotPrincipal": "*", "NotAction": ["s3:Get*"], "NotResource": "arn:aws:s3:::b/public/*" }',
      '  ]',
      '}',
    ].join('\n');
    const result = parsePolicy(text, 'resource');
    expect(result.findings).toEqual([]);
    expect(result.document).toEqual({
      version: '2012-10-17',
      versionGiven: true,
      id: 'BucketPolicy',
      statements: [
        {
          index: 0,
          sid: 'Read',
          effect: 'Allow',
          principal: { kind: 'map', AWS: ['111122223333'], Service: ['s3.amazonaws.com'] },
          action: ['s3:GetObject'],
          resource: ['arn:aws:s3:::b/*'],
          condition: [
            { operator: 'NumericLessThan', key: 's3:max-keys', values: ['10'] },
            { operator: 'Bool', key: 'aws:SecureTransport', values: ['true'] },
          ],
          span: { start: { line: 5, column: 5 }, end: { line: 12, column: 6 } },
        },
        {
          index: 1,
          effect: 'Deny',
          notPrincipal: { kind: 'any' },
          notAction: ['s3:Get*'],
          notResource: ['arn:aws:s3:::b/public/*'],
          condition: [],
          span: { start: { line: 13, column: 5 }, end: { line: 13, column: 114 } },
        },
      ],
    });
  });

  test('warnings and suggestions still give a document; errors never do', () => {
    const warned = parsePolicy('{"Statement":{"Effect":"Allow","Action":["s3:*","s3:GetObject"],"Resource":"*"}}', 'identity');
    expect(warned.findings.map((f) => f.findingType)).toEqual(['WARNING', 'SUGGESTION']);
    expect(warned.document).toMatchObject({ version: '2008-10-17', versionGiven: false });
    const failed = parsePolicy('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*"}}', 'identity');
    expect(failed.document).toBeUndefined();
  });

  test('an unknown kind from an untyped caller is a finding, not an exception', () => {
    const result = parsePolicy('{"Version":"2012-10-17","Statement":[]}', 'bogus' as never);
    expect(result.findings.map((f) => f.issueCode)).toEqual(['VALIDATION_FAILED']);
  });
});
