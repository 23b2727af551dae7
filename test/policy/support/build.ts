/**
 * Turns a corpus case into the engine's inputs: compiles each policy with the kind of its layer
 * (ids `identity[0]`, `resource[0]`, `boundary[0]`, `session[0]`, `guardrail[0]`) and converts
 * the JSON request (ISO date strings) into an EvaluationRequest.
 */
import { compilePolicy } from '../../../src/policy/index.ts';
import type {
  CompiledPolicy,
  EvaluationRequest,
  Finding,
  MatchedStatement,
  PolicyKind,
  PolicyLayer,
  PolicySet,
  RequestPrincipal,
} from '../../../src/policy/types.ts';
import type { CasePolicy, CaseRequest, EvaluationCase, ExpectedMatch } from './corpus-case.ts';

/** A policy that did not compile, with the findings that say why. */
export class CasePolicyCompileError extends Error {
  constructor(policyId: string, findings: readonly Finding[]) {
    const detail = findings.map((f) => `${f.findingType} ${f.issueCode} at ${f.path}: ${f.message}`).join('; ');
    super(`policy ${policyId} did not compile: ${detail}`);
    this.name = 'CasePolicyCompileError';
  }
}

/** The id the runner gives the policy at `index` of `layer`; matched statements are compared by it. */
export function policyId(layer: PolicyLayer, index: number): string {
  return `${layer}[${index}]`;
}

/** Compiles one policy (object or raw JSON text) as `kind`; throws CasePolicyCompileError on errors. */
export function compileCasePolicy(policy: CasePolicy, kind: PolicyKind, layer: PolicyLayer, index: number): CompiledPolicy {
  const id = policyId(layer, index);
  const text = typeof policy === 'string' ? policy : JSON.stringify(policy, null, 2);
  const result = compilePolicy(text, kind, { id });
  if (!result.ok) throw new CasePolicyCompileError(id, result.findings);
  return result.policy;
}

function compileLayer(policies: readonly CasePolicy[] | undefined, kind: PolicyKind, layer: PolicyLayer): CompiledPolicy[] | undefined {
  return policies?.map((p, i) => compileCasePolicy(p, kind, layer, i));
}

/** Guardrail levels; policy ids count across levels (`guardrail[0]`, `guardrail[1]`, … root first). */
function compileLevels(levels: readonly (readonly CasePolicy[])[], kind: PolicyKind, layer: PolicyLayer): CompiledPolicy[][] {
  let index = 0;
  return levels.map((level) => level.map((p) => compileCasePolicy(p, kind, layer, index++)));
}

/** A case's SCP levels: `guardrailLevels` as written, or each of the flat `guardrails` as its own level (each must allow). */
function scpLevels(c: EvaluationCase): CompiledPolicy[][] | undefined {
  const { guardrails, guardrailLevels } = c.policies;
  if (guardrailLevels !== undefined) return compileLevels(guardrailLevels, 'guardrail', 'guardrail');
  return guardrails === undefined ? undefined : compileLevels(guardrails.map((p) => [p]), 'guardrail', 'guardrail');
}

/** Compiles every policy of a case into the PolicySet `evaluate` takes. */
export function buildPolicySet(c: EvaluationCase): PolicySet {
  const { identity, resource, boundary, session, resourceGuardrailLevels } = c.policies;
  const guardrails = scpLevels(c);
  const resourceKind: PolicyKind = c.resourceKind === 'trust' ? 'trust' : 'resource';
  return {
    identity: compileLayer(identity, 'identity', 'identity') ?? [],
    ...(resource !== undefined ? { resource: compileCasePolicy(resource, resourceKind, 'resource', 0) } : {}),
    ...(boundary !== undefined ? { boundary: compileLayer(boundary, 'boundary', 'boundary') } : {}),
    ...(session !== undefined ? { session: compileLayer(session, 'session', 'session') } : {}),
    ...(guardrails !== undefined ? { guardrails } : {}),
    ...(resourceGuardrailLevels !== undefined ? { resourceGuardrails: compileLevels(resourceGuardrailLevels, 'resourceGuardrail', 'resourceGuardrail') } : {}),
  };
}

/** Converts a case's JSON request into an EvaluationRequest (ISO strings become Dates). */
export function buildRequest(r: CaseRequest): EvaluationRequest {
  const { tokenIssueTime, ...rest } = r.principal;
  const principal: RequestPrincipal = tokenIssueTime === undefined ? rest : { ...rest, tokenIssueTime: new Date(tokenIssueTime) };
  return {
    principal,
    action: r.action,
    resource: r.resource,
    ...(r.resourceAccount !== undefined ? { resourceAccount: r.resourceAccount } : {}),
    ...(r.resourceOrganization !== undefined ? { resourceOrganization: r.resourceOrganization } : {}),
    ...(r.context !== undefined ? { context: r.context } : {}),
    ...(r.now !== undefined ? { now: new Date(r.now) } : {}),
  };
}

/** A comparable, order-free key for an expected matched statement. */
export function expectedMatchKey(m: ExpectedMatch): string {
  return `${m.layer} ${policyId(m.layer, m.policy)} #${m.statementIndex}`;
}

/** The same key for a statement the engine reported. */
export function actualMatchKey(m: MatchedStatement): string {
  return `${m.layer} ${m.policyId} #${m.statementIndex}`;
}

/** Condition key names compare case-insensitively (AWS key names are case-insensitive). */
export function normaliseKeys(keys: readonly string[]): string[] {
  return [...new Set(keys.map((k) => k.toLowerCase()))].sort();
}
