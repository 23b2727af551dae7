/**
 * The IAM entities access advisor reports on (users, groups, roles, managed policies), found by
 * ARN in the caller's account, with what they grant and whose use counts for them, as AWS's
 * GenerateServiceLastAccessedDetails defines it: a user or role reports its own use; a group, the
 * use of its members; a policy, the use of the users and roles it is attached to, directly or
 * through a group. Granting policies are compiled through the process-wide cache.
 * SQL: a constant number of statements per entity, whatever its size.
 */
import { and, eq, inArray, or, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { groupMemberships, groups, inlinePolicies, managedPolicies, policyAttachments, policyVersions, roles, users, type Tag } from '../../db/schema/index.ts';
import { NoSuchEntityError, ValidationError } from '../../errors.ts';
import type { CompiledPolicy } from '../../policy/types.ts';
import type { GrantingPolicies } from '../../policy/index.ts';
import type { CompiledPolicyCache } from '../compiled-policies.ts';

/** AWS's EntityType values. */
export type AdvisorEntityType = 'USER' | 'ROLE' | 'GROUP' | 'POLICY';

/** An entity as AWS's EntityInfo describes it. */
export interface AdvisorEntity {
  readonly type: AdvisorEntityType;
  readonly id: string;
  readonly arn: string;
  readonly name: string;
  readonly path: string;
  readonly accountId: string | null;
}

/** An entity as findEntity finds it: with its tags (a group has none), aws:ResourceTag/* of the check on it. */
export interface FoundEntity extends AdvisorEntity {
  readonly tags: readonly Tag[];
}

/** An entity resolved for a report: itself, its grants, and the principals whose use counts. */
export interface ResolvedEntity {
  readonly entity: AdvisorEntity;
  readonly grants: GrantingPolicies;
  /** Users and roles whose use the report counts (the entity itself for a user or role). */
  readonly principals: readonly AdvisorEntity[];
}

/** The kind an IAM ARN names (`user/`, `group/`, `role/`, `policy/`), or undefined. */
export function entityTypeOfArn(arn: string): AdvisorEntityType | undefined {
  const m = /^arn:aws:iam::(\d{12}|aws):(user|group|role|policy)\//.exec(arn);
  return m === null ? undefined : (m[2]!.toUpperCase() as AdvisorEntityType);
}

/** Finds the entity `arn` names in `accountId` (AWS managed policies too); NoSuchEntity when none. */
export async function findEntity(database: Database, accountId: string, arn: string, field: string): Promise<FoundEntity> {
  const type = entityTypeOfArn(arn);
  if (type === undefined) throw new ValidationError(field, 'arn', `${field} must be the ARN of an IAM user, group, role or policy, got "${arn.slice(0, 200)}"`);
  const db = database.db;
  if (type === 'USER') {
    const [row] = await db.select({ id: users.id, arn: users.arn, name: users.name, path: users.path, tags: users.tags }).from(users).where(and(eq(users.arn, arn), eq(users.accountId, accountId)));
    if (row !== undefined) return { type, ...row, accountId };
    throw new NoSuchEntityError('User', arn);
  }
  if (type === 'ROLE') {
    const [row] = await db.select({ id: roles.id, arn: roles.arn, name: roles.name, path: roles.path, tags: roles.tags }).from(roles).where(and(eq(roles.arn, arn), eq(roles.accountId, accountId)));
    if (row !== undefined) return { type, ...row, accountId };
    throw new NoSuchEntityError('Role', arn);
  }
  if (type === 'GROUP') {
    const [row] = await db.select({ id: groups.id, arn: groups.arn, name: groups.name, path: groups.path }).from(groups).where(and(eq(groups.arn, arn), eq(groups.accountId, accountId)));
    if (row !== undefined) return { type, ...row, accountId, tags: [] };
    throw new NoSuchEntityError('Group', arn);
  }
  const [row] = await db
    .select({ id: managedPolicies.id, arn: managedPolicies.arn, name: managedPolicies.name, path: managedPolicies.path, accountId: managedPolicies.accountId, tags: managedPolicies.tags })
    .from(managedPolicies)
    .where(and(eq(managedPolicies.arn, arn), or(eq(managedPolicies.accountId, accountId), sql`${managedPolicies.accountId} is null`)));
  if (row !== undefined) return { type, ...row };
  throw new NoSuchEntityError('Policy', arn);
}

/** `entity` with its granting policies and the principals whose use counts for it. */
export async function resolveEntity(database: Database, compiled: CompiledPolicyCache, entity: AdvisorEntity, accountId: string): Promise<ResolvedEntity> {
  const db = database.db;
  const self = entity.type === 'USER' || entity.type === 'ROLE' ? [entity] : [];
  let principals: AdvisorEntity[] = self;
  if (entity.type === 'GROUP') principals = await groupMembers(database, [entity.id], accountId);
  if (entity.type === 'POLICY') {
    const attached = await db.select({ userId: policyAttachments.userId, groupId: policyAttachments.groupId, roleId: policyAttachments.roleId }).from(policyAttachments).where(eq(policyAttachments.policyId, entity.id));
    const userIds = attached.flatMap((a) => (a.userId === null ? [] : [a.userId]));
    const roleIds = attached.flatMap((a) => (a.roleId === null ? [] : [a.roleId]));
    const groupIds = attached.flatMap((a) => (a.groupId === null ? [] : [a.groupId]));
    const [direct, viaGroups, attachedRoles] = await Promise.all([
      userIds.length === 0 ? [] : db.select({ id: users.id, arn: users.arn, name: users.name, path: users.path }).from(users).where(and(inArray(users.id, userIds), eq(users.accountId, accountId))),
      groupMembers(database, groupIds, accountId),
      roleIds.length === 0 ? [] : db.select({ id: roles.id, arn: roles.arn, name: roles.name, path: roles.path }).from(roles).where(and(inArray(roles.id, roleIds), eq(roles.accountId, accountId))),
    ]);
    const byId = new Map<string, AdvisorEntity>();
    for (const u of direct) byId.set(u.id, { type: 'USER', ...u, accountId });
    for (const u of viaGroups) byId.set(u.id, u);
    for (const r of attachedRoles) byId.set(r.id, { type: 'ROLE', ...r, accountId });
    principals = [...byId.values()];
  }
  return { entity, grants: await grantsOf(database, compiled, entity), principals };
}

/** Users of the groups `groupIds`, each once. */
async function groupMembers(database: Database, groupIds: readonly string[], accountId: string): Promise<AdvisorEntity[]> {
  if (groupIds.length === 0) return [];
  const rows = await database.db
    .selectDistinct({ id: users.id, arn: users.arn, name: users.name, path: users.path })
    .from(groupMemberships)
    .innerJoin(users, eq(users.id, groupMemberships.userId))
    .where(and(inArray(groupMemberships.groupId, [...groupIds]), eq(users.accountId, accountId)));
  return rows.map((u) => ({ type: 'USER' as const, ...u, accountId }));
}

/**
 * What the entity grants: a policy, its default version; a group, its inline and attached
 * policies; a user, its own and its groups' (and its boundary); a role, its own (and its boundary).
 */
async function grantsOf(database: Database, compiled: CompiledPolicyCache, entity: AdvisorEntity): Promise<GrantingPolicies> {
  const db = database.db;
  if (entity.type === 'POLICY') return { identity: await managedDefaults(database, compiled, eq(managedPolicies.id, entity.id)) };
  const owners = [entity.id];
  if (entity.type === 'USER') {
    const memberOf = await db.select({ groupId: groupMemberships.groupId }).from(groupMemberships).where(eq(groupMemberships.userId, entity.id));
    owners.push(...memberOf.map((m) => m.groupId));
  }
  const [inline, attached, boundaryArn] = await Promise.all([
    db.select({ principalId: inlinePolicies.principalId, name: inlinePolicies.name, document: inlinePolicies.document }).from(inlinePolicies).where(inArray(inlinePolicies.principalId, owners)),
    db.select({ policyId: policyAttachments.policyId }).from(policyAttachments).where(inArray(policyAttachments.principalId, owners)),
    boundaryOf(database, entity),
  ]);
  const identity: CompiledPolicy[] = inline.map((p) => compiled.document(`${p.principalId}/${p.name}`, 'identity', p.document, { id: `${entity.arn}/inline/${p.name}`, name: p.name }));
  const policyIds = [...new Set(attached.map((a) => a.policyId))];
  if (policyIds.length > 0) identity.push(...(await managedDefaults(database, compiled, inArray(managedPolicies.id, policyIds))));
  if (boundaryArn === null) return { identity };
  return { identity, boundary: await managedDefaults(database, compiled, eq(managedPolicies.arn, boundaryArn), 'boundary') };
}

/** The permissions boundary ARN of a user or role, else null. */
async function boundaryOf(database: Database, entity: AdvisorEntity): Promise<string | null> {
  if (entity.type === 'USER') {
    const [row] = await database.db.select({ arn: users.permissionsBoundaryArn }).from(users).where(eq(users.id, entity.id));
    return row?.arn ?? null;
  }
  if (entity.type === 'ROLE') {
    const [row] = await database.db.select({ arn: roles.permissionsBoundaryArn }).from(roles).where(eq(roles.id, entity.id));
    return row?.arn ?? null;
  }
  return null;
}

/** The compiled default versions of the managed policies `where` selects. */
async function managedDefaults(database: Database, compiled: CompiledPolicyCache, where: ReturnType<typeof eq>, kind: 'identity' | 'boundary' = 'identity'): Promise<CompiledPolicy[]> {
  const rows = await database.db
    .select({ policyId: policyVersions.policyId, versionNumber: policyVersions.versionNumber, document: policyVersions.document, arn: managedPolicies.arn, name: managedPolicies.name })
    .from(policyVersions)
    .innerJoin(managedPolicies, eq(managedPolicies.id, policyVersions.policyId))
    .where(and(where, eq(policyVersions.isDefault, true)));
  return rows.map((r) => compiled.version(r.policyId, r.versionNumber, kind, r.document, { id: `${r.arn}:v${r.versionNumber}`, name: r.name, arn: r.arn, versionId: `v${r.versionNumber}` }));
}
