/**
 * IAM groups: CreateGroup, GetGroup, ListGroups, UpdateGroup, DeleteGroup. Membership lives in
 * src/iam/group-membership.ts. Names are unique per account case-insensitively.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { groupMemberships, groups, inlinePolicies, policyAttachments } from '../db/schema/index.ts';
import { principalsAffectedByGroup, type Queryable } from './affected-principals.ts';
import { DeleteConflictError, EntityAlreadyExistsError, NoSuchEntityError } from '../errors.ts';
import { newUniqueId } from './ids.ts';
import { afterFilter, decodeCursor, pageSize, pathPrefixFilter, toPage, type Page, type PageRequest } from './pagination.ts';
import { enforceAccountQuota } from './account-quotas.ts';
import type { FindPrincipalOptions } from './principal-refs.ts';
import { rethrowUniqueViolation } from './unique-violation.ts';
import { validateName, validatePath, validatePathPrefix } from './validation.ts';
import { runWrite, type WriteActor, type WriteResult } from '../changes/outbox.ts';

/** A group row as stored. */
export type Group = typeof groups.$inferSelect;

/** SQL condition: the group's name equals `name`, ignoring case. */
function named(name: string) {
  return eq(sql`lower(${groups.name})`, name.toLowerCase());
}

/**
 * GetGroup: the group named `groupName` (any case) in `accountId`, or the one with `options.foundId`
 * when a guard already found it by that name; NoSuchEntityError otherwise. `options.lock` locks the row.
 */
export async function getGroup(tx: Queryable, accountId: string, groupName: string, field = 'input.groupName', options: FindPrincipalOptions = {}): Promise<Group> {
  validateName('groupName', groupName, field);
  const query = tx
    .select()
    .from(groups)
    .where(and(eq(groups.accountId, accountId), options.foundId === undefined ? named(groupName) : eq(groups.id, options.foundId)));
  const [row] = options.lock === true ? await query.for('update') : await query;
  if (row === undefined) throw new NoSuchEntityError('Group', groupName);
  return row;
}

/** The groups of `accountId` among `ids` (any order; ids not found are left out): one statement. */
export async function groupsByIds(tx: Queryable, accountId: string, ids: readonly string[]): Promise<Group[]> {
  return tx.select().from(groups).where(and(eq(groups.accountId, accountId), inArray(groups.id, [...ids])));
}

/** The groups of `accountId` among `names` (compared ignoring case; any order; names not found are left out): one statement. */
export async function groupsByNames(tx: Queryable, accountId: string, names: readonly string[]): Promise<Group[]> {
  const lowered = [...new Set(names.map((name) => name.toLowerCase()))];
  return tx.select().from(groups).where(and(eq(groups.accountId, accountId), inArray(sql`lower(${groups.name})`, lowered)));
}

/** CreateGroup parameters. */
export interface CreateGroupInput {
  readonly groupName: string;
  readonly path?: string | null;
}

/** CreateGroup: a new, empty group in the actor's account. */
export async function createGroup(database: Database, actor: WriteActor, input: CreateGroupInput): Promise<WriteResult<Group>> {
  const name = validateName('groupName', input.groupName);
  const path = validatePath(input.path);
  return runWrite(database, actor, async (tx, record) => {
    const [existing] = await tx.select({ id: groups.id }).from(groups).where(and(eq(groups.accountId, actor.accountId), named(name)));
    if (existing !== undefined) throw new EntityAlreadyExistsError('Group', name);
    await enforceAccountQuota(tx, 'Groups', actor.accountId, async () => {
      const [count] = await tx.select({ n: sql<number>`count(*)::int` }).from(groups).where(eq(groups.accountId, actor.accountId));
      return count?.n ?? 0;
    });
    const [group] = await tx
      .insert(groups)
      .values({ id: newUniqueId('group'), accountId: actor.accountId, path, name })
      .returning()
      .catch(rethrowUniqueViolation(() => new EntityAlreadyExistsError('Group', name)));
    record({
      kind: 'GroupCreated',
      entityType: 'group',
      entityArn: group!.arn,
      affectedPrincipalIds: [group!.id],
      payload: { groupName: name, path },
    });
    return group!;
  });
}

/** ListGroups parameters. */
export interface ListGroupsInput extends PageRequest {
  readonly pathPrefix?: string | null;
}

const GROUP_SORT = [sql`lower(${groups.name})`];

