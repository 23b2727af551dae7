/**
 * Issue 13, low: a SignInFailed row must not keep what was typed as a user name when it names no
 * user (often a password typed in the wrong box): as CloudTrail does, it reads
 * HIDDEN_DUE_TO_SECURITY_REASONS. A failure for a user that exists keeps the user's name.
 */
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/server.ts';
import { ACCOUNT, createUser, ok, ROOT, startIdentityServer } from '../identity/support/server.ts';

const SIGN_IN = 'mutation($i: SignInInput!) { signIn(input: $i) { __typename } }';
const CHANGES = 'subscription { changes(afterRevision: "0", filter: { includeAudit: true }) { kind entityArn payload } }';

/** Replays the change log over graphql-ws until `count` rows of `kind` arrived. */
async function changesOfKind(server: TestServer, kind: string, count: number): Promise<Array<{ entityArn: string; payload: string }>> {
  const client = createClient({ url: server.graphqlUrl.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { authorization: ROOT } });
  const found: Array<{ entityArn: string; payload: string }> = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const stop = client.subscribe<{ changes: { kind: string; entityArn: string; payload: string } }>(
        { query: CHANGES },
        {
          next: (result) => {
            const change = result.data?.changes;
            if (change?.kind === kind) found.push(change);
            if (found.length >= count) {
              stop();
              resolve();
            }
          },
          error: reject,
          complete: () => resolve(),
        },
      );
    });
  } finally {
    await client.dispose();
  }
  return found;
}

describe('failed sign-in audit rows', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startIdentityServer();
    await createUser(server, 'olga');
  }, 60_000);
  afterAll(async () => {
    await server.dispose();
  });

  it('mask a user name that names no user, and keep one that does', async () => {
    const typedPassword = 'Tr0ub4dor-and-3';
    for (const userName of [typedPassword, 'olga']) {
      const result = await ok(server, undefined, SIGN_IN, { i: { account: ACCOUNT, userName, password: 'wrong-Password-1' } });
      expect(result['signIn'].__typename).toBe('SignInFailed');
    }
    const rows = await changesOfKind(server, 'SIGN_IN_FAILED', 2);
    const text = JSON.stringify(rows);
    expect(text).not.toContain(typedPassword);
    expect(rows.map((r) => JSON.parse(r.payload).userName)).toEqual(['HIDDEN_DUE_TO_SECURITY_REASONS', 'olga']);
    expect(rows[0]!.entityArn).toBe(`arn:aws:iam::${ACCOUNT}:user/HIDDEN_DUE_TO_SECURITY_REASONS`);
    expect(rows[1]!.entityArn).toBe(`arn:aws:iam::${ACCOUNT}:user/olga`);
  });
});
