/**
 * A resumable stream of one account's change-log rows: replay what follows `afterRevision` from
 * the table in pages, then continue live from the bus, with no gap and no duplicate.
 *
 * Why it is gap-free: the live listener is attached before the replay starts and buffers. Any
 * row the bus published before that is already committed, so the replay (which reads until a
 * short page) returns it; any row published after lands in the buffer. Draining the buffer
 * skips revisions at or below the last one replayed, so rows seen both ways are sent once.
 *
 * The stream is a LiveQueue (a plain FIFO async iterator). The replay reads a page only while the
 * client has room for it, so a slow client paces the replay; live rows are pushed as they come,
 * and a client that falls LIVE_BUFFER_SIZE rows behind has its stream failed rather than the
 * server holding an unbounded queue for it.
 */
import { and, asc, eq, gt } from 'drizzle-orm';
import { changeLog } from '../db/schema/change-log.ts';
import { toChangeEvent, type ChangeEvent } from '../changes/change.ts';
import type { LiveHub } from './live-hub.ts';
import { LiveQueue } from './live-queue.ts';
import type { LiveBatch } from './live-batch.ts';

/** Rows read per replay statement. */
export const REPLAY_PAGE_SIZE = 500;

/**
 * Events a slow client may fall behind by before its stream fails (rather than the server
 * holding an unbounded queue for it).
 */
export const LIVE_BUFFER_SIZE = 10_000;

/** What `changeFeed` streams. */
export interface ChangeFeedOptions {
  /** Only this account's rows are read or forwarded; undefined: every account's (and global) rows. */
  readonly accountId?: string;
  /** Replay rows after this revision first; undefined starts at the current end of the log. */
  readonly afterRevision?: bigint;
  /** Which rows the subscriber wants. */
  readonly matches: (event: ChangeEvent) => boolean;
  /** Rewrites a matching event before it is sent (e.g. to drop what the subscriber may not see). */
  readonly present?: (event: ChangeEvent) => ChangeEvent;
  readonly pageSize?: number;
}

/** The account's changes after `afterRevision` (or from now), replayed then live; ends when returned. */
export function changeFeed(hub: LiveHub, options: ChangeFeedOptions): AsyncIterableIterator<ChangeEvent> {
  const database = hub.runtime.database;
  const pageSize = options.pageSize ?? REPLAY_PAGE_SIZE;
  const present = options.present ?? ((event: ChangeEvent) => event);
  // The replay reads its next page once the client's backlog is down to room for one page.
  const lowWater = Math.max(0, LIVE_BUFFER_SIZE - pageSize);
  let cursor = options.afterRevision ?? hub.currentRevision;
  let live = options.afterRevision === undefined;
  const pending: ChangeEvent[] = [];
  let ended = false;
  let resumeReplay: (() => void) | undefined;
  const wakeReplay = (): void => {
    const resume = resumeReplay;
    resumeReplay = undefined;
    resume?.();
  };
  const queue = new LiveQueue<ChangeEvent>({
    lowWater,
    onDrain: wakeReplay,
    onClose: () => {
      ended = true;
      unsubscribe();
      wakeReplay();
    },
  });
  const fail = (error: unknown): void => {
    ended = true;
    unsubscribe();
    queue.fail(error);
  };
  const forward = (event: ChangeEvent): void => {
    const revision = BigInt(event.revision);
    if (revision <= cursor) return; // replayed already
    cursor = revision;
    if (!options.matches(event)) return;
    if (queue.length >= LIVE_BUFFER_SIZE) fail(new Error(`the subscriber fell ${LIVE_BUFFER_SIZE} changes behind`));
    else queue.push(present(event));
  };
  const take = (events: LiveBatch['events']): void => {
    for (const event of events) {
      if (ended) return;
      if (options.accountId !== undefined && event.accountId !== options.accountId) continue;
      if (live) forward(event);
      else pending.push(event);
    }
  };
  const unsubscribe = hub.subscribe((batch) => take(batch.events));

  const replay = async (): Promise<void> => {
    while (!live && !ended) {
      if (queue.length > lowWater) {
        await new Promise<void>((resolve) => (resumeReplay = resolve));
        continue;
      }
      const rows = await database.db
        .select()
        .from(changeLog)
        .where(
          options.accountId === undefined
            ? gt(changeLog.revision, cursor)
            : and(eq(changeLog.accountId, options.accountId), gt(changeLog.revision, cursor)),
        )
        .orderBy(asc(changeLog.revision))
        .limit(pageSize);
      if (ended) return;
      for (const row of rows) {
        const event = toChangeEvent(row);
        cursor = row.revision;
        if (options.matches(event)) queue.push(present(event));
      }
      if (rows.length < pageSize) {
        live = true;
        for (const event of pending.splice(0)) {
          if (ended) return;
          forward(event);
        }
      }
    }
  };
  if (!live) replay().catch(fail);
  return queue;
}
