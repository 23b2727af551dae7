// String condition operators, User Guide "IAM JSON policy elements: Condition operators" (String).
import { describe, expect, it } from 'vitest';
import { condition, ctx } from '../support/engine.ts';

const c = ctx({ 'aws:PrincipalTag/team': 'Blue' });

describe('String operators', () => {
  it('StringEquals is exact and case-sensitive; keys are case-insensitive', () => {
    expect(condition('StringEquals', 'aws:principaltag/TEAM', 'Blue', c).result).toBe(true);
    expect(condition('StringEquals', 'aws:PrincipalTag/team', 'blue', c).result).toBe(false);
  });
  it('several values for one key are OR-ed', () => {
    expect(condition('StringEquals', 'aws:PrincipalTag/team', ['red', 'Blue'], c).result).toBe(true);
  });
  it('StringNotEquals: several values are NOR-ed', () => {
    expect(condition('StringNotEquals', 'aws:PrincipalTag/team', ['red', 'green'], c).result).toBe(true);
    expect(condition('StringNotEquals', 'aws:PrincipalTag/team', ['red', 'Blue'], c).result).toBe(false);
  });
  it('StringEqualsIgnoreCase / StringNotEqualsIgnoreCase', () => {
    expect(condition('StringEqualsIgnoreCase', 'aws:PrincipalTag/team', 'BLUE', c).result).toBe(true);
    expect(condition('StringNotEqualsIgnoreCase', 'aws:PrincipalTag/team', 'bLuE', c).result).toBe(false);
  });
  it('StringLike / StringNotLike use * and ?', () => {
    expect(condition('StringLike', 'aws:PrincipalTag/team', 'B*', c).result).toBe(true);
    expect(condition('StringLike', 'aws:PrincipalTag/team', 'B?ue', c).result).toBe(true);
    expect(condition('StringLike', 'aws:PrincipalTag/team', 'b*', c).result).toBe(false);
    expect(condition('StringNotLike', 'aws:PrincipalTag/team', ['x*', 'B*'], c).result).toBe(false);
  });
  it('StringEquals does not treat * as a wildcard', () => {
    expect(condition('StringEquals', 'aws:PrincipalTag/team', '*', c).result).toBe(false);
  });
});
