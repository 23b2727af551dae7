/**
 * Finding the user, group or role a policy operation names, within the caller's account. The
 * policy services need only the unique id, ARN and boundary of a principal, so they look it up
 * here rather than loading whole entities.
 */
import { and, eq, sql } from 'drizzle-orm';
import { groups, roles, users } from '../db/schema/index.ts';
import type { Queryable } from './affected-principals.ts';
import { NoSuchEntityError } from '../errors.ts';
import { validateName } from './validation.ts';

/** The three kinds of identity policies attach to. */
export type PrincipalKind = 'user' | 'group' | 'role';

/** What policy operations need to know about a principal. */
export interface PrincipalRef {
  readonly kind: PrincipalKind;
  /** Unique id: AIDA…, AGPA… or AROA…. */
  readonly id: string;
  readonly name: string;
  readonly arn: string;
  /** The permissions boundary ARN (users and roles), else null. */
  readonly permissionsBoundaryArn: string | null;
}

const ENTITY_TYPE = { user: 'User', group: 'Group', role: 'Role' } as const;
const NAME_KIND = { user: 'userName', group: 'groupName', role: 'roleName' } as const;

/** The query, with FOR UPDATE when `lock` is set. */
function locked<T>(query: PromiseLike<T> & { for(strength: 'update'): PromiseLike<T> }, lock: boolean): PromiseLike<T> {
  return lock ? query.for('update') : query;
}

/** How a write finds its principal: optionally the unique id a guard already found for the name, and whether to lock the row. */
export interface FindPrincipalOptions {
  /** Lock the row (FOR UPDATE) until the transaction ends. */
  readonly lock?: boolean;
  /**
   * The unique id of the principal a guard found by `name` before the transaction: the row is read
   * by this id instead of by name again. A principal deleted since is NoSuchEntityError, as a
   * missing name is; one deleted and re-created under the same name is a different principal, so
   * the write never acts on one the guard did not authorize.
   */
  readonly foundId?: string;
}

/**
 * The principal of `kind` named `name` (case-insensitively, as AWS compares names) in `accountId`,
 * or the one with `options.foundId` when the caller already found it by that name.
 * Validates the name (field `input.<kind>Name`); throws NoSuchEntityError when there is none.
 * The root user is never found: `root` is not a valid user name. With `lock`, the row stays locked
 * (FOR UPDATE) until the transaction ends, so concurrent writes to one principal's policies run one
 * at a time and cannot race past a quota.
 */
export async function findPrincipal(
  tx: Queryable,
  accountId: string,
  kind: PrincipalKind,
  name: string,
  options: FindPrincipalOptions = {},
): Promise<PrincipalRef> {
  const lock = options.lock === true;
  validateName(NAME_KIND[kind], name);
  const lower = name.toLowerCase();
  const { foundId } = options;
  let row: Omit<PrincipalRef, 'kind'> | undefined;
  if (kind === 'user') {
    [row] = await locked(
      tx
        .select({ id: users.id, name: users.name, arn: users.arn, permissionsBoundaryArn: users.permissionsBoundaryArn })
        .from(users)
        .where(and(eq(users.accountId, accountId), foundId === undefined ? eq(sql`lower(${users.name})`, lower) : eq(users.id, foundId), eq(users.isRoot, false))),
      lock,
    );
  } else if (kind === 'group') {
    [row] = await locked(
      tx
        .select({ id: groups.id, name: groups.name, arn: groups.arn, permissionsBoundaryArn: sql<null>`null` })
        .from(groups)
        .where(and(eq(groups.accountId, accountId), foundId === undefined ? eq(sql`lower(${groups.name})`, lower) : eq(groups.id, foundId))),
      lock,
    );
  } else {
    [row] = await locked(
      tx
        .select({ id: roles.id, name: roles.name, arn: roles.arn, permissionsBoundaryArn: roles.permissionsBoundaryArn })
        .from(roles)
        .where(and(eq(roles.accountId, accountId), foundId === undefined ? eq(sql`lower(${roles.name})`, lower) : eq(roles.id, foundId))),
      lock,
    );
  }
  if (row === undefined) throw new NoSuchEntityError(ENTITY_TYPE[kind], name);
  return { kind, ...row };
}