/** ListGroups: the account's groups whose path starts with `pathPrefix`, by name, one page at a time. */
export async function listGroups(tx: Queryable, accountId: string, input: ListGroupsInput = {}): Promise<Page<Group>> {
  const limit = pageSize(input.first);
  const after = decodeCursor(input.after);
  const prefix = validatePathPrefix(input.pathPrefix);
  const rows = await tx
    .select()
    .from(groups)
    .where(and(eq(groups.accountId, accountId), pathPrefixFilter(groups.path, prefix), afterFilter(GROUP_SORT, after)))
    .orderBy(asc(sql`lower(${groups.name})`))
    .limit(limit + 1);
  return toPage(rows, limit, (g) => [g.name.toLowerCase()]);
}

/** UpdateGroup parameters: a new name and/or a new path. */
export interface UpdateGroupInput {
  readonly groupName: string;
  readonly newGroupName?: string | null;
  readonly newPath?: string | null;
}

/**
 * UpdateGroup: renames and/or moves a group. Its ARN changes, so policies naming the old ARN stop
 * matching; the group and its members count as affected. `foundId`: the group a guard already
 * found by name (see FindPrincipalOptions); likewise for DeleteGroup.
 */
export async function updateGroup(database: Database, actor: WriteActor, input: UpdateGroupInput, foundId?: string): Promise<WriteResult<Group>> {
  validateName('groupName', input.groupName);
  const newName =
    input.newGroupName === undefined || input.newGroupName === null ? undefined : validateName('groupName', input.newGroupName, 'input.newGroupName');
  const newPath = input.newPath === undefined || input.newPath === null ? undefined : validatePath(input.newPath, 'input.newPath');
  return runWrite(database, actor, async (tx, record) => {
    const group = await getGroup(tx, actor.accountId, input.groupName, 'input.groupName', { foundId });
    if (newName !== undefined && newName.toLowerCase() !== group.name.toLowerCase()) {
      const [clash] = await tx.select({ id: groups.id }).from(groups).where(and(eq(groups.accountId, actor.accountId), named(newName)));
      if (clash !== undefined) throw new EntityAlreadyExistsError('Group', newName);
    }
    const [updated] = await tx
      .update(groups)
      .set({ name: newName ?? group.name, path: newPath ?? group.path })
      .where(eq(groups.id, group.id))
      .returning()
      .catch(rethrowUniqueViolation(() => new EntityAlreadyExistsError('Group', newName ?? group.name)));
    record({
      kind: 'GroupUpdated',
      entityType: 'group',
      entityArn: updated!.arn,
      affectedPrincipalIds: await principalsAffectedByGroup(tx, group.id),
      payload: { oldArn: group.arn, groupName: updated!.name, path: updated!.path },
    });
    return updated!;
  });
}

/**
 * DeleteGroup: deletes a group with no members and no attached or inline policies (AWS makes the
 * caller remove each first). Only the group itself is affected: it has no members left.
 */
export async function deleteGroup(database: Database, actor: WriteActor, groupName: string, foundId?: string): Promise<WriteResult<Group>> {
  return runWrite(database, actor, async (tx, record) => {
    const group = await getGroup(tx, actor.accountId, groupName, 'input.groupName', { foundId });
    const count = (table: typeof groupMemberships | typeof policyAttachments | typeof inlinePolicies) =>
      sql<number>`(select count(*)::int from ${table} where ${table.groupId} = ${group.id})`;
    const [row] = await tx
      .select({ members: count(groupMemberships), attached: count(policyAttachments), inline: count(inlinePolicies) })
      .from(sql`(select 1) as one`);
    const parts: string[] = [];
    if ((row?.members ?? 0) > 0) parts.push(`${row!.members} member(s)`);
    if ((row?.attached ?? 0) > 0) parts.push(`${row!.attached} attached policy(ies)`);
    if ((row?.inline ?? 0) > 0) parts.push(`${row!.inline} inline policy(ies)`);
    if (parts.length > 0) throw new DeleteConflictError('Group', group.name, `${parts.join(', ')}; remove them first`);
    await tx.delete(groups).where(eq(groups.id, group.id));
    record({
      kind: 'GroupDeleted',
      entityType: 'group',
      entityArn: group.arn,
      affectedPrincipalIds: [group.id],
      payload: { groupName: group.name, path: group.path },
    });
    return group;
  });
}
