/**
 * The escalation directory of one account, read from the database: users and roles with the
 * effective sets the authorizer uses (through the store's batch load, so cached sets are shared),
 * and five statements whatever the account's size — groups with their policies, role trust
 * policies, users' console passwords, the versions of customer managed policies, and the
 * attachable policies' default versions (to find those that allow everything). Policies compile
 * through the shared cache, under the ids the authorizer gives them.
 */
import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { inlinePolicies, policyAttachments } from '../../db/schema/attachments.ts';
import { managedPolicies, policyVersions } from '../../db/schema/policies.ts';
import { groups, roles, users } from '../../db/schema/principals.ts';
import { compilePolicy, evaluate } from '../../policy/index.ts';
import type { CompiledPolicy, GuardrailLevels, RequestPrincipal } from '../../policy/types.ts';
import type { CompiledPolicyCache } from '../compiled-policies.ts';
import type { EffectivePolicies } from '../effective-set.ts';
import type { AccountPrincipal } from '../reverse/account-principals.ts';
import type { DirectoryGroup, DirectoryPolicyVersion, DirectoryPrincipal, DirectoryRole, EscalationDirectory } from './directory.ts';

/** What loading reads: the account's principal list, the effective sets, the compiled-policy cache. */
export interface DirectorySources {
  readonly database: Database;
  readonly compiled: CompiledPolicyCache;
  listPrincipals(accountId: string): Promise<readonly AccountPrincipal[]>;
  loadSets(arns: readonly string[]): Promise<Array<EffectivePolicies | Error>>;
}

const GROUP_ARN = /^arn:aws:iam::\d{12}:group\//;

/** The directory of `accountId` as of now, with `guardrails` as the engine's GUARDRAIL layer. */
export async function loadEscalationDirectory(sources: DirectorySources, accountId: string, guardrails?: GuardrailLevels): Promise<EscalationDirectory> {
  const listed = (await sources.listPrincipals(accountId)).filter((p) => p.type !== 'Root');
  const [sets, groupList, roleRows, passwords, versions, attachable] = await Promise.all([
    sources.loadSets(listed.map((p) => p.arn)),
    loadGroups(sources, accountId),
    sources.database.db.select({ id: roles.id, arn: roles.arn, trustPolicy: roles.trustPolicy, trustPrincipalIds: roles.trustPrincipalIds }).from(roles).where(eq(roles.accountId, accountId)),
    sources.database.db.select({ arn: users.arn, hasPassword: sql<boolean>`${users.passwordHash} is not null` }).from(users).where(eq(users.accountId, accountId)),
    loadVersions(sources.database, accountId),
    loadAttachable(sources, accountId),
  ]);
  const withPassword = new Map(passwords.map((row) => [row.arn, row.hasPassword]));
  const principals: DirectoryPrincipal[] = [];
  listed.forEach((p, i) => {
    const set = sets[i];
    // Deleted since it was listed, or a stored policy that does not compile: the principal is skipped.
    if (set === undefined || set instanceof Error) return;
    const type = p.type === 'Role' ? 'Role' : 'User';
    const hasPassword = withPassword.get(p.arn);
    principals.push({
      arn: p.arn,
      type,
      principal: set.principal,
      identity: set.identity,
      ...(set.boundary === undefined ? {} : { boundary: set.boundary }),
      groupArns: type === 'User' ? set.dependsOn.filter((d) => GROUP_ARN.test(d)) : [],
      ...(hasPassword === undefined ? {} : { hasPassword }),
    });
  });
  const roleList: DirectoryRole[] = roleRows.map((r) => {
    const compiled = compilePolicy(r.trustPolicy, 'trust', { id: `${r.arn}/trust-policy`, name: 'TrustPolicy' }, { principalIds: r.trustPrincipalIds });
    return { arn: r.arn, trust: compiled.ok ? compiled.policy : undefined };
  });
  return { accountId, principals, groups: groupList, roles: roleList, policyVersions: versions, attachable, ...(guardrails === undefined ? {} : { guardrails }) };
}

