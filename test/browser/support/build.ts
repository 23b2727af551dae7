/**
 * Makes sure dist/web holds a dashboard built from the current sources before a browser test
 * starts a server. Builds (graphql-codegen, then Vite, as `npm run build:web` does) only when a
 * source is newer than the build, and serialises builds across test workers with a lock directory.
 */
import { spawn } from 'node:child_process';
import { mkdir, readdir, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const webSource = path.join(root, 'src/web');
const builtIndex = path.join(root, 'dist/web/index.html');
const lock = path.join(root, 'dist/.web-build.lock');
const vite = path.join(root, 'node_modules/.bin/vite');
const codegen = path.join(root, 'node_modules/.bin/graphql-codegen');
// Besides src/web: what the console's generated types and the bundle are made from.
const buildInputs = ['vite.config.ts', 'codegen.ts', 'schema/schema.graphql'].map((file) => path.join(root, file));

/** Newest modification time (ms) under `dir`. */
async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const time = entry.isDirectory() ? await newestMtime(full) : (await stat(full)).mtimeMs;
    newest = Math.max(newest, time);
  }
  return newest;
}

/** Whether dist/web is missing or older than src/web or another build input. */
async function isStale(): Promise<boolean> {
  const built = await stat(builtIndex).catch(() => undefined);
  if (built === undefined) return true;
  const inputs = await Promise.all(buildInputs.map(async (file) => (await stat(file)).mtimeMs));
  const sources = Math.max(await newestMtime(webSource), ...inputs);
  return sources > built.mtimeMs;
}

/** Runs a build tool, rejecting with its output when it fails. */
function run(command: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`${path.basename(command)} failed (${code}):\n${output}`))));
  });
}

/** Generates the console's operation types, then bundles it. */
async function runWebBuild(): Promise<void> {
  await run(codegen, ['--config', 'codegen.ts']);
  await run(vite, ['build', '--logLevel', 'warn']);
}

/** Builds the dashboard into dist/web unless it is already current. */
export async function ensureDashboardBuilt(): Promise<void> {
  await mkdir(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch {
      // Another worker is building; a lock older than two minutes is from a crashed run.
      const held = await stat(lock).catch(() => undefined);
      if (held !== undefined && Date.now() - held.mtimeMs > 120_000) await rmdir(lock).catch(() => {});
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    if (await isStale()) await runWebBuild();
  } finally {
    await rmdir(lock).catch(() => {});
  }
}
