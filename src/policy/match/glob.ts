/**
 * Wildcard matching for `*` (any run of characters) and `?` (one character), compiled once per
 * pattern into the cheapest test that is exact for it: equality, a prefix or suffix test, or a
 * greedy scan. No RegExp: IAM patterns are simple and the scan is linear with one backtrack point.
 */

/** One piece of a pattern: `literal` text is matched as written even if it contains `*` or `?`
 *  (values substituted from policy variables, and `${*}`-style escapes). */
export interface PatternPart {
  readonly text: string;
  readonly literal: boolean;
}

/** A compiled matcher; inputs must already be lower-cased when the matcher ignores case. */
export type StringMatcher = (input: string) => boolean;

/** Character kinds in a flattened pattern. */
export const LIT = 0;
export const STAR = 1;
export const ONE = 2;

/** A pattern flattened to text plus a per-character kind, ready for `scanGlob`. */
export interface FlatPattern {
  readonly text: string;
  readonly kinds: Uint8Array;
  readonly wild: boolean;
}

/** Flatten parts, marking `*`/`?` of non-literal parts as wildcards. */
export function flattenPattern(parts: readonly PatternPart[], lowerCase: boolean): FlatPattern {
  let text = '';
  const kinds: number[] = [];
  let wild = false;
  for (const part of parts) {
    const t = lowerCase ? part.text.toLowerCase() : part.text;
    for (let i = 0; i < t.length; i++) {
      const c = t.charCodeAt(i);
      const kind = part.literal ? LIT : c === 42 ? STAR : c === 63 ? ONE : LIT;
      if (kind !== LIT) wild = true;
      kinds.push(kind);
    }
    text += t;
  }
  return { text, kinds: Uint8Array.from(kinds), wild };
}

/**
 * Greedy glob scan of `input[from, to)` against the whole pattern, remembering only the last `*`
 * (correct because every `*` here may absorb any character).
 */
export function scanGlob(p: FlatPattern, input: string, from: number, to: number): boolean {
  const text = p.text;
  const kinds = p.kinds;
  const plen = text.length;
  let pi = 0;
  let si = from;
  let starP = -1;
  let starS = 0;
  while (si < to) {
    if (pi < plen) {
      const k = kinds[pi];
      if (k === ONE || (k === LIT && text.charCodeAt(pi) === input.charCodeAt(si))) {
        pi++;
        si++;
        continue;
      }
      if (k === STAR) {
        starP = pi++;
        starS = si;
        continue;
      }
    }
    if (starP < 0) return false;
    pi = starP + 1;
    si = ++starS;
  }
  while (pi < plen && kinds[pi] === STAR) pi++;
  return pi === plen;
}

const matchAny: StringMatcher = () => true;

/** Compile a whole-string glob (`StringLike`, actions) to the cheapest exact matcher. */
export function compileGlob(parts: readonly PatternPart[], lowerCase: boolean): StringMatcher {
  const flat = flattenPattern(parts, lowerCase);
  const text = flat.text;
  if (!flat.wild) return (s) => s === text;
  const firstWild = flat.kinds.findIndex((k) => k !== LIT);
  let lastWild = flat.kinds.length - 1;
  while (flat.kinds[lastWild] === LIT) lastWild--;
  const prefix = text.slice(0, firstWild);
  const suffix = text.slice(lastWild + 1);
  if (firstWild === lastWild && flat.kinds[firstWild] === STAR) {
    // Exactly one `*`: prefix and suffix tests decide.
    if (text.length === 1) return matchAny;
    const min = prefix.length + suffix.length;
    if (suffix === '') return (s) => s.startsWith(prefix);
    if (prefix === '') return (s) => s.endsWith(suffix);
    return (s) => s.length >= min && s.startsWith(prefix) && s.endsWith(suffix);
  }
  return (s) => s.startsWith(prefix) && s.endsWith(suffix) && scanGlob(flat, s, 0, s.length);
}

/** A plain (non-variable) pattern as parts. */
export function wildParts(text: string): readonly PatternPart[] {
  return [{ text, literal: false }];
}
