/**
 * Top-level elements: only Version, Id and Statement; Version valid (and present); Id a string;
 * Statement an object or a non-empty array of objects.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_statement.html
 */
import type { PolicyCheck } from '../check.ts';
import { keyLocation, memberOf, quote } from '../context.ts';
import { POLICY_VERSIONS, STATEMENT_ELEMENTS, TOP_LEVEL_ELEMENTS } from '../grammar.ts';
import { didYouMean } from '../suggest.ts';
import { describeType } from '../json-types.ts';

/** Checks the policy's top-level elements. */
export const topLevelCheck: PolicyCheck = {
  name: 'top-level elements',
  run(ctx) {
    const { root } = ctx;
    for (const member of root.members) {
      if ((TOP_LEVEL_ELEMENTS as readonly string[]).includes(member.key)) continue;
      const where = (STATEMENT_ELEMENTS as readonly string[]).includes(member.key)
        ? '; it belongs inside a statement'
        : didYouMean(member.key, TOP_LEVEL_ELEMENTS);
      ctx.report('INVALID_POLICY_ELEMENT', keyLocation(member), `element ${quote(member.key)} is not a valid top-level policy element${where}`);
    }

    const version = memberOf(root, 'Version');
    if (version === undefined) {
      ctx.report('MISSING_VERSION', root, 'the policy has no "Version" element, so it uses 2008-10-17; add "Version": "2012-10-17"');
    } else if (version.value.type !== 'string') {
      ctx.report('DATA_TYPE_MISMATCH', version.value, `"Version" must be a string, not ${describeType(version.value)}`);
    } else if (!(POLICY_VERSIONS as readonly string[]).includes(version.value.value)) {
      ctx.report('INVALID_VERSION', version.value, `"Version" ${quote(version.value.value)} is not valid; use "2012-10-17" (or "2008-10-17")`);
    }

    const id = memberOf(root, 'Id');
    if (id !== undefined && id.value.type !== 'string') {
      ctx.report('DATA_TYPE_MISMATCH', id.value, `"Id" must be a string, not ${describeType(id.value)}`);
    }

    const statement = memberOf(root, 'Statement');
    if (statement === undefined) {
      ctx.report('MISSING_STATEMENT', root, 'the policy has no "Statement" element');
      return;
    }
    const value = statement.value;
    if (value.type === 'array') {
      if (value.items.length === 0) ctx.report('MISSING_STATEMENT', value, '"Statement" is an empty array; add at least one statement');
      for (const item of value.items) {
        if (item.type !== 'object') ctx.report('DATA_TYPE_MISMATCH', item, `each statement must be an object, not ${describeType(item)}`);
      }
    } else if (value.type !== 'object') {
      ctx.report('DATA_TYPE_MISMATCH', value, `"Statement" must be an object or an array of objects, not ${describeType(value)}`);
    }
  },
};
