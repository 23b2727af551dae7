/**
 * Builds escalation directories (src/authz/escalation/directory.ts) from policy documents, for
 * engine-level fixtures: every policy is compiled by the real engine, principals look as the
 * authorizer's effective sets make them look.
 */
import { compilePolicy } from '../../../src/policy/index.ts';
import type { CompiledPolicy, PolicyKind } from '../../../src/policy/types.ts';
import type { DirectoryPolicyVersion, DirectoryPrincipal, EscalationDirectory } from '../../../src/authz/escalation/directory.ts';

export const ACCOUNT = '111122223333';
export const arn = (kind: 'user' | 'group' | 'role' | 'policy', name: string) => `arn:aws:iam::${ACCOUNT}:${kind}/${name}`;
export const ADMIN_POLICY_ARN = 'arn:aws:iam::aws:policy/AdministratorAccess';

/** A statement or a list of them, as JSON objects. */
export type Statements = Record<string, unknown> | Array<Record<string, unknown>>;

/** Compiles a policy document whose statements are `statements`. */
export function compile(statements: Statements, kind: PolicyKind, id: string, extra: { arn?: string; versionId?: string } = {}): CompiledPolicy {
  const text = JSON.stringify({ Version: '2012-10-17', Statement: statements });
  const result = compilePolicy(text, kind, { id, name: id, ...extra });
  if (!result.ok) throw new Error(`fixture policy ${id} does not compile: ${JSON.stringify(result.findings)}`);
  return result.policy;
}

export const ALLOW_ALL = { Effect: 'Allow', Action: '*', Resource: '*' };

interface ManagedSpec {
  readonly name: string;
  /** Versions in order (v1, v2, …); `defaultVersion` (1-based) is the default (the last when absent). */
  readonly versions: readonly Statements[];
  readonly defaultVersion?: number;
}

interface UserSpec {
  readonly name: string;
  readonly inline?: readonly Statements[];
  readonly managed?: readonly string[];
  readonly groups?: readonly string[];
  readonly boundary?: Statements;
  readonly hasPassword?: boolean;
}

interface RoleSpec {
  readonly name: string;
  readonly trust: Statements;
  readonly inline?: readonly Statements[];
  readonly managed?: readonly string[];
  readonly boundary?: Statements;
}

interface GroupSpec {
  readonly name: string;
  readonly inline?: readonly Statements[];
  readonly managed?: readonly string[];
}

export interface DirectorySpec {
  readonly users?: readonly UserSpec[];
  readonly roles?: readonly RoleSpec[];
  readonly groups?: readonly GroupSpec[];
  readonly managed?: readonly ManagedSpec[];
  readonly guardrails?: readonly Statements[];
}

/** The directory `spec` describes, plus the built-in AdministratorAccess (attachable). */
export function buildDirectory(spec: DirectorySpec): EscalationDirectory {
  const admin = compile(ALLOW_ALL, 'identity', `${ADMIN_POLICY_ARN}:v1`, { arn: ADMIN_POLICY_ARN, versionId: 'v1' });
  const defaults = new Map<string, CompiledPolicy>([[ADMIN_POLICY_ARN, admin]]);
  const policyVersions = new Map<string, DirectoryPolicyVersion[]>();
  for (const m of spec.managed ?? []) {
    const policyArn = arn('policy', m.name);
    const defaultVersion = m.defaultVersion ?? m.versions.length;
    const versions = m.versions.map((statements, i): DirectoryPolicyVersion => {
      const versionId = `v${i + 1}`;
      const policy = compile(statements, 'identity', `${policyArn}:${versionId}`, { arn: policyArn, versionId });
      if (i + 1 === defaultVersion) defaults.set(policyArn, policy);
      return { versionId, isDefault: i + 1 === defaultVersion, policy: () => policy };
    });
    policyVersions.set(policyArn, versions);
  }
  const managed = (arns: readonly string[] | undefined) =>
    (arns ?? []).map((a) => {
      const policyArn = a.startsWith('arn:') ? a : arn('policy', a);
      const policy = defaults.get(policyArn);
      if (policy === undefined) throw new Error(`fixture names unknown managed policy ${a}`);
      return policy;
    });
  const inline = (owner: string, docs: readonly Statements[] | undefined) => (docs ?? []).map((d, i) => compile(d, 'identity', `${owner}/inline/p${i}`));
  const groups = (spec.groups ?? []).map((g) => ({ arn: arn('group', g.name), identity: [...managed(g.managed), ...inline(arn('group', g.name), g.inline)] }));
  const groupByName = new Map((spec.groups ?? []).map((g, i) => [g.name, groups[i]!]));
  const principals: DirectoryPrincipal[] = [];
  for (const u of spec.users ?? []) {
    const userArn = arn('user', u.name);
    const own = [...managed(u.managed), ...inline(userArn, u.inline)];
    const memberOf = (u.groups ?? []).map((name) => groupByName.get(name)!);
    principals.push({
      arn: userArn,
      type: 'User',
      principal: { type: 'User', arn: userArn, accountId: ACCOUNT, userId: `AIDA${u.name.toUpperCase()}`, userName: u.name },
      identity: [...own, ...memberOf.flatMap((g) => g.identity)],
      ...(u.boundary === undefined ? {} : { boundary: [compile(u.boundary, 'boundary', `${userArn}/boundary`)] }),
      groupArns: memberOf.map((g) => g.arn),
      ...(u.hasPassword === undefined ? {} : { hasPassword: u.hasPassword }),
    });
  }
  const roles = (spec.roles ?? []).map((r) => {
    const roleArn = arn('role', r.name);
    principals.push({
      arn: roleArn,
      type: 'Role',
      principal: { type: 'AssumedRole', arn: roleArn, accountId: ACCOUNT, userId: `AROA${r.name.toUpperCase()}`, roleArn },
      identity: [...managed(r.managed), ...inline(roleArn, r.inline)],
      ...(r.boundary === undefined ? {} : { boundary: [compile(r.boundary, 'boundary', `${roleArn}/boundary`)] }),
      groupArns: [],
    });
    return { arn: roleArn, trust: compile(r.trust, 'trust', `${roleArn}/trust-policy`) };
  });
  return {
    accountId: ACCOUNT,
    principals,
    groups,
    roles,
    policyVersions,
    attachable: [{ arn: ADMIN_POLICY_ARN, policy: admin }],
    // One level per guardrail: each must allow.
    ...(spec.guardrails === undefined ? {} : { guardrails: spec.guardrails.map((g, i) => [compile(g, 'guardrail', `scp-${i}`)]) }),
  };
}
