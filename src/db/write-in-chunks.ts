/**
 * Background batch writes (usage data, access-key last use) in chunks of one statement each,
 * letting requests in between. PGlite runs every statement on this thread: a flush of 50,000
 * usage keys in 5,000-row statements held the event loop for 1.6 s, so every request in that
 * time waited for it. Its chunks are smaller, and the flush yields a turn of the event loop after
 * each, so no request waits longer than one statement. PostgreSQL's statements run in its own
 * processes, so its chunks stay large (fewer round trips).
 */
import type { Database } from './client.ts';

/** Rows per statement: bounds one statement's memory and lock time (and, on PGlite, how long requests wait). */
const CHUNK_ROWS: Record<Database['kind'], number> = { postgres: 5_000, pglite: 500 };

/** Calls `write` with consecutive chunks of `rows`, one at a time, yielding to the event loop after each. */
export async function writeInChunks<T>(database: Database, rows: readonly T[], write: (chunk: readonly T[]) => Promise<void>): Promise<void> {
  const size = CHUNK_ROWS[database.kind];
  for (let i = 0; i < rows.length; i += size) {
    await write(rows.slice(i, i + size));
    if (i + size < rows.length) await new Promise((resolve) => setImmediate(resolve));
  }
}
