// Missing keys, IfExists, Null and the set qualifiers, per the User Guide pages "Condition
// operators" (…IfExists, Null check, the "key not present" rule) and "Single-valued vs.
// multivalued context keys" (ForAllValues / ForAnyValue).
import { describe, expect, it } from 'vitest';
import { condition, ctx } from '../support/engine.ts';
import { PolicyCompileError } from '../../../src/policy/errors.ts';

describe('a key missing from the request context', () => {
  it('makes a normal operator false and is reported as missing', () => {
    expect(condition('StringEquals', 'aws:PrincipalTag/team', 'x')).toEqual({ result: false, missing: ['aws:PrincipalTag/team'] });
  });
  it('makes a negated operator true ("requires that the key is not matched")', () => {
    expect(condition('StringNotEquals', 'aws:PrincipalTag/team', 'x').result).toBe(true);
    expect(condition('ArnNotLike', 'aws:SourceArn', 'arn:*').result).toBe(true);
  });
  it('makes …IfExists true, for positive and negated operators', () => {
    expect(condition('StringEqualsIfExists', 'ec2:InstanceType', 't2.micro').result).toBe(true);
    expect(condition('StringNotEqualsIfExists', 'ec2:InstanceType', 't2.micro').result).toBe(true);
  });
  it('makes ForAllValues true and ForAnyValue false', () => {
    expect(condition('ForAllValues:StringEquals', 'aws:TagKeys', 'a').result).toBe(true);
    expect(condition('ForAnyValue:StringEquals', 'aws:TagKeys', 'a').result).toBe(false);
    expect(condition('ForAnyValue:StringNotEquals', 'aws:TagKeys', 'a').result).toBe(false);
  });
});

describe('…IfExists with the key present behaves as the base operator', () => {
  const c = ctx({ 'ec2:InstanceType': 't2.large' });
  it('fails when the value does not match', () => {
    expect(condition('StringEqualsIfExists', 'ec2:InstanceType', ['t2.micro', 't2.small'], c).result).toBe(false);
    expect(condition('StringLikeIfExists', 'ec2:InstanceType', 't2.*', c).result).toBe(true);
  });
});

describe('Null', () => {
  it('true means "the key is absent", false means "present"', () => {
    expect(condition('Null', 'aws:TokenIssueTime', 'true').result).toBe(true);
    expect(condition('Null', 'aws:TokenIssueTime', 'false').result).toBe(false);
    const c = ctx({ 'aws:TokenIssueTime': '2026-01-01T00:00:00Z' });
    expect(condition('Null', 'aws:TokenIssueTime', 'false', c).result).toBe(true);
    expect(condition('Null', 'aws:TokenIssueTime', 'true', c).result).toBe(false);
  });
  it('does not report the key as missing, and refuses IfExists', () => {
    expect(condition('Null', 'k', 'true').missing).toEqual([]);
    expect(() => condition('NullIfExists', 'k', 'true')).toThrow(PolicyCompileError);
  });
});

describe('set qualifiers on multivalued keys', () => {
  const tags = ctx({ 'aws:TagKeys': ['env', 'team'] });
  it('ForAllValues: every request value must match some policy value', () => {
    expect(condition('ForAllValues:StringEquals', 'aws:TagKeys', ['env', 'team', 'cost'], tags).result).toBe(true);
    expect(condition('ForAllValues:StringEquals', 'aws:TagKeys', ['env'], tags).result).toBe(false);
    expect(condition('ForAllValues:StringLike', 'aws:TagKeys', ['e*', 't*'], tags).result).toBe(true);
  });
  it('ForAnyValue: at least one request value must match', () => {
    expect(condition('ForAnyValue:StringEquals', 'aws:TagKeys', ['team'], tags).result).toBe(true);
    expect(condition('ForAnyValue:StringEquals', 'aws:TagKeys', ['cost'], tags).result).toBe(false);
  });
  it('negated operators under qualifiers apply the NOR per request value', () => {
    expect(condition('ForAllValues:StringNotEquals', 'aws:TagKeys', ['cost'], tags).result).toBe(true);
    expect(condition('ForAllValues:StringNotEquals', 'aws:TagKeys', ['env'], tags).result).toBe(false);
    expect(condition('ForAnyValue:StringNotEquals', 'aws:TagKeys', ['env'], tags).result).toBe(true);
    expect(condition('ForAnyValue:StringNotEquals', 'aws:TagKeys', ['env', 'team'], tags).result).toBe(false);
  });
  it('an empty request list: ForAllValues true, ForAnyValue false', () => {
    const empty = ctx({ 'aws:TagKeys': [] });
    expect(condition('ForAllValues:StringEquals', 'aws:TagKeys', 'x', empty)).toEqual({ result: true, missing: [] });
    expect(condition('ForAnyValue:StringEquals', 'aws:TagKeys', 'x', empty).result).toBe(false);
  });
  it('qualifiers combine with IfExists', () => {
    expect(condition('ForAnyValue:StringEqualsIfExists', 'aws:TagKeys', 'x').result).toBe(true);
  });
  it('unqualified on a multivalued key: positive = any value matches, negated = no value matches', () => {
    expect(condition('StringEquals', 'aws:TagKeys', 'team', tags).result).toBe(true);
    expect(condition('StringNotEquals', 'aws:TagKeys', 'team', tags).result).toBe(false);
  });
});

describe('operator names', () => {
  it('rejects an unknown operator with a typed error naming it', () => {
    expect(() => condition('StringEqualz', 'k', 'v')).toThrow(/unknown condition operator "StringEqualz"/);
  });
});
