/**
 * IAM users: CreateUser, GetUser, ListUsers, UpdateUser, DeleteUser. Every read and write is
 * scoped to one account; names are unique per account case-insensitively and looked up the
 * same way. The account's root user is a row here too, but no directory operation sees it.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { accessKeys, groupMemberships, inlinePolicies, mfaDevices, policyAttachments, users, type Tag } from '../db/schema/index.ts';
import type { Queryable } from './affected-principals.ts';
import { DeleteConflictError, EntityAlreadyExistsError, NoSuchEntityError } from '../errors.ts';
import { newUniqueId } from './ids.ts';
import { afterFilter, decodeCursor, pageSize, pathPrefixFilter, toPage, type Page, type PageRequest } from './pagination.ts';
import { getPolicy } from './policies.ts';
import type { FindPrincipalOptions } from './principal-refs.ts';
import { enforceAccountQuota } from './account-quotas.ts';
import { rethrowUniqueViolation } from './unique-violation.ts';
import { validateName, validatePath, validatePathPrefix, validateTags } from './validation.ts';
import { runWrite, type WriteActor, type WriteResult } from '../changes/outbox.ts';

/** A user row as stored. */
export type User = typeof users.$inferSelect;

/** Non-root users of one account. */
function inAccount(accountId: string) {
  return and(eq(users.accountId, accountId), eq(users.isRoot, false));
}

/** SQL condition: the user's name equals `name`, ignoring case (served by users_account_name_unique). */
function named(name: string) {
  return eq(sql`lower(${users.name})`, name.toLowerCase());
}

/**
 * GetUser: the user named `userName` (any case) in `accountId`, or the one with `options.foundId`
 * when a guard already found it by that name. Validates the name as `field`; NoSuchEntityError
 * when there is none (including in another account). `options.lock` locks the row.
 */
export async function getUser(tx: Queryable, accountId: string, userName: string, field = 'input.userName', options: FindPrincipalOptions = {}): Promise<User> {
  validateName('userName', userName, field);
  const query = tx
    .select()
    .from(users)
    .where(and(inAccount(accountId), options.foundId === undefined ? named(userName) : eq(users.id, options.foundId)));
  // Writers that read-modify-write the row (tags, group quota) lock it so concurrent writes queue.
  const [row] = options.lock === true ? await query.for('update') : await query;
  if (row === undefined) throw new NoSuchEntityError('User', userName);
  return row;
}

/** The non-root users of `accountId` among `ids` (any order; ids not found are left out): one statement. */
export async function usersByIds(tx: Queryable, accountId: string, ids: readonly string[]): Promise<User[]> {
  return tx.select().from(users).where(and(inAccount(accountId), inArray(users.id, [...ids])));
}

/** The users of `accountId` among `names` (compared ignoring case; any order; names not found are left out): one statement. */
export async function usersByNames(tx: Queryable, accountId: string, names: readonly string[]): Promise<User[]> {
  const lowered = [...new Set(names.map((name) => name.toLowerCase()))];
  return tx.select().from(users).where(and(inAccount(accountId), inArray(sql`lower(${users.name})`, lowered)));
}

/** CreateUser parameters. */
export interface CreateUserInput {
  readonly userName: string;
  readonly path?: string | null;
  readonly tags?: readonly Tag[] | null;
  /** ARN of a managed policy to use as the user's permissions boundary. */
  readonly permissionsBoundary?: string | null;
}

/** CreateUser: a new user in the actor's account. */
export async function createUser(database: Database, actor: WriteActor, input: CreateUserInput): Promise<WriteResult<User>> {
  const name = validateName('userName', input.userName);
  const path = validatePath(input.path);
  const tags = validateTags(input.tags);
  return runWrite(database, actor, async (tx, record) => {
    const [existing] = await tx.select({ id: users.id }).from(users).where(and(eq(users.accountId, actor.accountId), named(name)));
    if (existing !== undefined) throw new EntityAlreadyExistsError('User', name);
    await enforceAccountQuota(tx, 'Users', actor.accountId, async () => {
      const [count] = await tx.select({ n: sql<number>`count(*)::int` }).from(users).where(inAccount(actor.accountId));
      return count?.n ?? 0;
    });
    const boundary =
      input.permissionsBoundary === undefined || input.permissionsBoundary === null
        ? null
        : (await getPolicy(tx, actor.accountId, input.permissionsBoundary, 'input.permissionsBoundary')).arn;
    const [user] = await tx
      .insert(users)
      .values({ id: newUniqueId('user'), accountId: actor.accountId, path, name, tags, permissionsBoundaryArn: boundary })
      .returning()
      .catch(rethrowUniqueViolation(() => new EntityAlreadyExistsError('User', name)));
    record({
      kind: 'UserCreated',
      entityType: 'user',
      entityArn: user!.arn,
      affectedPrincipalIds: [user!.id],
      payload: { userName: name, path, tagKeys: tags.map((t) => t.key), permissionsBoundary: boundary },
    });
    return user!;
  });
}

/** ListUsers parameters. */
export interface ListUsersInput extends PageRequest {
  readonly pathPrefix?: string | null;
}

const USER_SORT = [sql`lower(${users.name})`];

