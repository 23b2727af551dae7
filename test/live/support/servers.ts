/**
 * Live-update test support: real servers on port 0 (two sharing one PostgreSQL database when
 * TEST_DATABASE_URL is set, else one PGlite server playing both parts), real graphql-ws clients
 * over `ws`, and directory writes made through the services (so they go through runWrite, the
 * change log and NOTIFY exactly as GraphQL mutations do).
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createTestStorage, startTestServer, type TestServer, type TestStorage } from '../../support/server.ts';
import { createAccessKey } from '../../../src/iam/access-keys.ts';
import { createUser } from '../../../src/iam/users.ts';
import { createPolicy } from '../../../src/iam/policies.ts';
import { attachPolicy } from '../../../src/iam/attachments.ts';
import type { WriteActor } from '../../../src/changes/outbox.ts';
import type { Database } from '../../../src/db/client.ts';

export const ACCOUNT_ID = '111122223333';
export const ROOT_KEY_ID = 'AKIALIVETESTROOT0001';
export const ROOT_SECRET = 'liveTestRootSecret0123456789abcdefghijkl';
/** The account's root user, as a writer. */
export const ROOT_ACTOR: WriteActor = { arn: `arn:aws:iam::${ACCOUNT_ID}:root`, accountId: ACCOUNT_ID };

/** `Basic base64(id:secret)`. */
export function basic(accessKeyId: string, secret: string): string {
  return `Basic ${Buffer.from(`${accessKeyId}:${secret}`).toString('base64')}`;
}

/** The root user's Authorization value. */
export const ROOT_AUTH = basic(ROOT_KEY_ID, ROOT_SECRET);

/** Two instances over one database (or one PGlite instance twice). */
export interface ServerPair {
  readonly a: TestServer;
  readonly b: TestServer;
  /** Whether `a` and `b` are really two processes' worth of server (PostgreSQL). */
  readonly distinct: boolean;
  dispose(): Promise<void>;
}

/** Whether the multi-instance variants can run. */
export const hasPostgres = (process.env['TEST_DATABASE_URL'] ?? '') !== '';

/** Starts the pair; `env` is added to both servers' environment. */
export async function startPair(env: Record<string, string> = {}): Promise<ServerPair> {
  const storage: TestStorage = await createTestStorage();
  const fullEnv = { PORTCULLIS_ACCOUNT_ID: ACCOUNT_ID, PORTCULLIS_ROOT_ACCESS_KEY: `${ROOT_KEY_ID}:${ROOT_SECRET}`, LOG_LEVEL: 'warn', ...env };
  const a = await startTestServer({ storage, env: fullEnv });
  const b = hasPostgres ? await startTestServer({ storage, env: fullEnv }) : a;
  return {
    a,
    b,
    distinct: a !== b,
    async dispose() {
      if (b !== a) await b.close();
      await a.close();
      await storage.destroy();
    },
  };
}

/** The database of a server, for service-level writes. */
export function databaseOf(server: TestServer): Database {
  return server.running.app.database;
}

/**
 * Waits until `server` has applied every change written through `writer`'s database handle, so a
 * subscription started afterwards begins after those changes instead of receiving them live.
 */
export async function caughtUp(server: TestServer, writer: TestServer): Promise<void> {
  const revision = databaseOf(writer).commits.highest;
  if (!(await server.running.app.changes.bus.waitForRevision(revision, 10_000))) throw new Error(`timed out waiting for revision ${revision}`);
}

/** Open live listeners on a server (subscriptions and watched connections). */
export function liveListeners(server: TestServer): number {
  return server.running.app.live.hub.size;
}

/** A graphql-ws client for `server`; `closed` records close codes. */
export interface WsClient {
  readonly client: Client;
  readonly closes: Array<{ code: number; reason: string }>;
  /** Resolves with the first close event. */
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly socket: () => WebSocket | undefined;
  dispose(): Promise<void>;
}

/** Connects (eagerly) with `authorization` in the connection_init payload. */
export function connect(server: TestServer, authorization: string | undefined): WsClient {
  const closes: Array<{ code: number; reason: string }> = [];
  let socket: WebSocket | undefined;
  let resolveClosed!: (value: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => (resolveClosed = resolve));
  const client = createClient({
    url: server.graphqlUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 0,
    connectionParams: authorization === undefined ? {} : { authorization },
    onNonLazyError: () => {},
    on: {
      opened: (s) => {
        socket = s as WebSocket;
      },
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        const entry = { code, reason: String(reason) };
        closes.push(entry);
        resolveClosed(entry);
      },
    },
  });
  return { client, closes, closed, socket: () => socket, dispose: () => client.dispose() as Promise<void> };
}

/** A running subscription's received payloads and its end. */
export interface Collected<T = any> {
  readonly values: T[];
  readonly errors: unknown[];
  /** Resolves when the server completes or errors the subscription. */
  readonly ended: Promise<'complete' | 'error'>;
  /** Resolves once `count` values arrived (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<T[]>;
  unsubscribe(): void;
}

/** Subscribes and collects `data` (or the whole payload when it carries errors). */
export function collect<T = any>(ws: WsClient, query: string, variables: Record<string, unknown> = {}): Collected<T> {
  const values: T[] = [];
  const errors: unknown[] = [];
  const waiters: Array<() => void> = [];
  let end!: (how: 'complete' | 'error') => void;
  const ended = new Promise<'complete' | 'error'>((resolve) => (end = resolve));
  const notify = (): void => {
    for (const w of waiters.splice(0)) w();
  };
  const unsubscribe = ws.client.subscribe<T>(
    { query, variables },
    {
      next: (result) => {
        if (result.errors !== undefined) errors.push(...result.errors);
        if (result.data != null) values.push(result.data as T);
        notify();
      },
      error: (error) => {
        errors.push(error);
        end('error');
        notify();
      },
      complete: () => {
        end('complete');
        notify();
      },
    },
  );
  return {
    values,
    errors,
    ended,
    unsubscribe,
    waitFor(count, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`timed out waiting for ${count} values; have ${values.length}: ${JSON.stringify(values)} errors ${JSON.stringify(errors)}`)),
          timeoutMs,
        );
        const check = (): void => {
          if (values.length >= count) {
            clearTimeout(timer);
            resolve(values);
          } else waiters.push(check);
        };
        check();
      });
    },
  };
}

/** Waits until `predicate` holds, polling every 10 ms. */
export async function eventually(predicate: () => boolean, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A policy document allowing `actions` on every resource. */
export function allowDocument(actions: readonly string[], resource = '*'): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: resource }] });
}

/** Creates a user with an access key and a managed policy of `actions` attached; returns its ARN, id and Authorization. */
export async function userWithKey(
  database: Database,
  userName: string,
  actions: readonly string[] = [],
): Promise<{ arn: string; id: string; authorization: string; accessKeyId: string }> {
  const { result: user } = await createUser(database, ROOT_ACTOR, { userName });
  if (actions.length > 0) {
    const { result } = await createPolicy(database, ROOT_ACTOR, { policyName: `${userName}-live`, policyDocument: allowDocument(actions) });
    await attachPolicy(database, ROOT_ACTOR, 'user', { principalName: userName, policyArn: result.policy.arn });
  }
  const { result: key } = await createAccessKey(database, ROOT_ACTOR, undefined, { userName });
  return { arn: user.arn, id: user.id, authorization: basic(key.accessKey.accessKeyId, key.secretAccessKey), accessKeyId: key.accessKey.accessKeyId };
}
