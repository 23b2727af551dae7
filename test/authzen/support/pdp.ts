/**
 * A started Portcullis loaded with a named seed, and a small AuthZEN client for it: real HTTP
 * with fetch, the root access key by default.
 */
import { loadNamedSeed } from '../../../src/iam/named-seeds.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';

export const ACCOUNT = '111122223333';
export const ROOT_KEY = 'AKIAAUTHZENROOTKEY01';
export const ROOT_SECRET = 'authzen-root-secret-0123456789';
export const ROOT_AUTH = `Basic ${Buffer.from(`${ROOT_KEY}:${ROOT_SECRET}`).toString('base64')}`;

/** One AuthZEN response: status, headers, and the body parsed as JSON when it is JSON. */
export interface PdpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly json: any;
  readonly text: string;
}

/** What a test works with. */
export interface Pdp {
  readonly server: TestServer;
  /** POSTs `body` (JSON-encoded unless a string) to `path` with root's credential unless `headers.authorization` is given ('' sends none). */
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<PdpResponse>;
  get(path: string, headers?: Record<string, string>): Promise<PdpResponse>;
  close(): Promise<void>;
}

/** Starts a server with a known root key and loads `seeds` into its account. */
export async function startPdp(seeds: readonly string[] = ['authzen-certification'], env: Record<string, string> = {}): Promise<Pdp> {
  const server = await startTestServer({ env: { PORTCULLIS_ACCOUNT_ID: ACCOUNT, PORTCULLIS_ROOT_ACCESS_KEY: `${ROOT_KEY}:${ROOT_SECRET}`, LOG_LEVEL: 'warn', ...env } });
  try {
    for (const seed of seeds) await loadNamedSeed(server.running.app.database, ACCOUNT, seed);
  } catch (error) {
    await server.dispose();
    throw error;
  }
  const send = async (method: string, path: string, body: unknown, headers: Record<string, string>): Promise<PdpResponse> => {
    const given = { 'content-type': 'application/json', authorization: ROOT_AUTH, ...headers };
    const sent = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== ''));
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: sent,
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, json, text };
  };
  return {
    server,
    post: (path, body, headers = {}) => send('POST', path, body, headers),
    get: (path, headers = {}) => send('GET', path, undefined, headers),
    close: () => server.dispose(),
  };
}

/** Creates user `userName` with an inline policy `document` and an access key, as root over GraphQL; returns its Authorization header. */
export async function userWithPolicy(pdp: Pdp, userName: string, document: unknown): Promise<string> {
  const root = { authorization: ROOT_AUTH };
  await pdp.server.gql(`mutation { createUser(input: { userName: "${userName}" }) { __typename } }`, undefined, root);
  const put = await pdp.server.gql(
    'mutation ($input: PutUserPolicyInput!) { putUserPolicy(input: $input) { __typename } }',
    { input: { userName, policyName: 'pep', policyDocument: JSON.stringify(document) } },
    root,
  );
  if ((put.body.data as { putUserPolicy?: { __typename: string } } | undefined)?.putUserPolicy?.__typename !== 'PutUserPolicySuccess') throw new Error(`putUserPolicy failed: ${JSON.stringify(put.body)}`);
  const key = await pdp.server.gql<{ createAccessKey: { secretAccessKey: string; accessKey: { accessKeyId: string } } }>(
    `mutation { createAccessKey(input: { userName: "${userName}" }) { ... on CreateAccessKeySuccess { secretAccessKey accessKey { accessKeyId } } } }`,
    undefined,
    root,
  );
  const created = key.body.data!.createAccessKey;
  return `Basic ${Buffer.from(`${created.accessKey.accessKeyId}:${created.secretAccessKey}`).toString('base64')}`;
}
