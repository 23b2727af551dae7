/**
 * Which change-log rows can alter one principal's effective permissions. Writers list, in
 * `affectedPrincipalIds`, the unique ids of every user, group and role a change may affect, so a
 * principal is affected by a row naming its own id or (for a user) one of its groups' ids, or
 * (for an assumed-role session) its role's id.
 */
import { and, eq, sql } from 'drizzle-orm';
import { parsePrincipalArn } from '../authz/principal-ref.ts';
import type { Database } from '../db/client.ts';
import { groupMemberships, roles, users } from '../db/schema/principals.ts';
import { NoSuchEntityError, ValidationError } from '../errors.ts';
import { isAuditOnly, type ChangeEvent } from '../changes/change.ts';

/** The ids whose appearance in a change row means "this principal may be affected". */
export interface WatchedPrincipal {
  readonly arn: string;
  /** The principal's own unique id (for a session: its role's). */
  readonly id: string;
  /** Its own id plus, for users, its groups' ids. */
  readonly ids: ReadonlySet<string>;
  readonly kind: 'user' | 'role';
}

/**
 * Resolves a user, root, role or assumed-role ARN to the ids that watch it.
 * Throws ValidationError on `field` for a malformed ARN, NoSuchEntityError when the ARN names no existing principal.
 */
export async function watchPrincipal(database: Database, arn: string, field: string): Promise<WatchedPrincipal> {
  const parsed = parsePrincipalArn(arn);
  // A federated-user session is not watched: its permissions follow its user's, which can be watched.
  if (parsed === undefined || parsed.kind === 'federated-user') {
    throw new ValidationError(field, 'principal-arn', `${field} must be a user, role, assumed-role or root ARN, got "${arn.slice(0, 80)}"`);
  }
  const missing = (): NoSuchEntityError => new NoSuchEntityError(parsed.kind === 'user' || parsed.kind === 'root' ? 'User' : 'Role', arn);
  const db = database.db;
  if (parsed.kind === 'user' || parsed.kind === 'root') {
    const [user] = await db.select({ id: users.id }).from(users).where(eq(users.arn, arn));
    if (user === undefined) throw missing();
    const groups = await db.select({ id: groupMemberships.groupId }).from(groupMemberships).where(eq(groupMemberships.userId, user.id));
    return { arn, id: user.id, kind: 'user', ids: new Set([user.id, ...groups.map((g) => g.id)]) };
  }
  const [role] =
    parsed.kind === 'role'
      ? await db.select({ id: roles.id }).from(roles).where(eq(roles.arn, arn))
      : await db
          .select({ id: roles.id })
          .from(roles)
          .where(and(eq(roles.accountId, parsed.accountId), eq(sql`lower(${roles.name})`, parsed.roleName.toLowerCase())));
  if (role === undefined) throw missing();
  return { arn, id: role.id, kind: 'role', ids: new Set([role.id]) };
}

/** Whether a change row can alter the watched principal's effective permissions (an audit-only row never does). */
export function affects(event: ChangeEvent, watched: WatchedPrincipal): boolean {
  if (isAuditOnly(event)) return false;
  if (event.entityArn === watched.arn) return true;
  for (const id of event.affectedPrincipalIds) if (watched.ids.has(id)) return true;
  return false;
}

/** Change kinds that add or remove a user's group membership. */
const MEMBERSHIP_KINDS: ReadonlySet<string> = new Set(['UserAddedToGroup', 'UserRemovedFromGroup']);

/** Whether a change row changed which groups a watched user belongs to, so its ids need resolving again. */
export function mayRegroup(event: ChangeEvent, watched: WatchedPrincipal): boolean {
  return watched.kind === 'user' && MEMBERSHIP_KINDS.has(event.kind) && event.affectedPrincipalIds.includes(watched.id);
}

/** Change kinds that create or delete a user or role. */
const LIFECYCLE_KINDS: ReadonlySet<string> = new Set(['UserCreated', 'UserDeleted', 'RoleCreated', 'RoleDeleted']);

/** Whether a change row created or deleted the principal `arn` names, so the ids watching it need resolving again. */
export function mayReidentify(event: ChangeEvent, arn: string): boolean {
  return event.entityArn === arn && LIFECYCLE_KINDS.has(event.kind);
}
