/** Small builders shared by the validation tests. */
import { parsePolicy } from '../../../src/policy/validate/index.ts';
import type { Finding, PolicyKind } from '../../../src/policy/types.ts';

/** JSON text of a 2012-10-17 policy with the given statements (pretty-printed, so lines are realistic). */
export function policyText(statements: unknown, top: Record<string, unknown> = {}): string {
  return JSON.stringify({ Version: '2012-10-17', ...top, Statement: statements }, null, 2);
}

/** A minimal valid identity statement, overridable. */
export function identityStatement(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/*', ...overrides };
}

/** A minimal valid resource-policy statement, overridable. */
export function resourceStatement(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/*', ...overrides };
}

/** Findings for one statement in a policy of `kind`. */
export function findingsFor(statement: unknown, kind: PolicyKind = 'identity'): readonly Finding[] {
  return parsePolicy(policyText([statement]), kind).findings;
}

/** `CODE@path` strings, for compact assertions. */
export function codes(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.issueCode}@${f.path}`);
}
