/**
 * Applies the drizzle-kit migrations in `drizzle/` on either backend. Idempotent (applied
 * migrations are recorded in `drizzle.__drizzle_migrations` and skipped) and serialised across
 * instances by a session advisory lock, so two servers starting together do not race.
 */
import { fileURLToPath } from 'node:url';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { migrate } from 'drizzle-orm/pg-core';
import type { Database } from './client.ts';

/** Where drizzle-kit writes migrations (see drizzle.config.ts). */
export const migrationsFolder = fileURLToPath(new URL('../../drizzle/', import.meta.url));

/** Advisory lock key for migrations: an arbitrary constant that only this purpose uses. */
export const MIGRATION_LOCK_KEY = 0x506f7274_6d696772n; // "Portmigr"

/** Apply every pending migration; safe to call on every start and from several instances at once. */
export async function migrateDatabase(database: Database): Promise<void> {
  // Read the files first so a missing or corrupt folder fails before taking the lock.
  const migrations = readMigrationFiles({ migrationsFolder });
  await database.withSessionLock(MIGRATION_LOCK_KEY, async (db) => {
    // The same runner drizzle-orm/pglite/migrator and drizzle-orm/postgres-js/migrator wrap;
    // calling it directly lets one code path serve both drivers through the shared `Db` type.
    await migrate(migrations, db, { migrationsFolder });
  });
}
