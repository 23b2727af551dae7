// Matching rules from the User Guide: "IAM JSON policy elements: Action" (case-insensitive,
// wildcards) and "IAM JSON policy elements: Resource" (wildcards within ARN segments; a `*` that
// is the last character of a segment may expand past colons; case-sensitive).
import { describe, expect, it } from 'vitest';
import { compileGlob, wildParts } from '../../../src/policy/match/glob.ts';
import { compileResourcePattern } from '../../../src/policy/match/resource-pattern.ts';
import { compileArnPattern, matchArn, splitArn } from '../../../src/policy/match/arn-pattern.ts';
import { compileAction } from '../../../src/policy/compile/action.ts';

const glob = (p: string) => compileGlob(wildParts(p), false);
const res = (p: string) => compileResourcePattern(wildParts(p));

describe('glob (StringLike semantics)', () => {
  it.each([
    ['abc', 'abc', true],
    ['abc', 'abcd', false],
    ['a*', 'a', true],
    ['*c', 'abc', true],
    ['a*c', 'abbbc', true],
    ['a*c', 'ac', true],
    ['a*c', 'acb', false],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['*a*b*', 'xxaxxbxx', true],
    ['*a*b*', 'xxbxxaxx', false],
    ['a*b*c', 'abxbxc', true],
    ['*', '', true],
    ['?', '', false],
    ['a*a', 'a', false],
  ])('%s ~ %s = %s', (p, s, want) => expect(glob(p)(s)).toBe(want));

  it('treats literal parts as text, not wildcards', () => {
    const m = compileGlob([{ text: 'a', literal: false }, { text: '*', literal: true }], false);
    expect(m('a*')).toBe(true);
    expect(m('ab')).toBe(false);
  });
});

describe('action patterns (case-insensitive)', () => {
  it('matches regardless of case in pattern and request', () => {
    const a = compileAction('S3:Get*');
    expect(a.test('s3:getobject')).toBe(true);
    expect(a.test('s3:putobject')).toBe(false);
    expect(a.service).toBe('s3');
    expect(compileAction('iam:*AccessKey*').test('iam:createaccesskey')).toBe(true);
    expect(compileAction('*').service).toBeUndefined();
    expect(compileAction('s3:GetObject').exact).toBe(true);
  });
});

describe('resource patterns (Resource element)', () => {
  it.each([
    ['*', 'arn:aws:s3:::b/k', true],
    ['arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/a/b', true],
    // `*` last in its segment expands past colons
    ['arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/a:b', true],
    ['arn:aws:iam::*:user/alice', 'arn:aws:iam::111122223333:user/alice', true],
    ['arn:aws:*', 'arn:aws:sqs:us-east-1:1:q', true],
    ['arn:aws:sqs:*:111122223333:queue1', 'arn:aws:sqs:us-east-2:111122223333:queue1', true],
    // a `*` that is not last in its segment stays inside it
    ['arn:aws:sqs:us-*-1:111122223333:q', 'arn:aws:sqs:us-east-1:111122223333:q', true],
    ['arn:aws:sqs:us-*-1:q', 'arn:aws:sqs:us-x:y-1:q', false],
    ['arn:aws:s3:::b-*/logs/*', 'arn:aws:s3:::b-1/logs/x', true],
    ['arn:aws:s3:::b-*/logs/*', 'arn:aws:s3:::b-1/data/x', false],
    // `?` is one character inside a segment
    ['arn:aws:s3:::b?', 'arn:aws:s3:::b1', true],
    ['arn:aws:s3:::b?', 'arn:aws:s3:::b12', false],
    // case-sensitive
    ['arn:aws:iam::111122223333:user/Bob', 'arn:aws:iam::111122223333:user/bob', false],
    ['arn:aws:iam::111122223333:user/Bob', 'arn:aws:iam::111122223333:user/Bob', true],
    ['arn:aws:s3:::*log*', 'arn:aws:s3:::carlos-logs', true],
  ])('%s ~ %s = %s', (p, s, want) => expect(res(p)(s)).toBe(want));
});

describe('ARN condition patterns (six components checked separately)', () => {
  const arn = (p: string, s: string) => {
    const m = compileArnPattern(wildParts(p));
    const parts = splitArn(s);
    return m !== undefined && parts !== undefined && matchArn(m, parts);
  };
  it('matches component-wise with wildcards', () => {
    expect(arn('arn:aws:iam::*:role/Admin*', 'arn:aws:iam::111122223333:role/AdminX')).toBe(true);
    expect(arn('arn:aws:iam::*:role/Admin*', 'arn:aws:iam::111122223333:user/AdminX')).toBe(false);
    expect(arn('arn:aws:ssm:*:*:parameter/a:b', 'arn:aws:ssm:us-east-1:1:parameter/a:b')).toBe(true);
  });
  it('never matches a value that is not an ARN', () => {
    expect(arn('arn:aws:iam::*:role/x', 'not-an-arn')).toBe(false);
    expect(compileArnPattern(wildParts('*'))).toBeUndefined();
  });
});
