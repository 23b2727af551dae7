/**
 * IAM roles: CreateRole, GetRole, ListRoles, UpdateRole, DeleteRole. A role's trust policy is
 * validated by the policy engine as kind `trust` before it is stored (UpdateAssumeRolePolicy lives
 * in src/iam/trust-policy.ts). Names are unique per account case-insensitively.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { inlinePolicies, policyAttachments, roles, type Tag } from '../db/schema/index.ts';
import type { Finding } from '../policy/index.ts';
import type { Queryable } from './affected-principals.ts';
import { DeleteConflictError, EntityAlreadyExistsError, NoSuchEntityError } from '../errors.ts';
import { newUniqueId } from './ids.ts';
import { afterFilter, decodeCursor, pageSize, pathPrefixFilter, toPage, type Page, type PageRequest } from './pagination.ts';
import { getPolicy } from './policies.ts';
import type { FindPrincipalOptions } from './principal-refs.ts';
import { catalogForDocument } from './services/catalog-view.ts';
import { checkPolicyDocument } from './policy-documents.ts';
import { resolvePrincipalIds } from './trust-principals.ts';
import { enforceAccountQuota } from './account-quotas.ts';
import { rethrowUniqueViolation } from './unique-violation.ts';
import {
  validateDescription,
  validateMaxSessionDuration,
  validateName,
  validatePath,
  validatePathPrefix,
  validateRequired,
  validateTags,
} from './validation.ts';
import { runWrite, type WriteActor, type WriteResult } from '../changes/outbox.ts';

/** A role row as stored. */
export type Role = typeof roles.$inferSelect;

/** SQL condition: the role's name equals `name`, ignoring case. */
function named(name: string) {
  return eq(sql`lower(${roles.name})`, name.toLowerCase());
}

/**
 * GetRole: the role named `roleName` (any case) in `accountId`, or the one with `options.foundId`
 * when a guard already found it by that name; NoSuchEntityError otherwise. `options.lock` locks the row.
 */
export async function getRole(tx: Queryable, accountId: string, roleName: string, field = 'input.roleName', options: FindPrincipalOptions = {}): Promise<Role> {
  validateName('roleName', roleName, field);
  const query = tx
    .select()
    .from(roles)
    .where(and(eq(roles.accountId, accountId), options.foundId === undefined ? named(roleName) : eq(roles.id, options.foundId)));
  // Writers that read-modify-write the row (tags) lock it so concurrent writes queue.
  const [row] = options.lock === true ? await query.for('update') : await query;
  if (row === undefined) throw new NoSuchEntityError('Role', roleName);
  return row;
}

/** The roles of `accountId` among `ids` (any order; ids not found are left out): one statement. */
export async function rolesByIds(tx: Queryable, accountId: string, ids: readonly string[]): Promise<Role[]> {
  return tx.select().from(roles).where(and(eq(roles.accountId, accountId), inArray(roles.id, [...ids])));
}

/** The roles of `accountId` among `names` (compared ignoring case; any order; names not found are left out): one statement. */
export async function rolesByNames(tx: Queryable, accountId: string, names: readonly string[]): Promise<Role[]> {
  const lowered = [...new Set(names.map((name) => name.toLowerCase()))];
  return tx.select().from(roles).where(and(eq(roles.accountId, accountId), inArray(sql`lower(${roles.name})`, lowered)));
}

/** CreateRole parameters. */
export interface CreateRoleInput {
  readonly roleName: string;
  readonly path?: string | null;
  /** The trust policy: who may assume the role. */
  readonly assumeRolePolicyDocument: string;
  readonly description?: string | null;
  /** Longest session AssumeRole may grant, in seconds (3600-43200, default 3600). */
  readonly maxSessionDuration?: number | null;
  readonly tags?: readonly Tag[] | null;
  /** ARN of a managed policy to use as the role's permissions boundary. */
  readonly permissionsBoundary?: string | null;
}

/** A created role and the trust policy's non-error findings (warnings, suggestions). */
export interface CreatedRole {
  readonly role: Role;
  readonly findings: readonly Finding[];
}