/** Every group of the account with its own policies (attached default versions and inline), in two statements. */
async function loadGroups(sources: DirectorySources, accountId: string): Promise<DirectoryGroup[]> {
  const db = sources.database.db;
  const [list, attached, inline] = await Promise.all([
    db.select({ id: groups.id, arn: groups.arn }).from(groups).where(eq(groups.accountId, accountId)),
    db
      .select({ groupId: groups.id, policyId: managedPolicies.id, arn: managedPolicies.arn, name: managedPolicies.name, versionNumber: policyVersions.versionNumber, document: policyVersions.document })
      .from(policyAttachments)
      .innerJoin(groups, eq(groups.id, policyAttachments.groupId))
      .innerJoin(managedPolicies, eq(managedPolicies.id, policyAttachments.policyId))
      .innerJoin(policyVersions, and(eq(policyVersions.policyId, managedPolicies.id), eq(policyVersions.isDefault, true)))
      .where(eq(groups.accountId, accountId)),
    db
      .select({ groupId: groups.id, groupArn: groups.arn, name: inlinePolicies.name, document: inlinePolicies.document })
      .from(inlinePolicies)
      .innerJoin(groups, eq(groups.id, inlinePolicies.groupId))
      .where(eq(groups.accountId, accountId)),
  ]);
  const identity = new Map<string, CompiledPolicy[]>(list.map((g) => [g.id, []]));
  for (const row of attached) {
    const versionId = `v${row.versionNumber}`;
    const policy = compileQuietly(() => sources.compiled.version(row.policyId, row.versionNumber, 'identity', row.document, { id: `${row.arn}:${versionId}`, name: row.name, arn: row.arn, versionId }));
    if (policy !== undefined) identity.get(row.groupId)?.push(policy);
  }
  for (const row of inline) {
    const policy = compileQuietly(() => sources.compiled.document(`${row.groupId}/${row.name}`, 'identity', row.document, { id: `${row.groupArn}/inline/${row.name}`, name: row.name }));
    if (policy !== undefined) identity.get(row.groupId)?.push(policy);
  }
  return list.map((g) => ({ arn: g.arn, identity: identity.get(g.id) ?? [] }));
}

/** The versions of the account's managed policies that have more than one, compiled when asked. */
async function loadVersions(database: Database, accountId: string): Promise<Map<string, DirectoryPolicyVersion[]>> {
  const rows = await database.db
    .select({ policyId: managedPolicies.id, arn: managedPolicies.arn, name: managedPolicies.name, versionNumber: policyVersions.versionNumber, isDefault: policyVersions.isDefault, document: policyVersions.document })
    .from(policyVersions)
    .innerJoin(managedPolicies, eq(managedPolicies.id, policyVersions.policyId))
    // Only policies that ever had a second version can have one that is not the default.
    .where(and(eq(managedPolicies.accountId, accountId), gt(managedPolicies.lastVersionNumber, 1)));
  const byPolicy = new Map<string, DirectoryPolicyVersion[]>();
  for (const row of rows) {
    const versionId = `v${row.versionNumber}`;
    let compiled: CompiledPolicy | undefined | null = null;
    const version: DirectoryPolicyVersion = {
      versionId,
      isDefault: row.isDefault,
      policy: () => {
        if (compiled === null) compiled = compileQuietly(() => compilePolicyOnce(row.document, `${row.arn}:${versionId}`, row.name, row.arn, versionId));
        return compiled;
      },
    };
    const list = byPolicy.get(row.arn);
    if (list === undefined) byPolicy.set(row.arn, [version]);
    else list.push(version);
  }
  for (const [arn, list] of byPolicy) if (list.length < 2) byPolicy.delete(arn);
  return byPolicy;
}

/** Attachable managed policies (the account's and the built-in ones) whose default version allows every action on every resource. */
async function loadAttachable(sources: DirectorySources, accountId: string): Promise<EscalationDirectory['attachable']> {
  const rows = await sources.database.db
    .select({ policyId: managedPolicies.id, arn: managedPolicies.arn, name: managedPolicies.name, versionNumber: policyVersions.versionNumber, document: policyVersions.document })
    .from(managedPolicies)
    .innerJoin(policyVersions, and(eq(policyVersions.policyId, managedPolicies.id), eq(policyVersions.isDefault, true)))
    .where(and(eq(managedPolicies.isAttachable, true), or(eq(managedPolicies.accountId, accountId), isNull(managedPolicies.accountId))));
  const probe: RequestPrincipal = { type: 'User', arn: `arn:aws:iam::${accountId}:user/escalation-probe`, accountId };
  const out: Array<{ arn: string; policy: CompiledPolicy }> = [];
  for (const row of rows) {
    // Cheap before compiling: a policy allowing everything names `*` somewhere.
    if (!row.document.includes('"*"')) continue;
    const versionId = `v${row.versionNumber}`;
    const policy = compileQuietly(() => sources.compiled.version(row.policyId, row.versionNumber, 'identity', row.document, { id: `${row.arn}:${versionId}`, name: row.name, arn: row.arn, versionId }));
    if (policy === undefined) continue;
    if (evaluate({ principal: probe, action: '*', resource: '*', resourceAccount: accountId, context: {} }, { identity: [policy] }, { nearMisses: false }).allowed) out.push({ arn: row.arn, policy });
  }
  // The built-in AdministratorAccess first, then by ARN: the same answer on every backend.
  return out.sort((a, b) => rank(a.arn) - rank(b.arn) || (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
}

function rank(arn: string): number {
  return arn === 'arn:aws:iam::aws:policy/AdministratorAccess' ? 0 : 1;
}

function compilePolicyOnce(text: string, id: string, name: string, arn: string, versionId: string): CompiledPolicy | undefined {
  const result = compilePolicy(text, 'identity', { id, name, arn, versionId });
  return result.ok ? result.policy : undefined;
}

/** A stored policy that does not compile grants nothing here (the authorizer fails such a principal closed). */
function compileQuietly(compile: () => CompiledPolicy | undefined): CompiledPolicy | undefined {
  try {
    return compile();
  } catch {
    return undefined;
  }
}
