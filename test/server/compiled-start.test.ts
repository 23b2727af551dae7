/**
 * `npm start` runs compiled JavaScript: dist/server/main.js, built as `npm run build:server` builds
 * it (tsc with tsconfig.build.json; here without its type check), with no TypeScript loader in the
 * process. This test builds the server when a source is newer than the build (else it reuses it),
 * starts it on an empty PGlite directory and checks what it must find from dist/: the migrations
 * (drizzle/), the built-in managed policies (seeds/managed-policies) and the static console route.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnCompiledMain, type MainProcess } from './support/spawn.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const ROOT_KEY = { id: 'AKIACOMPILEDSTART234', secret: 'compiled-start-secret-0123456789abcdef' };
const auth = { authorization: `Basic ${Buffer.from(`${ROOT_KEY.id}:${ROOT_KEY.secret}`).toString('base64')}` };

/** Newest modification time (ms) of the files under `dir`, skipping `skip`. */
async function newestMtime(dir: string, skip: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (full === skip) continue;
    newest = Math.max(newest, entry.isDirectory() ? await newestMtime(full, skip) : (await stat(full)).mtimeMs);
  }
  return newest;
}

/** Builds dist/ (the server part) unless it is newer than every server source and tsconfig. */
async function ensureServerBuild(): Promise<void> {
  const built = await stat(path.join(root, 'dist/server/main.js')).catch(() => undefined);
  if (built !== undefined) {
    const configs = await Promise.all(['tsconfig.json', 'tsconfig.build.json'].map(async (f) => (await stat(path.join(root, f))).mtimeMs));
    const sources = Math.max(await newestMtime(path.join(root, 'src'), path.join(root, 'src/web')), ...configs);
    if (sources <= built.mtimeMs) return;
  }
  const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
  await new Promise<void>((resolve, reject) => {
    // --noCheck: npm test type-checks everything first (npm run typecheck), and with isolatedModules
    // the emit is the same without the check, at about a quarter of the time (19 s against 5 s idle).
    const child = spawn(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--noCheck'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`npm run build:server failed (${code}):\n${output}`))));
  });
}

describe('npm start runs the compiled server (dist/server/main.js)', () => {
  let dataDir: string;
  let main: MainProcess;
  let graphqlUrl: string;

  beforeAll(async () => {
    await ensureServerBuild();
    // An empty directory, not the migrated test template: the start-up must find drizzle/ itself.
    dataDir = await mkdtemp(path.join(tmpdir(), 'portcullis-compiled-'));
    main = spawnCompiledMain({
      PORT: '0',
      HOST: '127.0.0.1',
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATA_DIR: dataDir,
      PORTCULLIS_ROOT_ACCESS_KEY: `${ROOT_KEY.id}:${ROOT_KEY.secret}`,
    });
    const serving = await main.waitForLog((line) => line['msg'] === 'portcullis is serving', 90_000);
    graphqlUrl = String(serving['url']);
  }, 400_000);

  afterAll(async () => {
    if (main?.child.exitCode === null) {
      main.child.kill('SIGTERM');
      await main.exited;
    }
    if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
  });

  it('runs no TypeScript loader and applies the migrations from drizzle/', () => {
    expect(main.child.spawnargs.slice(1)).toEqual(['dist/server/main.js']);
    const migrated = main.logs().find((line) => line['step'] === 'migrate');
    expect(migrated).toBeDefined();
  });

  it('answers a GraphQL query, with the built-in managed policies loaded from seeds/', async () => {
    const response = await fetch(graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify({ query: '{ policy(policyArn: "arn:aws:iam::aws:policy/AdministratorAccess") { policyName isBuiltIn defaultVersionId } }' }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { policy: { policyName: 'AdministratorAccess', isBuiltIn: true, defaultVersionId: 'v1' } } });
  });

  it('serves the console from dist/web when it is built (npm start builds it first), else says how to build it', async () => {
    const built = await stat(path.join(root, 'dist/web/index.html')).catch(() => undefined);
    const response = await fetch(new URL('/', graphqlUrl));
    expect(response.status).toBe(built === undefined ? 503 : 200);
    expect(await response.text()).toMatch(built === undefined ? /has not been built/ : /<div id="root">|<script/);
  });
});
