/**
 * Compile one `operator: { key: values }` entry into a test, applying in ONE place what wraps
 * every operator (User Guide: "Condition operators", "Single-valued vs. multivalued context keys"):
 *
 * - values for one key are OR-ed; for a negated operator they are NOR-ed (no value may match);
 * - key absent: the condition is false, or true for a negated operator; `…IfExists` makes it true;
 *   `ForAllValues:` is true (nothing fails), `ForAnyValue:` false (nothing matches);
 * - `ForAllValues:` needs every request value to satisfy the operator, `ForAnyValue:` at least one;
 *   without a qualifier a multivalued key behaves as `ForAnyValue:` for positive operators and as
 *   "no request value matches" for negated ones;
 * - `Null: true` holds when the key is absent, `Null: false` when present.
 */
import type { ConditionDocument, PolicyVersion } from '../document.ts';
import type { ContextValue, MismatchPart } from '../types.ts';
import type { PatternPart } from '../match/glob.ts';
import { PolicyCompileError } from '../errors.ts';
import { compileTemplate, resolveTemplate, type KeyLookup, type Template } from '../variables.ts';
import { lookupOperator } from './registry.ts';
import type { ValueOperator } from './operator.ts';

/** What a condition needs from the evaluation at hand. */
export interface ConditionEnv {
  /** Context value for a lower-cased key. */
  readonly lookup: KeyLookup;
  /** Report a key the condition needed and the request lacked (spelled as in the policy). */
  readonly missing: (keyAsWritten: string) => void;
}

/** A compiled condition entry. */
export interface CompiledCondition {
  readonly operator: string;
  readonly key: string;
  readonly keyLower: string;
  /** Near-miss description when this entry fails. */
  readonly failure: MismatchPart;
  /** Whether a test can report a missing key (all but `Null`). */
  readonly needsKey: boolean;
  /** The lower-cased context keys the policy values' variables read (`${aws:PrincipalTag/team}`); empty for constant values. */
  readonly variableKeys: readonly string[];
  test(env: ConditionEnv): boolean;
  /**
   * The test with the policy values' variables resolved once, against `source`: for callers that
   * test many requests whose variables have the same values (evaluate/prepared.ts). Keys the
   * resolution found missing are still reported to each test's env, when and as `test` would.
   */
  withValuesFrom(source: ConditionEnv): (env: ConditionEnv) => boolean;
}

type Qualifier = 'none' | 'all' | 'any';

/** Split `ForAnyValue:StringLikeIfExists` into its qualifier, base name and `IfExists` flag. */
export function parseOperatorName(written: string): { qualifier: Qualifier; base: string; ifExists: boolean } {
  let rest = written;
  let qualifier: Qualifier = 'none';
  const lower = rest.toLowerCase();
  if (lower.startsWith('forallvalues:')) {
    qualifier = 'all';
    rest = rest.slice('forallvalues:'.length);
  } else if (lower.startsWith('foranyvalue:')) {
    qualifier = 'any';
    rest = rest.slice('foranyvalue:'.length);
  }
  const ifExists = rest.toLowerCase().endsWith('ifexists');
  return { qualifier, base: ifExists ? rest.slice(0, -'ifexists'.length) : rest, ifExists };
}

