/**
 * Action and NotAction: each entry well formed, no entry already covered by another in the same
 * list (REDUNDANT_ACTION), and a warning on Allow with NotAction.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html
 */
import type { PolicyCheck } from '../check.ts';
import { keyLocation, quote } from '../context.ts';
import { actionSyntaxError } from '../action-syntax.ts';
import { stringItems } from '../json-types.ts';
import { redundantEntries } from '../wildcard.ts';

/** Checks action syntax and redundancy, and flags Allow with NotAction. */
export const actionCheck: PolicyCheck = {
  name: 'action',
  run(ctx) {
    for (const st of ctx.statements) {
      for (const name of ['Action', 'NotAction']) {
        const member = st.member(name);
        if (member === undefined) continue;
        const items = stringItems(member.value);
        for (const item of items) {
          if (item.value.includes('${')) continue; // reported by the policy-variable check
          const error = actionSyntaxError(item.value);
          if (error !== undefined) ctx.report('INVALID_ACTION', item, `"${name}" entry ${quote(item.value)} is not a valid action: ${error}`);
        }
        for (const index of redundantEntries(items.map((i) => i.value), true)) {
          const item = items[index];
          if (item !== undefined) ctx.report('REDUNDANT_ACTION', item, `"${name}" entry ${quote(item.value)} is redundant: another entry in the same statement already covers it`);
        }
      }
      const effect = st.member('Effect')?.value;
      const notAction = st.member('NotAction');
      if (notAction !== undefined && effect?.type === 'string' && effect.value === 'Allow') {
        ctx.report('ALLOW_WITH_NOT_ACTION', keyLocation(notAction), '"Allow" with "NotAction" allows every action not listed, including actions added later; list the allowed actions in "Action" instead');
      }
    }
  },
};
