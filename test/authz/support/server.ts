/**
 * Helpers for authorization tests: a real server with a known root access key, and
 * Authorization header builders.
 */
import { startTestServer, type StartTestServerOptions, type TestServer } from '../../support/server.ts';

/** The account every test server bootstraps. */
export const ACCOUNT = '111122223333';
/** The root access key given to test servers through PORTCULLIS_ROOT_ACCESS_KEY. */
export const ROOT_KEY = { id: 'AKIAROOTTESTKEY23456', secret: 'root-secret-for-tests-0123456789abcdef' } as const;

/** `Authorization: Basic base64(id:secret)`. */
export function basic(id: string, secret: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` };
}

/** The root user's Authorization header. */
export const rootAuth = basic(ROOT_KEY.id, ROOT_KEY.secret);

/** Starts a server whose root user has ROOT_KEY. */
export function startAuthzServer(options: StartTestServerOptions = {}): Promise<TestServer> {
  return startTestServer({
    ...options,
    env: {
      PORTCULLIS_ACCOUNT_ID: ACCOUNT,
      PORTCULLIS_ROOT_ACCESS_KEY: `${ROOT_KEY.id}:${ROOT_KEY.secret}`,
      // These tests ask many questions with one credential; rate limiting has its own tests.
      RATE_LIMIT_PER_SECOND: '0',
      ...options.env,
    },
  });
}

/** Fails the test with the GraphQL errors when a response has any. */
export function dataOf<T>(response: { status: number; body: { data?: T | null; errors?: unknown[] } }): T {
  if (response.body.errors !== undefined && response.body.errors.length > 0) {
    throw new Error(`graphql errors (HTTP ${response.status}): ${JSON.stringify(response.body.errors)}`);
  }
  if (response.body.data == null) throw new Error(`no data (HTTP ${response.status})`);
  return response.body.data;
}