/** Compile one condition entry; `path` locates it for errors. */
export function compileCondition(doc: ConditionDocument, version: PolicyVersion, path: string): CompiledCondition {
  const { qualifier, base, ifExists } = parseOperatorName(doc.operator);
  const entry = lookupOperator(base);
  if (entry === undefined) throw new PolicyCompileError(path, `unknown condition operator "${doc.operator}"`);
  const key = doc.key;
  const keyLower = key.toLowerCase();
  const failure: MismatchPart = Object.freeze({ part: 'condition', operator: doc.operator, key });
  if (entry.kind === 'null') {
    if (ifExists || qualifier !== 'none') throw new PolicyCompileError(path, `"${doc.operator}" cannot qualify Null`);
    const wantAbsent = doc.values.some((v) => v.toLowerCase() === 'true');
    const wantPresent = doc.values.some((v) => v.toLowerCase() === 'false');
    const test = (env: ConditionEnv): boolean => {
      const cv = env.lookup(keyLower, key);
      const present = cv !== undefined && cv.values.length > 0;
      return present ? wantPresent : wantAbsent;
    };
    return { operator: doc.operator, key, keyLower, failure, needsKey: false, variableKeys: [], test, withValuesFrom: () => test };
  }
  const op = entry.op;
  const negated = entry.negated;
  const templates: Template[] = doc.values.map((v) =>
    op.variables ? compileTemplate(v, version) : compileTemplate(v, '2008-10-17'),
  );
  const constant = templates.every((t) => t.constant !== undefined)
    ? prepareAll(op, templates.map((t) => t.constant!))
    : undefined;
  const parser = op.request;
  const prepare = (value: string): unknown => (parser === undefined ? value : parser.parse(value));

  /** Does one request value match any policy value (positive sense)? */
  const anyPolicy = (r: unknown, policy: readonly unknown[]): boolean => {
    if (r === undefined) return false;
    for (let i = 0; i < policy.length; i++) if (op.matches(r, policy[i])) return true;
    return false;
  };

  /** The test, with the policy values given (`resolved`, their resolution's missing keys in `missed`) or resolved now. */
  const testWith = (env: ConditionEnv, resolved: readonly unknown[] | undefined, missed: readonly string[]): boolean => {
    const cv: ContextValue | undefined = env.lookup(keyLower, key);
    if (cv === undefined || cv.values.length === 0) {
      if (cv === undefined) env.missing(key);
      if (ifExists || qualifier === 'all') return true;
      if (qualifier === 'any') return false;
      return negated;
    }
    for (let i = 0; i < missed.length; i++) env.missing(missed[i]!);
    const policy = constant ?? resolved ?? resolveAll(op, templates, env);
    const raw = cv.values;
    if (qualifier === 'all') {
      for (let i = 0; i < raw.length; i++) if (anyPolicy(prepare(raw[i]!), policy) === negated) return false;
      return true;
    }
    if (qualifier === 'any') {
      for (let i = 0; i < raw.length; i++) if (anyPolicy(prepare(raw[i]!), policy) !== negated) return true;
      return false;
    }
    for (let i = 0; i < raw.length; i++) if (anyPolicy(prepare(raw[i]!), policy)) return !negated;
    return negated;
  };
  const test = (env: ConditionEnv): boolean => testWith(env, undefined, NO_KEYS);
  const variableKeys = templates.flatMap((t) => t.parts.flatMap((p) => (p.kind === 'var' ? [p.keyLower] : [])));
  return {
    operator: doc.operator, key, keyLower, failure, needsKey: true, variableKeys, test,
    withValuesFrom(source) {
      if (constant !== undefined) return test;
      const missed: string[] = [];
      const resolved = resolveAll(op, templates, { lookup: source.lookup, missing: (k) => { if (!missed.includes(k)) missed.push(k); } });
      return (env) => testWith(env, resolved, missed);
    },
  };
}

const NO_KEYS: readonly string[] = Object.freeze([]);

/** Prepare resolved policy values, dropping those that can never match. */
function prepareAll(op: ValueOperator, resolved: readonly (readonly PatternPart[])[]): unknown[] {
  const out: unknown[] = [];
  for (const parts of resolved) {
    const p = op.preparePolicy(parts);
    if (p !== undefined) out.push(p);
  }
  return out;
}

/** Substitute variables per request; a value whose variable has no value is dropped (cannot match). */
function resolveAll(op: ValueOperator, templates: readonly Template[], env: ConditionEnv): unknown[] {
  const out: unknown[] = [];
  for (const t of templates) {
    const parts = resolveTemplate(t, env.lookup, env.missing);
    if (parts === undefined) continue;
    const p = op.preparePolicy(parts);
    if (p !== undefined) out.push(p);
  }
  return out;
}
