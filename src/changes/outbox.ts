/**
 * The transactional outbox: every directory write runs in one transaction that also appends its
 * change-log rows, so the change and its record commit together or not at all.
 *
 * Ordering invariant: change-log rows are inserted while holding a transaction-level advisory
 * lock, so revisions become visible in the order they were assigned. A reader asking for "rows
 * after N" therefore never misses a row that commits later with a smaller revision.
 * The lock is taken only after `fn` has done its work, so writers overlap on everything except
 * the final insert + commit.
 */
import { sql } from 'drizzle-orm';
import type { Database, Tx } from '../db/client.ts';
import { changeLog } from '../db/schema/change-log.ts';
import type { ChangeEntityType, ChangeKind } from './change-kinds.ts';
import { CHANGES_CHANNEL } from './listener.ts';

/** Advisory lock key serialising change-log appends; an arbitrary constant used only here. */
export const CHANGE_LOG_LOCK_KEY = 0x506f7274_6c6f6721n; // "Portlog!"

/** Change-log rows per insert statement (7 parameters each, under PostgreSQL's 65,535). */
const CHANGE_ROWS_PER_STATEMENT = 5_000;

/** Who is writing: recorded on every change row. */
export interface WriteActor {
  readonly arn: string;
  readonly accountId: string;
}

/** One change a write records. */
export interface ChangeInput {
  /** What happened, e.g. `UserCreated`, `PolicyAttached` (a new kind goes into change-kinds.ts first). */
  readonly kind: ChangeKind;
  /** Which kind of entity changed, e.g. `user`, `policy`. */
  readonly entityType: ChangeEntityType;
  readonly entityArn: string;
  /** Unique ids of principals whose effective permissions may change; empty if none. */
  readonly affectedPrincipalIds: readonly string[];
  /** Non-secret details for subscribers and the audit trail. */
  readonly payload: Readonly<Record<string, unknown>>;
  /** Account the change belongs to, when not the actor's (null: global, e.g. built-in policies). */
  readonly accountId?: string | null;
}

/** Records a change; only valid while the write's `fn` is running. */
export type RecordChange = (change: ChangeInput) => void;

/** What `runWrite` returns: `fn`'s result and the revision that includes the write. */
export interface WriteResult<T> {
  readonly result: T;
  /** Decimal digits; the highest revision committed by this write, or the current maximum if it recorded nothing. */
  readonly revision: string;
}

/**
 * Run `fn` in one transaction, append the changes it recorded to the change log in that same
 * transaction, and signal `portcullis_changes` with the new revision. If `fn` throws, nothing is
 * written (neither its changes nor any change row) and the error propagates.
 */
export async function runWrite<T>(
  database: Database,
  actor: WriteActor,
  fn: (tx: Tx, record: RecordChange) => Promise<T>,
): Promise<WriteResult<T>> {
  const outcome = await database.db.transaction(async (tx) => {
    const changes: ChangeInput[] = [];
    let open = true;
    const record: RecordChange = (change) => {
      if (!open) throw new Error('runWrite: a change was recorded after the write finished');
      changes.push(change);
    };
    const result = await fn(tx, record);
    open = false;
    if (changes.length === 0) return { result, revision: undefined };

    await tx.execute(sql`select pg_advisory_xact_lock(${CHANGE_LOG_LOCK_KEY.toString()}::bigint)`);
    let highest = 0n;
    // In slices: one statement carries at most 65,535 parameters (7 per row), and a bulk write
    // (importResources) records one row per entity.
    for (let start = 0; start < changes.length; start += CHANGE_ROWS_PER_STATEMENT) {
      const rows = await tx
        .insert(changeLog)
        .values(
          changes.slice(start, start + CHANGE_ROWS_PER_STATEMENT).map((change) => ({
            accountId: change.accountId === undefined ? actor.accountId : change.accountId,
            actorArn: actor.arn,
            kind: change.kind,
            entityType: change.entityType,
            entityArn: change.entityArn,
            affectedPrincipalIds: [...change.affectedPrincipalIds],
            payload: { ...change.payload },
          })),
        )
        .returning({ revision: changeLog.revision });
      for (const row of rows) if (row.revision > highest) highest = row.revision;
    }
    const revision = highest.toString();
    // NOTIFY inside the transaction: Postgres delivers it at commit, and only if the commit
    // succeeds, so listeners never hear of a revision that is not yet (or never) visible.
    await tx.execute(sql`select pg_notify(${CHANGES_CHANNEL}, ${revision})`);
    return { result, revision };
  });
  if (outcome.revision !== undefined) {
    // So that this process's next request can wait until its caches reflect the write.
    database.commits.record(BigInt(outcome.revision));
    return { result: outcome.result, revision: outcome.revision };
  }
  return { result: outcome.result, revision: await currentRevision(database) };
}

/** The highest committed revision, as decimal digits ("0" for an empty log). */
export async function currentRevision(database: Database): Promise<string> {
  const rows = await database.db
    .select({ revision: sql<string>`coalesce(max(${changeLog.revision}), 0)::text` })
    .from(changeLog);
  return rows[0]?.revision ?? '0';
}
