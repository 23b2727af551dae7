/**
 * `npm run import:resources -- <file.jsonl>` against a started server: a JSON-lines file larger
 * than one chunk goes through importResources over HTTP in several all-or-nothing calls, with
 * progress per chunk; a bad line stops it with that line's number, leaving earlier chunks
 * imported and nothing of the failing one. The script runs as its own process, as a user runs it.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { count, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resources } from '../../src/db/schema/index.ts';
import type { TestServer } from '../support/server.ts';
import { ROOT_KEY, startAuthzServer } from '../authz/support/server.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const CHUNK = 400;

/** Runs the script on `file` with `env`; never rejects (the exit code is in the result). */
function runScript(file: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(root, 'scripts/import-resources.ts'), file],
      { cwd: root, env: { ...process.env, ...env }, timeout: 120_000 },
      (error, stdout, stderr) => resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr }),
    );
  });
}

describe('scripts/import-resources.ts', () => {
  let server: TestServer;
  let dir: string;
  let env: Record<string, string>;
  const countLike = async (pattern: string): Promise<number> =>
    (await server.running.app.database.db.select({ n: count() }).from(resources).where(like(resources.arn, pattern)))[0]!.n;

  beforeAll(async () => {
    server = await startAuthzServer();
    dir = await mkdtemp(path.join(tmpdir(), 'portcullis-import-'));
    env = { PORTCULLIS_URL: server.graphqlUrl, PORTCULLIS_ACCESS_KEY: `${ROOT_KEY.id}:${ROOT_KEY.secret}`, IMPORT_CHUNK_SIZE: String(CHUNK) };
  }, 60_000);
  afterAll(async () => {
    await server?.dispose();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('imports a file larger than one chunk in several calls, reporting progress', async () => {
    const total = CHUNK * 2 + 150;
    const lines = Array.from({ length: total }, (_, i) =>
      JSON.stringify({
        resourceArn: `arn:aws:s3:::script-bucket/objects/${String(i).padStart(5, '0')}`,
        tags: i % 2 === 0 ? { team: 'blue', n: String(i) } : [{ key: 'team', value: 'red' }],
        ...(i === 5 ? { resourcePolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 's3:GetObject', Resource: '*' }] } } : {}),
      }),
    );
    const file = path.join(dir, 'resources.jsonl');
    // A blank line in the middle is skipped.
    await writeFile(file, `${lines.slice(0, 10).join('\n')}\n\n${lines.slice(10).join('\n')}\n`);
    const run = await runScript(file, env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const progress = run.stdout.trim().split('\n');
    expect(progress).toHaveLength(4);
    expect(progress[0]).toMatch(new RegExp(`^imported ${CHUNK} resources through line ${CHUNK + 1} \\(${CHUNK} registered, 0 updated; revision \\d+\\)$`));
    expect(progress[3]).toBe(`done: ${total} resources from ${total + 1} lines (${total} registered, 0 updated)`);
    expect(await countLike('arn:aws:s3:::script-bucket/objects/%')).toBe(total);
    const [tagged] = await server.running.app.database.db.select().from(resources).where(eq(resources.arn, 'arn:aws:s3:::script-bucket/objects/00004'));
    expect(tagged).toMatchObject({ resourceType: 'object', tags: [{ key: 'team', value: 'blue' }, { key: 'n', value: '4' }] });

    // Again: nothing new, everything replaced.
    const again = await runScript(file, env);
    expect(again.stdout).toContain(`done: ${total} resources from ${total + 1} lines (0 registered, ${total} updated)`);
  }, 120_000);

  it('stops at the first bad line, naming it, after importing the chunks before it', async () => {
    const lines = Array.from({ length: CHUNK * 2 }, (_, i) => JSON.stringify({ resourceArn: `arn:aws:s3:::script-partial/${i}` }));
    // In the second chunk: a resource the catalog cannot place.
    lines[CHUNK + 7] = JSON.stringify({ resourceArn: 'arn:aws:nosuchservice:::x' });
    const file = path.join(dir, 'partial.jsonl');
    await writeFile(file, lines.join('\n'));
    const run = await runScript(file, env);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`line ${CHUNK + 8}: ValidationError:`);
    expect(run.stderr).toContain('nosuchservice');
    expect(await countLike('arn:aws:s3:::script-partial/%')).toBe(CHUNK);

    const broken = path.join(dir, 'broken.jsonl');
    await writeFile(broken, `${JSON.stringify({ resourceArn: 'arn:aws:s3:::script-broken' })}\n{"resourceArn": \n`);
    const parse = await runScript(broken, env);
    expect(parse.code).toBe(1);
    expect(parse.stderr).toMatch(/^import-resources: line 2: not JSON/);
    expect(await countLike('arn:aws:s3:::script-broken')).toBe(0);
  }, 120_000);
});
