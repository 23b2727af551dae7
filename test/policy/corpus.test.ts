/**
 * The golden evaluation corpus: one test per case in `test/corpus/evaluation/*.json`, each
 * asserting the decision, the set of matched statements and (when the case lists them) the
 * missing context keys. A case the engine gets wrong fails; its fix goes in with the case.
 * The checker itself is tested too: every case with its expected decision turned into another
 * must fail, so a runner that stopped comparing could not pass.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { evaluate } from '../../src/policy/index.ts';
import type { PolicyLayer } from '../../src/policy/types.ts';
import { actualMatchKey, buildPolicySet, buildRequest, expectedMatchKey, normaliseKeys } from './support/build.ts';
import { loadCorpus, type EvaluationCase } from './support/corpus-case.ts';

const corpusDir = fileURLToPath(new URL('../corpus/evaluation/', import.meta.url));
const files = loadCorpus(corpusDir);

function runCase(c: EvaluationCase): void {
  const decision = evaluate(buildRequest(c.request), buildPolicySet(c));
  const context = `${c.id}: ${c.description}`;
  expect(decision.decision, context).toBe(c.expected.decision);
  expect(decision.allowed, context).toBe(c.expected.decision === 'ALLOWED');
  const actual = decision.matchedStatements.map(actualMatchKey).sort();
  const expected = c.expected.matched.map(expectedMatchKey).sort();
  expect(actual, `${context} (matched statements)`).toEqual(expected);
  for (const m of c.expected.matched) {
    if (m.sid === undefined) continue;
    const found = decision.matchedStatements.find((s) => actualMatchKey(s) === expectedMatchKey(m));
    expect(found?.sid, `${context} (sid of ${expectedMatchKey(m)})`).toBe(m.sid);
  }
  for (const [layer, outcome] of Object.entries(c.expected.layers ?? {})) {
    expect(decision.layers[layer as PolicyLayer], `${context} (layer ${layer})`).toBe(outcome);
  }
  if (c.expected.missingContextValues !== undefined) {
    expect(normaliseKeys(decision.missingContextValues), `${context} (missing context values)`).toEqual(
      normaliseKeys(c.expected.missingContextValues),
    );
  }
}

test('the corpus holds at least 320 cases', () => {
  expect(files.reduce((n, f) => n + f.cases.length, 0)).toBeGreaterThanOrEqual(320);
});

describe.each(files)('$file', ({ cases }) => {
  test.each(cases)('$id', (c) => runCase(c));
});

test('the runner rejects every case whose expected decision is wrong', () => {
  const decisions = ['ALLOWED', 'EXPLICIT_DENY', 'IMPLICIT_DENY'] as const;
  let rejected = 0;
  for (const c of files.flatMap((f) => f.cases)) {
    for (const wrong of decisions.filter((d) => d !== c.expected.decision)) {
      expect(() => runCase({ ...c, expected: { ...c.expected, decision: wrong } }), `${c.id} expecting ${wrong}`).toThrow();
      rejected++;
    }
  }
  expect(rejected).toBeGreaterThanOrEqual(640);
});

test('the runner rejects a case missing one of its matched statements', () => {
  const withMatches = files.flatMap((f) => f.cases).filter((c) => c.expected.matched.length > 0);
  for (const c of withMatches) {
    expect(() => runCase({ ...c, expected: { ...c.expected, matched: c.expected.matched.slice(1) } }), c.id).toThrow();
  }
  expect(withMatches.length).toBeGreaterThan(100);
});

test('leaving near misses out (evaluate options) changes nothing but the near misses', () => {
  let explainedSomewhere = 0;
  for (const c of files.flatMap((f) => f.cases)) {
    const full = evaluate(buildRequest(c.request), buildPolicySet(c));
    const lean = evaluate(buildRequest(c.request), buildPolicySet(c), { nearMisses: false });
    const { nearMisses, ...rest } = full;
    expect({ ...lean, nearMisses: undefined }, c.id).toEqual({ ...rest, nearMisses: undefined });
    expect(lean.nearMisses, c.id).toEqual([]);
    if (nearMisses.length > 0) explainedSomewhere++;
  }
  // The comparison means something only if the corpus has near misses to leave out.
  expect(explainedSomewhere).toBeGreaterThan(50);
});
