/**
 * Condition operators: the base operators by family, and the parser that peels off the
 * `ForAllValues:` / `ForAnyValue:` set qualifiers and the `IfExists` suffix.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
 */
import { closestName } from './suggest.ts';

/** The value type an operator compares. */
export type OperatorFamily = 'string' | 'numeric' | 'date' | 'bool' | 'binary' | 'ip' | 'arn' | 'null';

/** What the validator needs to know about one base operator. */
export interface BaseOperatorInfo {
  readonly family: OperatorFamily;
  /** True when `*` and `?` in values are literal characters (the String*Equals* family). */
  readonly literal: boolean;
}

const S = (literal: boolean): BaseOperatorInfo => ({ family: 'string', literal });
const F = (family: OperatorFamily): BaseOperatorInfo => ({ family, literal: false });

/** Every base operator AWS defines, by exact (case-sensitive) name. */
export const BASE_OPERATORS: Readonly<Record<string, BaseOperatorInfo>> = {
  StringEquals: S(true),
  StringNotEquals: S(true),
  StringEqualsIgnoreCase: S(true),
  StringNotEqualsIgnoreCase: S(true),
  StringLike: S(false),
  StringNotLike: S(false),
  NumericEquals: F('numeric'),
  NumericNotEquals: F('numeric'),
  NumericLessThan: F('numeric'),
  NumericLessThanEquals: F('numeric'),
  NumericGreaterThan: F('numeric'),
  NumericGreaterThanEquals: F('numeric'),
  DateEquals: F('date'),
  DateNotEquals: F('date'),
  DateLessThan: F('date'),
  DateLessThanEquals: F('date'),
  DateGreaterThan: F('date'),
  DateGreaterThanEquals: F('date'),
  Bool: F('bool'),
  BinaryEquals: F('binary'),
  IpAddress: F('ip'),
  NotIpAddress: F('ip'),
  ArnEquals: F('arn'),
  ArnLike: F('arn'),
  ArnNotEquals: F('arn'),
  ArnNotLike: F('arn'),
  Null: F('null'),
};

/** The base operator names, for suggestions. */
export const BASE_OPERATOR_NAMES: readonly string[] = Object.keys(BASE_OPERATORS);

/** A condition operator split into its parts. */
export interface ParsedOperator {
  readonly qualifier?: 'ForAllValues' | 'ForAnyValue';
  readonly base: string;
  readonly info: BaseOperatorInfo;
  readonly ifExists: boolean;
}

/** Splits `operator` into qualifier, base operator and IfExists; undefined when the base is unknown. */
export function parseConditionOperator(operator: string): ParsedOperator | undefined {
  let rest = operator;
  let qualifier: ParsedOperator['qualifier'];
  for (const q of ['ForAllValues', 'ForAnyValue'] as const) {
    if (rest.startsWith(`${q}:`)) {
      qualifier = q;
      rest = rest.slice(q.length + 1);
      break;
    }
  }
  let ifExists = false;
  if (!Object.hasOwn(BASE_OPERATORS, rest) && rest.endsWith('IfExists')) {
    ifExists = true;
    rest = rest.slice(0, -'IfExists'.length);
  }
  if (!Object.hasOwn(BASE_OPERATORS, rest)) return undefined;
  const info = BASE_OPERATORS[rest];
  if (info === undefined) return undefined;
  return qualifier === undefined ? { base: rest, info, ifExists } : { qualifier, base: rest, info, ifExists };
}

/**
 * The operator `operator` most likely meant, spelled correctly: qualifier and IfExists matched
 * case-insensitively, the base operator by closest name. Undefined when nothing is close.
 */
export function suggestOperator(operator: string): string | undefined {
  const qualifier = /^(ForAllValues|ForAnyValue):/i.exec(operator)?.[1];
  let rest = qualifier === undefined ? operator : operator.slice(qualifier.length + 1);
  const ifExists = /IfExists$/i.test(rest) && closestName(rest, BASE_OPERATOR_NAMES)?.toLowerCase() !== rest.toLowerCase();
  if (ifExists) rest = rest.slice(0, -'IfExists'.length);
  const base = closestName(rest, BASE_OPERATOR_NAMES);
  if (base === undefined) return undefined;
  const prefix = qualifier === undefined ? '' : `${qualifier.toLowerCase() === 'forallvalues' ? 'ForAllValues' : 'ForAnyValue'}:`;
  return `${prefix}${base}${ifExists ? 'IfExists' : ''}`;
}
