/**
 * The shape of one golden evaluation case as stored in `test/corpus/evaluation/*.json`, and the
 * loader that reads and checks every file. Cases are plain data so that anyone can add one
 * without writing TypeScript; the loader rejects a malformed case by naming the file, the case
 * and the field, instead of letting it turn into a confusing assertion failure.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ContextValue, LayerOutcome, OrganizationMembership, PolicyLayer, RequestPrincipal } from '../../../src/policy/types.ts';

/** A policy as a case writes it: a JSON object, or the exact policy text (to test parsing quirks). */
export type CasePolicy = Record<string, unknown> | string;

/** The request half of a case; dates are ISO strings because JSON has no dates. */
export interface CaseRequest {
  readonly principal: Omit<RequestPrincipal, 'tokenIssueTime'> & { readonly tokenIssueTime?: string };
  readonly action: string;
  readonly resource: string;
  readonly resourceAccount?: string;
  readonly resourceOrganization?: OrganizationMembership;
  readonly context?: Readonly<Record<string, ContextValue>>;
  readonly now?: string;
}

/** Policies by layer, each an array except the single resource-based policy. */
export interface CasePolicies {
  readonly identity?: readonly CasePolicy[];
  readonly resource?: CasePolicy;
  readonly boundary?: readonly CasePolicy[];
  readonly session?: readonly CasePolicy[];
  /** SCPs, each its own level (each must allow). */
  readonly guardrails?: readonly CasePolicy[];
  /** SCPs by level, root first (every level must have a policy that allows). */
  readonly guardrailLevels?: readonly (readonly CasePolicy[])[];
  /** RCPs of the resource's account by level, root first. */
  readonly resourceGuardrailLevels?: readonly (readonly CasePolicy[])[];
}

/** One statement the case expects in `Decision.matchedStatements`. */
export interface ExpectedMatch {
  readonly layer: PolicyLayer;
  /** Index of the policy in its layer's array (0 for the resource policy). */
  readonly policy: number;
  readonly statementIndex: number;
  readonly sid?: string;
}

/** What AWS would answer. */
export interface CaseExpectation {
  readonly decision: 'ALLOWED' | 'EXPLICIT_DENY' | 'IMPLICIT_DENY';
  /**
   * EXPLICIT_DENY: every matching Deny, in any layer. ALLOWED: the Allow statements that granted,
   * i.e. identity and resource layers only; boundaries, session policies and guardrails limit but
   * never grant, and AWS reports them outside MatchedStatements (API_Statement SourcePolicyType
   * has no boundary or SCP value). IMPLICIT_DENY: none.
   */
  readonly matched: readonly ExpectedMatch[];
  /** Asserted only when present. */
  readonly missingContextValues?: readonly string[];
  /** How named layers judged the request (`Decision.layers`); asserted only for the layers listed.
   *  Limiting layers (boundary, session, guardrail) never grant, so their Allows show here, not in `matched`. */
  readonly layers?: Readonly<Partial<Record<PolicyLayer, LayerOutcome>>>;
}

/** One golden case. */
export interface EvaluationCase {
  readonly id: string;
  /** What the case proves and the AWS page that says so. */
  readonly description: string;
  readonly request: CaseRequest;
  readonly policies: CasePolicies;
  /** Compile the resource policy as a role trust policy instead of a resource-based policy. */
  readonly resourceKind?: 'resource' | 'trust';
  readonly expected: CaseExpectation;
}

/** A corpus file and its cases. */
export interface CorpusFile {
  readonly file: string;
  readonly cases: readonly EvaluationCase[];
}

/** A case file or case that does not have the documented shape. */
export class CorpusFormatError extends Error {
  constructor(file: string, where: string, rule: string) {
    super(`${file}: ${where}: ${rule}`);
    this.name = 'CorpusFormatError';
  }
}

