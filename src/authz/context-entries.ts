/**
 * Typed context entries (AWS ContextEntry: name, values, type) checked and turned into the
 * engine's RequestContext. A bad entry is a ValidationError naming the entry and the rule, so an
 * application learns about its mistake instead of getting a silent implicit deny.
 */
import { ValidationError } from '../errors.ts';
import { parseDate } from '../policy/conditions/parse/date.ts';
import { parseIpBlock } from '../policy/conditions/parse/ip.ts';
import { parseNumber } from '../policy/conditions/parse/number.ts';
import type { ContextValue, ContextValueType, RequestContext } from '../policy/types.ts';
import { MAX_CONTEXT_CHARACTERS, MAX_CONTEXT_ENTRIES, MAX_CONTEXT_VALUE_LENGTH, MAX_CONTEXT_VALUES } from './input-caps.ts';

/** AWS's ContextKeyTypeEnum. */
export const CONTEXT_KEY_TYPES = [
  'STRING',
  'STRING_LIST',
  'NUMERIC',
  'NUMERIC_LIST',
  'BOOLEAN',
  'BOOLEAN_LIST',
  'IP',
  'IP_LIST',
  'BINARY',
  'BINARY_LIST',
  'DATE',
  'DATE_LIST',
] as const;
/** One of AWS's context key types. */
export type ContextKeyType = (typeof CONTEXT_KEY_TYPES)[number];

/** One context entry as the API receives it. */
export interface ContextEntry {
  readonly contextKeyName: string;
  readonly contextKeyValues: readonly string[];
  readonly contextKeyType: ContextKeyType;
}

/** AWS: ContextKeyName is 5 to 256 characters of `[a-zA-Z0-9\.\*\:\-_/]`-like text. */
const KEY_NAME = /^[A-Za-z0-9.*:_\-/]{5,256}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The context of a question without entries; shared, so it is frozen. */
export const NO_CONTEXT: RequestContext = Object.freeze({});

/** Whether `value` is well-formed for `type`. */
function validValue(type: ContextValueType, value: string): boolean {
  switch (type) {
    case 'string':
      return true;
    case 'numeric':
      return parseNumber(value) !== undefined;
    case 'boolean':
      return /^(true|false)$/i.test(value);
    case 'ip':
      return parseIpBlock(value) !== undefined;
    case 'date':
      return parseDate(value) !== undefined;
    case 'binary':
      return value.length % 4 === 0 && BASE64.test(value);
  }
}

/**
 * Converts entries to a RequestContext. `field` is the input path of the list (e.g.
 * `requests[3].contextEntries`) so errors point at the exact entry. Later entries with the same
 * key (compared case-insensitively, as AWS compares keys) are refused, not merged.
 */
export function toRequestContext(entries: readonly ContextEntry[] | null | undefined, field: string): RequestContext {
  if (entries == null || entries.length === 0) return NO_CONTEXT;
  checkCaps(entries, field);
  const context: Record<string, ContextValue> = {};
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    const at = `${field}[${index}]`;
    if (!KEY_NAME.test(entry.contextKeyName)) {
      throw new ValidationError(
        `${at}.contextKeyName`,
        'pattern',
        `${at}.contextKeyName must be 5 to 256 characters of letters, digits and . * : _ - /, got "${entry.contextKeyName.slice(0, 80)}"`,
      );
    }
    const lower = entry.contextKeyName.toLowerCase();
    if (seen.has(lower)) {
      throw new ValidationError(`${at}.contextKeyName`, 'unique', `${at}.contextKeyName "${entry.contextKeyName}" is given twice`);
    }
    seen.add(lower);
    const multi = entry.contextKeyType.endsWith('_LIST');
    const type = entry.contextKeyType.replace('_LIST', '').toLowerCase() as ContextValueType;
    if (!multi && entry.contextKeyValues.length !== 1) {
      throw new ValidationError(
        `${at}.contextKeyValues`,
        'single-value',
        `${at}.contextKeyValues must hold exactly one value for type ${entry.contextKeyType}, got ${entry.contextKeyValues.length}`,
      );
    }
    entry.contextKeyValues.forEach((value, v) => {
      if (!validValue(type, value)) {
        throw new ValidationError(
          `${at}.contextKeyValues[${v}]`,
          'format',
          `${at}.contextKeyValues[${v}] is not a valid ${type} value: "${value.slice(0, 80)}"`,
        );
      }
    });
    context[entry.contextKeyName] = { type, multi, values: [...entry.contextKeyValues] };
  });
  return context;
}

/** Enforces the caps of input-caps.ts before any entry is looked at (so an oversized one costs nothing more). */
function checkCaps(entries: readonly ContextEntry[], field: string): void {
  if (entries.length > MAX_CONTEXT_ENTRIES) {
    throw new ValidationError(field, 'max-items', `${field} may hold at most ${MAX_CONTEXT_ENTRIES} entries, got ${entries.length}`);
  }
  let total = 0;
  entries.forEach((entry, index) => {
    const at = `${field}[${index}].contextKeyValues`;
    const values = entry.contextKeyValues;
    if (values.length > MAX_CONTEXT_VALUES) {
      throw new ValidationError(at, 'max-items', `${at} may hold at most ${MAX_CONTEXT_VALUES} values, got ${values.length}`);
    }
    values.forEach((value, v) => {
      if (value.length > MAX_CONTEXT_VALUE_LENGTH) {
        throw new ValidationError(`${at}[${v}]`, 'max-length', `${at}[${v}] may be at most ${MAX_CONTEXT_VALUE_LENGTH} characters, got ${value.length}`);
      }
      total += value.length;
    });
  });
  if (total > MAX_CONTEXT_CHARACTERS) {
    throw new ValidationError(field, 'max-length', `${field} may hold at most ${MAX_CONTEXT_CHARACTERS} characters of values in all, got ${total}`);
  }
}
