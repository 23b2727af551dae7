/**
 * Sid: unique within the policy, not empty, and in IAM-stored policies (identity, boundary,
 * session, guardrail and trust) only A-Z, a-z and 0-9.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html
 */
import type { PolicyCheck } from '../check.ts';
import { quote, kindPhrase } from '../context.ts';
import { KIND_RULES } from '../grammar.ts';

const ALPHANUMERIC = /^[A-Za-z0-9]*$/;

/** Checks Sid values and their uniqueness. */
export const sidCheck: PolicyCheck = {
  name: 'sid',
  run(ctx) {
    const seen = new Set<string>();
    const alphanumericOnly = KIND_RULES[ctx.kind].alphanumericSid;
    for (const st of ctx.statements) {
      const value = st.member('Sid')?.value;
      if (value?.type !== 'string') continue;
      const sid = value.value;
      if (sid === '') {
        ctx.report('EMPTY_SID_VALUE', value, '"Sid" is an empty string; remove it or name the statement');
        continue;
      }
      if (alphanumericOnly && !ALPHANUMERIC.test(sid)) {
        ctx.report('UNSUPPORTED_SID', value, `"Sid" ${quote(sid)} may only contain A-Z, a-z and 0-9 in ${kindPhrase(ctx.kind)}`);
      }
      if (seen.has(sid)) ctx.report('UNIQUE_SIDS_REQUIRED', value, `"Sid" ${quote(sid)} is used by an earlier statement; each Sid must be unique`);
      seen.add(sid);
    }
  },
};
