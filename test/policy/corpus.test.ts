/**
 * The golden evaluation corpus: one test per case in `test/corpus/evaluation/*.json`, each
 * asserting the decision, the set of matched statements and (when the case lists them) the
 * missing context keys. Cases marked `knownEngineBug` run with `test.fails`, so they stay
 * visible and start failing loudly the day the engine is fixed.
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
  const working = cases.filter((c) => c.knownEngineBug === undefined);
  const broken = cases.filter((c) => c.knownEngineBug !== undefined);
  if (working.length > 0) test.each(working)('$id', (c) => runCase(c));
  if (broken.length > 0) test.fails.each(broken)('$id (known engine bug: $knownEngineBug)', (c) => runCase(c));
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
