/**
 * Action-level use (the `action_usage` table): per principal, action, resource and UTC day, how
 * many decisions were asked and allowed and when last. Like service last-accessed data, decisions
 * only touch an in-memory map (O(1), no I/O) and the last-accessed timer writes it in batches,
 * so the decision path never waits on a write and never NOTIFYs.
 *
 * Bounded: at most MAX_PENDING_KEYS keys wait for a flush (further uses are dropped and counted),
 * at most MAX_RESOURCES_PER_ACTION distinct resources per principal, action and flush (others are
 * folded into the resource FOLDED_RESOURCE, which readers report as such), and days older than AWS's 400-day
 * tracking period are deleted now and then.
 */
import { lt, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { actionUsage } from '../db/schema/action-usage.ts';
import type { BatchSink } from './last-accessed.ts';

/** One pending (principal, action, resource, day) tally. */
interface Tally {
  readonly principalId: string;
  readonly accountId: string;
  readonly action: string;
  readonly actionKey: string;
  readonly resourceArn: string;
  readonly day: string;
  requests: number;
  allowed: number;
  last: Date;
  lastAllowed: Date | undefined;
}

/** Keys waiting for a flush, at most. */
const MAX_PENDING_KEYS = 50_000;
/** Distinct resources per principal and action in one flush, at most; the rest count under FOLDED_RESOURCE. */
export const MAX_RESOURCES_PER_ACTION = 100;
/** Longest resource ARN stored (IAM's own limit for ARNs in policies is 2,048). */
const MAX_ARN_LENGTH = 2_048;
/** AWS tracks access for the trailing 400 days. */
export const TRACKING_DAYS = 400;
/** Rows per upsert statement, well under PostgreSQL's parameter limit (10 parameters a row). */
const FLUSH_CHUNK = 500;
/** Flushes between deletions of rows past the tracking period. */
const PRUNE_EVERY = 720;

/** The resource key under which uses beyond the cap are counted (not an ARN, and not `*`, which may be asked about itself). */
export const FOLDED_RESOURCE = '#folded';

/** Aggregates action uses in memory; written by the last-accessed flusher. */
export class ActionUsageBuffer implements BatchSink {
  private pending = new Map<string, Tally>();
  /** Distinct resources per principal and action in the pending batch. */
  private resourcesPerAction = new Map<string, number>();
  private flushes = 0;
  /** The last recorded instant's UTC day and the time it starts at (see dayOf). */
  private day = '';
  private dayStart = 0;
  /** Rows written since start (for /metrics). */
  flushedRows = 0;
  /** Uses dropped because the buffer was full. */
  dropped = 0;

  /** Notes one decision of `principalId` on `action` and `resourceArn` at `at` (O(1), no I/O). */
  record(principalId: string, accountId: string, action: string, resourceArn: string, allowed: boolean, at: Date): void {
    const actionKey = action.toLowerCase();
    const day = this.dayOf(at);
    let resource = resourceArn.length > MAX_ARN_LENGTH ? FOLDED_RESOURCE : resourceArn;
    let key = `${principalId}\u0000${actionKey}\u0000${resource}\u0000${day}`;
    let tally = this.pending.get(key);
    if (tally === undefined) {
      const perAction = `${principalId}\u0000${actionKey}`;
      const seen = this.resourcesPerAction.get(perAction) ?? 0;
      if (seen >= MAX_RESOURCES_PER_ACTION && resource !== FOLDED_RESOURCE) {
        resource = FOLDED_RESOURCE;
        key = `${principalId}\u0000${actionKey}\u0000${resource}\u0000${day}`;
        tally = this.pending.get(key);
      }
      if (tally === undefined) {
        if (this.pending.size >= MAX_PENDING_KEYS) {
          this.dropped++;
          return;
        }
        tally = { principalId, accountId, action, actionKey, resourceArn: resource, day, requests: 0, allowed: 0, last: at, lastAllowed: undefined };
        this.pending.set(key, tally);
        this.resourcesPerAction.set(perAction, seen + 1);
      }
    }
    tally.requests++;
    if (at > tally.last) tally.last = at;
    if (allowed) {
      tally.allowed++;
      if (tally.lastAllowed === undefined || at > tally.lastAllowed) tally.lastAllowed = at;
    }
  }

  /** The UTC day (YYYY-MM-DD) of `at`: one toISOString per day, not per decision. */
  private dayOf(at: Date): string {
    const time = at.getTime();
    if (this.day === '' || time < this.dayStart || time >= this.dayStart + 86_400_000) {
      this.day = at.toISOString().slice(0, 10);
      this.dayStart = Math.floor(time / 86_400_000) * 86_400_000;
    }
    return this.day;
  }

  async writePending(database: Database): Promise<void> {
    if (++this.flushes % PRUNE_EVERY === 1) await this.prune(database);
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    this.resourcesPerAction = new Map();
    for (let i = 0; i < batch.length; i += FLUSH_CHUNK) {
      const rows = batch.slice(i, i + FLUSH_CHUNK).map((t) => ({
        principalId: t.principalId,
        accountId: t.accountId,
        action: t.action,
        actionKey: t.actionKey,
        resourceArn: t.resourceArn,
        day: t.day,
        requests: t.requests,
        allowed: t.allowed,
        lastAccessedAt: t.last,
        lastAllowedAt: t.lastAllowed ?? null,
      }));
      await database.db
        .insert(actionUsage)
        .values(rows)
        .onConflictDoUpdate({
          target: [actionUsage.principalId, actionUsage.actionKey, actionUsage.resourceArn, actionUsage.day],
          // Counts add up across flushes and instances; times never move backwards.
          set: {
            requests: sql`${actionUsage.requests} + excluded.requests`,
            allowed: sql`${actionUsage.allowed} + excluded.allowed`,
            lastAccessedAt: sql`greatest(excluded.last_accessed_at, ${actionUsage.lastAccessedAt})`,
            lastAllowedAt: sql`greatest(excluded.last_allowed_at, ${actionUsage.lastAllowedAt})`,
          },
        });
      this.flushedRows += rows.length;
    }
  }

  /** Deletes days past the tracking period. */
  private async prune(database: Database): Promise<void> {
    const cutoff = new Date(Date.now() - TRACKING_DAYS * 86_400_000).toISOString().slice(0, 10);
    await database.db.delete(actionUsage).where(lt(actionUsage.day, cutoff));
  }
}
