/**
 * An in-process app over a fresh database that counts the SQL statements each request sends, for
 * tests that prove "no extra SQL per row" (or per lookup) alongside behaviour. Requests go through
 * `yoga.fetch`, so every plugin (limits, authentication, masking) applies as on the wire.
 */
import { expect } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { bootstrapAccount } from '../../src/iam/bootstrap.ts';
import { ensureBuiltInPolicies } from '../../src/iam/seeds.ts';
import { createApp, type App } from '../../src/server/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { openTestDatabase } from './database.ts';
import { StatementCounter } from './statement-counter.ts';

export const ACCOUNT = '111122223333';
const ROOT_KEY = { accessKeyId: 'AKIASECURITYINPROC01', secret: 'security-in-process-secret-0123456789' };

/** A GraphQL answer. */
export interface Answer {
  readonly data?: any;
  readonly errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, any> }>;
}

/** The running app and what a test does with it. */
export interface InProcess {
  readonly database: Database;
  readonly root: string;
  /** Sends one operation as `authorization`. */
  gql(authorization: string, query: string, variables?: Record<string, unknown>): Promise<Answer>;
  /** Sends it and returns how many SQL statements it cost, with the answer. */
  counted(authorization: string, query: string, variables?: Record<string, unknown>): Promise<{ statements: number; answer: Answer }>;
  /** Sends it as root and fails the test on any error. */
  asRoot(query: string, variables?: Record<string, unknown>): Promise<any>;
  /** A new user with `statements` as its inline policy; returns its access key's Authorization header. */
  userWith(userName: string, statements: object[]): Promise<string>;
  close(): Promise<void>;
}

function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

/** Options for `startInProcess`. */
export interface InProcessOptions {
  /** Also hears the text of every statement, for tests that ask which queries ran. */
  readonly onQuery?: (sql: string) => void;
}

/** Starts the app over a fresh, bootstrapped database (built-in policies loaded). */
export async function startInProcess(env: Record<string, string> = {}, options: InProcessOptions = {}): Promise<InProcess> {
  const counter = new StatementCounter();
  const { database, cleanup } = await openTestDatabase({
    onQuery: (sql) => {
      counter.onQuery(sql);
      options.onQuery?.(sql);
    },
  });
  await bootstrapAccount(database, { accountId: ACCOUNT, rootAccessKey: ROOT_KEY, rootPassword: 'in-process-password-1' });
  await ensureBuiltInPolicies(database, ACCOUNT);
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: 'memory://unused', ...env });
  const app: App = createApp(config, database, { logger: createLogger('silent') });
  const root = basic(ROOT_KEY.accessKeyId, ROOT_KEY.secret);
  const gql = async (authorization: string, query: string, variables?: Record<string, unknown>): Promise<Answer> => {
    const response = await app.yoga.fetch('http://yoga/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as Answer;
  };
  const asRoot = async (query: string, variables?: Record<string, unknown>) => {
    const answer = await gql(root, query, variables);
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    return answer.data;
  };
  return {
    database,
    root,
    gql,
    asRoot,
    async counted(authorization, query, variables) {
      const { result: answer, statements } = await counter.count(() => gql(authorization, query, variables));
      return { statements: statements.length, answer };
    },
    async userWith(userName, policy) {
      await asRoot('mutation($i: CreateUserInput!) { createUser(input: $i) { __typename } }', { i: { userName } });
      const document = JSON.stringify({ Version: '2012-10-17', Statement: policy });
      const put = await asRoot('mutation($i: PutUserPolicyInput!) { putUserPolicy(input: $i) { __typename } }', {
        i: { userName, policyName: 'Inline', policyDocument: document },
      });
      expect(put.putUserPolicy.__typename).toBe('PutUserPolicySuccess');
      const key = await asRoot(
        'mutation($i: CreateAccessKeyInput!) { createAccessKey(input: $i) { ... on CreateAccessKeySuccess { secretAccessKey accessKey { accessKeyId } } } }',
        { i: { userName } },
      );
      return basic(key.createAccessKey.accessKey.accessKeyId, key.createAccessKey.secretAccessKey);
    },
    async close() {
      await app.close();
      await cleanup();
    },
  };
}
