/**
 * Consistency across instances: two servers share one PostgreSQL database. Grants and revokes
 * go through instance A; instance B is asked with the revision A returned and must never answer
 * ALLOWED from state older than a revoke, while other checks ask B at the same moment.
 * Needs PostgreSQL (TEST_DATABASE_URL): PGlite is one process's database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStorage, type TestServer, type TestStorage } from '../support/server.ts';
import { arn, policy, write } from './support/directory.ts';
import { dataOf, rootAuth, startAuthzServer } from './support/server.ts';

const AUTHORIZE = `mutation ($input: AuthorizeInput!) { authorize(input: $input) { __typename ... on Decision { decision revision } ... on AccessDenied { message } } }`;
// CYCLES=<n> shortens a local run; CI runs the full 200.
const CYCLES = Number(process.env['CYCLES'] ?? 200);
/** Checkers asking B after each revoke, and how many questions each asks in turn. */
const CHECKERS = 2;
const CHECKS_PER_CHECKER = 3;
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
    let concurrentChecks = 0;
    const stale: string[] = [];
    // A check is only a test of staleness between a revoke's acknowledgement and the next grant:
    // an answer given after a grant began may rightly be ALLOWED. So each revoke is followed, at
    // once and side by side with the writer's own question, by checkers asking B in a burst, and
    // the next grant waits for them: every check lands in the window where ALLOWED is wrong, B
    // answering them while its listener applies the revoke. (Checkers looping through the whole
    // cycle landed a few checks a cycle there and spent the rest of the machine on answers that
    // could not be wrong.)
    const checker = async (revoked: string, cycle: number): Promise<void> => {
      for (let check = 0; check < CHECKS_PER_CHECKER; check++) {
        const answer = await ask(b, revoked);
        concurrentChecks++;
        if (answer.decision === 'ALLOWED' || BigInt(answer.revision) < BigInt(revoked)) {
          stale.push(`cycle ${cycle}: ${answer.decision} at revision ${answer.revision} after revoke ${revoked}`);
        }
      }
    };

    let revision = '0';
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const granted = await write(a, 'attachUserPolicy', { userName: 'racer', policyArn: arn.policy('RaceRead') });
      const afterGrant = await ask(b, granted);
      expect(afterGrant.decision, `cycle ${cycle}: grant at ${granted} not visible on B`).toBe('ALLOWED');

      const revoked = await write(a, 'detachUserPolicy', { userName: 'racer', policyArn: arn.policy('RaceRead') });
      revision = revoked;
      const [afterRevoke] = await Promise.all([ask(b, revoked), ...Array.from({ length: CHECKERS }, () => checker(revoked, cycle))]);
      expect(afterRevoke!.decision, `cycle ${cycle}: ALLOWED on B after revoke ${revoked}`).not.toBe('ALLOWED');
      expect(BigInt(afterRevoke!.revision)).toBeGreaterThanOrEqual(BigInt(revoked));
    }

    expect(stale).toEqual([]);
    expect(concurrentChecks).toBe(CYCLES * CHECKERS * CHECKS_PER_CHECKER);
    // Without minRevision B answers from its cache, which the listener has brought up to date by now.
    await b.running.app.authz.reachRevision(BigInt(revision), 'test');
    expect((await ask(b)).decision).toBe('IMPLICIT_DENY');
  }, 600_000);
});
