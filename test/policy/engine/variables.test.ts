// Policy variables, User Guide "IAM policy elements: Variables and tags": substitution in Resource
// and condition values with Version 2012-10-17 only, defaults, special characters, and "if there
// is no value ... the element is not matched".
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/policy/evaluate.ts';
import { compileTemplate } from '../../../src/policy/variables.ts';
import { alice, condition, ctx, policy, session } from '../support/engine.ts';

const homeDir = (version: string) =>
  policy({
    Version: version,
    Statement: { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::home/${aws:username}/*' },
  });

describe('variables in Resource', () => {
  it('substitute aws:username (2012-10-17)', () => {
    const set = { identity: [homeDir('2012-10-17')] };
    const req = { principal: alice, action: 's3:GetObject' };
    expect(evaluate({ ...req, resource: 'arn:aws:s3:::home/alice/f' }, set).allowed).toBe(true);
    expect(evaluate({ ...req, resource: 'arn:aws:s3:::home/bob/f' }, set).allowed).toBe(false);
  });
  it('are literal text with 2008-10-17', () => {
    const set = { identity: [homeDir('2008-10-17')] };
    const req = { principal: alice, action: 's3:GetObject' };
    expect(evaluate({ ...req, resource: 'arn:aws:s3:::home/alice/f' }, set).allowed).toBe(false);
    expect(evaluate({ ...req, resource: 'arn:aws:s3:::home/${aws:username}/f' }, set).allowed).toBe(true);
  });
  it('a missing key without default leaves the entry unmatched and is reported', () => {
    // A role session has no aws:username.
    const d = evaluate({ principal: session, action: 's3:GetObject', resource: 'arn:aws:s3:::home/x/f' }, { identity: [homeDir('2012-10-17')] });
    expect(d.decision).toBe('IMPLICIT_DENY');
    expect(d.missingContextValues).toEqual(['aws:username']);
    expect(d.nearMisses.map((m) => m.failed)).toEqual([{ part: 'resource' }]);
  });
  it('defaults apply when the key is missing', () => {
    const p = policy({
      Version: '2012-10-17',
      Statement: { Effect: 'Allow', Action: 's3:*', Resource: "arn:aws:s3:::team/${aws:PrincipalTag/team, 'none'}/*" },
    });
    const r = (principal: typeof alice, resource: string) => evaluate({ principal, action: 's3:GetObject', resource }, { identity: [p] }).allowed;
    expect(r(alice, 'arn:aws:s3:::team/blue/x')).toBe(true);
    expect(r(session, 'arn:aws:s3:::team/none/x')).toBe(true);
    expect(r(session, 'arn:aws:s3:::team/blue/x')).toBe(false);
  });
  it('substituted values and ${*} are literal, not wildcards', () => {
    const p = policy({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::b/${*}/${aws:PrincipalTag/team}' } });
    const who = { ...alice, tags: { team: '*' } };
    const r = (resource: string) => evaluate({ principal: who, action: 's3:GetObject', resource }, { identity: [p] }).allowed;
    expect(r('arn:aws:s3:::b/*/*')).toBe(true);
    expect(r('arn:aws:s3:::b/x/y')).toBe(false);
  });
});

describe('variables in condition values', () => {
  it('compare a key with another key', () => {
    const c = ctx({ 'aws:ResourceTag/owner': 'alice', 'aws:username': 'alice' });
    expect(condition('StringEquals', 'aws:ResourceTag/owner', '${aws:username}', c).result).toBe(true);
    expect(condition('StringEquals', 'aws:ResourceTag/owner', '${aws:username}', c, '2008-10-17').result).toBe(false);
  });
  it('a value whose variable is missing cannot match', () => {
    const c = ctx({ 'aws:ResourceTag/owner': 'alice' });
    expect(condition('StringEquals', 'aws:ResourceTag/owner', '${aws:username}', c)).toEqual({ result: false, missing: ['aws:username'] });
  });
  it('${$} ${?} escape specials; other operators take values literally', () => {
    const c = ctx({ k: 'a?$' });
    expect(condition('StringEquals', 'k', 'a${?}${$}', c).result).toBe(true);
    expect(condition('StringLike', 'k', 'a${?}*', c).result).toBe(true);
    expect(condition('StringLike', 'k', 'a${?}', c).result).toBe(false);
  });
});

describe('templates', () => {
  it('parse once; text without ${ is constant', () => {
    expect(compileTemplate('arn:aws:s3:::x', '2012-10-17').constant).toEqual([{ text: 'arn:aws:s3:::x', literal: false }]);
    expect(compileTemplate("${aws:PrincipalTag/t, 'd'}", '2012-10-17').parts).toEqual([
      { kind: 'var', key: 'aws:PrincipalTag/t', keyLower: 'aws:principaltag/t', fallback: 'd' },
    ]);
  });
});
