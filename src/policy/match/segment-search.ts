/**
 * Linear-time search for one fixed-length glob segment (literal characters and `?`, no `*`)
 * inside a range of a value. Nothing here backtracks over the value:
 *
 * - a literal segment is one piece, searched by Knuth–Morris–Pratt;
 * - a segment with `?` is cut into pieces of at most 31 characters, each searched with the
 *   bit-parallel shift-and algorithm (one machine word of state, `?` being a bit set for every
 *   character), and the pieces are aligned by `leftmostAlignment`.
 *
 * Each piece reads the value as a stream, forward only, so one search reads each character at
 * most once per piece: the cost is O(value length × pieces), pieces ≤ ⌈segment length / 31⌉.
 */
import { leftmostAlignment, type AlignSource } from './alignment.ts';

/** Characters read by every matcher, for tests and benchmarks that prove work is bounded. */
export const work = { steps: 0 };

/** `?` in a kinds array (same value as glob.ts's ONE; repeated to keep this module a leaf). */
const ONE_KIND = 2;
/** Longest shift-and piece: the state must fit a 32-bit integer with room for the shift. */
const WORD = 31;

/** Does the fixed-length segment `text`/`kinds` (`?` = any character) match `input` at `at`? */
export function matchesAt(text: string, kinds: Uint8Array, input: string, at: number): boolean {
  const n = text.length;
  work.steps += n;
  for (let i = 0; i < n; i++) {
    if (kinds[i] !== ONE_KIND && text.charCodeAt(i) !== input.charCodeAt(at + i)) return false;
  }
  return true;
}

/** A piece that reports its occurrences in order as it reads the value forward. */
interface Piece {
  readonly offset: number;
  readonly length: number;
  /** Start reading at `pos` with a fresh state. */
  reset(pos: number): void;
  /** Leftmost occurrence starting at or after `x` and ending at or before `limit`, or -1. */
  next(input: string, x: number, limit: number): number;
}

/** Knuth–Morris–Pratt over a literal piece, streaming. */
class LiteralPiece implements Piece {
  private readonly fail: Int32Array;
  private readonly first: string;
  private pos = 0;
  private state = 0;
  private found = -1;

  constructor(
    private readonly text: string,
    readonly offset: number,
  ) {
    const fail = new Int32Array(text.length);
    for (let i = 1, k = 0; i < text.length; i++) {
      while (k > 0 && text.charCodeAt(i) !== text.charCodeAt(k)) k = fail[k - 1]!;
      if (text.charCodeAt(i) === text.charCodeAt(k)) k++;
      fail[i] = k;
    }
    this.fail = fail;
    this.first = text[0]!;
  }

  get length(): number {
    return this.text.length;
  }

  reset(pos: number): void {
    this.pos = pos;
    this.state = 0;
    this.found = -1;
  }

  next(input: string, x: number, limit: number): number {
    if (this.found >= x) return this.found;
    const text = this.text;
    const len = text.length;
    const fail = this.fail;
    let j = this.pos;
    let q = this.state;
    if (j < x) {
      j = x;
      q = 0;
    }
    const start = j;
    let at = -1;
    while (j < limit) {
      if (q === 0) {
        // Skip to the next possible first character (a single forward scan in the engine).
        const k = input.indexOf(this.first, j);
        if (k < 0 || k >= limit) {
          j = limit;
          break;
        }
        j = k;
      }
      const c = input.charCodeAt(j++);
      while (q > 0 && text.charCodeAt(q) !== c) q = fail[q - 1]!;
      if (text.charCodeAt(q) === c) q++;
      if (q === len) {
        q = fail[len - 1]!;
        if (j - len >= x) {
          at = j - len;
          break;
        }
      }
    }
    work.steps += j - start;
    this.pos = j;
    this.state = q;
    this.found = at;
    return at;
  }
}

