/**
 * decisionChanged watches share their re-evaluation (one round per batch for every watch it hits,
 * one evaluation per distinct asker and check). What each subscriber sees must not change: every
 * watch with the same checks gets every flip, and one subscriber's revoked credential or slow client
 * ends or delays only its own stream, and its lost permission refuses only its own checks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateAccessKey } from '../../src/iam/access-keys.ts';
import { attachPolicy, detachPolicy } from '../../src/iam/attachments.ts';
import { createPolicy } from '../../src/iam/policies.ts';
import { createUser } from '../../src/iam/users.ts';
import { MAX_BUFFERED_UPDATES, watchDecisions, type DecisionUpdate } from '../../src/live/decision-watch.ts';
import type { LiveQueue } from '../../src/live/live-queue.ts';
import type { RevisionedDecision } from '../../src/authz/decide.ts';
import type { Database } from '../../src/db/client.ts';
import { ACCOUNT_ID, ROOT_ACTOR, ROOT_AUTH, allowDocument, collect, connect, databaseOf, eventually, liveListeners, startPair, userWithKey, type ServerPair } from './support/servers.ts';

const DECISIONS = `subscription ($checks: [AuthorizeInput!]!) {
  decisionChanged(checks: $checks) { index revision decision: result { __typename ... on Decision { decision } ... on AccessDenied { action resource } } change { revision } }
}`;

let pair: ServerPair;
let db: Database;
let alice: string;
let readPolicy: string;

beforeAll(async () => {
  pair = await startPair();
  db = databaseOf(pair.a);
  alice = (await createUser(db, ROOT_ACTOR, { userName: 'ds-alice' })).result.arn;
  readPolicy = (await createPolicy(db, ROOT_ACTOR, { policyName: 'ds-read', policyDocument: allowDocument(['s3:GetObject']) })).result.policy.arn;
}, 60_000);

afterAll(async () => {
  await pair?.dispose();
});

/** Grants (true) or revokes alice's reads; returns the write's revision. */
async function flip(allow: boolean): Promise<string> {
  const input = { principalName: 'ds-alice', policyArn: readPolicy };
  return (allow ? await attachPolicy(db, ROOT_ACTOR, 'user', input) : await detachPolicy(db, ROOT_ACTOR, 'user', input)).revision;
}

type Update = {
  decisionChanged: { index: number; revision: string; decision: { __typename: string; decision?: string; action?: string; resource?: string }; change: { revision: string } | null };
};

/** [index, decision (or the error's type), revision of the crediting change] of each value. */
function flips(values: readonly Update[]): Array<[number, string, string | null]> {
  return values.map((v) => [v.decisionChanged.index, v.decisionChanged.decision.decision ?? v.decisionChanged.decision.__typename, v.decisionChanged.change?.revision ?? null]);
}

