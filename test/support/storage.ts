/**
 * The storage conformance driver. A suite that must behave the same on every storage backend is
 * written once and handed to `describeStorage`, which runs it on embedded PGlite always and on a
 * real PostgreSQL server when TEST_DATABASE_URL names one. .ci/run's PostgreSQL pass sets it, so
 * under CI the PostgreSQL leg runs there, and a missing server fails that pass.
 */
import { describe } from 'vitest';
import { postgresAdminUrl, type TestBackend } from './database.ts';

/**
 * The backends a storage suite runs on: PGlite, then PostgreSQL when one is configured.
 * TEST_STORAGE_BACKENDS=postgres leaves the PGlite leg out: .ci/run's PostgreSQL pass sets it,
 * as its PGlite pass has run that leg already.
 */
export function storageBackends(): TestBackend[] {
  const configured: TestBackend[] = postgresAdminUrl() === undefined ? ['pglite'] : ['pglite', 'postgres'];
  const only = process.env['TEST_STORAGE_BACKENDS'];
  if (only === undefined || only === '') return configured;
  const chosen = configured.filter((backend) => only.split(',').includes(backend));
  if (chosen.length === 0) throw new Error(`TEST_STORAGE_BACKENDS=${only} names no configured backend (${configured.join(', ')})`);
  return chosen;
}

/**
 * Runs `suite` once per storage backend, as `describe('<name> on <backend>')`. The suite opens
 * what it needs on that backend (`openTestDatabase({ backend })`, `createTestStorage(backend)`).
 */
export function describeStorage(name: string, suite: (backend: TestBackend) => void): void {
  describe.each(storageBackends())(`${name} on %s`, suite);
}
