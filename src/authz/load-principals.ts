/**
 * The SQL half of effective-policy loading: for any number of principal refs, the rows that make
 * up their policies in a fixed number of statements (sessions, users, roles, memberships,
 * managed attachments with default versions plus boundary/session ARNs, inline policies),
 * each a single `in (...)` over the whole batch. No statement is sent for an empty list.
 */
import { and, eq, gt, inArray, isNull, or } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { inlinePolicies, policyAttachments } from '../db/schema/attachments.ts';
import { managedPolicies, policyVersions } from '../db/schema/policies.ts';
import { groupMemberships, groups, roles, users } from '../db/schema/principals.ts';
import { stsSessions } from '../db/schema/sessions.ts';

/** Rows of one batch, grouped by what they are. */
export interface PrincipalRows {
  readonly sessions: ReadonlyArray<typeof stsSessions.$inferSelect>;
  readonly users: ReadonlyArray<UserRow>;
  readonly roles: ReadonlyArray<RoleRow>;
  readonly memberships: ReadonlyArray<{ userId: string; groupId: string; groupArn: string }>;
  /** Managed policy default versions: attached (`ownerId` set) or named by ARN (`ownerId` null). */
  readonly managed: ReadonlyArray<ManagedRow>;
  readonly inline: ReadonlyArray<{ principalId: string; name: string; document: string }>;
}

/** The user columns the authorizer needs. */
export interface UserRow {
  id: string;
  accountId: string;
  arn: string;
  name: string;
  isRoot: boolean;
  tags: Array<{ key: string; value: string }>;
  permissionsBoundaryArn: string | null;
}

/** The role columns the authorizer needs. */
export interface RoleRow {
  id: string;
  accountId: string;
  arn: string;
  name: string;
  tags: Array<{ key: string; value: string }>;
  permissionsBoundaryArn: string | null;
}

/** One managed policy's default version, attached to `ownerId` or looked up by ARN. */
export interface ManagedRow {
  ownerId: string | null;
  policyId: string;
  arn: string;
  name: string;
  versionNumber: number;
  document: string;
}

/** What to look up: ARNs by kind, and session access key ids. */
export interface PrincipalQuery {
  readonly userArns: readonly string[];
  readonly roleArns: readonly string[];
  readonly sessionArns: readonly string[];
  readonly sessionKeyIds: readonly string[];
}

/** Loads every row the batch needs: at most seven statements in four round trips, whatever its size. */
export async function loadPrincipalRows(database: Database, query: PrincipalQuery, now: Date): Promise<PrincipalRows> {
  const db = database.db;
  const sessions =
    query.sessionArns.length + query.sessionKeyIds.length === 0
      ? []
      : await db
          .select()
          .from(stsSessions)
          .where(
            and(
              or(
                query.sessionKeyIds.length > 0 ? inArray(stsSessions.accessKeyId, [...query.sessionKeyIds]) : undefined,
                query.sessionArns.length > 0 ? inArray(stsSessions.arn, [...query.sessionArns]) : undefined,
              ),
              isNull(stsSessions.revokedAt),
              gt(stsSessions.expiresAt, now),
            ),
          );

  const userIds = sessions.flatMap((s) => (s.userId === null ? [] : [s.userId]));
  const roleIds = sessions.flatMap((s) => (s.roleId === null ? [] : [s.roleId]));
  const userColumns = {
    id: users.id,
    accountId: users.accountId,
    arn: users.arn,
    name: users.name,
    isRoot: users.isRoot,
    tags: users.tags,
    permissionsBoundaryArn: users.permissionsBoundaryArn,
  };
  const roleColumns = {
    id: roles.id,
    accountId: roles.accountId,
    arn: roles.arn,
    name: roles.name,
    tags: roles.tags,
    permissionsBoundaryArn: roles.permissionsBoundaryArn,
  };
  const [userRows, roleRows] = await Promise.all([
    query.userArns.length + userIds.length === 0
      ? []
      : db
          .select(userColumns)
          .from(users)
          .where(
            or(
              query.userArns.length > 0 ? inArray(users.arn, [...query.userArns]) : undefined,
              userIds.length > 0 ? inArray(users.id, userIds) : undefined,
            ),
          ),
    query.roleArns.length + roleIds.length === 0
      ? []
      : db
          .select(roleColumns)
          .from(roles)
          .where(
            or(
              query.roleArns.length > 0 ? inArray(roles.arn, [...query.roleArns]) : undefined,
              roleIds.length > 0 ? inArray(roles.id, roleIds) : undefined,
            ),
          ),
  ]);

  // Root users have no groups or policies of their own.
  const memberUserIds = userRows.filter((u) => !u.isRoot).map((u) => u.id);
  const memberships =
    memberUserIds.length === 0
      ? []
      : await db
          .select({ userId: groupMemberships.userId, groupId: groupMemberships.groupId, groupArn: groups.arn })
          .from(groupMemberships)
          .innerJoin(groups, eq(groups.id, groupMemberships.groupId))
          .where(inArray(groupMemberships.userId, memberUserIds));

  const ownerIds = [...memberUserIds, ...roleRows.map((r) => r.id), ...new Set(memberships.map((m) => m.groupId))];
  const namedArns = [
    ...new Set([
      ...userRows.flatMap((u) => (u.permissionsBoundaryArn === null || u.isRoot ? [] : [u.permissionsBoundaryArn])),
      ...roleRows.flatMap((r) => (r.permissionsBoundaryArn === null ? [] : [r.permissionsBoundaryArn])),
      ...sessions.flatMap((s) => s.sessionPolicyArns),
    ]),
  ];
  const managedColumns = {
    policyId: managedPolicies.id,
    arn: managedPolicies.arn,
    name: managedPolicies.name,
    versionNumber: policyVersions.versionNumber,
    document: policyVersions.document,
  };
  const defaultVersion = and(eq(policyVersions.policyId, managedPolicies.id), eq(policyVersions.isDefault, true));
  const attached =
    ownerIds.length === 0
      ? undefined
      : db
          .select({ ownerId: policyAttachments.principalId, ...managedColumns })
          .from(policyAttachments)
          .innerJoin(managedPolicies, eq(managedPolicies.id, policyAttachments.policyId))
          .innerJoin(policyVersions, defaultVersion)
          .where(inArray(policyAttachments.principalId, ownerIds));
  const byArn =
    namedArns.length === 0
      ? undefined
      : db
          .select(managedColumns)
          .from(managedPolicies)
          .innerJoin(policyVersions, defaultVersion)
          .where(inArray(managedPolicies.arn, namedArns));
  const [attachedRows, namedRows, inline] = await Promise.all([
    attached ?? [],
    byArn ?? [],
    ownerIds.length === 0
      ? []
      : db
          .select({ principalId: inlinePolicies.principalId, name: inlinePolicies.name, document: inlinePolicies.document })
          .from(inlinePolicies)
          .where(inArray(inlinePolicies.principalId, ownerIds)),
  ]);
  const managed: ManagedRow[] = [...attachedRows, ...namedRows.map((row) => ({ ownerId: null, ...row }))];
  return { sessions, users: userRows, roles: roleRows, memberships, managed, inline };
}
