/**
 * Action and Resource syntax, redundancy, and Allow with NotAction / NotResource.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
 */
import { describe, expect, test } from 'vitest';
import { codes, findingsFor, identityStatement } from '../support/validate.ts';

describe('action syntax (INVALID_ACTION)', () => {
  test.each(['*', 's3:GetObject', 's3:Get*', 's3:*', 'iam:?etUser', 'execute-api:Invoke', 'myapp:ReadThing'])('%j is valid', (action) => {
    expect(findingsFor(identityStatement({ Action: action }))).toEqual([]);
  });

  test.each(['s3GetObject', 's3:', ':GetObject', 's3:Get Object', 's3:Get:Object', ''])('%j is invalid', (action) => {
    const findings = findingsFor(identityStatement({ Action: ['s3:ListBucket', action] }));
    expect(codes(findings)).toEqual(['INVALID_ACTION@$.Statement[0].Action[1]']);
    expect(findings[0]?.message).toContain(JSON.stringify(action));
  });
});

describe('resource ARN syntax', () => {
  test.each([
    '*',
    'arn:aws:s3:::bucket/*',
    'arn:aws:iam::111122223333:user/alice',
    'arn:aws:iam::aws:policy/ReadOnlyAccess',
    'arn:aws:ec2:us-east-1:*:instance/*',
    'arn:*:*:*:*:*',
    'arn:aws:myapp:eu-west-1:111122223333:thing/a:b:c',
    'arn:aws:s3:::bucket/${aws:username}/*',
  ])('%j is valid', (resource) => {
    expect(findingsFor(identityStatement({ Resource: resource }))).toEqual([]);
  });

  test.each([
    ['bucket', 'INVALID_ARN_PREFIX'],
    ['ARN:aws:s3:::bucket', 'INVALID_ARN_PREFIX'],
    ['arn:aws:s3::bucket', 'MISSING_ARN_FIELD'],
    ['arn::s3:::bucket', 'MISSING_ARN_FIELD'],
    ['arn:aws::::thing', 'MISSING_ARN_FIELD'],
    ['arn:AWS:s3:::bucket', 'INVALID_PARTITION'],
    ['arn:aws:S3:::bucket', 'INVALID_ARN_SERVICE_CASE'],
    ['arn:aws:ec2:US_EAST:111122223333:instance/i', 'INVALID_ARN_REGION'],
    ['arn:aws:iam::1234:user/alice', 'INVALID_ARN_ACCOUNT'],
    ['arn:aws:s3:::', 'INVALID_ARN_RESOURCE'],
  ])('%j gives %s', (resource, code) => {
    expect(codes(findingsFor(identityStatement({ NotResource: resource, Resource: undefined, Effect: 'Deny' })))).toEqual([
      `${code}@$.Statement[0].NotResource`,
    ]);
  });
});

describe('redundancy within a statement (suggestions)', () => {
  test('an action covered by a wildcard, or repeated in another case, is REDUNDANT_ACTION', () => {
    const findings = findingsFor(identityStatement({ Action: ['s3:Get*', 's3:GetObject', 'S3:GET*', 'ec2:Describe*'] }));
    expect(findings.map((f) => [f.findingType, f.issueCode, f.path])).toEqual([
      ['SUGGESTION', 'REDUNDANT_ACTION', '$.Statement[0].Action[1]'],
      ['SUGGESTION', 'REDUNDANT_ACTION', '$.Statement[0].Action[2]'],
    ]);
  });

  test('a ? does not cover a *, and narrower wildcards do not cover wider ones', () => {
    expect(findingsFor(identityStatement({ Action: ['s3:Get?', 's3:Get*'] })).map((f) => f.path)).toEqual(['$.Statement[0].Action[0]']);
    expect(findingsFor(identityStatement({ Action: ['s3:GetO*', 's3:G*t'] }))).toEqual([]);
  });

  test('"*" makes every other action redundant', () => {
    expect(findingsFor(identityStatement({ Action: ['*', 's3:*', 'iam:GetUser'] }))).toHaveLength(2);
  });

  test('resources compare case-sensitively', () => {
    expect(codes(findingsFor(identityStatement({ Resource: ['arn:aws:s3:::b/*', 'arn:aws:s3:::b/key'] })))).toEqual([
      'REDUNDANT_RESOURCE@$.Statement[0].Resource[1]',
    ]);
    expect(findingsFor(identityStatement({ Resource: ['arn:aws:s3:::B/*', 'arn:aws:s3:::b/key'] }))).toEqual([]);
  });
});

describe('Allow with NotAction / NotResource', () => {
  test('are security warnings; with Deny they are the intended idiom', () => {
    const allow = findingsFor({ Effect: 'Allow', NotAction: 'iam:*', NotResource: 'arn:aws:s3:::secret/*' });
    expect(allow.map((f) => [f.findingType, f.issueCode])).toEqual([
      ['SECURITY_WARNING', 'ALLOW_WITH_NOT_ACTION'],
      ['SECURITY_WARNING', 'ALLOW_WITH_NOT_RESOURCE'],
    ]);
    expect(findingsFor({ Effect: 'Deny', NotAction: 'iam:*', NotResource: 'arn:aws:s3:::secret/*' })).toEqual([]);
  });
});
