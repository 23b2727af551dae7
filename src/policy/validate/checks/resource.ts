/**
 * Resource and NotResource: each entry `*` or a well-formed ARN, no entry already covered by
 * another in the same list (REDUNDANT_RESOURCE), and a warning on Allow with NotResource.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html
 */
import type { PolicyCheck } from '../check.ts';
import { keyLocation, quote } from '../context.ts';
import { arnSyntaxError } from '../arn-syntax.ts';
import { stringItems } from '../json-types.ts';
import { redundantEntries } from '../wildcard.ts';

/** Checks resource ARN syntax and redundancy, and flags Allow with NotResource. */
export const resourceCheck: PolicyCheck = {
  name: 'resource',
  run(ctx) {
    for (const st of ctx.statements) {
      for (const name of ['Resource', 'NotResource']) {
        const member = st.member(name);
        if (member === undefined) continue;
        const items = stringItems(member.value);
        for (const item of items) {
          const error = arnSyntaxError(item.value);
          if (error !== undefined) ctx.report(error.code, item, `"${name}" entry ${quote(item.value)} is not a valid resource: ${error.reason}`);
        }
        // ARNs match case-sensitively, so "Bucket" does not cover "bucket".
        for (const index of redundantEntries(items.map((i) => i.value), false)) {
          const item = items[index];
          if (item !== undefined) ctx.report('REDUNDANT_RESOURCE', item, `"${name}" entry ${quote(item.value)} is redundant: another entry in the same statement already covers it`);
        }
      }
      const effect = st.member('Effect')?.value;
      const notResource = st.member('NotResource');
      if (notResource !== undefined && effect?.type === 'string' && effect.value === 'Allow') {
        ctx.report('ALLOW_WITH_NOT_RESOURCE', keyLocation(notResource), '"Allow" with "NotResource" allows every resource not listed, including resources created later; list the allowed resources in "Resource" instead');
      }
    }
  },
};
