/**
 * Policy variables (User Guide: "IAM policy elements: Variables and tags"). With Version
 * `2012-10-17`, `${key}` in a Resource or a condition value is replaced by the request's value for
 * that context key; `${key, 'default'}` supplies a fallback; `${*}`, `${?}` and `${$}` stand for the
 * literal characters. With `2008-10-17` the text is literal. A variable whose key is absent and has
 * no default leaves the element unmatched ("If there is no value ... the element is not matched").
 *
 * Templates are parsed once; text without `${` compiles to a single constant part.
 */
import type { PatternPart } from './match/glob.ts';
import type { ContextValue } from './types.ts';
import type { PolicyVersion } from './document.ts';

/** One piece of a template. */
export type TemplatePart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'var'; readonly key: string; readonly keyLower: string; readonly fallback?: string };

/** A parsed value. `constant` holds the resolved parts when there is no variable. */
export interface Template {
  readonly raw: string;
  readonly parts: readonly TemplatePart[];
  readonly constant?: readonly PatternPart[];
}

/** Looks a context key up (lower-cased name first, spelling as written for reporting). */
export type KeyLookup = (keyLower: string, keyAsWritten: string) => ContextValue | undefined;

const SPECIAL: Readonly<Record<string, string>> = { '*': '*', '?': '?', $: '$' };

/** Parse `${…}` in `raw`; with version 2008-10-17 the whole value is plain text. */
export function compileTemplate(raw: string, version: PolicyVersion): Template {
  if (version !== '2012-10-17' || !raw.includes('${')) {
    return { raw, parts: [{ kind: 'text', text: raw }], constant: [{ text: raw, literal: false }] };
  }
  const parts: TemplatePart[] = [];
  let pos = 0;
  while (pos < raw.length) {
    const open = raw.indexOf('${', pos);
    const close = open < 0 ? -1 : raw.indexOf('}', open + 2);
    if (open < 0 || close < 0) {
      parts.push({ kind: 'text', text: raw.slice(pos) });
      break;
    }
    if (open > pos) parts.push({ kind: 'text', text: raw.slice(pos, open) });
    parts.push(parseVariable(raw.slice(open + 2, close)));
    pos = close + 1;
  }
  const hasVar = parts.some((p) => p.kind === 'var');
  if (hasVar) return { raw, parts };
  return { raw, parts, constant: parts.map((p) => ({ text: p.kind === 'var' ? '' : p.text, literal: p.kind === 'literal' })) };
}

/** `key`, `key, 'default'`, or one of the special characters. */
function parseVariable(body: string): TemplatePart {
  const trimmed = body.trim();
  const special = SPECIAL[trimmed];
  if (special !== undefined) return { kind: 'literal', text: special };
  const comma = trimmed.indexOf(',');
  if (comma < 0) return { kind: 'var', key: trimmed, keyLower: trimmed.toLowerCase() };
  const key = trimmed.slice(0, comma).trim();
  let fallback = trimmed.slice(comma + 1).trim();
  if (fallback.length >= 2 && fallback.startsWith("'") && fallback.endsWith("'")) fallback = fallback.slice(1, -1);
  return { kind: 'var', key, keyLower: key.toLowerCase(), fallback };
}

/**
 * Resolve a template against the request. Substituted values are literal (their `*` is no
 * wildcard). Returns `undefined` when a variable has no value and no default; `onMissing` hears of it.
 */
export function resolveTemplate(
  t: Template,
  lookup: KeyLookup,
  onMissing: (keyAsWritten: string) => void,
): readonly PatternPart[] | undefined {
  if (t.constant) return t.constant;
  const out: PatternPart[] = [];
  for (const p of t.parts) {
    if (p.kind !== 'var') {
      out.push({ text: p.text, literal: p.kind === 'literal' });
      continue;
    }
    const value = lookup(p.keyLower, p.key);
    // A multivalued key has no single value to substitute.
    if (value !== undefined && value.values.length === 1) {
      out.push({ text: value.values[0]!, literal: true });
    } else if (p.fallback !== undefined) {
      out.push({ text: p.fallback, literal: true });
    } else {
      if (value === undefined) onMissing(p.key);
      return undefined;
    }
  }
  return out;
}

/** Join resolved parts to plain text (for operators without wildcards). */
export function joinParts(parts: readonly PatternPart[]): string {
  if (parts.length === 1) return parts[0]!.text;
  let s = '';
  for (const p of parts) s += p.text;
  return s;
}
