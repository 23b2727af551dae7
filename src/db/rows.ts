/**
 * `db.execute(sql)` returns the driver's own result: an array of rows from postgres.js, an object
 * with `rows` from PGlite. `selectRows` gives raw SQL one shape on both backends.
 */
import type { SQL } from 'drizzle-orm';
import type { Db, Tx } from './client.ts';

/** Run a raw SQL query and return its rows as plain objects, on either backend. */
export async function selectRows<Row extends Record<string, unknown>>(db: Db | Tx, query: SQL): Promise<Row[]> {
  const result: unknown = await db.execute(query);
  if (Array.isArray(result)) return result as Row[];
  const rows = (result as { rows?: unknown }).rows;
  if (Array.isArray(rows)) return rows as Row[];
  throw new Error('selectRows: the driver returned no rows array');
}
