/**
 * DataLoaders for the policy side of the directory: a policy's default version and its versions,
 * its usage counts and entities, a principal's attached and inline policies, and policies by ARN (permissions
 * boundaries). Each batch is one statement (usage: two), so `users { groups { attachedPolicies {
 * defaultVersion } } }` costs the same for 5 users or 100.
 */
import DataLoader from 'dataloader';
import type { Database } from '../db/client.ts';
import { attachedPoliciesByPrincipal, policyUsageCounts, type PolicyUsage } from '../iam/attachments.ts';
import { inlinePoliciesByPrincipal, type InlinePolicy } from '../iam/inline-policies.ts';
import type { Page, PageRequest } from '../iam/pagination.ts';
import { policiesByArns, policiesByIds, type ManagedPolicy, type PolicyVersion } from '../iam/policies.ts';
import { defaultVersionsOf, versionsOf } from '../iam/policy-versions.ts';
import { byIdLoader, type EntityKey } from './principal-loaders.ts';
import { entitiesOfPolicies, type EntitiesFilter, type PolicyEntity } from '../iam/policy-entities.ts';

/** A policy seen from one account (usage counts and visibility are per account). */
export interface PolicyInAccount {
  readonly accountId: string;
  readonly policy: ManagedPolicy;
}

/** A policy ARN looked up from one account. */
export interface ArnInAccount {
  readonly accountId: string;
  readonly arn: string;
}

/** One policy's page of ListEntitiesForPolicy, as seen from one account. */
export interface EntitiesPageKey extends PolicyInAccount, EntitiesFilter, PageRequest {}

/** The policy loaders; one set per request. */
export interface PolicyLoaders {
  /** The default version of each policy id. */
  readonly defaultVersion: DataLoader<string, PolicyVersion | null>;
  /** Every version of each policy id, newest first. */
  readonly versions: DataLoader<string, PolicyVersion[]>;
  readonly usage: DataLoader<PolicyInAccount, PolicyUsage, string>;
  /** Managed policies attached to each principal id, by name. */
  readonly attachedToPrincipal: DataLoader<string, ManagedPolicy[]>;
  /** Inline policies of each principal id, by name. */
  readonly inlineOfPrincipal: DataLoader<string, InlinePolicy[]>;
  /** A page of the principals using each policy (ListEntitiesForPolicy); policies asked alike share statements. */
  readonly entities: DataLoader<EntitiesPageKey, Page<PolicyEntity>, string>;
  /** Policies by ARN, visible to the account (its own and built-ins). */
  readonly byArn: DataLoader<ArnInAccount, ManagedPolicy | null, string>;
  /** Policies by unique id (ANPA…), visible to the account (its own and built-ins). */
  readonly byId: DataLoader<EntityKey, ManagedPolicy | null, string>;
}

/** Groups keys by account, preserving order. */
function byAccount<K extends { accountId: string }>(keys: readonly K[]): Map<string, K[]> {
  const out = new Map<string, K[]>();
  for (const key of keys) out.set(key.accountId, [...(out.get(key.accountId) ?? []), key]);
  return out;
}

/** What must be equal for two entity pages to be read by the same statements. */
function entitiesShareKey(k: EntitiesPageKey): string {
  return JSON.stringify([k.accountId, k.entityFilter ?? null, k.pathPrefix ?? null, k.policyUsageFilter ?? null, k.first ?? null, k.after ?? null]);
}

function entitiesCacheKey(k: EntitiesPageKey): string {
  return `${k.policy.id}/${entitiesShareKey(k)}`;
}

/** Creates the policy loaders for one request. */
export function createPolicyLoaders(database: Database): PolicyLoaders {
  const db = database.db;
  return {
    defaultVersion: new DataLoader(async (policyIds) => {
      const rows = await defaultVersionsOf(db, policyIds);
      const byPolicy = new Map(rows.map((r) => [r.policyId, r]));
      return policyIds.map((id) => byPolicy.get(id) ?? null);
    }),
    versions: new DataLoader(async (policyIds) => {
      const rows = await versionsOf(db, policyIds);
      return policyIds.map((id) => rows.filter((r) => r.policyId === id));
    }),
    usage: new DataLoader(
      async (keys) => {
        const found = new Map<string, PolicyUsage>();
        for (const [accountId, group] of byAccount(keys)) {
          const counts = await policyUsageCounts(db, accountId, group.map((k) => k.policy));
          for (const [policyId, usage] of counts) found.set(`${accountId}/${policyId}`, usage);
        }
        return keys.map((k) => found.get(`${k.accountId}/${k.policy.id}`) ?? { attachmentCount: 0, permissionsBoundaryUsageCount: 0 });
      },
      { cacheKeyFn: (k) => `${k.accountId}/${k.policy.id}` },
    ),
    attachedToPrincipal: new DataLoader(async (principalIds) => {
      const map = await attachedPoliciesByPrincipal(db, principalIds);
      return principalIds.map((id) => map.get(id) ?? []);
    }),
    inlineOfPrincipal: new DataLoader(async (principalIds) => {
      const map = await inlinePoliciesByPrincipal(db, principalIds);
      return principalIds.map((id) => map.get(id) ?? []);
    }),
    entities: new DataLoader(
      async (keys) => {
        const pages = new Map<string, Page<PolicyEntity>>();
        // Keys that differ only by policy share one statement per principal kind.
        const alike = new Map<string, EntitiesPageKey[]>();
        for (const key of keys) {
          const shared = entitiesShareKey(key);
          alike.set(shared, [...(alike.get(shared) ?? []), key]);
        }
        for (const group of alike.values()) {
          const { accountId } = group[0]!;
          const byPolicy = await entitiesOfPolicies(db, accountId, group.map((k) => k.policy), group[0]!, group[0]!);
          for (const key of group) pages.set(entitiesCacheKey(key), byPolicy.get(key.policy.id)!);
        }
        return keys.map((k) => pages.get(entitiesCacheKey(k))!);
      },
      { cacheKeyFn: entitiesCacheKey },
    ),
    byArn: new DataLoader(
      async (keys) => {
        const found = new Map<string, ManagedPolicy>();
        for (const [accountId, group] of byAccount(keys)) {
          for (const row of await policiesByArns(db, accountId, group.map((k) => k.arn))) found.set(`${accountId}/${row.arn}`, row);
        }
        return keys.map((k) => found.get(`${k.accountId}/${k.arn}`) ?? null);
      },
      { cacheKeyFn: (k) => `${k.accountId}/${k.arn}` },
    ),
    byId: byIdLoader((accountId, ids) => policiesByIds(db, accountId, ids)),
  };
}
