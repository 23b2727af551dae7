// Global condition keys the engine derives from the principal (User Guide: "AWS global condition
// context keys"), and caller-provided entries overriding them.
import { describe, expect, it } from 'vitest';
import { ContextView, derivePrincipalKey } from '../../../src/policy/context.ts';
import type { EvaluationRequest } from '../../../src/policy/types.ts';
import { alice, ctx, root, session } from '../support/engine.ts';

const value = (principal: EvaluationRequest['principal'], key: string) => derivePrincipalKey(principal, key.toLowerCase())?.values;

describe('derived global keys', () => {
  it('aws:username only for IAM users', () => {
    expect(value(alice, 'aws:username')).toEqual(['alice']);
    expect(value(session, 'aws:username')).toBeUndefined();
  });
  it('aws:PrincipalArn is the role ARN for a role session', () => {
    expect(value(session, 'aws:PrincipalArn')).toEqual(['arn:aws:iam::111122223333:role/Dev']);
    expect(value(alice, 'aws:PrincipalArn')).toEqual([alice.arn]);
  });
  it('aws:userid, aws:PrincipalAccount, aws:PrincipalType', () => {
    expect(value(root, 'aws:userid')).toEqual(['111122223333']);
    expect(value(session, 'aws:PrincipalAccount')).toEqual(['111122223333']);
    expect(value(session, 'aws:PrincipalType')).toEqual(['AssumedRole']);
  });
  it('aws:PrincipalTag/* case-insensitive tag key', () => {
    expect(value(alice, 'aws:PrincipalTag/TEAM')).toEqual(['blue']);
    expect(value(alice, 'aws:PrincipalTag/other')).toBeUndefined();
  });
  it('aws:MultiFactorAuthPresent only for temporary credentials unless known', () => {
    expect(value(alice, 'aws:MultiFactorAuthPresent')).toBeUndefined();
    expect(value(session, 'aws:MultiFactorAuthPresent')).toEqual(['false']);
    expect(value({ ...session, mfaPresent: true, mfaAgeSeconds: 30 }, 'aws:MultiFactorAuthPresent')).toEqual(['true']);
    expect(value({ ...session, mfaPresent: true, mfaAgeSeconds: 30 }, 'aws:MultiFactorAuthAge')).toEqual(['30']);
  });
});

describe('ContextView', () => {
  it('caller entries (any case) override derived keys; clock keys use request.now', () => {
    const view = new ContextView();
    view.reset({
      principal: alice,
      action: 's3:GetObject',
      resource: '*',
      resourceAccount: '444455556666',
      now: new Date('2026-01-02T03:04:05Z'),
      context: ctx({ 'AWS:UserName': 'mallory' }),
    });
    expect(view.get('aws:username')?.values).toEqual(['mallory']);
    expect(view.get('aws:currenttime')?.values).toEqual(['2026-01-02T03:04:05.000Z']);
    expect(view.get('aws:epochtime')?.values).toEqual([String(Date.UTC(2026, 0, 2, 3, 4, 5) / 1000)]);
    expect(view.get('aws:resourceaccount')?.values).toEqual(['444455556666']);
    expect(view.get('s3:prefix')).toBeUndefined();
  });
});
