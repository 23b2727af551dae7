/**
 * Retention of audit-only change-log rows and session records (AUDIT_RETENTION_DAYS): rows that
 * only record an attempt (AccessDenied, SignInFailed) or a session issued or ended (RoleAssumed,
 * SignInSucceeded, …) are deleted once older than the retention period, by a periodic sweep in
 * bounded statements, so a flood of denials or sessions ages out instead of growing the log for
 * ever. Rows that carry a directory change are never deleted: the sweep's condition requires an
 * audit entity type or one of EXPIRING_KINDS (change.ts), and no affected principals. Every
 * instance sweeps; the deletes are idempotent, so several sweeping at once only share the work. Gaps in revisions are harmless: readers ask for "rows after N".
 */
import { and, inArray, lt, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { changeLog } from '../db/schema/change-log.ts';
import { AUDIT_ENTITY_TYPE, AUDIT_ONLY_KINDS, EXPIRING_KINDS } from './change.ts';

/** Rows one delete statement removes at most. */
export const RETENTION_BATCH_ROWS = 1_000;

/** Statements one sweep runs at most; the rest waits for the next sweep. */
const MAX_BATCHES_PER_SWEEP = 100;

/** How often an instance sweeps (the first sweep runs a minute after start). */
const SWEEP_INTERVAL_MS = 60 * 60 * 1000;
const FIRST_SWEEP_MS = 60 * 1000;

const DAY_MS = 24 * 60 * 60 * 1000;

/** A constant as an SQL literal: the planner can only match a partial index's predicate against literals. */
const literal = (text: string): string => `'${text.replace(/'/g, "''")}'`;

/** Rows of the audit entity type or one of `kinds` that name no affected principal, as SQL. */
function auditOrKinds(kinds: readonly string[]) {
  return sql`(${changeLog.entityType} = ${sql.raw(literal(AUDIT_ENTITY_TYPE))} or ${changeLog.kind} in (${sql.raw(
    kinds.map(literal).join(', '),
  )})) and cardinality(${changeLog.affectedPrincipalIds}) = 0`;
}

/** The rows `isAuditOnly` accepts, as SQL (the partial index change_log_audit_created_idx covers it). */
export const AUDIT_ROW = auditOrKinds(AUDIT_ONLY_KINDS);

/**
 * The rows the sweep deletes once old: audit-only rows and session records (EXPIRING_KINDS), as
 * SQL. change_log_audit_created_idx's predicate names the same kinds, so this implies it.
 */
const EXPIRING_ROW = auditOrKinds(EXPIRING_KINDS);

/** The revisions of the `limit` oldest expiring rows created before `cutoff` (read through change_log_audit_created_idx). */
export function oldestAuditRows(database: Database, cutoff: Date, limit: number) {
  return database.db
    .select({ revision: changeLog.revision })
    .from(changeLog)
    .where(and(EXPIRING_ROW, lt(changeLog.createdAt, cutoff)))
    .orderBy(changeLog.createdAt)
    .limit(limit);
}

/**
 * Deletes audit-only rows and session records created before `cutoff`, at most `batchRows` per
 * statement and
 * `maxBatches` statements; returns how many rows went.
 */
export async function deleteExpiredAuditRows(database: Database, cutoff: Date, batchRows = RETENTION_BATCH_ROWS, maxBatches = MAX_BATCHES_PER_SWEEP): Promise<number> {
  let deleted = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const oldest = oldestAuditRows(database, cutoff, batchRows);
    const rows = await database.db.delete(changeLog).where(inArray(changeLog.revision, oldest)).returning({ revision: changeLog.revision });
    deleted += rows.length;
    if (rows.length < batchRows) break;
    // Let requests in between statements.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return deleted;
}

/** The periodic sweep of one instance. */
export class AuditRetention {
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<number> | undefined;
  /** Rows deleted since start (for logs and tests). */
  deletedRows = 0;

  /**
   * @param retentionDays how long audit-only rows are kept; 0 keeps them for ever (no sweep).
   * @param onError reports a failed sweep (the next one retries).
   */
  constructor(
    private readonly database: Database,
    private readonly retentionDays: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Starts sweeping (a minute after start, then hourly); does nothing when retention is 0. */
  start(): void {
    if (this.retentionDays === 0 || this.timer !== undefined) return;
    const tick = (): void => {
      void this.sweep().catch(this.onError);
      this.timer = setTimeout(tick, SWEEP_INTERVAL_MS);
      this.timer.unref();
    };
    this.timer = setTimeout(tick, FIRST_SWEEP_MS);
    this.timer.unref();
  }

  /** Deletes what has expired now (one bounded sweep; concurrent calls share it); returns the rows deleted. */
  sweep(now: Date = new Date()): Promise<number> {
    if (this.retentionDays === 0) return Promise.resolve(0);
    this.sweeping ??= deleteExpiredAuditRows(this.database, new Date(now.getTime() - this.retentionDays * DAY_MS))
      .then((deleted) => {
        this.deletedRows += deleted;
        return deleted;
      })
      .finally(() => {
        this.sweeping = undefined;
      });
    return this.sweeping;
  }

  /** Stops the timer and waits for a running sweep. */
  async stop(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.sweeping?.catch(() => {});
  }
}
