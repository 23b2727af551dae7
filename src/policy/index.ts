/**
 * The policy engine's public surface: compile a policy text once (`compilePolicy`), then decide
 * requests against sets of compiled policies (`evaluate`). Pure: no I/O, no database, no GraphQL.
 */
import type { CompileResult, Finding, PolicyKind, PolicyMeta } from './types.ts';
import { parsePolicy, policySize, type ParsePolicyOptions } from './validate/index.ts';
import { compileDocument } from './compile/index.ts';
import { PolicyCompileError } from './errors.ts';

export { evaluate, type EvaluateOptions } from './evaluate.ts';
export { prepareEvaluation, PreparedResourceQuestion, type PreparedResourceRequest, type PreparedEvaluation, type PreparedRequest, type PreparedPolicySet, type ResourceRequest } from './evaluate/prepared.ts';
export { parsePolicy, type ParsePolicyOptions } from './validate/index.ts';
export { allowedServicePrefixes, isActionGranted, type GrantingPolicies } from './evaluate/granted.ts';
export { internAction } from './evaluate/scan.ts';
export type { ActionKey } from './compile/action-index.ts';
export { PolicyCompileError } from './errors.ts';
export { grantPatterns, admitsAwsPrincipals, namedAwsPrincipals, type GrantPattern } from './statement-summary.ts';
export { namedPrincipals, rewritePrincipalArns, type NamedPrincipal } from './principal-ids.ts';
// The IpAddress operator's address and CIDR parsing, for servers that judge client addresses too.
export { ipInBlock, parseIpBlock, type IpBlock } from './conditions/parse/ip.ts';
export type * from './types.ts';
export type * from './document.ts';

/** Options for `compilePolicy`. */
export interface CompilePolicyOptions extends ParsePolicyOptions {
  /**
   * Unique ids of the IAM user and role ARNs the principal elements name, as resolved when the
   * policy was saved (`namedPrincipals`): such an ARN then names only the principal with that id.
   */
  readonly principalIds?: Readonly<Record<string, string>>;
}

/**
 * Parse, validate and compile a policy. Refuses (ok: false) when any finding is an ERROR;
 * otherwise returns the compiled policy with the non-fatal findings. `meta.id` defaults to
 * `meta.arn`, then `meta.name`, then `"policy"`. `options.sizeQuota` replaces the kind's size quota.
 */
export function compilePolicy(
  text: string,
  kind: PolicyKind,
  meta: Partial<PolicyMeta> = {},
  options: CompilePolicyOptions = {},
): CompileResult {
  const { document, findings } = parsePolicy(text, kind, options);
  if (document === undefined || findings.some((f) => f.findingType === 'ERROR')) return { ok: false, findings };
  const fullMeta: PolicyMeta = { ...meta, id: meta.id ?? meta.arn ?? meta.name ?? 'policy' };
  try {
    return { ok: true, policy: compileDocument(document, kind, fullMeta, policySize(text), options.principalIds), findings };
  } catch (e) {
    if (!(e instanceof PolicyCompileError)) throw e;
    const finding: Finding = { findingType: 'ERROR', issueCode: 'VALIDATION_FAILED', message: e.rule, path: e.path, line: 1, column: 1 };
    return { ok: false, findings: [...findings, finding] };
  }
}