const LAYERS: readonly PolicyLayer[] = ['guardrail', 'resource', 'identity', 'boundary', 'session', 'resourceGuardrail'];
const DECISIONS = ['ALLOWED', 'EXPLICIT_DENY', 'IMPLICIT_DENY'];
const OUTCOMES: readonly LayerOutcome[] = ['ALLOW', 'DENY', 'NO_MATCH', 'NOT_APPLICABLE'];
const POLICY_KEYS = ['identity', 'resource', 'boundary', 'session', 'guardrails', 'guardrailLevels', 'resourceGuardrailLevels'];
const CASE_KEYS = ['id', 'description', 'request', 'policies', 'resourceKind', 'expected'];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks the parts of a case the runner relies on; throws CorpusFormatError naming the field. */
export function checkCase(file: string, raw: unknown, index: number): EvaluationCase {
  const where = `case #${index}`;
  if (!isObject(raw)) throw new CorpusFormatError(file, where, 'a case must be an object');
  const id = raw['id'];
  if (typeof id !== 'string' || id === '') throw new CorpusFormatError(file, where, '"id" must be a non-empty string');
  const at = `case "${id}"`;
  // A misspelt or unsupported field would otherwise be ignored and the case pass without it.
  for (const key of Object.keys(raw)) {
    if (!CASE_KEYS.includes(key)) throw new CorpusFormatError(file, at, `unknown field "${key}"`);
  }
  if (typeof raw['description'] !== 'string' || !raw['description'].includes('https://docs.aws.amazon.com/')) {
    throw new CorpusFormatError(file, at, '"description" must cite an AWS documentation URL');
  }
  const request = raw['request'];
  if (!isObject(request) || !isObject(request['principal'])) {
    throw new CorpusFormatError(file, at, '"request.principal" must be an object');
  }
  for (const field of ['action', 'resource'] as const) {
    if (typeof request[field] !== 'string') throw new CorpusFormatError(file, at, `"request.${field}" must be a string`);
  }
  const policies = raw['policies'];
  if (!isObject(policies)) throw new CorpusFormatError(file, at, '"policies" must be an object');
  for (const key of Object.keys(policies)) {
    if (!POLICY_KEYS.includes(key)) throw new CorpusFormatError(file, at, `unknown policy layer "policies.${key}"`);
  }
  const expected = raw['expected'];
  if (!isObject(expected) || !DECISIONS.includes(String(expected['decision']))) {
    throw new CorpusFormatError(file, at, '"expected.decision" must be ALLOWED, EXPLICIT_DENY or IMPLICIT_DENY');
  }
  const matched = expected['matched'];
  if (!Array.isArray(matched)) throw new CorpusFormatError(file, at, '"expected.matched" must be an array');
  for (const m of matched) {
    if (!isObject(m) || !LAYERS.includes(m['layer'] as PolicyLayer) || typeof m['policy'] !== 'number' || typeof m['statementIndex'] !== 'number') {
      throw new CorpusFormatError(file, at, `"expected.matched" entries need layer (${LAYERS.join('|')}), policy and statementIndex`);
    }
  }
  const layers = expected['layers'];
  if (layers !== undefined) {
    if (!isObject(layers)) throw new CorpusFormatError(file, at, '"expected.layers" must be an object');
    for (const [layer, outcome] of Object.entries(layers)) {
      if (!LAYERS.includes(layer as PolicyLayer) || !OUTCOMES.includes(outcome as LayerOutcome)) {
        throw new CorpusFormatError(file, at, `"expected.layers.${layer}" must be a layer (${LAYERS.join('|')}) mapped to ${OUTCOMES.join('|')}`);
      }
    }
  }
  return raw as unknown as EvaluationCase;
}

/** Reads every `*.json` file of a corpus folder, sorted by name, and checks ids are unique across files. */
export function loadCorpus(dir: string): CorpusFile[] {
  const seen = new Map<string, string>();
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((file) => {
      const parsed: unknown = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      if (!Array.isArray(parsed)) throw new CorpusFormatError(file, 'file', 'a corpus file must hold an array of cases');
      const cases = parsed.map((raw, index) => checkCase(file, raw, index));
      for (const c of cases) {
        const other = seen.get(c.id);
        if (other !== undefined) throw new CorpusFormatError(file, `case "${c.id}"`, `duplicate id, also in ${other}`);
        seen.set(c.id, file);
      }
      return { file, cases };
    });
}
