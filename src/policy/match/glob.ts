/**
 * Wildcard matching for `*` (any run of characters) and `?` (one character), compiled once per
 * pattern into the cheapest test that is exact for it: equality, a prefix or suffix test, or a
 * `GlobProgram`. No RegExp and no backtracking: a pattern and a value cost at most one scan of the
 * value per literal run of the pattern (see segment-search.ts), whatever either holds.
 */
import { SegmentFinder, matchesAt, work } from './segment-search.ts';

export { work as globWork } from './segment-search.ts';

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

/** A pattern flattened to text plus a per-character kind. */
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
 * A glob split at its `*`s into fixed-length segments. The first segment is anchored at the start
 * of the range, the last (when there is a `*`) at its end, and each middle segment is placed at
 * its leftmost occurrence after the previous one. Greedy leftmost placement is exact here: every
 * segment has a fixed length and every `*` absorbs anything, so the earliest placement of a
 * segment leaves the most room for the rest (no other placement can succeed where it fails).
 */
export class GlobProgram {
  private readonly head: FlatPattern;
  private readonly tail: FlatPattern | undefined;
  private readonly middles: readonly SegmentFinder[];
  /** The fewest characters any match needs. */
  readonly minLength: number;

  constructor(flat: FlatPattern) {
    const segments: FlatPattern[] = [];
    let start = 0;
    for (let i = 0; i <= flat.text.length; i++) {
      if (i === flat.text.length || flat.kinds[i] === STAR) {
        segments.push(slice(flat, start, i));
        start = i + 1;
      }
    }
    this.head = segments[0]!;
    this.tail = segments.length > 1 ? segments[segments.length - 1] : undefined;
    this.middles = segments.slice(1, -1).filter((s) => s.text.length > 0).map((s) => new SegmentFinder(s.text, s.kinds));
    this.minLength = segments.reduce((n, s) => n + s.text.length, 0);
  }

  /** Does `input[from, to)` match the whole pattern? */
  matches(input: string, from: number, to: number): boolean {
    if (to - from < this.minLength) return false;
    const head = this.head;
    if (!matchesAt(head.text, head.kinds, input, from)) return false;
    const tail = this.tail;
    if (tail === undefined) return to - from === head.text.length;
    const limit = to - tail.text.length;
    if (!matchesAt(tail.text, tail.kinds, input, limit)) return false;
    let pos = from + head.text.length;
    const middles = this.middles;
    for (let i = 0; i < middles.length; i++) {
      const m = middles[i]!;
      const at = m.find(input, pos, limit);
      if (at < 0) return false;
      pos = at + m.length;
    }
    return true;
  }
}

function slice(flat: FlatPattern, start: number, end: number): FlatPattern {
  const kinds = flat.kinds.subarray(start, end);
  return { text: flat.text.slice(start, end), kinds, wild: kinds.some((k) => k !== LIT) };
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
  const program = new GlobProgram(flat);
  return (s) => s.startsWith(prefix) && s.endsWith(suffix) && program.matches(s, 0, s.length);
}

/** A plain (non-variable) pattern as parts. */
export function wildParts(text: string): readonly PatternPart[] {
  return [{ text, literal: false }];
}
