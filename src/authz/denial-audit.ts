/**
 * Denials as audit events: every ACCESS_DENIED that self-authorization returns is appended to the
 * change log as an `AccessDenied` row (actor = caller ARN, entity = the first resource refused,
 * payload { action, resource, count, actions, resources }). One operation yields at most one row,
 * however many fields it had refused (1,000 aliased reads are one row with count 1000), and the
 * distinct actions and resources a row lists are capped, so a denial flood cannot flood the log.
 * Requests only update a bounded in-memory buffer; the last-accessed flusher appends it with one
 * multi-row insert per chunk under the outbox's advisory lock, so revisions stay in commit order,
 * and NOTIFYs once per flush rather than once per denial.
 * The rows name no affected principals, and `namesInChanges` skips audit rows, so no cache drops;
 * they are audit-only rows, removed after AUDIT_RETENTION_DAYS (src/changes/audit-retention.ts).
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { changeLog } from '../db/schema/change-log.ts';
import { ACCESS_DENIED_KIND, AUDIT_ENTITY_TYPE } from '../changes/change.ts';
import { CHANGES_CHANNEL } from '../changes/listener.ts';
import { CHANGE_LOG_LOCK_KEY } from '../changes/outbox.ts';
import type { BatchSink } from './last-accessed.ts';

/** One refused guard check. */
export interface Denial {
  readonly accountId: string;
  readonly callerArn: string;
  readonly action: string;
  readonly resourceArn: string;
  readonly at: Date;
}

export { ACCESS_DENIED_KIND };

/** Rows per insert statement, well under PostgreSQL's parameter limit. */
const FLUSH_CHUNK = 1_000;

/** Denial rows kept between flushes; more are dropped and counted, so a denial flood cannot exhaust memory. */
export const MAX_PENDING_DENIALS = 10_000;

/** Distinct actions, and distinct resources, one denial row lists; the count covers every denial. */
export const MAX_DISTINCT_PER_ROW = 20;

/** Longest action or resource text a row keeps (resource names are caller input). */
const MAX_TEXT = 2_048;

/** One pending row: every denial of one operation since the last flush. */
interface DenialRow {
  readonly first: Denial;
  count: number;
  readonly actions: Set<string>;
  readonly resources: Set<string>;
  /** Some distinct action or resource was left out of the lists. */
  capped: boolean;
  /** Taken by a flush: later denials of the same operation start a new row. */
  taken: boolean;
}

/** Notes the denials of one operation; they become one row. */
export type DenialTally = (denial: Denial) => void;

/** Buffers denials in memory; written by the last-accessed flusher. */
export class DenialAuditBuffer implements BatchSink {
  private pending: DenialRow[] = [];
  /** Denial rows written since start (for /metrics). */
  flushedRows = 0;
  /** Denials dropped because the buffer was full (for /metrics). */
  dropped = 0;

  /** Notes one denial as its own row (O(1), no I/O). */
  record(denial: Denial): void {
    this.open(denial);
  }

  /** A tally for one operation (one request's guard): all its denials share one row. */
  tally(): DenialTally {
    let row: DenialRow | undefined;
    return (denial) => {
      if (row === undefined || row.taken || row.first.callerArn !== denial.callerArn) {
        row = this.open(denial);
        return;
      }
      row.count++;
      add(row, row.actions, clip(denial.action));
      add(row, row.resources, clip(denial.resourceArn));
    };
  }

  private open(denial: Denial): DenialRow | undefined {
    if (this.pending.length >= MAX_PENDING_DENIALS) {
      this.dropped++;
      return undefined;
    }
    const row: DenialRow = {
      first: denial,
      count: 1,
      actions: new Set([clip(denial.action)]),
      resources: new Set([clip(denial.resourceArn)]),
      capped: false,
      taken: false,
    };
    this.pending.push(row);
    return row;
  }

  async writePending(database: Database): Promise<void> {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    for (const row of batch) row.taken = true;
    await database.db.transaction(async (tx) => {
      // The outbox's ordering lock: revisions become visible in the order they were assigned.
      await tx.execute(sql`select pg_advisory_xact_lock(${CHANGE_LOG_LOCK_KEY.toString()}::bigint)`);
      let revision = 0n;
      for (let i = 0; i < batch.length; i += FLUSH_CHUNK) {
        const rows = await tx
          .insert(changeLog)
          .values(
            batch.slice(i, i + FLUSH_CHUNK).map(({ first, count, actions, resources, capped }) => ({
              accountId: first.accountId,
              actorArn: first.callerArn,
              kind: ACCESS_DENIED_KIND,
              entityType: AUDIT_ENTITY_TYPE,
              entityArn: clip(first.resourceArn),
              affectedPrincipalIds: [],
              payload: {
                action: clip(first.action),
                resource: clip(first.resourceArn),
                deniedAt: first.at.toISOString(),
                count,
                actions: [...actions],
                resources: [...resources],
                ...(capped ? { capped: true } : {}),
              },
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

/** Adds a distinct value to a row's list, or marks the row capped when the list is full. */
function add(row: DenialRow, values: Set<string>, value: string): void {
  if (values.has(value)) return;
  if (values.size >= MAX_DISTINCT_PER_ROW) row.capped = true;
  else values.add(value);
}

function clip(text: string): string {
  return text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;
}