/** Shift-and over a piece of at most 31 characters that may hold `?`, streaming. */
class BitPiece implements Piece {
  /** Per ASCII character: the bits of the positions it may occupy (its own and every `?`). */
  private readonly ascii = new Int32Array(128);
  /** The same for other characters of the piece. */
  private readonly other = new Map<number, number>();
  /** Bits of the `?` positions: what any other character may occupy. */
  private readonly anyBits: number;
  private readonly last: number;
  private pos = 0;
  private state = 0;
  private found = -1;

  constructor(
    text: string,
    kinds: Uint8Array,
    readonly offset: number,
  ) {
    let anyBits = 0;
    for (let i = 0; i < text.length; i++) if (kinds[i] === ONE_KIND) anyBits |= 1 << i;
    this.anyBits = anyBits;
    this.ascii.fill(anyBits);
    for (let i = 0; i < text.length; i++) {
      if (kinds[i] === ONE_KIND) continue;
      const c = text.charCodeAt(i);
      if (c < 128) this.ascii[c]! |= 1 << i;
      else this.other.set(c, (this.other.get(c) ?? anyBits) | (1 << i));
    }
    this.length = text.length;
    this.last = 1 << (text.length - 1);
  }

  readonly length: number;

  reset(pos: number): void {
    this.pos = pos;
    this.state = 0;
    this.found = -1;
  }

  next(input: string, x: number, limit: number): number {
    if (this.found >= x) return this.found;
    let j = this.pos;
    let d = this.state;
    if (j < x) {
      j = x;
      d = 0;
    }
    const start = j;
    const len = this.length;
    let at = -1;
    while (j < limit) {
      const c = input.charCodeAt(j++);
      const bits = c < 128 ? this.ascii[c]! : (this.other.get(c) ?? this.anyBits);
      d = ((d << 1) | 1) & bits;
      if ((d & this.last) !== 0 && j - len >= x) {
        at = j - len;
        break;
      }
    }
    work.steps += j - start;
    this.pos = j;
    this.state = d;
    this.found = at;
    return at;
  }
}

/** Finds the leftmost occurrence of one fixed-length segment; reusable, not re-entrant. */
export class SegmentFinder implements AlignSource {
  private readonly pieces: readonly Piece[];
  readonly length: number;
  private input = '';
  private limit = 0;

  constructor(text: string, kinds: Uint8Array) {
    this.length = text.length;
    const pieces: Piece[] = [];
    if (!kinds.includes(ONE_KIND)) pieces.push(new LiteralPiece(text, 0));
    else {
      for (let start = 0; start < text.length; start += WORD) {
        const end = Math.min(text.length, start + WORD);
        let s = start;
        let e = end;
        while (s < e && kinds[s] === ONE_KIND) s++;
        while (e > s && kinds[e - 1] === ONE_KIND) e--;
        if (s < e) pieces.push(new BitPiece(text.slice(s, e), kinds.subarray(s, e), s));
      }
    }
    this.pieces = pieces;
  }

  get count(): number {
    return this.pieces.length;
  }

  offset(i: number): number {
    return this.pieces[i]!.offset;
  }

  next(i: number, x: number): number {
    const p = this.pieces[i]!;
    // The piece must end early enough for the rest of the segment to fit before the limit.
    return p.next(this.input, x, this.limit - (this.length - p.offset - p.length));
  }

  /** Leftmost start in `[from, limit - length]` where the segment occurs, or -1. */
  find(input: string, from: number, limit: number): number {
    const last = limit - this.length;
    if (last < from) return -1;
    const pieces = this.pieces;
    if (pieces.length === 0) return from; // only `?`: any position fits
    this.input = input;
    this.limit = limit;
    for (let i = 0; i < pieces.length; i++) pieces[i]!.reset(from);
    if (pieces.length === 1) {
      const p = pieces[0]!;
      const at = this.next(0, from + p.offset);
      return at < 0 ? -1 : at - p.offset;
    }
    return leftmostAlignment(this, from, last);
  }
}
