/**
 * Abuse-limit state shared by every instance on one database, so N instances do not give an
 * attacker N times the budget: failed sign-in counters (src/iam/throttle.ts) and the
 * per-credential token buckets (src/server/shared-rate-limit.ts). Rows are short-lived counters,
 * swept once their window has passed; nothing here is an audit record.
 */
import { doublePrecision, index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { timestamptz } from './columns.ts';

/** Failed sign-ins per throttle key (a user and address pair, an address, a user) in a fixed window. */
export const signInFailures = pgTable(
  'sign_in_failures',
  {
    /** `pair:<user hash>@<address>`, `addr:<address>` or `user:<user hash>`; the hash is of `<account>/<user name>`. */
    key: text('key').primaryKey(),
    failures: integer('failures').notNull(),
    /** End of the current window; a failure after it starts a new window at 1. */
    windowEndsAt: timestamptz('window_ends_at').notNull(),
  },
  (t) => [index('sign_in_failures_window_idx').on(t.windowEndsAt)],
);

/** A shared token bucket per rate-limit key; instances reserve tokens from it in batches. */
export const rateLimitBuckets = pgTable(
  'rate_limit_buckets',
  {
    /** rate-limit.ts's key: `key:<access key id>`, `session:<token hash>` or `ip:<address>`. */
    key: text('key').primaryKey(),
    tokens: doublePrecision('tokens').notNull(),
    /** When `tokens` was last refilled, in epoch milliseconds of the instances' clocks. */
    updatedMs: doublePrecision('updated_ms').notNull(),
    /** What the latest reservation took, so one upsert can both take and report it. */
    granted: doublePrecision('granted').notNull().default(0),
  },
  (t) => [index('rate_limit_buckets_updated_idx').on(t.updatedMs)],
);
