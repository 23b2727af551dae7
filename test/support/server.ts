/**
 * Starts a real Portcullis server on port 0 over a fresh, empty database: a temporary PGlite
 * directory, or a new PostgreSQL database on TEST_DATABASE_URL's server (dropped on close).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import postgres from 'postgres';
import { loadConfig } from '../../src/server/config.ts';
import type { Config } from '../../src/server/config.ts';
import { startServer } from '../../src/server/http.ts';
import type { RunningServer } from '../../src/server/http.ts';
import { createLogger } from '../../src/server/logger.ts';

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

/** Creates empty storage: a PostgreSQL database when TEST_DATABASE_URL is set, else a temp dir. */
export async function createTestStorage(): Promise<TestStorage> {
  const adminUrl = process.env['TEST_DATABASE_URL'];
  if (adminUrl === undefined || adminUrl === '') {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'portcullis-test-'));
    return { env: { DATA_DIR: dataDir }, destroy: () => rm(dataDir, { recursive: true, force: true }) };
  }
  const name = `portcullis_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    async destroy() {
      const dropper = postgres(adminUrl, { max: 1, onnotice: () => {} });
      try {
        await dropper.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

/** Options for `startTestServer`. */
export interface StartTestServerOptions {
  /** Extra environment, e.g. PORTCULLIS_ROOT_PASSWORD; PORT defaults to 0. */
  readonly env?: Readonly<Record<string, string>>;
  /** Reuse storage from an earlier server; by default a fresh one is created and owned. */
  readonly storage?: TestStorage;
}

/** Starts a server through the same `startServer` that `npm start` uses. */
export async function startTestServer(options: StartTestServerOptions = {}): Promise<TestServer> {
  const storage = options.storage ?? (await createTestStorage());
  const ownsStorage = options.storage === undefined;
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', NODE_ENV: 'test', ...storage.env, ...options.env });
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
