/**
 * Group membership: AddUserToGroup, RemoveUserFromGroup, ListGroupsForUser and GetGroup's user
 * list. The batched forms (`groupsOfUsers`, `usersOfGroups`) page each parent's list in one
 * statement for any number of parents, which is what the GraphQL loaders call.
 */
import { and, asc, eq, getColumns, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { groupMemberships, groups, users } from '../db/schema/index.ts';
import type { Queryable } from './affected-principals.ts';
import { getGroup, type Group } from './groups.ts';
import { decodeCursor, pageSize, toPage, type Page, type PageRequest } from './pagination.ts';
import { enforceQuota } from './quotas.ts';
import { getUser, type User } from './users.ts';
import { runWrite, type WriteActor, type WriteResult } from '../changes/outbox.ts';

/** AddUserToGroup / RemoveUserFromGroup parameters. */
export interface MembershipInput {
  readonly groupName: string;
  readonly userName: string;
}

/** The user and group a membership write touched. */
export interface Membership {
  readonly user: User;
  readonly group: Group;
}

/**
 * AddUserToGroup: makes the user a member. Adding an existing member changes nothing (as AWS);
 * a user may be in at most 10 groups. The user's effective permissions change: it is affected.
 * `groupFoundId`: the group a guard already found by name (see FindPrincipalOptions); likewise below.
 */
export async function addUserToGroup(database: Database, actor: WriteActor, input: MembershipInput, groupFoundId?: string): Promise<WriteResult<Membership>> {
  return runWrite(database, actor, async (tx, record) => {
    const group = await getGroup(tx, actor.accountId, input.groupName, 'input.groupName', { foundId: groupFoundId });
    // Lock the user's row so two concurrent adds cannot both pass the quota check.
    const user = await getUser(tx, actor.accountId, input.userName, 'input.userName', { lock: true });
    const current = await tx.select({ groupId: groupMemberships.groupId }).from(groupMemberships).where(eq(groupMemberships.userId, user.id));
    if (current.some((m) => m.groupId === group.id)) return { user, group };
    enforceQuota('GroupsPerUser', current.length);
    await tx.insert(groupMemberships).values({ groupId: group.id, userId: user.id }).onConflictDoNothing();
    record({
      kind: 'UserAddedToGroup',
      entityType: 'group',
      entityArn: group.arn,
      affectedPrincipalIds: [user.id],
      payload: { groupName: group.name, userName: user.name, userArn: user.arn },
    });
    return { user, group };
  });
}

/** RemoveUserFromGroup: ends a membership; removing a non-member changes nothing. */
export async function removeUserFromGroup(database: Database, actor: WriteActor, input: MembershipInput, groupFoundId?: string): Promise<WriteResult<Membership>> {
  return runWrite(database, actor, async (tx, record) => {
    const group = await getGroup(tx, actor.accountId, input.groupName, 'input.groupName', { foundId: groupFoundId });
    const user = await getUser(tx, actor.accountId, input.userName);
    const removed = await tx
      .delete(groupMemberships)
      .where(and(eq(groupMemberships.groupId, group.id), eq(groupMemberships.userId, user.id)))
      .returning({ userId: groupMemberships.userId });
    if (removed.length > 0) {
      record({
        kind: 'UserRemovedFromGroup',
        entityType: 'group',
        entityArn: group.arn,
        affectedPrincipalIds: [user.id],
        payload: { groupName: group.name, userName: user.name, userArn: user.arn },
      });
    }
    return { user, group };
  });
}

/**
 * One page of each parent's related rows in one statement: rank the related rows per parent by
 * lower(name) with a window function and keep the first `limit + 1` past the cursor.
 */
async function pagesPerParent<T extends { name: string }>(
  run: (rankedLimit: number, after: string | undefined) => Promise<Array<T & { parentId: string }>>,
  parentIds: readonly string[],
  request: PageRequest,
): Promise<Map<string, Page<T>>> {
  const limit = pageSize(request.first);
  const after = decodeCursor(request.after)?.[0];
  const byParent = new Map<string, T[]>(parentIds.map((id) => [id, []]));
  if (parentIds.length > 0) {
    for (const { parentId, ...row } of await run(limit + 1, after)) byParent.get(parentId)?.push(row as unknown as T);
  }
  return new Map([...byParent].map(([id, rows]) => [id, toPage(rows, limit, (r) => [r.name.toLowerCase()])]));
}

/** The cursor condition, applied before ranking so each parent's page starts after it. */
function pastCursor(nameColumn: SQL, after: string | undefined): SQL | undefined {
  return after === undefined ? undefined : sql`${nameColumn} > ${after}`;
}

/** Each user's groups in `accountId`, one page per user (same `first`/`after` for all), in one statement. */
export async function groupsOfUsers(tx: Queryable, accountId: string, userIds: readonly string[], request: PageRequest = {}): Promise<Map<string, Page<Group>>> {
  return pagesPerParent<Group>(
    async (rankedLimit, after) => {
      const ranked = tx
        .select({
          ...getColumns(groups),
          parentId: sql<string>`${groupMemberships.userId}`.as('parent_id'),
          rn: sql<number>`row_number() over (partition by ${groupMemberships.userId} order by lower(${groups.name}))`.as('rn'),
        })
        .from(groupMemberships)
        .innerJoin(groups, eq(groups.id, groupMemberships.groupId))
        .where(and(inArray(groupMemberships.userId, [...userIds]), eq(groups.accountId, accountId), pastCursor(sql`lower(${groups.name})`, after)))
        .as('ranked');
      const rows = await tx
        .select()
        .from(ranked)
        .where(lte(ranked.rn, rankedLimit))
        .orderBy(asc(ranked.parentId), asc(ranked.rn));
      return rows.map(({ rn: _rn, ...row }) => row);
    },
    userIds,
    request,
  );
}

/** Each group's members in `accountId`, one page per group, in one statement. */
export async function usersOfGroups(tx: Queryable, accountId: string, groupIds: readonly string[], request: PageRequest = {}): Promise<Map<string, Page<User>>> {
  return pagesPerParent<User>(
    async (rankedLimit, after) => {
      const ranked = tx
        .select({
          ...getColumns(users),
          parentId: sql<string>`${groupMemberships.groupId}`.as('parent_id'),
          rn: sql<number>`row_number() over (partition by ${groupMemberships.groupId} order by lower(${users.name}))`.as('rn'),
        })
        .from(groupMemberships)
        .innerJoin(users, eq(users.id, groupMemberships.userId))
        .where(and(inArray(groupMemberships.groupId, [...groupIds]), eq(users.accountId, accountId), pastCursor(sql`lower(${users.name})`, after)))
        .as('ranked');
      const rows = await tx
        .select()
        .from(ranked)
        .where(lte(ranked.rn, rankedLimit))
        .orderBy(asc(ranked.parentId), asc(ranked.rn));
      return rows.map(({ rn: _rn, ...row }) => row);
    },
    groupIds,
    request,
  );
}

/** ListGroupsForUser: the groups the named user belongs to, by name, one page at a time. */
export async function listGroupsForUser(tx: Queryable, accountId: string, userName: string, request: PageRequest = {}): Promise<Page<Group>> {
  const user = await getUser(tx, accountId, userName);
  return (await groupsOfUsers(tx, accountId, [user.id], request)).get(user.id)!;
}

/** GetGroup's user list: the named group's members, by name, one page at a time. */
export async function listUsersInGroup(tx: Queryable, accountId: string, groupName: string, request: PageRequest = {}): Promise<Page<User>> {
  const group = await getGroup(tx, accountId, groupName);
  return (await usersOfGroups(tx, accountId, [group.id], request)).get(group.id)!;
}
