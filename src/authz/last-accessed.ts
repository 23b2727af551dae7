/**
 * Service last-accessed data (what AWS's GenerateServiceLastAccessedDetails reports): per
 * principal and service, the last time it was asked about and the action. Decisions only touch
 * an in-memory map; a timer flushes it in one upsert every few seconds, so the decision path
 * never waits on a write and never NOTIFYs. Bounded: a question may name any service prefix, so at
 * most MAX_PENDING_ACCESSES (principal, prefix) pairs wait for a flush; further new pairs are
 * dropped and counted (pairs already held keep taking later accesses).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { executePrepared } from '../db/rows.ts';
import { compareCodeUnits } from './code-unit-order.ts';

/** One pending record. */
interface Access {
  readonly principalId: string;
  readonly accountId: string;
  readonly serviceNamespace: string;
  action: string;
  at: Date;
}

/** Another in-memory batch the same timer writes (access-key last use, denial audit rows). */
export interface BatchSink {
  /** Takes what is buffered and writes it; called by `flush`, one flush at a time. */
  writePending(database: Database): Promise<void>;
}

/** (principal, service prefix as written) pairs waiting for a flush, at most. */
export const MAX_PENDING_ACCESSES = 50_000;

/** Rows per upsert statement: bounds one statement's memory and lock time (the rows travel as one parameter). */
const FLUSH_CHUNK = 5_000;

/** Aggregates accesses in memory and writes them in batches. */
export class LastAccessedRecorder {
  /** Pending accesses by principal id, then by service prefix as written. */
  private pending = new Map<string, Map<string, Access>>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  /** Pairs in `pending`. */
  private held = 0;
  /** Rows written since start (for /metrics). */
  flushedRows = 0;
  /** Accesses of new pairs dropped because MAX_PENDING_ACCESSES were waiting (for /metrics). */
  dropped = 0;

  constructor(
    private readonly database: Database,
    private readonly onError: (error: unknown) => void,
    private readonly intervalMs = 5_000,
    private readonly sinks: readonly BatchSink[] = [],
  ) {}

  /**
   * Notes that `principalId` was decided on for `action` at `at` (O(1), no I/O). Hot path: keyed
   * by principal, then by the action's service prefix as written; case is folded at flush.
   */
  record(principalId: string, accountId: string, action: string, at: Date): void {
    const colon = action.indexOf(':');
    const prefix = colon < 0 ? action : action.slice(0, colon);
    const services = this.pending.get(principalId);
    const existing = services?.get(prefix);
    if (existing !== undefined) {
      if (at !== existing.at && at.getTime() >= existing.at.getTime()) {
        existing.at = at;
        existing.action = action;
      }
      return;
    }
    if (this.held >= MAX_PENDING_ACCESSES) {
      this.dropped++;
      return;
    }
    const access = { principalId, accountId, serviceNamespace: prefix, action, at };
    if (services === undefined) this.pending.set(principalId, new Map([[prefix, access]]));
    else services.set(prefix, access);
    this.held++;
  }

  /** Starts the periodic flush. */
  start(): void {
    this.timer ??= setInterval(() => void this.flush().catch(this.onError), this.intervalMs);
    this.timer.unref();
  }

  /** Writes everything recorded so far (and every sink's batch); concurrent calls run one after another. */
  flush(): Promise<void> {
    const next = this.flushing.then(() => this.writeAll());
    this.flushing = next.catch(() => {});
    return next;
  }

  /** Stops the timer and writes what is left. */
  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush().catch(this.onError);
  }

  /** Writes every batch even when one fails, then reports the first failure. */
  private async writeAll(): Promise<void> {
    const outcomes = await Promise.allSettled([this.writePending(), ...this.sinks.map((sink) => sink.writePending(this.database))]);
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }

  private async writePending(): Promise<void> {
    if (this.pending.size === 0) return;
    const pending = this.pending;
    this.pending = new Map();
    this.held = 0;
    // One row per principal and lower-case service, keeping the latest access.
    const latest = new Map<string, Access>();
    for (const services of pending.values()) {
      for (const access of services.values()) {
        const serviceNamespace = access.serviceNamespace.toLowerCase();
        const key = `${access.principalId}\u0000${serviceNamespace}`;
        const seen = latest.get(key);
        if (seen === undefined || access.at > seen.at) latest.set(key, { ...access, serviceNamespace });
      }
    }
    // In key order, so instances flushing the same keys at once lock them in the same order (no deadlock).
    const batch = [...latest.values()].sort((a, b) => compareCodeUnits(a.principalId, b.principalId) || compareCodeUnits(a.serviceNamespace, b.serviceNamespace));
    for (let i = 0; i < batch.length; i += FLUSH_CHUNK) {
      // Positional rows (see upsertLastAccessed); times as epoch milliseconds.
      const rows = batch.slice(i, i + FLUSH_CHUNK).map((a) => [a.principalId, a.accountId, a.serviceNamespace, a.action, a.at.getTime()]);
      await executePrepared(this.database.db, upsertLastAccessed(JSON.stringify(rows)));
      this.flushedRows += rows.length;
    }
  }
}

/**
 * Stores a chunk of accesses, rows as one JSON text parameter (as action-usage.ts does, for the
 * same reason). Never moves backwards: another instance may have flushed a later access.
 */
function upsertLastAccessed(rows: string): SQL {
  return sql`
    insert into service_last_accessed (principal_id, account_id, service_namespace, last_action, last_accessed_at)
    select r->>0, r->>1, r->>2, r->>3, timestamptz 'epoch' + (r->>4)::bigint * interval '1 millisecond'
    from jsonb_array_elements(${rows}::text::jsonb) as r
    on conflict (principal_id, service_namespace) do update set
      last_action = case when excluded.last_accessed_at >= service_last_accessed.last_accessed_at then excluded.last_action else service_last_accessed.last_action end,
      last_accessed_at = greatest(excluded.last_accessed_at, service_last_accessed.last_accessed_at)`;
}
