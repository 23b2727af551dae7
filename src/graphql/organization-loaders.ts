/**
 * DataLoaders for the organization: the organization of each account, accounts and policies by id,
 * policy contents and versions, and the policies attached to each target. One statement per batch.
 */
import DataLoader from 'dataloader';
import type { Database } from '../db/client.ts';
import {
  accountsByIds,
  organizationalUnitsByIds,
  organizationPoliciesByIds,
  organizationsOfAccounts,
  policiesAttachedTo,
  policyVersionContents,
  policyVersionsOf,
  type OrganizationPolicyVersion,
} from '../iam/organizations/batch-reads.ts';
import type { OrganizationPolicy } from '../iam/organizations/policies.ts';
import type { AccountRow, Organization, OrganizationalUnit } from '../iam/organizations/tree.ts';

/** A policy version asked for. */
export interface PolicyVersionKey {
  readonly policyId: string;
  readonly version: number;
}

/** The organization loaders; one set per request. */
export interface OrganizationLoaders {
  /** The organization each account belongs to (management or member), null for a standalone account. */
  readonly ofAccount: DataLoader<string, Organization | null>;
  readonly accountById: DataLoader<string, AccountRow | null>;
  readonly unitById: DataLoader<string, OrganizationalUnit | null>;
  readonly policyById: DataLoader<string, OrganizationPolicy | null>;
  readonly content: DataLoader<PolicyVersionKey, string | null, string>;
  /** Every version of each policy, newest first. */
  readonly versions: DataLoader<string, OrganizationPolicyVersion[]>;
  /** The policies attached to each target (root, OU or account id). */
  readonly attachedTo: DataLoader<string, OrganizationPolicy[]>;
}

/** Groups rows by a key, in the order of `keys`. */
function groupBy<K, R>(keys: readonly K[], rows: readonly R[], keyOf: (row: R) => K): R[][] {
  const groups = new Map<K, R[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [row]);
    else list.push(row);
  }
  return keys.map((key) => groups.get(key) ?? []);
}

/** A fresh set of organization loaders. */
export function createOrganizationLoaders(database: Database): OrganizationLoaders {
  const db = database.db;
  return {
    ofAccount: new DataLoader(async (ids) => {
      const found = await organizationsOfAccounts(db, ids);
      return ids.map((id) => found.get(id) ?? null);
    }),
    accountById: new DataLoader(async (ids) => {
      const rows = new Map((await accountsByIds(db, ids)).map((r) => [r.id, r]));
      return ids.map((id) => rows.get(id) ?? null);
    }),
    unitById: new DataLoader(async (ids) => {
      const rows = new Map((await organizationalUnitsByIds(db, ids)).map((r) => [r.id, r]));
      return ids.map((id) => rows.get(id) ?? null);
    }),
    policyById: new DataLoader(async (ids) => {
      const rows = new Map((await organizationPoliciesByIds(db, ids)).map((r) => [r.id, r]));
      return ids.map((id) => rows.get(id) ?? null);
    }),
    content: new DataLoader(
      async (keys) => {
        const rows = new Map((await policyVersionContents(db, keys)).map((r) => [`${r.policyId}\n${r.versionNumber}`, r.content]));
        return keys.map((k) => rows.get(`${k.policyId}\n${k.version}`) ?? null);
      },
      { cacheKeyFn: (k) => `${k.policyId}\n${k.version}` },
    ),
    versions: new DataLoader(async (ids) => groupBy(ids, await policyVersionsOf(db, ids), (r) => r.policyId)),
    attachedTo: new DataLoader(async (ids) => groupBy(ids, await policiesAttachedTo(db, ids), (r) => r.targetId).map((rows) => rows.map((r) => r.policy))),
  };
}
