/**
 * Leftmost alignment of several pieces at fixed offsets: the smallest start `p` such that every
 * piece `i` occurs exactly at `p + offset(i)`. Used for the `?`-pieces of a glob segment and for
 * the colon-separated segments of a resource pattern.
 *
 * Each query either confirms a piece at the current start or moves the start forward to the only
 * place the piece allows (its next occurrence), so starts only grow and each piece's occurrences
 * are asked for in increasing order: a streaming source reads the value once per piece.
 */

/** Pieces that report, for a position, their leftmost occurrence at or after it. */
export interface AlignSource {
  readonly count: number;
  offset(i: number): number;
  /** Leftmost occurrence of piece `i` at or after `x` (queries for one piece never go back), or -1. */
  next(i: number, x: number): number;
}

/** The leftmost start in `[from, last]` where every piece aligns, or -1. */
export function leftmostAlignment(source: AlignSource, from: number, last: number): number {
  const count = source.count;
  let p = from;
  let confirmed = 0;
  let i = 0;
  while (p <= last) {
    const want = p + source.offset(i);
    const at = source.next(i, want);
    if (at < 0) return -1;
    if (at !== want) {
      // Nothing starts in [p, at - offset): piece i occurs nowhere in between.
      p = at - source.offset(i);
      confirmed = 0;
    }
    if (++confirmed === count) return p;
    i = i + 1 === count ? 0 : i + 1;
  }
  return -1;
}
