/**
 * Whose credentials an operation manages. AWS's credential operations take an optional UserName:
 * given, it names an IAM user of the caller's account; omitted, the operation applies to the
 * calling user itself (which may be the root user, e.g. CreateAccessKey without UserName).
 */
import { and, eq } from 'drizzle-orm';
import { users } from '../db/schema/index.ts';
import type { Queryable } from './affected-principals.ts';
import { NoSuchEntityError, ValidationError } from '../errors.ts';
import { getUser, type User } from './users.ts';

/** The calling IAM user or root user, when the caller is one (role sessions are not). */
export interface SelfUser {
  readonly userId: string;
}

/**
 * The user whose credentials are meant: `userName` when given, else the caller itself.
 * A role session must name a user (`field` is then required).
 */
export async function resolveCredentialOwner(
  tx: Queryable,
  accountId: string,
  userName: string | null | undefined,
  self: SelfUser | undefined,
  field = 'input.userName',
): Promise<User> {
  if (userName !== undefined && userName !== null) return getUser(tx, accountId, userName, field);
  if (self === undefined) {
    throw new ValidationError(field, 'required', `${field} is required when the caller is not an IAM user`);
  }
  const [row] = await tx.select().from(users).where(and(eq(users.id, self.userId), eq(users.accountId, accountId)));
  if (row === undefined) throw new NoSuchEntityError('User', self.userId);
  return row;
}

/** The user name AWS reports for a credential owner (`root` for the root user). */
export function ownerName(user: User): string {
  return user.isRoot ? 'root' : user.name;
}
