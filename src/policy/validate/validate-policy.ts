/**
 * `parsePolicy`: parse policy text, run every registered check, and return the normalised
 * document when no ERROR was found. Findings follow IAM Access Analyzer's ValidatePolicy:
 * https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_ValidatePolicyFinding.html
 */
import type { PolicyDocument, PolicyVersion } from '../document.ts';
import type { CatalogView } from './catalog.ts';
import type { Finding, PolicyKind } from '../types.ts';
import type { JsonProblem, ObjectNode } from '../parse/json-node.ts';
import { parseJson } from '../parse/json-parser.ts';
import { POLICY_CHECKS } from './checks/index.ts';
import { findingReporter, memberOf, statementView, type StatementView, type ValidationContext } from './context.ts';
import { DEFAULT_VERSION, KIND_RULES, POLICY_VERSIONS } from './grammar.ts';
import type { IssueCode } from './issue-codes.ts';
import { describeType } from './json-types.ts';
import { toPolicyDocument } from './normalize.ts';

/** Options of `parsePolicy` and `compilePolicy`. */
export interface ParsePolicyOptions {
  /**
   * Size quota (characters without white space) to check instead of the kind's default, for
   * callers that know the real one: a role's inline policy may have 10,240, and documents already
   * stored passed their quota when written (`Infinity` skips the check).
   */
  readonly sizeQuota?: number;
  /**
   * The account's service catalog (the services the policy names): with it, validation also warns
   * on unknown services, actions and condition keys and on actions paired with resources they
   * never take. Writes and validatePolicy pass it; decisions and stored documents never do.
   */
  readonly catalog?: CatalogView;
}

/** The outcome of `parsePolicy`. */
export interface ParsePolicyResult {
  /** Present only when no finding has type ERROR. */
  readonly document?: PolicyDocument;
  /** All findings, ordered by position in the text. */
  readonly findings: readonly Finding[];
}

const JSON_PROBLEM_CODES: Readonly<Record<JsonProblem['kind'], IssueCode>> = {
  syntax: 'JSON_SYNTAX_ERROR',
  'too-deep': 'JSON_SYNTAX_ERROR',
  'duplicate-key': 'DUPLICATE_KEY',
  'duplicate-key-case': 'DUPLICATE_KEYS_WITH_DIFFERENT_CASE',
};

function statementsOf(root: ObjectNode): StatementView[] {
  const value = memberOf(root, 'Statement')?.value;
  if (value?.type === 'object') return [statementView(value, 0)];
  if (value?.type !== 'array') return [];
  const views: StatementView[] = [];
  value.items.forEach((item, index) => {
    if (item.type === 'object') views.push(statementView(item, index));
  });
  return views;
}

function givenVersion(root: ObjectNode): PolicyVersion | undefined {
  const value = memberOf(root, 'Version')?.value;
  if (value?.type !== 'string') return undefined;
  return POLICY_VERSIONS.find((v) => v === value.value);
}

function byPosition(a: Finding, b: Finding): number {
  return a.line - b.line || a.column - b.column;
}

/**
 * Parses and validates `text` as a policy of `kind`. Never throws: malformed input, unknown
 * kinds and internal failures all come back as findings.
 */
export function parsePolicy(text: string, kind: PolicyKind, options: ParsePolicyOptions = {}): ParsePolicyResult {
  const findings: Finding[] = [];
  const report = findingReporter(findings);
  try {
    const parsed = parseJson(typeof text === 'string' ? text : String(text));
    for (const problem of parsed.problems) {
      const where = `line ${problem.position.line} column ${problem.position.column}`;
      const message = problem.kind === 'syntax' || problem.kind === 'too-deep' ? `invalid json at ${where}: ${problem.message}` : `${problem.message} at ${where}`;
      report(JSON_PROBLEM_CODES[problem.kind], { path: problem.path, start: problem.position }, message);
    }
    const root = parsed.root;
    if (root === undefined) return { findings };
    if (root.type !== 'object') {
      report('DATA_TYPE_MISMATCH', root, `a policy must be a json object, not ${describeType(root)}`);
      return { findings };
    }
    if (!Object.hasOwn(KIND_RULES, kind)) {
      report('VALIDATION_FAILED', root, `unknown policy kind ${JSON.stringify(String(kind))}; use one of ${Object.keys(KIND_RULES).join(', ')}`);
      return { findings };
    }
    const version = givenVersion(root);
    const statements = statementsOf(root);
    const sizeQuota = options.sizeQuota ?? KIND_RULES[kind].sizeQuota;
    const ctx: ValidationContext = { kind, sizeQuota, text, root, version: version ?? DEFAULT_VERSION, statements, report, ...(options.catalog ? { catalog: options.catalog } : {}) };
    for (const check of POLICY_CHECKS) {
      try {
        check.run(ctx);
      } catch {
        // Fail closed: a crashing check must not let an unchecked policy through.
        report('VALIDATION_FAILED', root, `the ${check.name} check failed on this input; the policy is rejected`);
      }
    }
    findings.sort(byPosition);
    if (findings.some((f) => f.findingType === 'ERROR')) return { findings };
    const id = memberOf(root, 'Id')?.value;
    const versionGiven = memberOf(root, 'Version') !== undefined;
    const document = toPolicyDocument(statements, version ?? DEFAULT_VERSION, versionGiven, id?.type === 'string' ? id.value : undefined);
    return { document, findings };
  } catch {
    report('VALIDATION_FAILED', { path: '$', start: { line: 1, column: 1, offset: 0 } }, 'the policy could not be validated; it is rejected');
    return { findings };
  }
}