/** ListUsers: the account's users whose path starts with `pathPrefix`, by name, one page at a time. */
export async function listUsers(tx: Queryable, accountId: string, input: ListUsersInput = {}): Promise<Page<User>> {
  const limit = pageSize(input.first);
  const after = decodeCursor(input.after);
  const prefix = validatePathPrefix(input.pathPrefix);
  const rows = await tx
    .select()
    .from(users)
    .where(and(inAccount(accountId), pathPrefixFilter(users.path, prefix), afterFilter(USER_SORT, after)))
    .orderBy(asc(sql`lower(${users.name})`))
    .limit(limit + 1);
  return toPage(rows, limit, (u) => [u.name.toLowerCase()]);
}

/** UpdateUser parameters: a new name and/or a new path. */
export interface UpdateUserInput {
  readonly userName: string;
  readonly newUserName?: string | null;
  readonly newPath?: string | null;
}

/**
 * UpdateUser: renames and/or moves a user. Its unique id stays; its ARN changes, so policies that
 * name the old ARN no longer match it, which is why the user counts as affected. `foundId`: the
 * user a guard already found by name (see FindPrincipalOptions); likewise for the writes below.
 */
export async function updateUser(database: Database, actor: WriteActor, input: UpdateUserInput, foundId?: string): Promise<WriteResult<User>> {
  validateName('userName', input.userName);
  const newName = input.newUserName === undefined || input.newUserName === null ? undefined : validateName('userName', input.newUserName, 'input.newUserName');
  const newPath = input.newPath === undefined || input.newPath === null ? undefined : validatePath(input.newPath, 'input.newPath');
  return runWrite(database, actor, async (tx, record) => {
    const user = await getUser(tx, actor.accountId, input.userName, 'input.userName', { foundId });
    if (newName !== undefined && newName.toLowerCase() !== user.name.toLowerCase()) {
      const [clash] = await tx.select({ id: users.id }).from(users).where(and(eq(users.accountId, actor.accountId), named(newName)));
      if (clash !== undefined) throw new EntityAlreadyExistsError('User', newName);
    }
    const [updated] = await tx
      .update(users)
      .set({ name: newName ?? user.name, path: newPath ?? user.path })
      .where(eq(users.id, user.id))
      .returning()
      .catch(rethrowUniqueViolation(() => new EntityAlreadyExistsError('User', newName ?? user.name)));
    record({
      kind: 'UserUpdated',
      entityType: 'user',
      entityArn: updated!.arn,
      affectedPrincipalIds: [user.id],
      payload: { oldArn: user.arn, userName: updated!.name, path: updated!.path },
    });
    return updated!;
  });
}

/** What still hangs off a user; each must be removed before DeleteUser, as in AWS. */
export interface UserDependents {
  readonly groups: number;
  readonly attachedPolicies: number;
  readonly inlinePolicies: number;
  readonly accessKeys: number;
  readonly mfaDevices: number;
  readonly loginProfile: boolean;
}

/** Counts a user's dependents in one statement. */
export async function userDependents(tx: Queryable, user: User): Promise<UserDependents> {
  const count = (table: typeof groupMemberships | typeof policyAttachments | typeof inlinePolicies | typeof accessKeys | typeof mfaDevices) =>
    sql<number>`(select count(*)::int from ${table} where ${table.userId} = ${user.id})`;
  const [row] = await tx
    .select({
      groups: count(groupMemberships),
      attachedPolicies: count(policyAttachments),
      inlinePolicies: count(inlinePolicies),
      accessKeys: count(accessKeys),
      mfaDevices: count(mfaDevices),
    })
    .from(sql`(select 1) as one`);
  return {
    groups: row?.groups ?? 0,
    attachedPolicies: row?.attachedPolicies ?? 0,
    inlinePolicies: row?.inlinePolicies ?? 0,
    accessKeys: row?.accessKeys ?? 0,
    mfaDevices: row?.mfaDevices ?? 0,
    loginProfile: user.passwordHash !== null,
  };
}

/** "2 group membership(s), 1 access key(s)" for the dependents that are present; empty when none. */
export function describeUserDependents(d: UserDependents): string {
  const parts: string[] = [];
  if (d.groups > 0) parts.push(`${d.groups} group membership(s)`);
  if (d.attachedPolicies > 0) parts.push(`${d.attachedPolicies} attached policy(ies)`);
  if (d.inlinePolicies > 0) parts.push(`${d.inlinePolicies} inline policy(ies)`);
  if (d.accessKeys > 0) parts.push(`${d.accessKeys} access key(s)`);
  if (d.mfaDevices > 0) parts.push(`${d.mfaDevices} MFA device(s)`);
  if (d.loginProfile) parts.push('a login profile');
  return parts.join(', ');
}

/**
 * DeleteUser: deletes a user that has nothing left attached. Group memberships, attached and
 * inline policies, access keys, MFA devices and a login profile each make it a DeleteConflict.
 */
export async function deleteUser(database: Database, actor: WriteActor, userName: string, foundId?: string): Promise<WriteResult<User>> {
  return runWrite(database, actor, async (tx, record) => {
    const user = await getUser(tx, actor.accountId, userName, 'input.userName', { foundId });
    const dependents = describeUserDependents(await userDependents(tx, user));
    if (dependents !== '') throw new DeleteConflictError('User', user.name, `${dependents}; remove them first`);
    await tx.delete(users).where(eq(users.id, user.id));
    record({
      kind: 'UserDeleted',
      entityType: 'user',
      entityArn: user.arn,
      affectedPrincipalIds: [user.id],
      payload: { userName: user.name, path: user.path },
    });
    return user;
  });
}
