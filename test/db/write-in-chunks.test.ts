/**
 * Background batch writes go in chunks, one statement each, with a turn of the event loop between
 * them: PGlite runs statements on the server's own thread, and a usage flush of 50,000 keys in
 * 5,000-row statements held every request for 1.6 s. PGlite's chunks are smaller than PostgreSQL's.
 */
import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { writeInChunks } from '../../src/db/write-in-chunks.ts';

/** Only what writeInChunks reads of a database. */
const backend = (kind: Database['kind']) => ({ kind }) as Database;

describe('writeInChunks', () => {
  it('lets a request in between chunks, and not after the last', async () => {
    const order: string[] = [];
    const writing = writeInChunks(backend('pglite'), Array.from({ length: 1_200 }, (_, i) => i), async (chunk) => {
      order.push(`rows ${chunk[0]}-${chunk.at(-1)}`);
    });
    // A request that arrives while the flush runs.
    setImmediate(() => order.push('request'));
    await writing;
    expect(order).toEqual(['rows 0-499', 'request', 'rows 500-999', 'rows 1000-1199']);
  });

  it('writes 500 rows a statement on PGlite and 5,000 on PostgreSQL, every row once, in order', async () => {
    const sizes = async (kind: Database['kind']) => {
      const seen: number[][] = [];
      await writeInChunks(backend(kind), Array.from({ length: 12_000 }, (_, i) => i), async (chunk) => {
        seen.push([...chunk]);
      });
      expect(seen.flat()).toEqual(Array.from({ length: 12_000 }, (_, i) => i));
      return seen.map((chunk) => chunk.length);
    };
    expect(await sizes('postgres')).toEqual([5_000, 5_000, 2_000]);
    expect(await sizes('pglite')).toEqual(Array.from({ length: 24 }, () => 500));
  });
});
