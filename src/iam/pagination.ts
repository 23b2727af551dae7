/**
 * Keyset pagination for directory lists (ListUsers, ListGroups, ListRoles, ListPolicies, …).
 * A page is "rows whose sort key is greater than the cursor's, in key order, limit N+1": stable
 * under concurrent inserts and deletes, and served by the (account_id, lower(name)) indexes.
 * Cursors are opaque (base64url of the sort key) so clients cannot depend on their contents.
 */
import { sql, type SQL } from 'drizzle-orm';
import { ValidationError } from '../errors.ts';

/** Page size when the caller gives none; AWS's List* default MaxItems is 100. */
export const DEFAULT_PAGE_SIZE = 100;
/** Largest page a caller may ask for; AWS's MaxItems upper bound. */
export const MAX_PAGE_SIZE = 1000;

/** A caller's page request: Relay's `first` and `after`. */
export interface PageRequest {
  readonly first?: number | null | undefined;
  readonly after?: string | null | undefined;
}

/** One page of items with the cursor of each (same order) and whether more follow. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly cursors: readonly string[];
  readonly hasNextPage: boolean;
}

const CURSOR_VERSION = 'k1';

/** Validate `first` (1-1000, default 100) and return the page size. */
export function pageSize(first: number | null | undefined, field = 'first'): number {
  if (first === undefined || first === null) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new ValidationError(field, 'range', `${field} must be from 1 to ${MAX_PAGE_SIZE}; got ${first}`);
  }
  return first;
}

/** Opaque cursor for a sort key (one or more text parts). */
export function encodeCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify([CURSOR_VERSION, ...key]), 'utf8').toString('base64url');
}

/**
 * The sort key inside a cursor made by `encodeCursor` with `parts` parts; undefined for no cursor.
 * A cursor that was not made here is a ValidationError on `field`.
 */
export function decodeCursor(cursor: string | null | undefined, parts = 1, field = 'after'): string[] | undefined {
  if (cursor === undefined || cursor === null) return undefined;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  if (
    !Array.isArray(decoded) ||
    decoded.length !== parts + 1 ||
    decoded[0] !== CURSOR_VERSION ||
    // A NUL could never come from a real row, and PostgreSQL text cannot hold one.
    !decoded.every((part) => typeof part === 'string' && !part.includes('\u0000'))
  ) {
    throw new ValidationError(field, 'cursor', `${field} ${JSON.stringify(cursor.slice(0, 80))} is not a cursor from this list`);
  }
  return (decoded as string[]).slice(1);
}

/** Escape LIKE metacharacters so user text matches literally (backslash is PostgreSQL's default escape). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** `column LIKE 'prefix%'`, or undefined for the prefix `/` (which every path has). */
export function pathPrefixFilter(column: SQL | SQL.Aliased | { getSQL(): SQL }, prefix: string): SQL | undefined {
  if (prefix === '/') return undefined;
  return sql`${column} like ${`${escapeLike(prefix)}%`}`;
}

/**
 * `(k1, k2, …) > (c1, c2, …)` for the decoded cursor, or undefined for the first page. `keys` are
 * the SQL sort expressions in order (e.g. `lower(name)`), matching what `encodeCursor` was given.
 */
export function afterFilter(keys: readonly SQL[], after: readonly string[] | undefined): SQL | undefined {
  if (after === undefined) return undefined;
  if (after.length !== keys.length) throw new Error('cursor key arity does not match the sort keys');
  return sql`(${sql.join([...keys], sql`, `)}) > (${sql.join(
    after.map((v) => sql`${v}`),
    sql`, `,
  )})`;
}

/**
 * Turn `limit + 1` fetched rows into a page: the extra row only says whether more follow.
 * `keyOf` gives a row's sort key (the same parts the query ordered by).
 */
export function toPage<T>(rows: readonly T[], limit: number, keyOf: (row: T) => readonly string[]): Page<T> {
  const items = rows.slice(0, limit);
  return { items, cursors: items.map((row) => encodeCursor(keyOf(row))), hasNextPage: rows.length > limit };
}
