/**
 * `db.execute(sql)` returns the driver's own result: an array of rows from postgres.js, an object
 * with `rows` from PGlite. `selectRows` gives raw SQL one shape on both backends.
 */
import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Db, Tx } from './client.ts';

/** Run a raw SQL query and return its rows as plain objects, on either backend. */
export async function selectRows<Row extends Record<string, unknown>>(db: Db | Tx, query: SQL): Promise<Row[]> {
  return rowsOf<Row>(await db.execute(query));
}

/** Turns raw SQL into text and parameters; raw SQL names no columns, so no casing applies. */
const dialect = new PgDialect();

/**
 * `selectRows` for a statement on a hot path, sent as a prepared statement. `db.execute` sends
 * raw SQL unnamed, so PostgreSQL plans it on every call (about 3 ms for the principal loader's
 * common table expressions, twice what running it takes). postgres.js prepares a statement once
 * per connection, keyed by its text, and PostgreSQL keeps its generic plan after five runs.
 * PGlite runs it as any other statement. The text must not vary with the data: values travel as
 * parameters, lists as one JSON text parameter each.
 */
export async function selectPreparedRows<Row extends Record<string, unknown>>(db: Db, query: SQL): Promise<Row[]> {
  return rowsOf<Row>(await db._.session.prepareQuery(dialect.sqlToQuery(query), 'raw', true).execute());
}

function rowsOf<Row>(result: unknown): Row[] {
  if (Array.isArray(result)) return result as Row[];
  const rows = (result as { rows?: unknown }).rows;
  if (Array.isArray(rows)) return rows as Row[];
  throw new Error('selectRows: the driver returned no rows array');
}
