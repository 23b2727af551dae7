/** Runs the server's entry point as a real process (from source with tsx, or compiled as `npm start` does) and watches its output. */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** A spawned server process. */
export interface MainProcess {
  readonly child: ChildProcess;
  /** Everything written to standard error so far. */
  stderr(): string;
  /** Parsed JSON log lines from standard output so far. */
  logs(): Array<Record<string, unknown>>;
  /** Resolves with the first log line matching `predicate`; rejects if the process exits first. */
  waitForLog(predicate: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Resolves when the process exits. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

// Variables the parent may have set that would leak into the child's configuration.
const CONFIG_VARIABLES = [
  'PORT', 'HOST', 'DATABASE_URL', 'DATA_DIR', 'PORTCULLIS_ACCOUNT_ID', 'PORTCULLIS_ROOT_ACCESS_KEY',
  'PORTCULLIS_ROOT_PASSWORD', 'LOG_LEVEL', 'NODE_ENV', 'DB_POOL_SIZE', 'DB_STATEMENT_TIMEOUT_MS',
  'DB_CONNECT_TIMEOUT_MS', 'SHUTDOWN_TIMEOUT_MS', 'METRICS_PORT', 'METRICS_HOST', 'CORS_ORIGINS',
];

/**
 * Starts src/server/main.ts with exactly `env` as its configuration (METRICS_PORT 0 unless given,
 * so processes started side by side do not race for the default metrics port). Node loads tsx as a hook
 * instead of going through the `tsx` wrapper, so signals reach the server itself and killing
 * the child never leaves an orphaned server behind. `imports` are further modules Node loads first
 * (`--import`), such as a module hook that reports what the server loads.
 */
export function spawnMain(env: Record<string, string>, options: { readonly imports?: readonly string[] } = {}): MainProcess {
  const imports = (options.imports ?? []).flatMap((module) => ['--import', module]);
  return spawnEntry(['--import', 'tsx', ...imports, 'src/server/main.ts'], env);
}

/** Like `spawnMain`, but runs the compiled dist/server/main.js as `npm start` does (build it first). */
export function spawnCompiledMain(env: Record<string, string>): MainProcess {
  return spawnEntry(['dist/server/main.js'], env);
}

function spawnEntry(args: readonly string[], env: Record<string, string>): MainProcess {
  const base = { ...process.env };
  for (const name of CONFIG_VARIABLES) delete base[name];
  const child = spawn(process.execPath, args, { cwd: root, env: { ...base, METRICS_PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let pending = '';
  const logs: Array<Record<string, unknown>> = [];
  const watchers = new Set<() => void>();
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines.filter(Boolean)) {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        logs.push({ raw: line });
      }
    }
    for (const watcher of watchers) watcher();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      for (const watcher of watchers) watcher();
      resolve({ code, signal });
    });
  });
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });

  return {
    child,
    stderr: () => stderr,
    logs: () => logs,
    exited,
    waitForLog(predicate, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`no matching log line within ${timeoutMs} ms; stderr: ${stderr}`)), timeoutMs);
        const check = (): void => {
          const found = logs.find(predicate);
          if (found !== undefined) finish(undefined, found);
          else if (hasExited || child.exitCode !== null) finish(new Error(`process exited first; stderr: ${stderr}`));
        };
        const finish = (error?: Error, line?: Record<string, unknown>): void => {
          clearTimeout(timer);
          watchers.delete(check);
          if (error) reject(error);
          else resolve(line as Record<string, unknown>);
        };
        watchers.add(check);
        check();
      });
    },
  };
}
