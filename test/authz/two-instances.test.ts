/**
 * Consistency across instances: two servers share one PostgreSQL database. Grants and revokes
 * go through instance A; instance B is asked with the revision A returned and must never answer
 * ALLOWED from state older than a revoke, while other checks hammer B concurrently.
 * Needs PostgreSQL (TEST_DATABASE_URL): PGlite is one process's database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStorage, type TestServer, type TestStorage } from '../support/server.ts';
import { arn, policy, write } from './support/directory.ts';
import { dataOf, rootAuth, startAuthzServer } from './support/server.ts';

const AUTHORIZE = `mutation ($input: AuthorizeInput!) { authorize(input: $input) { __typename ... on Decision { decision revision } ... on AccessDenied { message } } }`;
// CYCLES=<n> shortens a local run; CI runs the full 200.
const CYCLES = Number(process.env['CYCLES'] ?? 200);
const QUESTION = { principalArn: arn.user('racer'), action: 's3:GetObject', resourceArn: 'arn:aws:s3:::race/key' };

describe.skipIf(!process.env['TEST_DATABASE_URL'])('two instances on one PostgreSQL database', () => {
  let storage: TestStorage;
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    storage = await createTestStorage();
    a = await startAuthzServer({ storage });
    b = await startAuthzServer({ storage });
    await write(a, 'createUser', { userName: 'racer' });
    await write(a, 'createPolicy', { policyName: 'RaceRead', policyDocument: policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::race/*' }) });
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await storage?.destroy();
  });

  const ask = async (server: TestServer, minRevision?: string): Promise<{ decision: string; revision: string }> =>
    dataOf(await server.gql<{ authorize: { decision: string; revision: string } }>(AUTHORIZE, { input: { ...QUESTION, ...(minRevision ? { minRevision } : {}) } }, rootAuth))
      .authorize;

  it(`never answers ALLOWED from state older than a revoke, over ${CYCLES} grant/revoke cycles`, async () => {
    // What the writer last completed, with how many grants had begun by then: a later grant,
    // even one still in flight, may legitimately be seen.
    let grantsBegun = 0;
    let state = { revision: '0', attached: false, grants: 0 };
    let done = false;
    let concurrentChecks = 0;
    const stale: string[] = [];

    const checker = async (): Promise<void> => {
      while (!done) {
        const seen = state;
        const answer = await ask(b, seen.revision);
        concurrentChecks++;
        if (!seen.attached && answer.decision === 'ALLOWED' && grantsBegun === seen.grants) {
          stale.push(`ALLOWED at revision ${answer.revision} after revoke ${seen.revision}`);
        }
      }
    };
    const checkers = [checker(), checker()];

    const mainStale: string[] = [];
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      grantsBegun++;
      const granted = await write(a, 'attachUserPolicy', { userName: 'racer', policyArn: arn.policy('RaceRead') });
      state = { revision: granted, attached: true, grants: grantsBegun };
      const afterGrant = await ask(b, granted);
      expect(afterGrant.decision, `cycle ${cycle}: grant at ${granted} not visible on B`).toBe('ALLOWED');

      const revoked = await write(a, 'detachUserPolicy', { userName: 'racer', policyArn: arn.policy('RaceRead') });
      state = { revision: revoked, attached: false, grants: grantsBegun };
      const afterRevoke = await ask(b, revoked);
      if (afterRevoke.decision === 'ALLOWED') mainStale.push(`cycle ${cycle}: ALLOWED on B after revoke ${revoked}`);
      expect(BigInt(afterRevoke.revision)).toBeGreaterThanOrEqual(BigInt(revoked));
    }
    done = true;
    await Promise.all(checkers);

    expect(mainStale).toEqual([]);
    expect(stale).toEqual([]);
    expect(concurrentChecks).toBeGreaterThan(CYCLES);
    // Without minRevision B answers from its cache, which the listener has brought up to date by now.
    await b.running.app.authz.reachRevision(BigInt(state.revision), 'test');
    expect((await ask(b)).decision).toBe('IMPLICIT_DENY');
  }, 600_000);
});
