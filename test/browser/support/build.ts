/**
 * Makes sure dist/web holds a dashboard built from the current sources before a browser test
 * starts a server. Builds only when a source is newer than the build, and serialises builds
 * across test workers with a lock directory.
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

/** Whether dist/web is missing or older than src/web or vite.config.ts. */
async function isStale(): Promise<boolean> {
  const built = await stat(builtIndex).catch(() => undefined);
  if (built === undefined) return true;
  const sources = Math.max(await newestMtime(webSource), (await stat(path.join(root, 'vite.config.ts'))).mtimeMs);
  return sources > built.mtimeMs;
}

/** Runs `vite build`, rejecting with its output when it fails. */
function runViteBuild(): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(vite, ['build', '--logLevel', 'warn'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`vite build failed (${code}):\n${output}`))));
  });
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
    if (await isStale()) await runViteBuild();
  } finally {
    await rmdir(lock).catch(() => {});
  }
}
