/**
 * Condition values against their operator: numbers for Numeric*, ISO 8601 or epoch dates for
 * Date*, true/false for Bool and Null (not both for one key), base64 for BinaryEquals, IP
 * addresses or CIDRs for IpAddress, ARNs for Arn*, and no wildcards under literal String operators.
 * Values holding a policy variable are only known at request time and are not checked.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 */
import type { PolicyCheck } from '../check.ts';
import { quote, type ValidationContext } from '../context.ts';
import { conditionEntries, scalarText, type ConditionEntry } from '../condition-entries.ts';
import type { IssueCode } from '../issue-codes.ts';
import type { OperatorFamily } from '../operators.ts';
import { isArnValue, isBase64Value, isBooleanValue, isDateValue, isIpRangeValue, isNumericValue } from '../value-formats.ts';

/** Per family: the recogniser, the issue code, and what the value should be. */
const TYPED_FAMILIES: Partial<Record<OperatorFamily, readonly [(v: string) => boolean, IssueCode, string]>> = {
  numeric: [isNumericValue, 'TYPE_MISMATCH_NUMBER', 'a number'],
  date: [isDateValue, 'TYPE_MISMATCH_DATE', 'an ISO 8601 date (e.g. "2026-01-31T00:00:00Z") or epoch seconds'],
  bool: [isBooleanValue, 'TYPE_MISMATCH_BOOLEAN', '"true" or "false"'],
  null: [isBooleanValue, 'TYPE_MISMATCH_BOOLEAN', '"true" or "false"'],
  binary: [isBase64Value, 'TYPE_MISMATCH_BINARY', 'base64-encoded bytes'],
  ip: [isIpRangeValue, 'TYPE_MISMATCH_IP_RANGE', 'an IPv4 or IPv6 address or CIDR range (e.g. "203.0.113.0/24")'],
  arn: [isArnValue, 'TYPE_MISMATCH_ARN', 'an ARN (arn:partition:service:region:account:resource) or "*"'],
};

function checkEntry(ctx: ValidationContext, entry: ConditionEntry): void {
  const operator = entry.operator;
  if (operator === undefined) return;
  const key = entry.keyMember.key;
  const opName = entry.operatorMember.key;
  const typed = TYPED_FAMILIES[operator.info.family];
  const booleans = new Set<string>();
  for (const node of entry.values) {
    const text = scalarText(node);
    if (text === undefined) continue; // wrong JSON type, reported by the structure check
    const hasVariable = ctx.version === '2012-10-17' && text.includes('${');
    if (typed !== undefined && !hasVariable) {
      const [accepts, code, expected] = typed;
      if (!accepts(text)) ctx.report(code, node, `value ${quote(text)} of condition key ${quote(key)} does not suit ${quote(opName)}: expected ${expected}`);
      else if (operator.info.family === 'bool' || operator.info.family === 'null') booleans.add(text.toLowerCase());
    }
    if (operator.info.literal && /[*?]/.test(text.replace(/\$\{[^}]*\}/g, ''))) {
      ctx.report('WILDCARD_WITHOUT_LIKE_OPERATOR', node, `value ${quote(text)} of condition key ${quote(key)} has a wildcard, but ${quote(opName)} compares literally; use "StringLike" to match patterns`);
    }
  }
  if (booleans.size > 1 && operator.qualifier === undefined) {
    ctx.report('INVALID_CONDITION_MULTIPLE_BOOLEAN', entry.keyMember.value, `condition key ${quote(key)} under ${quote(opName)} lists both "true" and "false"; use one value`);
  }
}

/** Checks condition values against their operators' types. */
export const conditionValuesCheck: PolicyCheck = {
  name: 'condition values',
  run(ctx) {
    for (const st of ctx.statements) {
      for (const entry of conditionEntries(st)) checkEntry(ctx, entry);
    }
  },
};
