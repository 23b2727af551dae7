/** Opening the database: PostgreSQL when a URL is given, else embedded PGlite. */
import type { Database, OpenDatabaseOptions } from './client.ts';
import { openPglite } from './pglite-backend.ts';
import { openPostgres } from './postgres-backend.ts';

/**
 * Open the database: postgres.js when `databaseUrl` is set, else PGlite under `dataDir`.
 * Fails fast with a clear Error when the URL is unparseable or the server unreachable.
 * Does not migrate; call `migrateDatabase` next.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.databaseUrl !== undefined && options.databaseUrl !== '') {
    return openPostgres({ ...options, databaseUrl: options.databaseUrl });
  }
  return openPglite(options);
}
