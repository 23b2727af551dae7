/**
 * Policy size against its kind's quota, counted as AWS does: characters without white space.
 * Default quotas are in `KIND_RULES` (grammar.ts); callers may pass the real one.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 */
import type { PolicyCheck } from '../check.ts';
import { kindPhrase } from '../context.ts';
import { KIND_RULES } from '../grammar.ts';

/** Number of characters in `text` that are not white space. */
export function policySize(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) count++;
  }
  return count;
}

/** Reports a policy longer than its kind allows. */
export const sizeCheck: PolicyCheck = {
  name: 'size',
  run(ctx) {
    const { sizeIssue } = KIND_RULES[ctx.kind];
    const { sizeQuota } = ctx;
    const size = policySize(ctx.text);
    if (size > sizeQuota) {
      ctx.report(sizeIssue, ctx.root, `the policy is ${size} characters long without white space, over the ${sizeQuota}-character quota for ${kindPhrase(ctx.kind)}`);
    }
  },
};
