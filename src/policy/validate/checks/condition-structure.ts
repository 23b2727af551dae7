/**
 * Condition block structure: an object of known operators (Null without IfExists), each an
 * object of well-formed keys, each with scalar values of one JSON type; set qualifiers only on
 * multivalued keys.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
 */
import type { PolicyCheck } from '../check.ts';
import { keyLocation, quote, type ValidationContext } from '../context.ts';
import { conditionEntries, type ConditionEntry } from '../condition-entries.ts';
import { isSingleValuedGlobalKey } from '../global-keys.ts';
import { describeType } from '../json-types.ts';
import { parseConditionOperator, suggestOperator } from '../operators.ts';
import type { StatementView } from '../context.ts';

// The prefix is a service (`aws`, `s3`) or, for web identity federation, the OIDC issuer's host and
// path, e.g. `token.actions.githubusercontent.com:sub`, `oidc.eks.us-west-2.amazonaws.com/id/EX:aud`.
const KEY_FORMAT = /^[A-Za-z0-9-]+(?:[./][A-Za-z0-9_-]+)*:\S/;

function checkBlocks(ctx: ValidationContext, st: StatementView): void {
  const condition = st.member('Condition')?.value;
  if (condition === undefined) return;
  if (condition.type !== 'object') {
    ctx.report('DATA_TYPE_MISMATCH', condition, `"Condition" must be an object, not ${describeType(condition)}`);
    return;
  }
  if (condition.members.length === 0) ctx.report('EMPTY_OBJECT_CONDITION', condition, '"Condition" is an empty object; remove it');
  for (const op of condition.members) {
    const parsed = parseConditionOperator(op.key);
    if (parsed === undefined) {
      const suggestion = suggestOperator(op.key);
      const hint = suggestion === undefined ? '' : `; did you mean ${quote(suggestion)}?`;
      ctx.report('INVALID_CONDITION_OPERATOR', keyLocation(op), `condition operator ${quote(op.key)} is not valid${hint}`);
    } else if (parsed.base === 'Null' && parsed.ifExists) {
      ctx.report('NULL_WITH_IF_EXISTS', keyLocation(op), `condition operator ${quote(op.key)} is not valid: "Null" cannot take the "IfExists" suffix`);
    }
    if (op.value.type !== 'object') {
      ctx.report('DATA_TYPE_MISMATCH', op.value, `condition operator ${quote(op.key)} must map to an object of condition keys, not ${describeType(op.value)}`);
    } else if (op.value.members.length === 0) {
      ctx.report('EMPTY_OBJECT_CONDITION', op.value, `condition operator ${quote(op.key)} has no condition keys`);
    }
  }
}

function checkEntry(ctx: ValidationContext, entry: ConditionEntry): void {
  const { keyMember, operatorMember, operator } = entry;
  const key = keyMember.key;
  if (!KEY_FORMAT.test(key)) {
    ctx.report('INVALID_CONDITION_KEY_FORMAT', keyLocation(keyMember), `condition key ${quote(key)} is not valid; use the form "prefix:name", e.g. "aws:username"`);
  }
  const value = keyMember.value;
  if (value.type === 'array' && value.items.length === 0) {
    ctx.report('EMPTY_ARRAY_CONDITION', value, `condition key ${quote(key)} under ${quote(operatorMember.key)} has an empty array of values`);
  }
  const types = new Set<string>();
  for (const node of entry.values) {
    if (node.type === 'object' || node.type === 'array' || node.type === 'null') {
      ctx.report('DATA_TYPE_MISMATCH', node, `values of condition key ${quote(key)} must be strings, numbers or booleans, not ${describeType(node)}`);
    } else {
      types.add(node.type);
    }
  }
  if (types.size > 1) {
    ctx.report('INVALID_CONDITION_DATA_TYPE', value, `values of condition key ${quote(key)} mix JSON types (${[...types].sort().join(', ')}); use one type`);
  }
  if (operator?.qualifier !== undefined && isSingleValuedGlobalKey(key)) {
    if (operator.qualifier === 'ForAllValues') {
      ctx.report('FORALLVALUES_WITH_SINGLE_VALUED_KEY', keyLocation(keyMember), `"ForAllValues" with the single-valued key ${quote(key)} is also true when the key is missing from the request; remove "ForAllValues:"`);
    } else {
      ctx.report('FORANYVALUE_WITH_SINGLE_VALUED_KEY', keyLocation(keyMember), `"ForAnyValue" with the single-valued key ${quote(key)} is needless; remove "ForAnyValue:"`);
    }
  }
}

/** Checks the structure of every Condition block. */
export const conditionStructureCheck: PolicyCheck = {
  name: 'condition structure',
  run(ctx) {
    for (const st of ctx.statements) {
      checkBlocks(ctx, st);
      for (const entry of conditionEntries(st)) checkEntry(ctx, entry);
    }
  },
};
