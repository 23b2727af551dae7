/**
 * Action-level use (the `action_usage` table): per principal, action, resource and UTC day, how
 * many decisions were asked and allowed and when last. Like service last-accessed data, decisions
 * only touch an in-memory map (O(1), no I/O) and the last-accessed timer writes it in batches,
 * so the decision path never waits on a write and never NOTIFYs.
 *
 * Bounded: at most MAX_PENDING_KEYS keys wait for a flush (further uses are dropped and counted;
 * a principal or action is only taken in with room for its first key, and spellings of an action
 * share its case-folded key, so what the buffer holds grows with the keys alone),
 * at most MAX_RESOURCES_PER_ACTION distinct resources per principal, action and flush (others are
 * folded into the resource FOLDED_RESOURCE, which readers report as such). What is stored is
 * bounded per principal and day (MAX_RESOURCES_PER_DAY, MAX_ACTIONS_PER_DAY), and days older than
 * AWS's 400-day tracking period are deleted now and then.
 */
import { lt, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { selectRows } from '../db/rows.ts';
import { writeInChunks } from '../db/write-in-chunks.ts';
import { actionUsage, actionUsageDays } from '../db/schema/action-usage.ts';
import { compareCodeUnits } from './code-unit-order.ts';
import type { ActionKey } from '../policy/index.ts';
import type { BatchSink } from './last-accessed.ts';

/** One pending (principal, action, resource, day) tally. */
interface Tally {
  readonly resourceArn: string;
  requests: number;
  allowed: number;
  last: Date;
  lastAllowed: Date | undefined;
}

/**
 * One principal's pending uses of one action (case folded) on one day, by resource. Every
 * spelling of the action shares it, so the per-action resource cap counts them together.
 */
interface ActionUses {
  readonly principalId: string;
  readonly accountId: string;
  /** The action as first written (AWS reports actions as they were asked). */
  readonly action: string;
  readonly actionKey: string;
  readonly day: string;
  readonly byResource: Map<string, Tally>;
}

/** One principal's pending uses on one day, by case-folded action. */
type PrincipalUses = Map<string, ActionUses>;

/** Tallies waiting for a flush, at most. */
export const MAX_PENDING_KEYS = 50_000;
/** Distinct resources per principal and action in one flush, at most; the rest count under FOLDED_RESOURCE. */
export const MAX_RESOURCES_PER_ACTION = 100;
/**
 * What is stored per principal and UTC day, at most: a caller allowed to ask about a principal may
 * name any action and resource. Resources beyond the bound count under their action's
 * FOLDED_RESOURCE (so at most 2,000 rows a day); actions beyond it are refused. AWS has about 17,000
 * actions in all, and one principal using a thousand in a day is far past any workload we know.
 */
export const MAX_RESOURCES_PER_DAY = 1_000;
export const MAX_ACTIONS_PER_DAY = 1_000;
/** Longest resource ARN stored (IAM's own limit for ARNs in policies is 2,048). */
const MAX_ARN_LENGTH = 2_048;
/** AWS tracks access for the trailing 400 days. */
export const TRACKING_DAYS = 400;
/** Flushes between deletions of rows past the tracking period. */
const PRUNE_EVERY = 720;

/**
 * Adds a chunk of tallies to the stored ones, within the stored bounds, and returns how many rows
 * it wrote and how many uses it refused. A new resource is kept while the principal holds fewer
 * than MAX_RESOURCES_PER_DAY that day, else counted under its action's FOLDED_RESOURCE; a new
 * action is kept while the principal holds fewer than MAX_ACTIONS_PER_DAY that day, else refused.
 * New keys are numbered in key order, and a day's counts are read from `action_usage_days`, which
 * this statement keeps. Instances flushing one principal at the same moment each see only what was
 * stored before, so each may add one chunk's worth past a bound, once.
 *
 * The rows travel as one JSON text parameter of positional arrays: binding ten parameters a row
 * through the query builder cost about 25 µs of CPU a row, more than the decisions it records. The
 * text is read as jsonb, parsed once, not as json, which `->>` would parse again for every field.
 * Sent unprepared, so planned with the table's current statistics each time (about 10 ms for a
 * chunk of 5,000 rows): a plan cached while the table was small probed it by sequential scan until
 * the next ANALYZE, and a flush of 50,000 new keys went from 1.1 s to 4.5 s in ten flushes (the old
 * plain upsert, prepared, took 0.57 s). Rows are inserted in key order, so instances writing the
 * same keys lock them in the same order (no deadlock). Counts add up across flushes and
 * instances; times never move backwards.
 */
function storeUsage(rows: string): SQL {
  return sql`
    with incoming as (
      select r->>0 as principal_id, r->>1 as account_id, r->>2 as action, r->>3 as action_key, r->>4 as resource_arn,
             (r->>5)::date as day, (r->>6)::int as requests, (r->>7)::int as allowed,
             timestamptz 'epoch' + (r->>8)::bigint * interval '1 millisecond' as last_accessed_at,
             timestamptz 'epoch' + (r->>9)::bigint * interval '1 millisecond' as last_allowed_at
      from jsonb_array_elements(${rows}::text::jsonb) as r
    ),
    -- Which keys and actions are new to their principal's day (index probes, one chunk's worth).
    marked as (
      select i.*,
        not exists (select 1 from action_usage u where u.principal_id = i.principal_id and u.day = i.day and u.action_key = i.action_key) as new_action,
        i.resource_arn <> ${FOLDED_RESOURCE} and not exists (
          select 1 from action_usage u
          where u.principal_id = i.principal_id and u.day = i.day and u.action_key = i.action_key and u.resource_arn = i.resource_arn
        ) as new_resource
      from incoming i
    ),
    -- What each principal's day holds (a lateral lookup, so never a scan of the whole table).
    days as (
      select k.principal_id, k.day, coalesce(d.actions, 0) as actions, coalesce(d.resources, 0) as resources
      from (select distinct principal_id, day from incoming) as k
      left join lateral (select actions, resources from action_usage_days d where d.principal_id = k.principal_id and d.day = k.day) as d on true
    ),
    new_actions as (
      select principal_id, day, action_key, row_number() over (partition by principal_id, day order by action_key) as n
      from (select distinct principal_id, day, action_key from marked where new_action) as a
    ),
    -- Each new action and new resource numbered after what the day holds, in key order.
    numbered as (
      select m.*,
        d.actions + a.n as action_number,
        d.resources + count(*) filter (where m.new_resource) over (partition by m.principal_id, m.day order by m.action_key, m.resource_arn) as resource_number
      from marked m
      join days d on d.principal_id = m.principal_id and d.day = m.day
      left join new_actions a on a.principal_id = m.principal_id and a.day = m.day and a.action_key = m.action_key
    ),
    decided as (
      select n.*,
        n.action_number is null or n.action_number <= ${MAX_ACTIONS_PER_DAY}::int as kept,
        n.new_resource and n.resource_number <= ${MAX_RESOURCES_PER_DAY}::int as new_stored_resource
      from numbered n
    ),
    placed as (
      select d.*, case when d.new_resource and not d.new_stored_resource then ${FOLDED_RESOURCE} else d.resource_arn end as stored_arn
      from decided d
    ),
    written as (
      insert into action_usage (principal_id, account_id, action, action_key, resource_arn, day, requests, allowed, last_accessed_at, last_allowed_at)
      select principal_id, min(account_id), min(action), action_key, stored_arn, day, sum(requests), sum(allowed), max(last_accessed_at), max(last_allowed_at)
      from placed where kept
      group by principal_id, day, action_key, stored_arn
      order by principal_id collate "C", day, action_key collate "C", stored_arn collate "C"
      on conflict (principal_id, day, action_key, resource_arn) do update set
        requests = action_usage.requests + excluded.requests,
        allowed = action_usage.allowed + excluded.allowed,
        last_accessed_at = greatest(excluded.last_accessed_at, action_usage.last_accessed_at),
        last_allowed_at = greatest(excluded.last_allowed_at, action_usage.last_allowed_at)
      returning 1
    ),
    counted as (
      insert into action_usage_days (principal_id, day, actions, resources)
      select principal_id, day, count(distinct action_key) filter (where new_action), count(*) filter (where new_stored_resource)
      from placed where kept and (new_action or new_stored_resource)
      group by principal_id, day
      order by principal_id collate "C", day
      on conflict (principal_id, day) do update set
        actions = action_usage_days.actions + excluded.actions,
        resources = action_usage_days.resources + excluded.resources
    )
    select (select count(*) from written)::int as written, coalesce(sum(requests) filter (where not kept), 0)::int as refused from placed`;
}

/** The resource key under which uses beyond the cap are counted (not an ARN, and not `*`, which may be asked about itself). */
export const FOLDED_RESOURCE = '#folded';

/** Aggregates action uses in memory; written by the last-accessed flusher. */
export class ActionUsageBuffer implements BatchSink {
  /**
   * Pending uses by UTC day, then principal id, case-folded action, resource: nested maps of the
   * strings as they come, so a decision builds no key. The action keys are the policy engine's
   * interned ones (`internAction`), compared by identity.
   */
  private pending = new Map<string, Map<string, PrincipalUses>>();
  /** Tallies in `pending`. */
  private tallies = 0;
  private flushes = 0;
  /** The last recorded instant's UTC day, the time it starts at, and its principals (see dayOf). */
  private day = '';
  private dayStart = 0;
  private principals: Map<string, PrincipalUses> | undefined;
  /** Rows written since start (for /metrics). */
  flushedRows = 0;
  /** Uses not recorded: the buffer was full, or storing them would pass a stored bound. */
  dropped = 0;
  /**
   * Entries held until the next flush, at every level (principals, actions, resources' tallies):
   * what the buffer's memory grows with (for /metrics).
   */
  heldEntries = 0;

  /**
   * Notes one decision of `principalId` on `action` and `resourceArn` at `at` (O(1), no I/O);
   * `key` is `internAction(action)`, which the decision already made.
   */
  record(principalId: string, accountId: string, action: string, key: ActionKey, resourceArn: string, allowed: boolean, at: Date): void {
    const principals = this.principalsOn(at);
    // Room for one more key: a principal or action new to this flush is only taken in with it.
    const room = this.tallies < MAX_PENDING_KEYS;
    let uses = principals.get(principalId);
    if (uses === undefined) {
      if (!room) {
        this.dropped++;
        return;
      }
      uses = new Map();
      principals.set(principalId, uses);
      this.heldEntries++;
    }
    let ofAction = uses.get(key.lower);
    if (ofAction === undefined) {
      if (!room) {
        this.dropped++;
        return;
      }
      ofAction = { principalId, accountId, action, actionKey: key.lower, day: this.day, byResource: new Map() };
      uses.set(key.lower, ofAction);
      this.heldEntries++;
    }
    const byResource = ofAction.byResource;
    let tally = byResource.get(resourceArn);
    if (tally === undefined) {
      let resource = resourceArn.length > MAX_ARN_LENGTH ? FOLDED_RESOURCE : resourceArn;
      if (byResource.size >= MAX_RESOURCES_PER_ACTION) resource = FOLDED_RESOURCE;
      tally = byResource.get(resource);
      if (tally === undefined) {
        if (!room) {
          this.dropped++;
          return;
        }
        tally = { resourceArn: resource, requests: 0, allowed: 0, last: at, lastAllowed: undefined };
        // Only the ARN itself is a key: an over-long or over-the-cap ARN is looked up as the fold.
        byResource.set(resource, tally);
        this.tallies++;
        this.heldEntries++;
      }
    }
    tally.requests++;
    // A request's decisions share one Date: compared by identity first, then by getTime (a `>`
    // between Dates converts both through valueOf, measurably slower per decision).
    if (at !== tally.last && at.getTime() > tally.last.getTime()) tally.last = at;
    if (allowed) {
      tally.allowed++;
      const lastAllowed = tally.lastAllowed;
      if (lastAllowed === undefined || (at !== lastAllowed && at.getTime() > lastAllowed.getTime())) tally.lastAllowed = at;
    }
  }

  /** The principals of `at`'s UTC day (YYYY-MM-DD): one toISOString and one lookup per day, not per decision. */
  private principalsOn(at: Date): Map<string, PrincipalUses> {
    const time = at.getTime();
    if (this.principals === undefined || time < this.dayStart || time >= this.dayStart + 86_400_000) {
      this.day = at.toISOString().slice(0, 10);
      this.dayStart = Math.floor(time / 86_400_000) * 86_400_000;
      let principals = this.pending.get(this.day);
      if (principals === undefined) {
        principals = new Map();
        this.pending.set(this.day, principals);
      }
      this.principals = principals;
    }
    return this.principals;
  }

  async writePending(database: Database): Promise<void> {
    if (++this.flushes % PRUNE_EVERY === 1) await this.prune(database);
    if (this.tallies === 0) return;
    const pending = this.pending;
    this.pending = new Map();
    this.principals = undefined;
    this.tallies = 0;
    this.heldEntries = 0;
    const batch: Array<{ uses: ActionUses; tally: Tally }> = [];
    for (const principals of pending.values()) {
      for (const uses of principals.values()) for (const ofAction of uses.values()) for (const tally of ofAction.byResource.values()) batch.push({ uses: ofAction, tally });
    }
    // In key order, so a principal's day travels in one chunk (unless a chunk boundary splits it)
    // and its bounds are applied to all of it at once.
    batch.sort(
      (a, b) =>
        compareCodeUnits(a.uses.principalId, b.uses.principalId) ||
        compareCodeUnits(a.uses.day, b.uses.day) ||
        compareCodeUnits(a.uses.actionKey, b.uses.actionKey) ||
        compareCodeUnits(a.tally.resourceArn, b.tally.resourceArn),
    );
    await writeInChunks(database, batch, async (chunk) => {
      // Positional rows (see storeUsage); times as epoch milliseconds.
      const rows = chunk.map(({ uses, tally }) => [
        uses.principalId,
        uses.accountId,
        uses.action,
        uses.actionKey,
        tally.resourceArn,
        uses.day,
        tally.requests,
        tally.allowed,
        tally.last.getTime(),
        tally.lastAllowed?.getTime() ?? null,
      ]);
      const [stored] = await selectRows<{ written: number; refused: number }>(database.db, storeUsage(JSON.stringify(rows)));
      this.flushedRows += stored!.written;
      this.dropped += stored!.refused;
    });
  }

  /** Deletes days past the tracking period. */
  private async prune(database: Database): Promise<void> {
    const cutoff = new Date(Date.now() - TRACKING_DAYS * 86_400_000).toISOString().slice(0, 10);
    await database.db.delete(actionUsage).where(lt(actionUsage.day, cutoff));
    await database.db.delete(actionUsageDays).where(lt(actionUsageDays.day, cutoff));
  }
}
