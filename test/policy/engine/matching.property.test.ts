/**
 * The linear matchers (glob.ts, resource-pattern.ts, arn-pattern.ts) agree with a plain reference:
 * dynamic programming over pattern and value (a regular expression would itself backtrack), run on small generated patterns and values. The
 * alphabets are tiny so that wildcards, repeats and near misses are common, and segments with `?`
 * grow past one shift-and word (31 characters).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileGlob, type PatternPart } from '../../../src/policy/match/glob.ts';
import { compileResourcePattern } from '../../../src/policy/match/resource-pattern.ts';
import { compileArnPattern, matchArn, splitArn } from '../../../src/policy/match/arn-pattern.ts';

const RUNS = { numRuns: 3000 };

/** One pattern element for the reference: a character, `?` or `*`, either of which may exclude `:`. */
type Token = { kind: 'char'; c: string } | { kind: 'one' | 'star'; colon: boolean };

/** Plain dynamic programming over (pattern position, value position): obviously right, O(m·n). */
function dpMatch(tokens: readonly Token[], value: string): boolean {
  let row = new Array<boolean>(value.length + 1).fill(false);
  row[0] = true;
  for (const t of tokens) {
    const next = new Array<boolean>(value.length + 1).fill(false);
    for (let j = 0; j <= value.length; j++) {
      if (t.kind === 'star') next[j] = row[j]! || (j > 0 && next[j - 1]! && (t.colon || value[j - 1] !== ':'));
      else if (j > 0 && row[j - 1]) next[j] = t.kind === 'char' ? value[j - 1] === t.c : t.colon || value[j - 1] !== ':';
    }
    row = next;
  }
  return row[value.length]!;
}

/** `*` any run, `?` any one character; literal parts as written. */
function globTokens(parts: readonly PatternPart[]): Token[] {
  const out: Token[] = [];
  for (const p of parts) {
    for (const c of p.text) out.push(p.literal || (c !== '*' && c !== '?') ? { kind: 'char', c } : { kind: c === '*' ? 'star' : 'one', colon: true });
  }
  return out;
}

/** Resource rule: wildcards stay in their colon segment, except a `*` that ends its segment. */
function resourceTokens(parts: readonly PatternPart[]): Token[] {
  const out = globTokens(parts);
  return out.map((t, i) => {
    if (t.kind === 'char') return t;
    const next = out[i + 1];
    const endsSegment = next === undefined || (next.kind === 'char' && next.c === ':');
    return { kind: t.kind, colon: t.kind === 'star' && endsSegment };
  });
}

// Characters: one non-ASCII letter and one astral character (two UTF-16 units) besides ASCII.
const valueChar = fc.constantFrom('a', 'a', 'a', 'b', 'b', ':', 'é');
const patternChar = fc.constantFrom('a', 'a', 'b', ':', '*', '*', '?', '?', 'é');
const text = (char: fc.Arbitrary<string>, max: number) => fc.array(char, { maxLength: max }).map((cs) => cs.join(''));
const partsArb = fc.array(fc.record({ text: text(patternChar, 24), literal: fc.boolean() }), { minLength: 1, maxLength: 3 });
const longQuestion = fc
  .array(fc.constantFrom('a', 'b', '?', '?', '?'), { minLength: 30, maxLength: 80 })
  .map((cs): PatternPart[] => [{ text: `*${cs.join('')}*`, literal: false }]);
const patternArb = fc.oneof({ weight: 4, arbitrary: partsArb }, { weight: 1, arbitrary: longQuestion });

/** A value made from the pattern (wildcards filled in), so that matches are as common as misses. */
function fill(parts: readonly PatternPart[], fillers: readonly string[]): string {
  let out = '';
  let k = 0;
  for (const p of parts) {
    for (const c of p.text) {
      if (p.literal || (c !== '*' && c !== '?')) out += c;
      else out += c === '?' ? (fillers[k++ % fillers.length]!.slice(0, 1) || 'a') : fillers[k++ % fillers.length]!;
    }
  }
  return out;
}
const caseArb = fc
  .tuple(patternArb, fc.array(text(valueChar, 6), { minLength: 1, maxLength: 4 }), text(valueChar, 60), fc.boolean())
  .map(([parts, fillers, random, fromPattern]) => ({ parts, value: fromPattern ? fill(parts, fillers) : random }));

describe('linear matchers agree with a dynamic-programming reference', () => {
  it('glob (StringLike, actions)', () => {
    fc.assert(
      fc.property(caseArb, ({ parts, value }) => {
        expect(compileGlob(parts, false)(value)).toBe(dpMatch(globTokens(parts), value));
      }),
      RUNS,
    );
  });

  it('resource patterns (Resource, NotResource)', () => {
    fc.assert(
      fc.property(caseArb, ({ parts, value }) => {
        expect(compileResourcePattern(parts)(value)).toBe(dpMatch(resourceTokens(parts), value));
      }),
      RUNS,
    );
  });

  it('ARN patterns (ArnLike): six components, each a glob', () => {
    const component = text(patternChar, 8).map((t) => t.replaceAll(':', ''));
    const arnParts = fc.array(component, { minLength: 6, maxLength: 6 }).map((cs): PatternPart[] => [{ text: cs.join(':'), literal: false }]);
    const arnCase = fc
      .tuple(arnParts, fc.array(text(valueChar, 4), { minLength: 1, maxLength: 4 }), fc.boolean(), text(valueChar, 40))
      .map(([parts, fillers, fromPattern, random]) => ({ parts, value: fromPattern ? fill(parts, fillers) : `a:a:a:a:a:${random}` }));
    fc.assert(
      fc.property(arnCase, ({ parts, value }) => {
        const pattern = parts[0]!.text.split(':');
        const comps = splitArn(value);
        const want =
          comps !== undefined &&
          pattern.every((p, i) => dpMatch(globTokens([{ text: p, literal: false }]), comps[i]!));
        const m = compileArnPattern(parts);
        expect(m !== undefined && comps !== undefined && matchArn(m, comps)).toBe(want);
      }),
      RUNS,
    );
  });
});
