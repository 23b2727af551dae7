/**
 * Directory writes for authorization tests, through the real GraphQL mutations as the root user,
 * plus an access-key helper that writes the key row directly (tests need a user's own credential
 * whatever the state of the credentials API).
 */
import { hashAccessKeySecret } from '../../../src/iam/secrets.ts';
import { newUniqueId } from '../../../src/iam/ids.ts';
import { accessKeys } from '../../../src/db/schema/credentials.ts';
import type { TestServer } from '../../support/server.ts';
import { ACCOUNT, basic, dataOf, rootAuth } from './server.ts';

/** ARNs in the test account. */
export const arn = {
  user: (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`,
  group: (name: string) => `arn:aws:iam::${ACCOUNT}:group/${name}`,
  role: (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`,
  policy: (name: string) => `arn:aws:iam::${ACCOUNT}:policy/${name}`,
};

/** A policy document with the given statements. */
export function policy(...statements: Array<Record<string, unknown>>): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/** Runs mutation `name(input)` as root and returns its revision; throws on an error result. */
export async function write(server: TestServer, name: string, input: Record<string, unknown>, headers = rootAuth): Promise<string> {
  const inputType = `${name[0]!.toUpperCase()}${name.slice(1)}Input`;
  const query = `mutation ($input: ${inputType}!) { result: ${name}(input: $input) { __typename ... on ResultError { code message } ... on ${inputType.replace(/Input$/, 'Success')} { revision } } }`;
  const data = dataOf(await server.gql<{ result: { __typename: string; code?: string; message?: string; revision?: string } }>(query, { input }, headers));
  if (data.result.revision === undefined) throw new Error(`${name} failed: ${data.result.code}: ${data.result.message}`);
  return data.result.revision;
}

/** Creates a user with a managed policy of the given statements attached; returns the last revision. */
export async function userWithPolicy(server: TestServer, userName: string, ...statements: Array<Record<string, unknown>>): Promise<string> {
  await write(server, 'createUser', { userName });
  await write(server, 'createPolicy', { policyName: `${userName}-policy`, policyDocument: policy(...statements) });
  return write(server, 'attachUserPolicy', { userName, policyArn: arn.policy(`${userName}-policy`) });
}

/** Gives an existing user an active access key and returns its Authorization header. */
export async function accessKeyFor(server: TestServer, userId: string): Promise<Record<string, string>> {
  const id = newUniqueId('accessKey');
  const secret = `secret-${id}-0123456789`;
  await server.running.app.database.db.insert(accessKeys).values({ id, userId, secretHash: await hashAccessKeySecret(secret) });
  return basic(id, secret);
}

/** The unique id of a user, read through GraphQL. */
export async function userIdOf(server: TestServer, userName: string): Promise<string> {
  const data = dataOf(await server.gql<{ user: { userId: string } }>('query ($n: String!) { user(userName: $n) { userId } }', { n: userName }, rootAuth));
  return data.user.userId;
}
