/**
 * Resource-element matching, as the IAM User Guide ("IAM JSON policy elements: Resource", section
 * "Using wildcards in resource ARNs") describes it: `*` and `?` work within the colon-separated
 * segments of an ARN, and a `*` that is the LAST character of a segment may expand past the colon
 * boundaries. So `arn:aws:s3:::bucket/*` matches `arn:aws:s3:::bucket/a:b`, `arn:aws:iam::*:user/x`
 * lets the account segment be anything, but the `*` in `arn:aws:sqs:us-*-1:…` stays inside its segment.
 * Matching is case-sensitive.
 */
import { flattenPattern, scanGlob, STAR, LIT, type FlatPattern, type PatternPart, type StringMatcher } from './glob.ts';

interface Segment {
  readonly glob: FlatPattern;
  /** 0: literal text, 1: the whole segment is `*`, 2: other glob. */
  readonly shape: 0 | 1 | 2;
  /** The segment ends in `*`: it may swallow the rest of the input's segment and further segments. */
  readonly spanning: boolean;
}

/** Split a flattened pattern at its non-literal colons into segments. */
function splitSegments(flat: FlatPattern): Segment[] {
  const segments: Segment[] = [];
  let start = 0;
  const push = (end: number): void => {
    const kinds = flat.kinds.subarray(start, end);
    const glob: FlatPattern = { text: flat.text.slice(start, end), kinds, wild: kinds.some((k) => k !== LIT) };
    const shape = !glob.wild ? 0 : glob.text === '*' ? 1 : 2;
    segments.push({ glob, shape, spanning: end > start && kinds[kinds.length - 1] === STAR });
  };
  for (let i = 0; i < flat.text.length; i++) {
    if (flat.text.charCodeAt(i) === 58 /* : */) {
      push(i);
      start = i + 1;
    }
  }
  push(flat.text.length);
  return segments;
}

/** Match segments[k..] against input[pos..]. Recursion only branches at spanning `*` segments. */
function matchSegments(segments: readonly Segment[], k: number, input: string, pos: number): boolean {
  const seg = segments[k]!;
  const len = input.length;
  let end = input.indexOf(':', pos);
  if (end < 0) end = len;
  if (seg.shape === 0) {
    const text = seg.glob.text;
    if (end - pos !== text.length || !input.startsWith(text, pos)) return false;
  } else if (seg.shape === 2 && !scanGlob(seg.glob, input, pos, end)) return false;
  const last = k === segments.length - 1;
  if (!seg.spanning) {
    if (last) return end === len;
    return end < len && matchSegments(segments, k + 1, input, end + 1);
  }
  if (last) return true;
  // The trailing `*` may also absorb `:` and whole segments: the next segment starts after any later colon.
  for (let c = end; c >= 0 && c < len; c = input.indexOf(':', c + 1)) {
    if (matchSegments(segments, k + 1, input, c + 1)) return true;
  }
  return false;
}

/** Compile a Resource/NotResource pattern (already variable-resolved) to a matcher. */
export function compileResourcePattern(parts: readonly PatternPart[]): StringMatcher {
  const flat = flattenPattern(parts, false);
  const text = flat.text;
  if (!flat.wild) return (s) => s === text;
  if (text === '*' && flat.kinds[0] === STAR) return () => true;
  const firstWild = flat.kinds.findIndex((k) => k !== LIT);
  const prefix = text.slice(0, firstWild);
  // `prefix*` with one trailing `*`: it is the last character of its segment, so it spans everything.
  if (firstWild === text.length - 1 && flat.kinds[firstWild] === STAR) return (s) => s.startsWith(prefix);
  let lastWild = flat.kinds.length - 1;
  while (flat.kinds[lastWild] === LIT) lastWild--;
  const suffix = text.slice(lastWild + 1);
  const segments = splitSegments(flat);
  const runs = middleRuns(flat, firstWild, lastWild);
  return (s) => s.startsWith(prefix) && s.endsWith(suffix) && containsInOrder(s, runs, prefix.length) && matchSegments(segments, 0, s, 0);
}

/** Literal runs between the first and last wildcard (each at least 2 characters). */
function middleRuns(flat: FlatPattern, firstWild: number, lastWild: number): string[] {
  const runs: string[] = [];
  let start = -1;
  for (let i = firstWild; i <= lastWild; i++) {
    if (flat.kinds[i] === LIT) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      if (i - start >= 2) runs.push(flat.text.slice(start, i));
      start = -1;
    }
  }
  return runs;
}

/** A cheap necessary condition: every literal run occurs, in order, after the prefix. */
function containsInOrder(s: string, runs: readonly string[], from: number): boolean {
  let pos = from;
  for (let i = 0; i < runs.length; i++) {
    const run = runs[i]!;
    const at = s.indexOf(run, pos);
    if (at < 0) return false;
    pos = at + run.length;
  }
  return true;
}
