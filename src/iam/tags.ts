/**
 * Tags on users and roles: TagUser, UntagUser, ListUserTags, TagRole, UntagRole, ListRoleTags.
 * Keys are compared case-insensitively (IAM treats `Team` and `team` as one key on users and
 * roles; the latest spelling wins); an entity holds at most 50 tags. Tags feed
 * `aws:PrincipalTag/*` conditions, so tagging changes the principal's effective permissions.
 */
import { eq } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { roles, users, type Tag } from '../db/schema/index.ts';
import type { Queryable } from './affected-principals.ts';
import { getRole, type Role } from './roles.ts';
import { mergeTags, removeTags } from './tag-set.ts';
import { getUser, type User } from './users.ts';
import { validateName, validateTagKeys, validateTags } from './validation.ts';
import { runWrite, type ChangeInput, type WriteActor, type WriteResult } from '../changes/outbox.ts';

/**
 * The change-log entry for tagging or untagging a principal: tags feed aws:PrincipalTag, so the
 * principal itself is affected. The payload names it (`userName` or `roleName`) and the keys.
 */
function tagChange(kind: 'user' | 'role', principal: User | Role, change: 'Tagged' | 'Untagged', tagKeys: readonly string[]): ChangeInput {
  return {
    kind: `${kind === 'user' ? 'User' : 'Role'}${change}`,
    entityType: kind,
    entityArn: principal.arn,
    affectedPrincipalIds: [principal.id],
    payload: { [kind === 'user' ? 'userName' : 'roleName']: principal.name, tagKeys },
  };
}

/** TagUser / UntagUser parameters. */
export interface TagUserInput {
  readonly userName: string;
  readonly tags: readonly Tag[];
}
export interface UntagUserInput {
  readonly userName: string;
  readonly tagKeys: readonly string[];
}

/** TagUser: adds or overwrites tags on a user (`foundId`: the user a guard already found by name; see FindPrincipalOptions). */
export async function tagUser(database: Database, actor: WriteActor, input: TagUserInput, foundId?: string): Promise<WriteResult<User>> {
  validateName('userName', input.userName);
  const tags = validateTags(input.tags);
  return runWrite(database, actor, async (tx, record) => {
    const user = await getUser(tx, actor.accountId, input.userName, 'input.userName', { lock: true, foundId });
    const [updated] = await tx.update(users).set({ tags: mergeTags(user.tags, tags) }).where(eq(users.id, user.id)).returning();
    record(tagChange('user', user, 'Tagged', tags.map((t) => t.key)));
    return updated!;
  });
}

/** UntagUser: removes tags by key from a user (`foundId` as for tagUser). */
export async function untagUser(database: Database, actor: WriteActor, input: UntagUserInput, foundId?: string): Promise<WriteResult<User>> {
  validateName('userName', input.userName);
  const keys = validateTagKeys(input.tagKeys);
  return runWrite(database, actor, async (tx, record) => {
    const user = await getUser(tx, actor.accountId, input.userName, 'input.userName', { lock: true, foundId });
    const [updated] = await tx.update(users).set({ tags: removeTags(user.tags, keys) }).where(eq(users.id, user.id)).returning();
    record(tagChange('user', user, 'Untagged', keys));
    return updated!;
  });
}

/** ListUserTags: a user's tags in the order they were added. */
export async function listUserTags(tx: Queryable, accountId: string, userName: string): Promise<Tag[]> {
  return (await getUser(tx, accountId, userName)).tags;
}

/** TagRole / UntagRole parameters. */
export interface TagRoleInput {
  readonly roleName: string;
  readonly tags: readonly Tag[];
}
export interface UntagRoleInput {
  readonly roleName: string;
  readonly tagKeys: readonly string[];
}

/** TagRole: adds or overwrites tags on a role (`foundId` as for tagUser). */
export async function tagRole(database: Database, actor: WriteActor, input: TagRoleInput, foundId?: string): Promise<WriteResult<Role>> {
  validateName('roleName', input.roleName);
  const tags = validateTags(input.tags);
  return runWrite(database, actor, async (tx, record) => {
    const role = await getRole(tx, actor.accountId, input.roleName, 'input.roleName', { lock: true, foundId });
    const [updated] = await tx.update(roles).set({ tags: mergeTags(role.tags, tags) }).where(eq(roles.id, role.id)).returning();
    record(tagChange('role', role, 'Tagged', tags.map((t) => t.key)));
    return updated!;
  });
}

/** UntagRole: removes tags by key from a role (`foundId` as for tagUser). */
export async function untagRole(database: Database, actor: WriteActor, input: UntagRoleInput, foundId?: string): Promise<WriteResult<Role>> {
  validateName('roleName', input.roleName);
  const keys = validateTagKeys(input.tagKeys);
  return runWrite(database, actor, async (tx, record) => {
    const role = await getRole(tx, actor.accountId, input.roleName, 'input.roleName', { lock: true, foundId });
    const [updated] = await tx.update(roles).set({ tags: removeTags(role.tags, keys) }).where(eq(roles.id, role.id)).returning();
    record(tagChange('role', role, 'Untagged', keys));
    return updated!;
  });
}

/** ListRoleTags: a role's tags in the order they were added. */
export async function listRoleTags(tx: Queryable, accountId: string, roleName: string): Promise<Tag[]> {
  return (await getRole(tx, accountId, roleName)).tags;
}
