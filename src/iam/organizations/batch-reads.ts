/**
 * Batched reads behind the GraphQL loaders: each takes many keys and costs one statement, so a
 * list of N policies or accounts and their fields costs a fixed number of queries.
 */
import { and, asc, desc, eq, inArray, or } from 'drizzle-orm';
import { accounts, organizationalUnits, organizationPolicies, organizationPolicyAttachments, organizationPolicyVersions, organizations } from '../../db/schema/index.ts';
import type { Queryable } from '../affected-principals.ts';
import type { OrganizationPolicy } from './policies.ts';
import type { AccountRow, Organization, OrganizationalUnit } from './tree.ts';

/** One stored version of an organization policy. */
export type OrganizationPolicyVersion = typeof organizationPolicyVersions.$inferSelect;

/** The organizations each account belongs to (as management or member); accounts in none are left out. */
export async function organizationsOfAccounts(tx: Queryable, accountIds: readonly string[]): Promise<Map<string, Organization>> {
  const rows = await tx
    .select({ accountId: accounts.id, organization: organizations })
    .from(accounts)
    .innerJoin(organizations, eq(organizations.id, accounts.organizationId))
    .where(inArray(accounts.id, [...accountIds]));
  return new Map(rows.map((r) => [r.accountId, r.organization]));
}

/** Accounts by id (any organization). */
export async function accountsByIds(tx: Queryable, ids: readonly string[]): Promise<AccountRow[]> {
  return tx.select().from(accounts).where(inArray(accounts.id, [...ids]));
}

/** OUs by id (any organization; callers check which). */
export async function organizationalUnitsByIds(tx: Queryable, ids: readonly string[]): Promise<OrganizationalUnit[]> {
  return tx.select().from(organizationalUnits).where(inArray(organizationalUnits.id, [...ids]));
}

/** Organization policies by id (any organization; callers check visibility). */
export async function organizationPoliciesByIds(tx: Queryable, ids: readonly string[]): Promise<OrganizationPolicy[]> {
  return tx.select().from(organizationPolicies).where(inArray(organizationPolicies.id, [...ids]));
}

/** The content of each (policy, version) asked for. */
export async function policyVersionContents(tx: Queryable, keys: ReadonlyArray<{ policyId: string; version: number }>): Promise<OrganizationPolicyVersion[]> {
  if (keys.length === 0) return [];
  return tx
    .select()
    .from(organizationPolicyVersions)
    .where(or(...keys.map((k) => and(eq(organizationPolicyVersions.policyId, k.policyId), eq(organizationPolicyVersions.versionNumber, k.version)))));
}

/** Every version of each policy, newest first. */
export async function policyVersionsOf(tx: Queryable, policyIds: readonly string[]): Promise<OrganizationPolicyVersion[]> {
  return tx
    .select()
    .from(organizationPolicyVersions)
    .where(inArray(organizationPolicyVersions.policyId, [...policyIds]))
    .orderBy(asc(organizationPolicyVersions.policyId), desc(organizationPolicyVersions.versionNumber));
}

/** The policies attached to each target id (at most five per type, so bounded), by policy id. */
export async function policiesAttachedTo(tx: Queryable, targetIds: readonly string[]): Promise<Array<{ targetId: string; policy: OrganizationPolicy }>> {
  return tx
    .select({ targetId: organizationPolicyAttachments.targetId, policy: organizationPolicies })
    .from(organizationPolicyAttachments)
    .innerJoin(organizationPolicies, eq(organizationPolicies.id, organizationPolicyAttachments.policyId))
    .where(inArray(organizationPolicyAttachments.targetId, [...targetIds]))
    .orderBy(asc(organizationPolicies.id));
}

