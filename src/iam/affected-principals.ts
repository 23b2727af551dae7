/**
 * Which principals' effective permissions a policy change may alter, for the change log's
 * `affectedPrincipalIds`. A principal is affected by a managed policy when the policy is attached
 * to it, attached to a group it belongs to, or is its permissions boundary; a group's members are
 * affected by everything attached to or embedded in the group.
 */
import { eq } from 'drizzle-orm';
import { union } from 'drizzle-orm/pg-core';
import type { Db, Tx } from '../db/client.ts';
import { groupMemberships, policyAttachments, roles, users } from '../db/schema/index.ts';

/** Either a database handle or an open transaction: both run the same queries. */
export type Queryable = Db | Tx;

/**
 * Unique ids (AIDA…/AGPA…/AROA…) of every user, group and role whose effective permissions depend
 * on managed policy `policyId` (ARN `policyArn`): direct attachments, members of attached groups,
 * and users and roles that use it as permissions boundary. One statement; sorted, no duplicates.
 */
export async function principalsAffectedByPolicy(tx: Queryable, policyId: string, policyArn: string): Promise<string[]> {
  const rows = await union(
    tx.select({ id: policyAttachments.principalId }).from(policyAttachments).where(eq(policyAttachments.policyId, policyId)),
    tx
      .select({ id: groupMemberships.userId })
      .from(groupMemberships)
      .innerJoin(policyAttachments, eq(policyAttachments.groupId, groupMemberships.groupId))
      .where(eq(policyAttachments.policyId, policyId)),
    tx.select({ id: users.id }).from(users).where(eq(users.permissionsBoundaryArn, policyArn)),
    tx.select({ id: roles.id }).from(roles).where(eq(roles.permissionsBoundaryArn, policyArn)),
  );
  return rows.map((r) => r.id).sort();
}

/** The group itself and its members: who a change to the group's policies affects. Sorted. */
export async function principalsAffectedByGroup(tx: Queryable, groupId: string): Promise<string[]> {
  const members = await tx
    .select({ id: groupMemberships.userId })
    .from(groupMemberships)
    .where(eq(groupMemberships.groupId, groupId));
  return [groupId, ...members.map((m) => m.id)].sort();
}
