/**
 * What the authz suites that prove batching by counting SQL share: a fresh test database with
 * the account bootstrapped (root key ROOT_KEY), the statements `count`'s work sends (see
 * StatementCounter: the timers' own are never counted), and the app, started over the database
 * once the suite has written its directory through the domain layer.
 */
import type { Database } from '../../../src/db/client.ts';
import { loadConfig } from '../../../src/config.ts';
import { bootstrapAccount } from '../../../src/iam/bootstrap.ts';
import { createLogger } from '../../../src/logger.ts';
import { createApp, type App } from '../../../src/server/app.ts';
import { openTestDatabase, type TestBackend } from '../../support/database.ts';
import { StatementCounter } from '../../support/statement-counter.ts';
import { ACCOUNT, ROOT_KEY } from './server.ts';

/** A counted test database and the app over it. */
export interface CountingDatabase {
  readonly database: Database;
  /** Runs `work` and returns its result with the statements it sent. */
  count<T>(work: () => T | Promise<T>): Promise<{ result: T; statements: string[] }>;
  /** Creates the app over the database and waits for its change-log listener to start. */
  startApp(): Promise<App>;
  /** Stops the app, if started, and disposes of the database. */
  close(): Promise<void>;
}

/** Opens the database (PGlite, or PostgreSQL under TEST_DATABASE_URL, unless `backend` says) and bootstraps the account. */
export async function openCountingDatabase(backend?: TestBackend): Promise<CountingDatabase> {
  const counter = new StatementCounter();
  const testDb = await openTestDatabase({ ...(backend === undefined ? {} : { backend }), onQuery: counter.onQuery });
  await bootstrapAccount(testDb.database, { accountId: ACCOUNT, rootAccessKey: { accessKeyId: ROOT_KEY.id, secret: ROOT_KEY.secret } });
  let app: App | undefined;
  return {
    database: testDb.database,
    count: (work) => counter.count(work),
    async startApp() {
      app = createApp(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PORTCULLIS_ACCOUNT_ID: ACCOUNT }), testDb.database, { logger: createLogger('silent') });
      await app.authz.start();
      return app;
    },
    async close() {
      await app?.close();
      await testDb.cleanup();
    },
  };
}
