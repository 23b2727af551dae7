/**
 * A resumable stream of one account's change-log rows: replay what follows `afterRevision` from
 * the table in pages, then continue live from the bus, with no gap and no duplicate.
 *
 * Why it is gap-free: the live listener is attached before the replay starts and buffers. Any
 * row the bus published before that is already committed, so the replay (which reads until a
 * short page) returns it; any row published after lands in the buffer. Draining the buffer
 * skips revisions at or below the last one replayed, so rows seen both ways are sent once.
 */
import { and, asc, eq, gt } from 'drizzle-orm';
import { FixedBuffer, Repeater } from 'graphql-yoga';
import { changeLog } from '../db/schema/change-log.ts';
import { toChangeEvent, type ChangeEvent } from '../changes/change.ts';
import type { LiveHub } from './live-hub.ts';

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
export function changeFeed(hub: LiveHub, options: ChangeFeedOptions): Repeater<ChangeEvent> {
  const database = hub.runtime.database;
  const pageSize = options.pageSize ?? REPLAY_PAGE_SIZE;
  const present = options.present ?? ((event: ChangeEvent) => event);
  return new Repeater<ChangeEvent>(async (push, stop) => {
    let cursor = options.afterRevision ?? hub.currentRevision;
    let live = options.afterRevision === undefined;
    const pending: ChangeEvent[] = [];
    let ended = false;
    void stop.then(() => {
      ended = true;
    });
    const forward = (event: ChangeEvent): void => {
      const revision = BigInt(event.revision);
      if (revision <= cursor) return; // replayed already
      cursor = revision;
      if (options.matches(event)) push(present(event)).catch(stop);
    };
    const unsubscribe = hub.subscribe(({ events }) => {
      for (const event of events) {
        if (options.accountId !== undefined && event.accountId !== options.accountId) continue;
        if (live) forward(event);
        else pending.push(event);
      }
    });
    try {
      while (!live && !ended) {
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
        for (const row of rows) {
          const event = toChangeEvent(row);
          cursor = row.revision;
          // Awaiting the push paces the replay to the client.
          if (options.matches(event)) await push(present(event));
        }
        if (rows.length < pageSize) {
          live = true;
          for (const event of pending.splice(0)) forward(event);
        }
      }
      await stop;
    } catch (error) {
      stop(error);
    } finally {
      unsubscribe();
    }
  }, new FixedBuffer(LIVE_BUFFER_SIZE));
}
