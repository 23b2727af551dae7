/**
 * Starts a real Portcullis server on port 0 over a fresh, empty database: a temporary PGlite
 * directory, or a new PostgreSQL database on TEST_DATABASE_URL's server (dropped on close).
 */
import { cp, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { openDatabase } from '../../src/db/open.ts';
import { loadConfig } from '../../src/config.ts';
import type { Config } from '../../src/config.ts';
import { startServer } from '../../src/server/http.ts';
import type { RunningServer } from '../../src/server/http.ts';
import { createLogger } from '../../src/logger.ts';
import type { Clock } from '../../src/clock.ts';
import { createPostgresDatabase, migratedPgliteTemplate, pgliteTemplateDigest } from './database.ts';

/** A GraphQL response as received over HTTP. */
export interface GqlResponse<TData = Record<string, unknown>> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: {
    data?: TData | null;
    errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
  };
}

/** A started test server. */
export interface TestServer {
  /** Base URL, e.g. http://localhost:38211. */
  readonly url: string;
  /** `${url}/graphql`. */
  readonly graphqlUrl: string;
  /** Base URL of the separate metrics listener: GET `${metricsUrl}/metrics`. */
  readonly metricsUrl: string;
  readonly running: RunningServer;
  readonly config: Config;
  /** Text shown once to the operator (generated credentials), in order. */
  readonly announcements: readonly string[];
  /** Parsed JSON log lines written so far. */
  readonly logs: ReadonlyArray<Record<string, unknown>>;
  /** POSTs a GraphQL operation with real fetch. */
  gql<TData = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GqlResponse<TData>>;
  /** Stops the server; the database is kept (for restart tests) until `dispose`. */
  close(): Promise<void>;
  /** Stops the server if running and deletes its database. */
  dispose(): Promise<void>;
}

/** Where a test server keeps its data; reusable across restarts. */
export interface TestStorage {
  /** Environment entries (DATA_DIR or DATABASE_URL) that point a server at this storage. */
  readonly env: Readonly<Record<string, string>>;
  /** Deletes the storage. */
  destroy(): Promise<void>;
}

/** Which database a test server runs on. */
export type StorageBackend = 'pglite' | 'postgres';

/**
 * Creates empty storage: by default a PostgreSQL database when TEST_DATABASE_URL is set, else a
 * PGlite directory. Pass `backend` to pin a test to one engine whatever the environment says.
 */
export async function createTestStorage(backend?: StorageBackend): Promise<TestStorage> {
  const adminUrl = process.env['TEST_DATABASE_URL'];
  const hasPostgres = adminUrl !== undefined && adminUrl !== '';
  const chosen = backend ?? (hasPostgres ? 'postgres' : 'pglite');
  if (chosen === 'pglite') {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'portcullis-test-'));
    // An empty, migrated copy: PGlite's initdb costs seconds, a copy a fraction of that.
    await cp(await pgliteTemplate(), dataDir, { recursive: true });
    return { env: { DATA_DIR: dataDir }, destroy: () => rm(dataDir, { recursive: true, force: true }) };
  }
  const created = await createPostgresDatabase();
  return { env: { DATABASE_URL: created.url }, destroy: () => created.drop() };
}

let template: Promise<string> | undefined;

/**
 * A PGlite data directory made from migratedPgliteTemplate() and otherwise empty, shared by every test
 * process on this machine. Its name is pgliteTemplateDigest(), so a new migration builds a new
 * template; concurrent builders race to one atomic rename.
 */
function pgliteTemplate(): Promise<string> {
  template ??= (async () => {
    const target = path.join(tmpdir(), `portcullis-pglite-template-${await pgliteTemplateDigest()}`);
    if (await stat(target).then(() => true, () => false)) return target;
    const building = await mkdtemp(path.join(tmpdir(), 'portcullis-pglite-building-'));
    // The in-memory template, written out by PGlite into a directory.
    const database = await openDatabase({ dataDir: building, pgliteTemplate: await migratedPgliteTemplate() });
    await database.close();
    // Another process may have finished first: keep its template and drop ours.
    await rename(building, target).catch(() => rm(building, { recursive: true, force: true }));
    return target;
  })();
  return template;
}

/** Options for `startTestServer`. */
export interface StartTestServerOptions {
  /** Extra environment, e.g. PORTCULLIS_ROOT_PASSWORD; PORT and METRICS_PORT default to 0. */
  readonly env?: Readonly<Record<string, string>>;
  /** Reuse storage from an earlier server; by default a fresh one is created and owned. */
  readonly storage?: TestStorage;
  /** The server's clock (a TestClock, to advance time instead of sleeping); the system's by default. */
  readonly clock?: Clock;
}

/** Starts a server through the same `startServer` that `npm start` uses. */
export async function startTestServer(options: StartTestServerOptions = {}): Promise<TestServer> {
  const storage = options.storage ?? (await createTestStorage());
  const ownsStorage = options.storage === undefined;
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', METRICS_PORT: '0', LOG_LEVEL: 'info', NODE_ENV: 'test', ...storage.env, ...options.env });
  const announcements: string[] = [];
  const logs: Array<Record<string, unknown>> = [];
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });

  let running: RunningServer;
  try {
    running = await startServer(config, {
      logger: createLogger(config.logLevel, logStream),
      announce: (text) => announcements.push(text),
      clock: options.clock,
    });
  } catch (error) {
    if (ownsStorage) await storage.destroy();
    throw error;
  }

  const graphqlUrl = `${running.url}/graphql`;
  let closed = false;
  const close = async (): Promise<void> => {
    closed = true;
    await running.close();
  };
  return {
    url: running.url,
    graphqlUrl,
    metricsUrl: running.metricsUrl,
    running,
    config,
    announcements,
    logs,
    async gql<TData>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) {
      const response = await fetch(graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
        body: JSON.stringify({ query, ...(variables === undefined ? {} : { variables }) }),
      });
      const body = (await response.json()) as GqlResponse<TData>['body'];
      return { status: response.status, headers: response.headers, body };
    },
    close,
    async dispose() {
      if (!closed) await close();
      if (ownsStorage) await storage.destroy();
    },
  };
}
