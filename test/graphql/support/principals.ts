/**
 * Shared setup of the principal integration tests: a real server with a known root access key,
 * a client that sends it, and a way to give a fresh IAM user an access key (and optionally an
 * inline policy) directly in the server's database, before that user's first request.
 */
import { accessKeys, inlinePolicies } from '../../../src/db/schema/index.ts';
import { newUniqueId } from '../../../src/iam/ids.ts';
import { generateSecretAccessKey, hashAccessKeySecret } from '../../../src/iam/secrets.ts';
import { startTestServer, type GqlResponse, type TestServer } from '../../support/server.ts';

export const ROOT_KEY_ID = 'AKIAPRINCIPALSTEST01';
export const ROOT_SECRET = 'principalsTestSecret0123456789abcdefghij';
export const ACCOUNT_ID = '111122223333';

/** `Authorization: Basic …` for an access key. */
export function basic(accessKeyId: string, secret: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${accessKeyId}:${secret}`).toString('base64')}` };
}

/** A started server plus a client authenticated as root. */
export interface PrincipalsServer {
  readonly server: TestServer;
  /** Sends an operation as the root user and returns `data`, failing on any GraphQL error. */
  root<T = any>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** Sends an operation as the root user and returns the whole response. */
  rootRaw(query: string, variables?: Record<string, unknown>): Promise<GqlResponse<any>>;
}

/** Starts a server whose root access key is ROOT_KEY_ID:ROOT_SECRET. */
export async function startPrincipalsServer(env: Record<string, string> = {}): Promise<PrincipalsServer> {
  const server = await startTestServer({
    env: { PORTCULLIS_ACCOUNT_ID: ACCOUNT_ID, PORTCULLIS_ROOT_ACCESS_KEY: `${ROOT_KEY_ID}:${ROOT_SECRET}`, ...env },
  });
  const rootRaw = (query: string, variables?: Record<string, unknown>) => server.gql<any>(query, variables, basic(ROOT_KEY_ID, ROOT_SECRET));
  return {
    server,
    rootRaw,
    async root(query, variables) {
      const response = await rootRaw(query, variables);
      if (response.body.errors !== undefined) throw new Error(`GraphQL errors: ${JSON.stringify(response.body.errors)}`);
      return response.body.data;
    },
  };
}

/**
 * Gives the user with unique id `userId` a new access key, and optionally an inline policy, by
 * writing to the server's database. Returns request headers that authenticate as that user.
 */
export async function credentialsFor(server: TestServer, userId: string, inlinePolicy?: object): Promise<Record<string, string>> {
  const { db } = server.running.app.database;
  const accessKeyId = newUniqueId('accessKey');
  const secret = generateSecretAccessKey();
  await db.insert(accessKeys).values({ id: accessKeyId, userId, secretHash: await hashAccessKeySecret(secret) });
  if (inlinePolicy !== undefined) {
    await db.insert(inlinePolicies).values({ principalKind: 'user', userId, name: 'TestPolicy', document: JSON.stringify(inlinePolicy) });
  }
  return basic(accessKeyId, secret);
}

const ERROR_TYPE_FIELDS: Record<string, string> = {
  ValidationError: 'field rule',
  NoSuchEntity: 'entityType entityName',
  EntityAlreadyExists: 'entityType entityName',
  LimitExceeded: 'quota limit',
  DeleteConflict: 'entityType entityName dependents',
};

/**
 * The selection of a result union's error members: `__typename`, the Error interface, and each
 * named error type's own fields (GraphQL refuses fragments on types the union cannot hold).
 */
export function errorFields(...types: Array<keyof typeof ERROR_TYPE_FIELDS>): string {
  return ['__typename', '... on ResultError { code message }', ...types.map((t) => `... on ${t} { ${ERROR_TYPE_FIELDS[t]} }`)].join('\n');
}
