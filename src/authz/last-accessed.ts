/**
 * Service last-accessed data (what AWS's GenerateServiceLastAccessedDetails reports): per
 * principal and service, the last time it was asked about and the action. Decisions only touch
 * an in-memory map; a timer flushes it in one upsert every few seconds, so the decision path
 * never waits on a write and never NOTIFYs. Bounded: a question may name any service prefix, so at
 * most MAX_PENDING_ACCESSES (principal, prefix) pairs wait for a flush; further new pairs are
 * dropped and counted (pairs already held keep taking later accesses), and at most
 * MAX_SERVICES_PER_PRINCIPAL services are stored per principal.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { selectRows } from '../db/rows.ts';
import { writeInChunks } from '../db/write-in-chunks.ts';
import type { ActionKey } from '../policy/index.ts';
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

/** (principal, service prefix) pairs waiting for a flush, at most. */
export const MAX_PENDING_ACCESSES = 50_000;
/**
 * Services stored per principal, at most: a question may name any prefix, and the rows are kept
 * as long as the principal. About twice AWS's 450 or so service prefixes, leaving room for
 * applications' own.
 */
export const MAX_SERVICES_PER_PRINCIPAL = 1_000;

/** Aggregates accesses in memory and writes them in batches. */
export class LastAccessedRecorder {
  /** Pending accesses by principal id, then by lower-case service prefix. */
  private pending = new Map<string, Map<string, Access>>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  /** Pairs in `pending`. */
  private held = 0;
  /** Rows written since start (for /metrics). */
  flushedRows = 0;
  /**
   * Accesses not recorded (for /metrics): of new pairs while MAX_PENDING_ACCESSES were waiting, and
   * pairs refused at a flush because their principal held MAX_SERVICES_PER_PRINCIPAL services.
   */
  dropped = 0;

  constructor(
    private readonly database: Database,
    private readonly onError: (error: unknown) => void,
    private readonly intervalMs = 5_000,
    private readonly sinks: readonly BatchSink[] = [],
  ) {}

  /**
   * Notes that `principalId` was decided on for `action` at `at` (O(1), no I/O); `key` is
   * `internAction(action)`, which the decision already made. Hot path: keyed by principal, then by
   * the interned lower-case service prefix, so a decision builds and hashes no string.
   */
  record(principalId: string, accountId: string, action: string, key: ActionKey, at: Date): void {
    const prefix = key.service;
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
    // In key order, so a principal's services travel in one chunk (unless a chunk boundary splits them).
    const batch = [...pending.values()].flatMap((services) => [...services.values()]).sort((a, b) => compareCodeUnits(a.principalId, b.principalId) || compareCodeUnits(a.serviceNamespace, b.serviceNamespace));
    await writeInChunks(this.database, batch, async (chunk) => {
      // Positional rows (see storeLastAccessed); times as epoch milliseconds.
      const rows = chunk.map((a) => [a.principalId, a.accountId, a.serviceNamespace, a.action, a.at.getTime()]);
      const [stored] = await selectRows<{ written: number; refused: number }>(this.database.db, storeLastAccessed(JSON.stringify(rows)));
      this.flushedRows += stored!.written;
      this.dropped += stored!.refused;
    });
  }
}

/**
 * Stores a chunk of accesses, rows as one JSON text parameter and sent unprepared (as
 * action-usage.ts does, for the same reasons), and returns how many rows it wrote and how many it
 * refused: a principal's new service is kept only while it holds fewer than
 * MAX_SERVICES_PER_PRINCIPAL (instances flushing one principal at the same moment may each add one
 * chunk's worth past it, once). Only principals with a new service are counted, each by its own
 * key range (at most that many index entries). Never moves backwards: another instance may have
 * flushed a later access. Rows are inserted in key order, so instances writing the same keys lock
 * them in the same order (no deadlock).
 */
function storeLastAccessed(rows: string): SQL {
  return sql`
    with incoming as (
      select r->>0 as principal_id, r->>1 as account_id, r->>2 as service_namespace, r->>3 as last_action,
             timestamptz 'epoch' + (r->>4)::bigint * interval '1 millisecond' as last_accessed_at
      from jsonb_array_elements(${rows}::text::jsonb) as r
    ),
    marked as (
      select i.*, not exists (
        select 1 from service_last_accessed u where u.principal_id = i.principal_id and u.service_namespace = i.service_namespace
      ) as new_service
      from incoming i
    ),
    held as (
      select k.principal_id, (select count(*) from service_last_accessed u where u.principal_id = k.principal_id) as services
      from (select distinct principal_id from marked where new_service) as k
    ),
    placed as (
      select m.*, not m.new_service
        or coalesce(h.services, 0) + count(*) filter (where m.new_service) over (partition by m.principal_id order by m.service_namespace) <= ${MAX_SERVICES_PER_PRINCIPAL}::int as kept
      from marked m left join held h on h.principal_id = m.principal_id
    ),
    written as (
      insert into service_last_accessed (principal_id, account_id, service_namespace, last_action, last_accessed_at)
      select principal_id, account_id, service_namespace, last_action, last_accessed_at from placed where kept
      order by principal_id collate "C", service_namespace collate "C"
      on conflict (principal_id, service_namespace) do update set
        last_action = case when excluded.last_accessed_at >= service_last_accessed.last_accessed_at then excluded.last_action else service_last_accessed.last_action end,
        last_accessed_at = greatest(excluded.last_accessed_at, service_last_accessed.last_accessed_at)
      returning 1
    )
    select (select count(*) from written)::int as written, (count(*) filter (where not kept))::int as refused from placed`;
}
