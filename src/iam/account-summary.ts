/**
 * GetAccountSummary: usage of the account's IAM entities next to their quotas, keyed as AWS's
 * SummaryMap keys them (`Users`, `UsersQuota`, `AttachedPoliciesPerUserQuota`, …). Usage is
 * counted in one statement; quotas come from src/iam/quotas.ts.
 */
import { and, eq, sql } from 'drizzle-orm';
import { accessKeys, groups, managedPolicies, mfaDevices, oidcProviders, policyVersions, roles, users } from '../db/schema/index.ts';
import type { Queryable } from './affected-principals.ts';
import { quotaLimit } from './quotas.ts';

/** Every SummaryMap key, as AWS spells it (its SummaryKeyType). */
export const SUMMARY_KEYS = [
  'AccessKeysPerUserQuota',
  'AccountAccessKeysPresent',
  'AccountMFAEnabled',
  'AssumeRolePolicySizeQuota',
  'AttachedPoliciesPerGroupQuota',
  'AttachedPoliciesPerRoleQuota',
  'AttachedPoliciesPerUserQuota',
  'GroupPolicySizeQuota',
  'Groups',
  'GroupsPerUserQuota',
  'GroupsQuota',
  'MFADevices',
  'MFADevicesInUse',
  'Policies',
  'PoliciesQuota',
  'PolicySizeQuota',
  'PolicyVersionsInUse',
  'PolicyVersionsInUseQuota',
  'Providers',
  'RolePolicySizeQuota',
  'Roles',
  'RolesQuota',
  'UserPolicySizeQuota',
  'Users',
  'UsersQuota',
  'VersionsPerPolicyQuota',
] as const;

/** A SummaryMap key. */
export type SummaryKey = (typeof SUMMARY_KEYS)[number];

/** One SummaryMap entry. */
export interface SummaryEntry {
  readonly key: SummaryKey;
  readonly value: number;
}

/** Counts of what the account holds, in one statement. */
async function usage(tx: Queryable, accountId: string) {
  const count = (from: ReturnType<typeof sql>) => sql<number>`(select count(*)::int ${from})`;
  const [row] = await tx
    .select({
      users: count(sql`from ${users} where ${and(eq(users.accountId, accountId), eq(users.isRoot, false))}`),
      groups: count(sql`from ${groups} where ${eq(groups.accountId, accountId)}`),
      roles: count(sql`from ${roles} where ${eq(roles.accountId, accountId)}`),
      policies: count(sql`from ${managedPolicies} where ${eq(managedPolicies.accountId, accountId)}`),
      policyVersions: count(
        sql`from ${policyVersions} join ${managedPolicies} on ${managedPolicies.id} = ${policyVersions.policyId} where ${eq(managedPolicies.accountId, accountId)}`,
      ),
      mfaDevices: count(sql`from ${mfaDevices} where ${eq(mfaDevices.accountId, accountId)}`),
      mfaDevicesInUse: count(sql`from ${mfaDevices} where ${eq(mfaDevices.accountId, accountId)} and ${mfaDevices.enabledAt} is not null`),
      rootMfa: count(
        sql`from ${mfaDevices} join ${users} on ${users.id} = ${mfaDevices.userId} where ${users.accountId} = ${accountId} and ${users.isRoot} and ${mfaDevices.enabledAt} is not null`,
      ),
      rootAccessKeys: count(
        sql`from ${accessKeys} join ${users} on ${users.id} = ${accessKeys.userId} where ${users.accountId} = ${accountId} and ${users.isRoot}`,
      ),
      providers: count(sql`from ${oidcProviders} where ${eq(oidcProviders.accountId, accountId)}`),
    })
    .from(sql`(select 1) as one`);
  return row!;
}

/** The account's SummaryMap, entries sorted by key as AWS CLI prints them. */
export async function getAccountSummary(tx: Queryable, accountId: string): Promise<SummaryEntry[]> {
  const u = await usage(tx, accountId);
  const map: Record<SummaryKey, number> = {
    Users: u.users,
    UsersQuota: quotaLimit('Users'),
    Groups: u.groups,
    GroupsQuota: quotaLimit('Groups'),
    Roles: u.roles,
    RolesQuota: quotaLimit('Roles'),
    Policies: u.policies,
    PoliciesQuota: quotaLimit('Policies'),
    PolicyVersionsInUse: u.policyVersions,
    PolicyVersionsInUseQuota: quotaLimit('PolicyVersionsInUse'),
    VersionsPerPolicyQuota: quotaLimit('VersionsPerPolicy'),
    PolicySizeQuota: quotaLimit('PolicySize'),
    UserPolicySizeQuota: quotaLimit('UserPolicySize'),
    GroupPolicySizeQuota: quotaLimit('GroupPolicySize'),
    RolePolicySizeQuota: quotaLimit('RolePolicySize'),
    AssumeRolePolicySizeQuota: quotaLimit('AssumeRolePolicySize'),
    GroupsPerUserQuota: quotaLimit('GroupsPerUser'),
    AttachedPoliciesPerUserQuota: quotaLimit('AttachedPoliciesPerUser'),
    AttachedPoliciesPerGroupQuota: quotaLimit('AttachedPoliciesPerGroup'),
    AttachedPoliciesPerRoleQuota: quotaLimit('AttachedPoliciesPerRole'),
    AccessKeysPerUserQuota: quotaLimit('AccessKeysPerUser'),
    MFADevices: u.mfaDevices,
    MFADevicesInUse: u.mfaDevicesInUse,
    AccountMFAEnabled: u.rootMfa > 0 ? 1 : 0,
    AccountAccessKeysPresent: u.rootAccessKeys > 0 ? 1 : 0,
    Providers: u.providers,
  };
  // SUMMARY_KEYS is sorted, as AWS CLI prints the map.
  return SUMMARY_KEYS.map((key) => ({ key, value: map[key] }));
}