describe('decisionChanged with shared re-evaluation', () => {
  it('gives every subscriber watching the same checks every flip, on one connection or several', async () => {
    const listening = liveListeners(pair.b);
    const checks = [
      { principalArn: alice, action: 's3:GetObject', resourceArn: 'arn:aws:s3:::shared/a.txt' },
      { principalArn: alice, action: 's3:GetObject', resourceArn: 'arn:aws:s3:::shared/a.txt' },
    ];
    const one = connect(pair.b, ROOT_AUTH);
    const two = connect(pair.b, ROOT_AUTH);
    const subs = [collect<Update>(one, DECISIONS, { checks }), collect<Update>(one, DECISIONS, { checks }), collect<Update>(two, DECISIONS, { checks })];
    for (const sub of subs) await sub.waitFor(2);
    // Two connection watches and three streams.
    await eventually(() => liveListeners(pair.b) >= listening + 5, 5_000, 'every subscription to listen');

    // Each write once every subscriber has the previous flip (flips that cancel out before they are
    // evaluated are not emitted at all).
    const granted = await flip(true);
    for (const sub of subs) await sub.waitFor(4);
    const revoked = await flip(false);
    for (const sub of subs) {
      const values = await sub.waitFor(6);
      expect(flips(values)).toEqual([
        [0, 'IMPLICIT_DENY', null],
        [1, 'IMPLICIT_DENY', null],
        [0, 'ALLOWED', granted],
        [1, 'ALLOWED', granted],
        [0, 'IMPLICIT_DENY', revoked],
        [1, 'IMPLICIT_DENY', revoked],
      ]);
    }
    await Promise.all([one.dispose(), two.dispose()]);
    await eventually(() => liveListeners(pair.b) === listening, 5_000, 'the streams to release their listeners');
    expect(subs.every((sub) => sub.values.length === 6)).toBe(true);
  }, 30_000);

  it("ends only the revoked subscriber's stream, and refuses the check only to a subscriber that lost iam:DecisionChanged or iam:Authorize", async () => {
    const revokedUser = await userWithKey(db, 'ds-revoked', ['iam:DecisionChanged', 'iam:Authorize']);
    // One policy per action, so each can be taken away alone.
    const twoPolicies = async (userName: string) => {
      const user = await userWithKey(db, userName);
      for (const action of ['iam:DecisionChanged', 'iam:Authorize']) {
        const { result } = await createPolicy(db, ROOT_ACTOR, { policyName: `${userName}-${action.slice(4)}`, policyDocument: allowDocument([action]) });
        await attachPolicy(db, ROOT_ACTOR, 'user', { principalName: userName, policyArn: result.policy.arn });
      }
      return user;
    };
    const noWatchUser = await twoPolicies('ds-no-watch');
    const noAskUser = await twoPolicies('ds-no-ask');
    const keptUser = await twoPolicies('ds-kept');
    const checks = [{ principalArn: alice, action: 's3:GetObject', resourceArn: 'arn:aws:s3:::shared/b.txt' }];
    const sockets = [revokedUser, noWatchUser, noAskUser, keptUser].map((user) => connect(pair.b, user.authorization));
    const [revokedSub, noWatchSub, noAskSub, keptSub] = sockets.map((ws) => collect<Update>(ws, DECISIONS, { checks }));
    for (const sub of [revokedSub, noWatchSub, noAskSub, keptSub]) await sub!.waitFor(1);

    // Revoking one subscriber's key closes its socket; the others see the next flip.
    await updateAccessKey(db, ROOT_ACTOR, undefined, { userName: 'ds-revoked', accessKeyId: revokedUser.accessKeyId, status: 'Inactive' });
    expect((await sockets[0]!.closed).code).toBe(4401);
    const granted = await flip(true);
    for (const sub of [keptSub, noWatchSub, noAskSub]) expect(flips(await sub!.waitFor(2)).at(-1)).toEqual([0, 'ALLOWED', granted]);

    // Taking one of the two permissions from a subscriber refuses its check at once (AccessDenied
    // naming what it lost, as the check's result), before the next flip of its check; the stream stays open.
    const lose = async (userName: string, action: string, sub: typeof keptSub) => {
      await detachPolicy(db, ROOT_ACTOR, 'user', { principalName: userName, policyArn: `arn:aws:iam::${ACCOUNT_ID}:policy/${userName}-${action.slice(4)}` });
      const values = await sub!.waitFor(3);
      expect(values[2]!.decisionChanged).toMatchObject({ index: 0, change: null, decision: { __typename: 'AccessDenied', action, resource: alice } });
      expect(sub!.errors).toEqual([]);
    };
    await lose('ds-no-watch', 'iam:DecisionChanged', noWatchSub);
    await lose('ds-no-ask', 'iam:Authorize', noAskSub);

    // The marker: the next flip reaches the survivor, and neither refused stream got it.
    const revoked = await flip(false);
    expect(flips(await keptSub!.waitFor(3)).at(-1)).toEqual([0, 'IMPLICIT_DENY', revoked]);
    expect(noWatchSub!.values).toHaveLength(3);
    expect(noAskSub!.values).toHaveLength(3);

    // The survivor keeps going.
    const again = await flip(true);
    expect(flips(await keptSub!.waitFor(4)).at(-1)).toEqual([0, 'ALLOWED', again]);
    expect(revokedSub!.values).toHaveLength(1);
    await flip(false);
    await keptSub!.waitFor(5);
    expect(noWatchSub!.values).toHaveLength(3);
    expect(noAskSub!.values).toHaveLength(3);
    await Promise.all(sockets.map((ws) => ws.dispose()));
  }, 30_000);

  it('holds a slow consumer back without losing its flips, and emits only what still holds when it catches up', async () => {
    const runtime = pair.b.running.app.authz;
    const caller = (await runtime.authenticate(ROOT_AUTH))!;
    const checks = Array.from({ length: 100 }, (_, i) => ({ principalArn: alice, action: 's3:GetObject', resourceArn: `arn:aws:s3:::slow/${i}` }));
    await eventually(() => liveListeners(pair.b) === 0, 5_000, 'earlier tests to release their listeners');
    const updates = (await watchDecisions({ runtime, rounds: pair.b.running.app.live.decisionRounds, caller, facts: { secureTransport: false }, checks, toWireError: (error) => error })) as LiveQueue<DecisionUpdate>;
    expect(updates.length).toBe(100);
    expect(liveListeners(pair.b)).toBe(1);

    // Nobody reads: each flip adds 100 updates until the buffer is full (alternately ALLOWED and
    // IMPLICIT_DENY, ending on ALLOWED)…
    expect(MAX_BUFFERED_UPDATES / checks.length).toBe(10);
    for (let w = 1; w < 10; w++) {
      await flip(w % 2 === 1);
      await eventually(() => updates.length === 100 * (w + 1), 10_000, `flip ${w} to be buffered`);
    }
    expect(updates.length).toBe(MAX_BUFFERED_UPDATES);
    // …then the watch sits out: these flips are merged, not buffered.
    await flip(false);
    await flip(true);
    const last = await flip(false);
    await runtime.reachRevision(BigInt(last), 'test');
    expect(updates.length).toBe(MAX_BUFFERED_UPDATES);

    // Reading makes room; the watch then emits the state after the last flip, credited to it.
    const seen: DecisionUpdate[] = [];
    while (seen.length < MAX_BUFFERED_UPDATES + 100) {
      const next = await Promise.race([updates.next(), new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`stuck after ${seen.length}`)), 10_000))]);
      seen.push(next.value as DecisionUpdate);
    }
    for (let i = 0; i < checks.length; i++) {
      const mine = seen.filter((u) => u.index === i);
      expect(mine).toHaveLength(11);
      // Exactly on flip: consecutive updates of one check always differ, in revision order.
      for (let k = 1; k < mine.length; k++) {
        expect((mine[k]!.result as RevisionedDecision).decision).not.toBe((mine[k - 1]!.result as RevisionedDecision).decision);
        expect(BigInt(mine[k]!.revision)).toBeGreaterThan(BigInt(mine[k - 1]!.revision));
      }
      expect(mine.at(-1)).toMatchObject({ result: { decision: 'IMPLICIT_DENY' }, change: { revision: last } });
    }
    expect(updates.length).toBe(0);
    await updates.return();
    expect(liveListeners(pair.b)).toBe(0);
  }, 60_000);
});
