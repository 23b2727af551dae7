/**
 * The policy draft from use (src/authz/usage/policy-draft.ts) is a pure function: it grants the
 * actions and resources seen, groups statements by service and resource list, and reports every
 * place it writes more than was seen.
 */
import { describe, expect, it } from 'vitest';
import { draftPolicy, MAX_SIBLINGS } from '../../src/authz/usage/policy-draft.ts';
import { FOLDED_RESOURCE } from '../../src/authz/action-usage.ts';
import type { AllowedUse } from '../../src/authz/usage/usage-reads.ts';

const use = (action: string, resourceArn: string): AllowedUse => ({ action, actionKey: action.toLowerCase(), resourceArn, allowed: 1, lastAllowedAt: new Date(0) });

describe('draftPolicy', () => {
  it('groups actions sharing a resource list into one statement per service', () => {
    const draft = draftPolicy([use('s3:GetObject', 'arn:aws:s3:::b/k'), use('s3:PutObject', 'arn:aws:s3:::b/k'), use('sqs:SendMessage', 'arn:aws:sqs:eu-west-1:111122223333:q')], true);
    expect(JSON.parse(draft.policyDocument).Statement).toEqual([
      { Sid: 'S3Used', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::b/k' },
      { Sid: 'SqsUsed', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: 'arn:aws:sqs:eu-west-1:111122223333:q' },
    ]);
    expect(draft.widenings).toEqual([]);
  });

  it(`keeps up to ${MAX_SIBLINGS} siblings by name and collapses more, saying so`, () => {
    const few = Array.from({ length: MAX_SIBLINGS }, (_, i) => use('s3:GetObject', `arn:aws:s3:::b/p/${i}`));
    expect(draftPolicy(few, true).widenings).toEqual([]);
    const many = [...few, use('s3:GetObject', 'arn:aws:s3:::b/p/extra')];
    const draft = draftPolicy(many, true);
    expect(JSON.parse(draft.policyDocument).Statement[0].Resource).toBe('arn:aws:s3:::b/p/*');
    expect(draft.widenings).toMatchObject([{ resource: 'arn:aws:s3:::b/p/*', replaces: MAX_SIBLINGS + 1, reason: 'SIBLING_RESOURCES' }]);
  });

  it('never collapses resources without a path, and writes * for folded uses as a widening', () => {
    const buckets = Array.from({ length: MAX_SIBLINGS + 5 }, (_, i) => use('s3:ListBucket', `arn:aws:s3:::bucket-${i}`));
    expect(draftPolicy(buckets, true).widenings).toEqual([]);
    const folded = draftPolicy([use('s3:GetObject', 'arn:aws:s3:::b/k'), use('s3:GetObject', FOLDED_RESOURCE)], true);
    expect(JSON.parse(folded.policyDocument).Statement[0].Resource).toBe('*');
    expect(folded.widenings).toMatchObject([{ resource: '*', reason: 'FOLDED_RESOURCES', replaces: 1 }]);
    // `*` asked about itself is what was seen: no widening.
    expect(draftPolicy([use('s3:ListAllMyBuckets', '*')], true).widenings).toEqual([]);
  });
});
