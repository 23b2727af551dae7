/**
 * Action-level use: per principal, action, resource ARN and UTC day, how many decisions were
 * asked and allowed, and the last time. Written in batches by the authorizer
 * (src/authz/action-usage.ts) beside service last-accessed data; read by access advisor's
 * ACTION_LEVEL reports, the unused-access findings and policy generation. No foreign key, like
 * service_last_accessed: rows are written asynchronously and never block deleting a principal.
 * Rows are bounded: one per key and day; per principal and day, at most a fixed number of actions
 * and of resources (per action and in all: further ones are folded into the resource `#folded`);
 * and days past AWS's 400-day tracking period are deleted.
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
    /** The resource ARN asked about; `#folded` stands for resources beyond the caps. */
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
    // Principal and day lead: storing a flush counts one principal's resources of an action that
    // day (a bound of action-usage.ts), and policy generation reads one principal over a range of days.
    primaryKey({ columns: [t.principalId, t.day, t.actionKey, t.resourceArn] }),
    index('action_usage_account_day_idx').on(t.accountId, t.day),
  ],
);

/**
 * What `action_usage` holds per principal and day: distinct actions, and resources other than
 * `#folded`. Kept by the statement that stores usage, so that checking a day's bounds reads one
 * row, not the day's rows; a count may run ahead of the rows (two instances adding one key at the
 * same moment both count it), which only makes a bound apply a little early. Pruned with them.
 */
export const actionUsageDays = pgTable(
  'action_usage_days',
  {
    principalId: text('principal_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    actions: integer('actions').notNull(),
    resources: integer('resources').notNull(),
  },
  (t) => [primaryKey({ columns: [t.principalId, t.day] })],
);
