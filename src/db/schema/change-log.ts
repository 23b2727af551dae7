/**
 * The change log: one row per directory change, appended in the same transaction as the change
 * (a transactional outbox). It is the audit trail, and the feed every instance reads after a
 * NOTIFY to invalidate caches and publish subscriptions. Rows are never updated; only audit-only
 * rows (attempts that changed nothing) are deleted, after AUDIT_RETENTION_DAYS.
 */
import { sql } from 'drizzle-orm';
import { bigserial, index, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { timestamptz } from './columns.ts';

/** One recorded change. `revision` grows with commit order (writers serialise on an advisory lock). */
export const changeLog = pgTable(
  'change_log',
  {
    // The primary key btree serves "rows after revision N" (`where revision > $1 order by revision`).
    revision: bigserial('revision', { mode: 'bigint' }).primaryKey(),
    /** Account the change happened in; null for global changes such as built-in policies. No FK: the audit trail outlives what it describes. */
    accountId: text('account_id'),
    actorArn: text('actor_arn').notNull(),
    /** What happened, e.g. `UserCreated`, `PolicyAttached`. */
    kind: text('kind').notNull(),
    /** Which kind of entity changed, e.g. `user`, `policy`. */
    entityType: text('entity_type').notNull(),
    entityArn: text('entity_arn').notNull(),
    /** Unique ids of principals whose effective permissions may have changed. */
    affectedPrincipalIds: text('affected_principal_ids')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('change_log_account_revision_idx').on(t.accountId, t.revision),
    index('change_log_entity_idx').on(t.entityArn, t.revision),
    // The retention sweep's "old expiring rows" (src/changes/audit-retention.ts): the predicate
    // names the audit entity type and every EXPIRING_KINDS kind (src/changes/change.ts), so the
    // sweep's condition implies it and the planner can use the index; a kind added there belongs
    // here too (test/db/audit-retention-index.test.ts checks both lists agree).
    index('change_log_audit_created_idx')
      .on(t.createdAt)
      .where(
        sql`entity_type = 'audit' or kind in ('SignInFailed', 'FederatedSignInRefused', 'SAMLAssertionRefused', 'SAMLMetadataRefused', 'RoleAssumed', 'RoleAssumedWithWebIdentity', 'RoleAssumedWithSAML', 'SessionTokenIssued', 'FederationTokenIssued', 'SignInSucceeded', 'FederatedSignInSucceeded', 'SessionRevoked')`,
      ),
  ],
);
