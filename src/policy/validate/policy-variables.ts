/**
 * Policy variable syntax: `${key}` or `${key, 'default'}`, plus the escapes `${*}`, `${?}`, `${$}`.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 */
import type { IssueCode } from './issue-codes.ts';

/** A syntax problem in a policy variable. */
export interface VariableSyntaxError {
  readonly code: IssueCode;
  readonly reason: string;
}

/** Characters condition keys use: letters, digits and : / _ . - @ + = (tag keys). */
const KEY_CHARS = /^[A-Za-z0-9:/_.@+=-]+$/;
const QUOTED_DEFAULT = /^'[^']*'$/;
const ESCAPES = new Set(['*', '?', '$']);

/** True when `text` contains something that looks like a policy variable. */
export function containsVariable(text: string): boolean {
  return text.includes('${');
}

function checkInner(inner: string): VariableSyntaxError | undefined {
  if (inner.trim() === '') return { code: 'EMPTY_VARIABLE', reason: `"\${${inner}}" names no variable` };
  if (ESCAPES.has(inner)) return undefined;
  const comma = inner.indexOf(',');
  const rawKey = comma < 0 ? inner : inner.slice(0, comma).trimEnd();
  if (rawKey === '') return { code: 'EMPTY_VARIABLE', reason: 'the variable has a default but no key' };
  if (/\s/.test(rawKey)) return { code: 'UNSUPPORTED_SPACE_IN_VARIABLE', reason: `the variable key ${JSON.stringify(rawKey)} contains white space` };
  if (!KEY_CHARS.test(rawKey)) {
    return { code: 'UNSUPPORTED_SYMBOL_IN_VARIABLE', reason: `the variable key ${JSON.stringify(rawKey)} has characters a condition key cannot contain` };
  }
  if (comma >= 0 && !QUOTED_DEFAULT.test(inner.slice(comma + 1).trim())) {
    return { code: 'MISSING_QUOTE_IN_VARIABLE', reason: `the default value must be in single quotes, e.g. \${${rawKey}, 'default'}` };
  }
  return undefined;
}

/** The first syntax problem among the variables in `text`, or undefined when all are well formed. */
export function variableSyntaxError(text: string): VariableSyntaxError | undefined {
  let from = 0;
  for (;;) {
    const open = text.indexOf('${', from);
    if (open < 0) return undefined;
    const close = text.indexOf('}', open + 2);
    if (close < 0) return { code: 'MISSING_BRACE_IN_VARIABLE', reason: 'a variable opened with "${" is not closed with "}"' };
    const error = checkInner(text.slice(open + 2, close));
    if (error !== undefined) return error;
    from = close + 1;
  }
}
