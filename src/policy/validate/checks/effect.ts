/**
 * Effect must be exactly "Allow" or "Deny" (case-sensitive).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_effect.html
 */
import type { PolicyCheck } from '../check.ts';
import { quote } from '../context.ts';
import { didYouMean } from '../suggest.ts';

const EFFECTS = ['Allow', 'Deny'] as const;

/** Checks the value of every statement's Effect. */
export const effectCheck: PolicyCheck = {
  name: 'effect',
  run(ctx) {
    for (const st of ctx.statements) {
      const value = st.member('Effect')?.value;
      if (value?.type !== 'string' || (EFFECTS as readonly string[]).includes(value.value)) continue;
      ctx.report('INVALID_EFFECT', value, `"Effect" ${quote(value.value)} is not valid; use "Allow" or "Deny" (case-sensitive)${didYouMean(value.value, EFFECTS)}`);
    }
  },
};
