/**
 * One page of an account's change log read backwards: the newest rows first, and earlier pages on
 * demand (`before` the oldest row already shown). The console's Activity view reads the latest
 * page this way and then follows the `changes` subscription from `latestRevision`, instead of
 * replaying the whole log from revision 0 on every visit.
 *
 * Each page is one bounded statement over the (account_id, revision) index. `latestRevision` is
 * read first, and the first page reads only up to it: a subscription resuming after it neither
 * misses nor repeats a row (writers commit in revision order, see change-log.ts).
 */
import { and, desc, eq, lt, lte, not, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { changeLog } from '../db/schema/change-log.ts';
import { AUDIT_ROW } from './audit-retention.ts';
import { toChangeEvent, type ChangeEvent } from './change.ts';

/** Most rows one page returns. */
export const CHANGE_LOG_PAGE_MAX = 500;

/** What `readChangeLogPage` reads. */
export interface ChangeLogPageRequest {
  readonly accountId: string;
  /** Only rows with a smaller revision (the oldest revision already shown); undefined: the latest rows. */
  readonly before?: bigint;
  /** How many rows, 1 to CHANGE_LOG_PAGE_MAX. */
  readonly last: number;
  /** Also audit-only rows (AccessDenied, SignInFailed), as `changes` with `includeAudit`. */
  readonly includeAudit: boolean;
}

/** One page, newest first. */
export interface ChangeLogPage {
  readonly entries: readonly ChangeEvent[];
  /** Whether rows older than the last entry exist (ask again with `before` = its revision). */
  readonly hasEarlier: boolean;
  /** The account's newest revision when the page was read (audit rows included; 0 for an empty log). */
  readonly latestRevision: bigint;
}

/** Reads one page of the account's change log, newest first. */
export async function readChangeLogPage(database: Database, request: ChangeLogPageRequest): Promise<ChangeLogPage> {
  const [head] = await database.db
    .select({ latest: sql<string | null>`max(${changeLog.revision})::text` })
    .from(changeLog)
    .where(eq(changeLog.accountId, request.accountId));
  const latestRevision = BigInt(head?.latest ?? '0');
  const rows = await database.db
    .select()
    .from(changeLog)
    .where(
      and(
        eq(changeLog.accountId, request.accountId),
        request.before === undefined ? lte(changeLog.revision, latestRevision) : lt(changeLog.revision, request.before),
        request.includeAudit ? undefined : not(AUDIT_ROW),
      ),
    )
    .orderBy(desc(changeLog.revision))
    // One more than asked tells whether an earlier page exists.
    .limit(request.last + 1);
  return { entries: rows.slice(0, request.last).map(toChangeEvent), hasEarlier: rows.length > request.last, latestRevision };
}
