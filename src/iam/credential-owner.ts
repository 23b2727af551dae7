/**
 * Whose credentials an operation manages. AWS's credential operations take an optional UserName:
 * given, it names an IAM user of the caller's account; omitted, the operation applies to the
 * calling user itself (which may be the root user, e.g. CreateAccessKey without UserName).
 */
import { and, eq, inArray } from 'drizzle-orm';
import { users } from '../db/schema/index.ts';
import type { Queryable } from './affected-principals.ts';
import { NoSuchEntityError, ValidationError } from '../errors.ts';
import type { FindPrincipalOptions } from './principal-refs.ts';
import { getUser, type User } from './users.ts';

/** The calling IAM user or root user, when the caller is one (role sessions are not). */
export interface SelfUser {
  readonly userId: string;
}

/**
 * How a credential command finds its owner: the field that names it, whether to lock the row, and
 * `foundId`, the user a guard already found by the given name (see FindPrincipalOptions; ignored
 * when no name is given, as the caller itself is read by its own id).
 */
export interface CredentialOwnerOptions extends FindPrincipalOptions {
  /** The field that names the user, for a validation error or a missing name (default `input.userName`). */
  readonly field?: string;
}

/**
 * The user whose credentials are meant: `userName` when given, else the caller itself.
 * A role session must name a user (`options.field` is then required).
 */
export async function resolveCredentialOwner(
  tx: Queryable,
  accountId: string,
  userName: string | null | undefined,
  self: SelfUser | undefined,
  options: CredentialOwnerOptions = {},
): Promise<User> {
  const field = options.field ?? 'input.userName';
  if (userName !== undefined && userName !== null) return getUser(tx, accountId, userName, field, options);
  if (self === undefined) {
    throw new ValidationError(field, 'required', `${field} is required when the caller is not an IAM user`);
  }
  const query = tx.select().from(users).where(and(eq(users.id, self.userId), eq(users.accountId, accountId)));
  const [row] = options.lock === true ? await query.for('update') : await query;
  if (row === undefined) throw new NoSuchEntityError('User', self.userId);
  return row;
}

/** The users of `accountId` among `ids`, the root user included (any order; unknown ids left out): one statement. */
export async function credentialOwnersByIds(tx: Queryable, accountId: string, ids: readonly string[]): Promise<User[]> {
  if (ids.length === 0) return [];
  return tx.select().from(users).where(and(eq(users.accountId, accountId), inArray(users.id, [...ids])));
}

/** The user name AWS reports for a credential owner (`root` for the root user). */
export function ownerName(user: User): string {
  return user.isRoot ? 'root' : user.name;
}
