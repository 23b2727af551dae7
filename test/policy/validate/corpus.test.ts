/**
 * Data-driven validation cases from test/corpus/validation/*.json, one test per file.
 *
 * Case format: `{ description, kind, policy, expected }` where `policy` is JSON text or a JSON
 * value (serialised compactly), and `expected` lists findings by findingType, issueCode, path and
 * optionally line/column. Every expected finding must be reported; no ERROR, SECURITY_WARNING or
 * WARNING beyond the expected ones may be (unlisted SUGGESTIONs are tolerated); and a document
 * is returned exactly when no ERROR is expected.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parsePolicy } from '../../../src/policy/validate/index.ts';
import type { Finding, FindingType, PolicyKind } from '../../../src/policy/types.ts';

interface ExpectedFinding {
  readonly findingType: FindingType;
  readonly issueCode: string;
  readonly path: string;
  readonly line?: number;
  readonly column?: number;
}

interface ValidationCase {
  readonly description: string;
  readonly kind: PolicyKind;
  readonly policy: unknown;
  readonly expected: readonly ExpectedFinding[];
}

const CORPUS_DIR = join(import.meta.dirname, '../../corpus/validation');
const KINDS = new Set(['identity', 'resource', 'trust', 'boundary', 'session', 'guardrail']);

function load(file: string): ValidationCase {
  const data: unknown = JSON.parse(readFileSync(join(CORPUS_DIR, file), 'utf8'));
  const c = data as Partial<ValidationCase>;
  if (typeof c.description !== 'string' || !/https:\/\/docs\.aws\.amazon\.com\//.test(c.description)) {
    throw new Error(`${file}: description must cite an AWS documentation URL`);
  }
  if (typeof c.kind !== 'string' || !KINDS.has(c.kind)) throw new Error(`${file}: kind must be one of ${[...KINDS].join(', ')}`);
  if (!('policy' in c)) throw new Error(`${file}: policy is missing`);
  if (!Array.isArray(c.expected)) throw new Error(`${file}: expected must be an array`);
  return c as ValidationCase;
}

function matches(actual: Finding, wanted: ExpectedFinding): boolean {
  return (
    actual.findingType === wanted.findingType &&
    actual.issueCode === wanted.issueCode &&
    actual.path === wanted.path &&
    (wanted.line === undefined || actual.line === wanted.line) &&
    (wanted.column === undefined || actual.column === wanted.column)
  );
}

const files = readdirSync(CORPUS_DIR).filter((f) => f.endsWith('.json')).sort();

describe('validation corpus', () => {
  test('has at least 60 cases', () => {
    expect(files.length).toBeGreaterThanOrEqual(60);
  });

  test.each(files)('%s', (file) => {
    const c = load(file);
    const text = typeof c.policy === 'string' ? c.policy : JSON.stringify(c.policy);
    const result = parsePolicy(text, c.kind);
    const summary = result.findings.map((f) => `${f.findingType} ${f.issueCode} ${f.path} ${f.line}:${f.column}`);
    for (const wanted of c.expected) {
      expect(result.findings.some((f) => matches(f, wanted)), `missing ${JSON.stringify(wanted)}; got ${JSON.stringify(summary)}`).toBe(true);
    }
    const unexpected = result.findings.filter((f) => f.findingType !== 'SUGGESTION' && !c.expected.some((w) => matches(f, w)));
    expect(unexpected.map((f) => `${f.findingType} ${f.issueCode} ${f.path}: ${f.message}`)).toEqual([]);
    expect(result.document !== undefined).toBe(!c.expected.some((w) => w.findingType === 'ERROR'));
  });
});
