/**
 * The resource registry: resources of any service (AWS's or an account's own) that an account
 * registers so decisions can use their stored policy and tags. A resource ARN names one resource
 * in the whole deployment (as an S3 bucket name is global), so it is unique across accounts; the
 * owning account is part of the primary key because every read is scoped to it.
 */
import { sql } from 'drizzle-orm';
import { check, index, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { accounts } from './accounts.ts';
import { tagsColumn, timestamptz } from './columns.ts';

/** Longest resource ARN accepted, as `authorize` caps `resourceArn`. */
export const RESOURCE_ARN_MAX_LENGTH = 2048;
/** AWS's quota for a resource-based policy (an S3 bucket policy), in characters without white space. */
export const RESOURCE_POLICY_MAX_SIZE = 20_480;

/** A registered resource: its ARN, the catalog service and resource type its ARN fits, tags and optional resource policy. */
export const resources = pgTable(
  'resources',
  {
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    arn: text('arn').notNull(),
    /** The service prefix (`s3`, or a custom service's), the ARN's third segment. */
    service: text('service').notNull(),
    /** The catalog resource type whose ARN format the ARN fits (`bucket`, `object`, …). */
    resourceType: text('resource_type').notNull(),
    tags: tagsColumn(),
    /** The resource-based policy JSON text as submitted; null when it has none. */
    policyDocument: text('policy_document'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.accountId, t.arn] }),
    // Invariant: one ARN, one resource, whichever account registered it (decisions look resources up by ARN).
    uniqueIndex('resources_arn_unique').on(t.arn),
    check('resources_arn_length', sql`char_length(${t.arn}) between 1 and ${sql.raw(String(RESOURCE_ARN_MAX_LENGTH))}`),
    check('resources_tags_is_array', sql`jsonb_typeof(${t.tags}) = 'array'`),
    // Prefix filters (`arnPrefix`) and listing by type serve what-can questions and the resources list.
    index('resources_account_arn_prefix_idx').on(t.accountId, t.arn.op('text_pattern_ops')),
    index('resources_account_type_idx').on(t.accountId, t.service, t.resourceType),
  ],
);
