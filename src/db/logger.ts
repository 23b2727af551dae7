/** Bridges drizzle's query logger to the `onQuery` callback of `openDatabase`. */
import type { Logger } from 'drizzle-orm/logger';

/** A drizzle Logger reporting each statement's SQL text (never its parameters: they may hold secrets). */
export function queryLogger(onQuery: ((sql: string) => void) | undefined): Logger | undefined {
  if (onQuery === undefined) return undefined;
  return { logQuery: (query) => onQuery(query) };
}
