/**
 * Action-level use: per principal, action, resource ARN and UTC day, how many decisions were
 * asked and allowed, and the last time. Written in batches by the authorizer
 * (src/authz/action-usage.ts) beside service last-accessed data; read by access advisor's
 * ACTION_LEVEL reports, the unused-access findings and policy generation. No foreign key, like
 * service_last_accessed: rows are written asynchronously and never block deleting a principal.
 * Rows are bounded: one per key and day, at most a fixed number of resources per principal,
 * action and flush (the rest are folded into the resource `#folded`), and days past AWS's 400-day
 * tracking period are deleted.
 */
import { date, index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { timestamptz } from './columns.ts';

/** Use of one action on one resource by one principal on one day. */
export const actionUsage = pgTable(
  'action_usage',
  {
    /** Unique id of the user or role (AIDA…/AROA…). */
    principalId: text('principal_id').notNull(),
    accountId: text('account_id').notNull(),
    /** The action as first written that day (`s3:GetObject`); `actionKey` is its lower-case form. */
    action: text('action').notNull(),
    actionKey: text('action_key').notNull(),
    /** The resource ARN asked about; `#folded` stands for resources beyond the per-flush cap. */
    resourceArn: text('resource_arn').notNull(),
    /** UTC day, `YYYY-MM-DD`. */
    day: date('day', { mode: 'string' }).notNull(),
    requests: integer('requests').notNull(),
    allowed: integer('allowed').notNull(),
    lastAccessedAt: timestamptz('last_accessed_at').notNull(),
    /** Last allowed decision that day; null when every decision was a deny. */
    lastAllowedAt: timestamptz('last_allowed_at'),
  },
  (t) => [
    primaryKey({ columns: [t.principalId, t.actionKey, t.resourceArn, t.day] }),
    index('action_usage_account_day_idx').on(t.accountId, t.day),
  ],
);
