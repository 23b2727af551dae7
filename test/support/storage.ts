/**
 * The storage conformance driver. A suite that must behave the same on every storage backend is
 * written once and handed to `describeStorage`, which runs it on embedded PGlite always and on a
 * real PostgreSQL server when TEST_DATABASE_URL names one. .ci/run's PostgreSQL pass sets it, so
 * under CI the PostgreSQL leg runs there, and a missing server fails that pass.
 */
import { describe } from 'vitest';
import { postgresAdminUrl, type TestBackend } from './database.ts';

/** The backends a storage suite runs on: PGlite, then PostgreSQL when one is configured. */
export function storageBackends(): TestBackend[] {
  return postgresAdminUrl() === undefined ? ['pglite'] : ['pglite', 'postgres'];
}

/**
 * Runs `suite` once per storage backend, as `describe('<name> on <backend>')`. The suite opens
 * what it needs on that backend (`openTestDatabase({ backend })`, `createTestStorage(backend)`).
 */
export function describeStorage(name: string, suite: (backend: TestBackend) => void): void {
  describe.each(storageBackends())(`${name} on %s`, suite);
}
