/**
 * Access-key last use (what AWS's GetAccessKeyLastUsed reports): per key, the last time a request
 * authenticated with it, the IAM action it first asked about and that action's service. Requests
 * only touch an in-memory map; the last-accessed flusher writes it in batches, so the request
 * path never waits on a write and never NOTIFYs (these columns are not directory changes).
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { accessKeys } from '../db/schema/credentials.ts';
import { writeInChunks } from '../db/write-in-chunks.ts';
import type { BatchSink } from './last-accessed.ts';

/** One pending use of a key. */
interface KeyUse {
  action: string;
  at: Date;
}

/** At most this many distinct keys wait for a flush; further keys are dropped and counted. */
const MAX_PENDING_KEYS = 10_000;

/** Aggregates access-key uses in memory; written by the last-accessed flusher. */
export class KeyLastUsedBuffer implements BatchSink {
  private pending = new Map<string, KeyUse>();
  /** Keys written since start (for /metrics). */
  flushedRows = 0;
  /** Uses dropped because the buffer was full (for /metrics). */
  dropped = 0;

  /** Notes that `accessKeyId` was used for `action` at `at` (O(1), no I/O); keeps the latest. */
  record(accessKeyId: string, action: string, at: Date): void {
    const existing = this.pending.get(accessKeyId);
    if (existing === undefined) {
      if (this.pending.size >= MAX_PENDING_KEYS) {
        this.dropped++;
        return;
      }
      this.pending.set(accessKeyId, { action, at });
    } else if (at >= existing.at) {
      existing.at = at;
      existing.action = action;
    }
  }

  async writePending(database: Database): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = [...this.pending];
    this.pending = new Map();
    await writeInChunks(database, batch, async (chunk) => {
      const rows = chunk.map(
        ([id, use]) => sql`(${id}::text, ${use.at.toISOString()}::timestamptz, ${serviceOf(use.action)}::text, ${use.action}::text)`,
      );
      // One UPDATE … FROM (VALUES …) per chunk (four parameters a key: at most 20,000, under
      // PostgreSQL's 65,535); never moves backwards (another instance may have flushed a later
      // use). Deleted keys simply match no row.
      await database.db.execute(sql`
        update ${accessKeys} set
          last_used_at = v.at,
          last_used_service = v.service,
          last_used_action = v.action
        from (values ${sql.join(rows, sql`, `)}) as v(id, at, service, action)
        where ${accessKeys.id} = v.id
          and (${accessKeys.lastUsedAt} is null or ${accessKeys.lastUsedAt} <= v.at)`);
      this.flushedRows += rows.length;
    });
  }
}

/** The service an IAM action belongs to, lower-case as GetAccessKeyLastUsed reports it ("iam"). */
function serviceOf(action: string): string {
  const colon = action.indexOf(':');
  return (colon < 0 ? action : action.slice(0, colon)).toLowerCase();
}
