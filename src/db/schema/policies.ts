/**
 * Managed policies and their immutable versions. A policy's ARN is generated from its account,
 * path and name; built-in (AWS-managed style) policies have no account and the ARN account `aws`.
 */
import { sql, type SQL } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { accounts } from './accounts.ts';
import { pathColumn, tagsColumn, timestamptz } from './columns.ts';
import { limits, nameCheck, nameRules, patternCheck, uniqueIdPatterns } from './rules.ts';

/** A managed policy: account-owned, or built-in when `account_id` is null. */
export const managedPolicies = pgTable(
  'managed_policies',
  {
    id: text('id').primaryKey(),
    /** Owning account; null for built-in policies shared by every account. */
    accountId: text('account_id').references(() => accounts.id),
    path: pathColumn(),
    name: text('name').notNull(),
    arn: text('arn')
      .notNull()
      .generatedAlwaysAs(
        (): SQL =>
          sql`'arn:aws:iam::' || coalesce(${managedPolicies.accountId}, 'aws') || ':policy' || ${managedPolicies.path} || ${managedPolicies.name}`,
      ),
    description: text('description'),
    isAttachable: boolean('is_attachable').notNull().default(true),
    /** Highest version number ever created, so a deleted version's id is never reused (caches key on it). */
    lastVersionNumber: integer('last_version_number').notNull().default(0),
    tags: tagsColumn(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    check('managed_policies_id_format', patternCheck(t.id, uniqueIdPatterns.policy)),
    check('managed_policies_name_format', nameCheck(t.name, nameRules.policyName)),
    check('managed_policies_path_format', nameCheck(t.path, nameRules.path)),
    check(
      'managed_policies_description_length',
      sql`char_length(${t.description}) <= ${sql.raw(String(limits.descriptionMaxLength))}`,
    ),
    check('managed_policies_tags_is_array', sql`jsonb_typeof(${t.tags}) = 'array'`),
    uniqueIndex('managed_policies_arn_unique').on(t.arn),
    // Built-ins (null account) share one namespace, spelled `aws` as in their ARNs.
    uniqueIndex('managed_policies_account_name_unique').on(sql`coalesce(${t.accountId}, 'aws')`, sql`lower(${t.name})`),
    index('managed_policies_account_path_idx').on(t.accountId, t.path.op('text_pattern_ops')),
  ],
);

/** One immutable version of a managed policy (`v1`, `v2`, …); exactly one is the default. */
export const policyVersions = pgTable(
  'policy_versions',
  {
    policyId: text('policy_id')
      .notNull()
      .references(() => managedPolicies.id, { onDelete: 'cascade' }),
    versionNumber: integer('version_number').notNull(),
    versionId: text('version_id')
      .notNull()
      .generatedAlwaysAs((): SQL => sql`'v' || ${policyVersions.versionNumber}`),
    /** The policy JSON text as submitted; never rewritten. */
    document: text('document').notNull(),
    isDefault: boolean('is_default').notNull().default(false),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.policyId, t.versionNumber] }),
    check('policy_versions_number_positive', sql`${t.versionNumber} >= 1`),
    check(
      'policy_versions_document_length',
      sql`char_length(${t.document}) between 1 and ${sql.raw(String(limits.policyDocumentMaxLength))}`,
    ),
    uniqueIndex('policy_versions_policy_version_id_unique').on(t.policyId, t.versionId),
    // Invariant: at most one default version per policy (the service keeps it at exactly one).
    uniqueIndex('policy_versions_one_default').on(t.policyId).where(sql`${t.isDefault}`),
  ],
);
