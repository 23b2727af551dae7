/**
 * The committed migrations in drizzle/ match the schema in src/db/schema: drizzle-kit's dry run
 * (`generate --explain`) must find nothing to generate. The second test proves the check has
 * teeth: the same dry run over the schema plus one extra table must plan a migration.
 */
import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const drizzleKit = path.join(root, 'node_modules/drizzle-kit/bin.cjs');

/** Run drizzle-kit's dry-run generate and parse its JSON envelope (it exits non-zero on errors). */
async function explain(args: string[]): Promise<{ status: string; statements?: unknown[] }> {
  const run = promisify(execFile);
  const { stdout } = await run(process.execPath, [drizzleKit, 'generate', '--explain', '--output', 'json', ...args], {
    cwd: root,
    timeout: 120_000,
  }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
  const line = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(line) as { status: string; statements?: unknown[] };
}

describe('migrations are current', () => {
  // Inside node_modules so the probe resolves drizzle-orm like the real schema does.
  const probeDir = path.join(root, 'node_modules/.cache', `portcullis-migration-check-${process.pid}`);
  afterAll(() => rm(probeDir, { recursive: true, force: true }));

  it('drizzle-kit finds no schema change without a migration in drizzle/', { timeout: 120_000 }, async () => {
    const result = await explain(['--config', 'drizzle.config.ts']);
    expect(result, 'run `npm run db:generate` and commit the new folder in drizzle/').toEqual({
      status: 'no_changes',
      dialect: 'postgresql',
    });
  });

  it('the same check reports a schema change that has no migration', { timeout: 120_000 }, async () => {
    await mkdir(probeDir, { recursive: true });
    const schema = path.join(probeDir, 'schema.ts');
    const realSchema = path.relative(probeDir, path.join(root, 'src/db/schema/index.ts')).split(path.sep).join('/');
    await writeFile(
      schema,
      [
        `export * from '${realSchema}';`,
        "import { pgTable, text } from 'drizzle-orm/pg-core';",
        "export const migrationCheckProbe = pgTable('migration_check_probe', { id: text('id').primaryKey() });",
      ].join('\n'),
    );
    const result = await explain(['--dialect', 'postgresql', '--out', 'drizzle', '--schema', path.relative(root, schema)]);
    expect(result.status).toBe('ok');
    expect(JSON.stringify(result.statements)).toContain('migration_check_probe');
  });
});