/** CreateRole: a new role in the actor's account. */
export async function createRole(database: Database, actor: WriteActor, input: CreateRoleInput): Promise<WriteResult<CreatedRole>> {
  const name = validateName('roleName', input.roleName);
  const path = validatePath(input.path);
  const description = validateDescription(input.description);
  const maxSessionDuration = validateMaxSessionDuration(input.maxSessionDuration);
  const tags = validateTags(input.tags);
  validateRequired(input.assumeRolePolicyDocument, 'input.assumeRolePolicyDocument');
  const catalog = await catalogForDocument(database, actor.accountId, input.assumeRolePolicyDocument);
  const findings = checkPolicyDocument(input.assumeRolePolicyDocument, 'trust', 'input.assumeRolePolicyDocument', { catalog });
  return runWrite(database, actor, async (tx, record) => {
    const [existing] = await tx.select({ id: roles.id }).from(roles).where(and(eq(roles.accountId, actor.accountId), named(name)));
    if (existing !== undefined) throw new EntityAlreadyExistsError('Role', name);
    await enforceAccountQuota(tx, 'Roles', actor.accountId, async () => {
      const [count] = await tx.select({ n: sql<number>`count(*)::int` }).from(roles).where(eq(roles.accountId, actor.accountId));
      return count?.n ?? 0;
    });
    const boundary =
      input.permissionsBoundary === undefined || input.permissionsBoundary === null
        ? null
        : (await getPolicy(tx, actor.accountId, input.permissionsBoundary, 'input.permissionsBoundary')).arn;
    const id = newUniqueId('role');
    // A trust policy may name the role it belongs to; its ARN is known before the row exists.
    const self = { arn: `arn:aws:iam::${actor.accountId}:role${path}${name}`, id };
    const trustPrincipalIds = await resolvePrincipalIds(tx, actor.accountId, input.assumeRolePolicyDocument, 'input.assumeRolePolicyDocument', self);
    const [role] = await tx
      .insert(roles)
      .values({
        id,
        accountId: actor.accountId,
        path,
        name,
        trustPolicy: input.assumeRolePolicyDocument,
        trustPrincipalIds,
        description,
        maxSessionDuration,
        tags,
        permissionsBoundaryArn: boundary,
      })
      .returning()
      .catch(rethrowUniqueViolation(() => new EntityAlreadyExistsError('Role', name)));
    record({
      kind: 'RoleCreated',
      entityType: 'role',
      entityArn: role!.arn,
      affectedPrincipalIds: [role!.id],
      payload: { roleName: name, path, maxSessionDuration, tagKeys: tags.map((t) => t.key), permissionsBoundary: boundary },
    });
    return { role: role!, findings };
  });
}

/** ListRoles parameters. */
export interface ListRolesInput extends PageRequest {
  readonly pathPrefix?: string | null;
}

const ROLE_SORT = [sql`lower(${roles.name})`];

/** ListRoles: the account's roles whose path starts with `pathPrefix`, by name, one page at a time. */
export async function listRoles(tx: Queryable, accountId: string, input: ListRolesInput = {}): Promise<Page<Role>> {
  const limit = pageSize(input.first);
  const after = decodeCursor(input.after);
  const prefix = validatePathPrefix(input.pathPrefix);
  const rows = await tx
    .select()
    .from(roles)
    .where(and(eq(roles.accountId, accountId), pathPrefixFilter(roles.path, prefix), afterFilter(ROLE_SORT, after)))
    .orderBy(asc(sql`lower(${roles.name})`))
    .limit(limit + 1);
  return toPage(rows, limit, (r) => [r.name.toLowerCase()]);
}

/** UpdateRole parameters; an absent field keeps its value, an empty description clears it. */
export interface UpdateRoleInput {
  readonly roleName: string;
  readonly description?: string | null;
  readonly maxSessionDuration?: number | null;
}

/**
 * UpdateRole: changes the description and/or the maximum session duration. Neither changes what
 * the role may do, but the session cap bounds future AssumeRole calls, so the role is affected.
 * `foundId`: the role a guard already found by name (see FindPrincipalOptions); likewise for DeleteRole.
 */
export async function updateRole(database: Database, actor: WriteActor, input: UpdateRoleInput, foundId?: string): Promise<WriteResult<Role>> {
  validateName('roleName', input.roleName);
  const description = input.description === undefined ? undefined : validateDescription(input.description);
  const maxSessionDuration =
    input.maxSessionDuration === undefined || input.maxSessionDuration === null ? undefined : validateMaxSessionDuration(input.maxSessionDuration);
  return runWrite(database, actor, async (tx, record) => {
    const role = await getRole(tx, actor.accountId, input.roleName, 'input.roleName', { foundId });
    const [updated] = await tx
      .update(roles)
      .set({
        description: description === undefined ? role.description : description === '' ? null : description,
        maxSessionDuration: maxSessionDuration ?? role.maxSessionDuration,
      })
      .where(eq(roles.id, role.id))
      .returning();
    record({
      kind: 'RoleUpdated',
      entityType: 'role',
      entityArn: role.arn,
      affectedPrincipalIds: [role.id],
      payload: { roleName: role.name, maxSessionDuration: updated!.maxSessionDuration, descriptionChanged: description !== undefined },
    });
    return updated!;
  });
}

/**
 * DeleteRole: deletes a role with no attached or inline policies (AWS makes the caller remove
 * each first). Sessions already issued for it end with it (the session rows cascade).
 */
export async function deleteRole(database: Database, actor: WriteActor, roleName: string, foundId?: string): Promise<WriteResult<Role>> {
  return runWrite(database, actor, async (tx, record) => {
    const role = await getRole(tx, actor.accountId, roleName, 'input.roleName', { foundId });
    const count = (table: typeof policyAttachments | typeof inlinePolicies) =>
      sql<number>`(select count(*)::int from ${table} where ${table.roleId} = ${role.id})`;
    const [row] = await tx.select({ attached: count(policyAttachments), inline: count(inlinePolicies) }).from(sql`(select 1) as one`);
    const parts: string[] = [];
    if ((row?.attached ?? 0) > 0) parts.push(`${row!.attached} attached policy(ies)`);
    if ((row?.inline ?? 0) > 0) parts.push(`${row!.inline} inline policy(ies)`);
    if (parts.length > 0) throw new DeleteConflictError('Role', role.name, `${parts.join(', ')}; remove them first`);
    await tx.delete(roles).where(eq(roles.id, role.id));
    record({
      kind: 'RoleDeleted',
      entityType: 'role',
      entityArn: role.arn,
      affectedPrincipalIds: [role.id],
      payload: { roleName: role.name, path: role.path },
    });
    return role;
  });
}
