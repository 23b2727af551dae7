/**
 * Denials as audit events: every ACCESS_DENIED that self-authorization returns is appended to the
 * change log as an `AccessDenied` row (actor = caller ARN, entity = the resource, payload
 * { action, resource }). Requests only push onto a bounded in-memory buffer; the last-accessed
 * flusher appends it with one multi-row insert per chunk under the outbox's advisory lock, so
 * revisions stay in commit order, and NOTIFYs once per flush rather than once per denial.
 * The rows name no affected principals, and `namesInChanges` skips audit rows, so no cache drops.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { changeLog } from '../db/schema/change-log.ts';
import { AUDIT_ENTITY_TYPE } from '../events/change.ts';
import { CHANGES_CHANNEL } from '../events/listener.ts';
import { CHANGE_LOG_LOCK_KEY } from '../events/outbox.ts';
import type { BatchSink } from './last-accessed.ts';

/** One refused guard check. */
export interface Denial {
  readonly accountId: string;
  readonly callerArn: string;
  readonly action: string;
  readonly resourceArn: string;
  readonly at: Date;
}

/** Change-log kind of a denial row. */
export const ACCESS_DENIED_KIND = 'AccessDenied';

/** Rows per insert statement, well under PostgreSQL's parameter limit. */
const FLUSH_CHUNK = 1_000;

/** Denials kept between flushes; more are dropped and counted, so a denial flood cannot exhaust memory. */
export const MAX_PENDING_DENIALS = 10_000;

/** Buffers denials in memory; written by the last-accessed flusher. */
export class DenialAuditBuffer implements BatchSink {
  private pending: Denial[] = [];
  /** Denial rows written since start (for /metrics). */
  flushedRows = 0;
  /** Denials dropped because the buffer was full (for /metrics). */
  dropped = 0;

  /** Notes one denial (O(1), no I/O). */
  record(denial: Denial): void {
    if (this.pending.length >= MAX_PENDING_DENIALS) {
      this.dropped++;
      return;
    }
    this.pending.push(denial);
  }

  async writePending(database: Database): Promise<void> {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    await database.db.transaction(async (tx) => {
      // The outbox's ordering lock: revisions become visible in the order they were assigned.
      await tx.execute(sql`select pg_advisory_xact_lock(${CHANGE_LOG_LOCK_KEY.toString()}::bigint)`);
      let revision = 0n;
      for (let i = 0; i < batch.length; i += FLUSH_CHUNK) {
        const rows = await tx
          .insert(changeLog)
          .values(
            batch.slice(i, i + FLUSH_CHUNK).map((d) => ({
              accountId: d.accountId,
              actorArn: d.callerArn,
              kind: ACCESS_DENIED_KIND,
              entityType: AUDIT_ENTITY_TYPE,
              entityArn: d.resourceArn,
              affectedPrincipalIds: [],
              payload: { action: d.action, resource: d.resourceArn, deniedAt: d.at.toISOString() },
            })),
          )
          .returning({ revision: changeLog.revision });
        for (const row of rows) if (row.revision > revision) revision = row.revision;
      }
      // One NOTIFY per flush (delivered at commit) so `changes` subscribers see the rows promptly.
      await tx.execute(sql`select pg_notify(${CHANGES_CHANNEL}, ${revision.toString()})`);
    });
    this.flushedRows += batch.length;
  }
}
