/**
 * The bridge from the database's change log to the in-process bus: LISTEN on
 * `portcullis_changes`, and on every notification (plus once at start and periodically as a
 * safety net for a lost notification or a dropped connection) read the rows past the last
 * applied revision, in order, and publish them. Writers serialise on an advisory lock, so
 * revisions commit in order and "rows after N" never skips a row that commits later.
 */
import { asc, gt, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { changeLog } from '../db/schema/change-log.ts';
import type { ChangeBus } from './bus.ts';
import { toChangeEvent } from './change.ts';

/** The NOTIFY channel directory writes signal after commit. */
export const CHANGES_CHANNEL = 'portcullis_changes';

/** Rows read per statement while catching up. */
const BATCH_SIZE = 500;

/** Options for `ChangeLogListener`. */
export interface ChangeLogListenerOptions {
  /** Safety-net poll interval; notifications normally make it unnecessary. */
  readonly pollIntervalMs?: number;
  /** Reports a failed catch-up (the next notification or poll retries). */
  readonly onError?: (error: unknown) => void;
}

/** Reads the change log into a ChangeBus; one per process and database. */
export class ChangeLogListener {
  private unlisten: (() => Promise<void>) | undefined;
  private starting: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<void> = Promise.resolve();
  private queued: Promise<void> | undefined;
  private stopped = false;
  /** When the last row was applied, and how long after its commit (seconds). */
  lastLagSeconds = 0;
  /** Rows applied since start. */
  appliedRows = 0;
  /** Notifications heard since start: when it stops growing while rows still arrive, LISTEN is lost and only the poll delivers. */
  notifications = 0;

  constructor(
    private readonly database: Database,
    private readonly bus: ChangeBus,
    private readonly options: ChangeLogListenerOptions = {},
  ) {}

  /**
   * Starts listening, then positions the bus at the log's current end: caches start empty, so
   * history before start-up needs no replay. Resolves once the bus has a revision. Every caller
   * shares the first start (requests await it before answering); after a failure, the next call
   * tries again.
   */
  start(): Promise<void> {
    this.starting ??= this.listenAndPosition().catch((error: unknown) => {
      this.starting = undefined;
      throw error;
    });
    return this.starting;
  }

  private async listenAndPosition(): Promise<void> {
    // Kept across a failed attempt, so a retry does not LISTEN twice.
    this.unlisten ??= await this.database.listen(CHANGES_CHANNEL, () => this.notified());
    const rows = await this.database.db
      .select({ last: sql<string | null>`max(${changeLog.revision})::text` })
      .from(changeLog);
    const last = rows[0]?.last;
    if (last != null) this.bus.publish([], BigInt(last));
    if (this.stopped) return;
    const interval = this.options.pollIntervalMs ?? 5_000;
    this.timer = setInterval(() => {
      this.catchUp().catch((error: unknown) => this.options.onError?.(error));
    }, interval);
    this.timer.unref();
  }

  /**
   * Reads and publishes every row past the bus's revision. Concurrent calls share one pass that
   * starts after the call, so when the returned promise resolves the bus reflects every row
   * committed before the call.
   */
  catchUp(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.queued !== undefined) return this.queued;
    const pass = this.current.then(() => {
      this.queued = undefined;
      return this.readAll();
    });
    this.queued = pass;
    this.current = pass.catch(() => {});
    return pass;
  }

  /**
   * LISTENs again and catches up: after a database outage, postgres.js may have given up
   * re-listening (its retry swallows the failure), and notifications sent meanwhile are lost.
   */
  async relisten(): Promise<void> {
    if (this.stopped) return;
    const previous = this.unlisten;
    this.unlisten = undefined;
    await previous?.().catch(() => {});
    this.unlisten = await this.database.listen(CHANGES_CHANNEL, () => this.notified());
    await this.catchUp();
  }

  private notified(): void {
    this.notifications++;
    this.catchUp().catch((error: unknown) => this.options.onError?.(error));
  }

  /** Stops listening and polling; in-flight reads finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    const unlisten = this.unlisten;
    this.unlisten = undefined;
    await unlisten?.().catch(() => {});
    await this.current;
  }

  private async readAll(): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      const after = this.bus.currentRevision;
      const rows = await this.database.db
        .select()
        .from(changeLog)
        .where(gt(changeLog.revision, after))
        .orderBy(asc(changeLog.revision))
        .limit(BATCH_SIZE);
      if (rows.length === 0) return;
      const events = rows.map(toChangeEvent);
      const last = rows[rows.length - 1]!;
      this.bus.publish(events, last.revision);
      this.appliedRows += rows.length;
      this.lastLagSeconds = Math.max(0, (Date.now() - last.createdAt.getTime()) / 1000);
      if (rows.length < BATCH_SIZE) return;
    }
  }
}
