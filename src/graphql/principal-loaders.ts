/**
 * DataLoaders for users, groups and roles: by unique id (Relay `node`), by name (the guard's
 * lookup of the principal an operation names), and the paged lists that hang off them (a user's
 * groups, a group's members). Each batch becomes one statement per account (per distinct
 * (account, first, after) for pages), so `users { groups }` costs the same for 5 users or 100,
 * and an operation of a thousand aliased `user(userName:)` reads costs one lookup, not a thousand.
 */
import DataLoader from 'dataloader';
import type { Database } from '../db/client.ts';
import { groupsOfUsers, usersOfGroups } from '../iam/group-membership.ts';
import { groupsByIds, groupsByNames, type Group } from '../iam/groups.ts';
import type { Page } from '../iam/pagination.ts';
import { rolesByIds, rolesByNames, type Role } from '../iam/roles.ts';
import { usersByIds, usersByNames, type User } from '../iam/users.ts';

/** An entity looked up by unique id (or other stable key) within one account. */
export interface EntityKey {
  readonly accountId: string;
  readonly id: string;
}

/** One parent's page request: the parent's unique id and the connection arguments. */
export interface RelatedPageKey {
  readonly accountId: string;
  readonly parentId: string;
  readonly first?: number | null | undefined;
  readonly after?: string | null | undefined;
}

/** The principal loaders; one set per request. */
export interface PrincipalLoaders {
  readonly userById: DataLoader<EntityKey, User | null, string>;
  readonly groupById: DataLoader<EntityKey, Group | null, string>;
  readonly roleById: DataLoader<EntityKey, Role | null, string>;
  /**
   * By name, any case (the key's `id` is the name). Batching only, no memo: a mutation earlier in
   * the same operation may have changed the row (its tags decide later guards).
   */
  readonly userByName: DataLoader<EntityKey, User | null, string>;
  readonly groupByName: DataLoader<EntityKey, Group | null, string>;
  readonly roleByName: DataLoader<EntityKey, Role | null, string>;
  readonly groupsOfUser: DataLoader<RelatedPageKey, Page<Group>, string>;
  readonly usersOfGroup: DataLoader<RelatedPageKey, Page<User>, string>;
}

/** Keys grouped by what must be equal within one statement. */
function groupBy<K, G extends string>(keys: readonly K[], groupOf: (key: K) => G): Map<G, K[]> {
  const out = new Map<G, K[]>();
  for (const key of keys) {
    const g = groupOf(key);
    const list = out.get(g);
    if (list === undefined) out.set(g, [key]);
    else list.push(key);
  }
  return out;
}

const entityCacheKey = (key: EntityKey) => `${key.accountId}/${key.id}`;
const nameCacheKey = (key: EntityKey) => `${key.accountId}/${key.id.toLowerCase()}`;
const pageCacheKey = (key: RelatedPageKey) => JSON.stringify([key.accountId, key.parentId, key.first ?? null, key.after ?? null]);

/**
 * A by-id loader over one table: one statement per account in the batch. `idOf` reads a row's id
 * where it is not the `id` column (an access key's, a device's serial number, a provider's ARN).
 */
export function byIdLoader<T>(load: (accountId: string, ids: string[]) => Promise<readonly T[]>, idOf: (row: T) => string = (row) => (row as { id: string }).id) {
  return new DataLoader<EntityKey, T | null, string>(batchByAccount(load, idOf, entityCacheKey), { cacheKeyFn: entityCacheKey });
}

/** A by-name loader over one principal table (names compare ignoring case): batches, never memoizes. */
function byNameLoader<T extends { readonly name: string }>(load: (accountId: string, names: string[]) => Promise<readonly T[]>) {
  return new DataLoader<EntityKey, T | null, string>(batchByAccount(load, (row) => row.name.toLowerCase(), nameCacheKey), {
    cache: false,
    maxBatchSize: 1_000,
  });
}

/** The batch function of a keyed loader: one `load` per account, rows matched back by `keyOf`. */
function batchByAccount<T>(load: (accountId: string, ids: string[]) => Promise<readonly T[]>, idOf: (row: T) => string, keyOf: (key: EntityKey) => string) {
  return async (keys: readonly EntityKey[]): Promise<Array<T | null>> => {
    const found = new Map<string, T>();
    for (const [accountId, group] of groupBy(keys, (k) => k.accountId)) {
      for (const row of await load(accountId, [...new Set(group.map((k) => k.id))])) found.set(`${accountId}/${idOf(row)}`, row);
    }
    return keys.map((k) => found.get(keyOf(k)) ?? null);
  };
}

/** A paged-relation loader: one statement per distinct (account, first, after) in the batch. */
function relatedLoader<T>(
  load: (accountId: string, parentIds: string[], request: { first?: number | null; after?: string | null }) => Promise<Map<string, Page<T>>>,
) {
  return new DataLoader<RelatedPageKey, Page<T>, string>(
    async (keys) => {
      const pages = new Map<string, Page<T>>();
      for (const group of groupBy(keys, (k) => JSON.stringify([k.accountId, k.first ?? null, k.after ?? null])).values()) {
        const { accountId, first, after } = group[0]!;
        const byParent = await load(accountId, [...new Set(group.map((k) => k.parentId))], { first: first ?? null, after: after ?? null });
        for (const key of group) pages.set(pageCacheKey(key), byParent.get(key.parentId)!);
      }
      return keys.map((k) => pages.get(pageCacheKey(k))!);
    },
    { cacheKeyFn: pageCacheKey },
  );
}

/** Creates the principal loaders for one request. */
export function createPrincipalLoaders(database: Database): PrincipalLoaders {
  const { db } = database;
  return {
    userById: byIdLoader((accountId, ids) => usersByIds(db, accountId, ids)),
    groupById: byIdLoader((accountId, ids) => groupsByIds(db, accountId, ids)),
    roleById: byIdLoader((accountId, ids) => rolesByIds(db, accountId, ids)),
    userByName: byNameLoader((accountId, names) => usersByNames(db, accountId, names)),
    groupByName: byNameLoader((accountId, names) => groupsByNames(db, accountId, names)),
    roleByName: byNameLoader((accountId, names) => rolesByNames(db, accountId, names)),
    groupsOfUser: relatedLoader((accountId, parentIds, request) => groupsOfUsers(db, accountId, parentIds, request)),
    usersOfGroup: relatedLoader((accountId, parentIds, request) => usersOfGroups(db, accountId, parentIds, request)),
  };
}
