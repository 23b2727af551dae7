import type { Database } from '../db/client.ts';

/**
 * The per-request DataLoaders. Each batched lookup (users by id, policies by principal, …) adds
 * one property here and its construction in `createLoaders`, so a GraphQL operation asking N
 * questions costs a fixed number of SQL round trips.
 */
// Declared empty on purpose: the directory and authorization layers add their loaders.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Loaders {}

/** Creates a fresh set of loaders for one request. */
export function createLoaders(_database: Database): Loaders {
  return {};
}
