/**
 * Service last-accessed data: per principal and service namespace, when it last made a request
 * that was decided and which action. Written in batches by the authorizer (src/authz/last-accessed.ts),
 * read by GenerateServiceLastAccessedDetails-style queries. No foreign key: rows are written
 * asynchronously and must never block deleting a principal (stale rows are ignored by readers).
 * At most a fixed number of services per principal (src/authz/last-accessed.ts).
 */
import { index, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { timestamptz } from './columns.ts';

/** Last access of one principal to one service. */
export const serviceLastAccessed = pgTable(
  'service_last_accessed',
  {
    /** Unique id of the user or role (AIDA…/AROA…). */
    principalId: text('principal_id').notNull(),
    accountId: text('account_id').notNull(),
    /** Service prefix of the action, lower case, e.g. `s3`, `iam`. */
    serviceNamespace: text('service_namespace').notNull(),
    lastAction: text('last_action').notNull(),
    lastAccessedAt: timestamptz('last_accessed_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.principalId, t.serviceNamespace] }),
    index('service_last_accessed_account_idx').on(t.accountId),
  ],
);
