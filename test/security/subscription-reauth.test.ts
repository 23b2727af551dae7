/**
 * Issue 13, item 5: subscriptions are authorized for their whole life, not only when they start.
 * A subscriber that loses the permission a subscription needs (its policy detached and `Deny *`
 * added, its role's sessions revoked) gets ACCESS_DENIED and no event committed at or after the change
 * that took it away; one that loses a decisionChanged check's principal gets AccessDenied as that
 * check's result and no later answer of that check, while the others go on. "No further event" is shown with a
 * marker: a write after the revocation that a still-allowed subscriber (root) receives.
 *
 * Real graphql-ws clients against startTestServer(); writes go to one instance and subscribers sit
 * on the other (two instances over PostgreSQL with TEST_DATABASE_URL, else one PGlite server).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccessKey } from '../../src/iam/access-keys.ts';
import { attachPolicy, detachPolicy } from '../../src/iam/attachments.ts';
import { putInlinePolicy } from '../../src/iam/inline-policies.ts';
import { createPolicy } from '../../src/iam/policies.ts';
import { createRole } from '../../src/iam/roles.ts';
import { revokeRoleSessions } from '../../src/sts/revoke.ts';
import { createUser } from '../../src/iam/users.ts';
import type { Database } from '../../src/db/client.ts';
import { ACCOUNT_ID, ROOT_ACTOR, ROOT_AUTH, allowDocument, collect, connect, databaseOf, eventually, liveListeners, startPair, userWithKey, type Collected, type ServerPair, type WsClient } from '../live/support/servers.ts';

const CHANGES = 'subscription { changes { revision kind entityArn } }';
const PERMISSIONS = 'subscription ($p: String!) { permissionsChanged(principalArn: $p) { revision kind entityArn } }';
const STATUS = 'subscription { serviceStatus { database } }';
const DECISIONS = `subscription ($checks: [AuthorizeInput!]!) {
  decisionChanged(checks: $checks) { index revision decision: result { __typename ... on Decision { decision } ... on AccessDenied { action resource } } change { revision } }
}`;
const DENY_ALL = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] });

let pair: ServerPair;
let db: Database;
const sockets: WsClient[] = [];

beforeAll(async () => {
  pair = await startPair();
  db = databaseOf(pair.a);
}, 60_000);

afterAll(async () => {
  await Promise.all(sockets.map((ws) => ws.dispose()));
  await pair?.dispose();
});

/**
 * Subscribes on a new graphql-ws connection to the subscribers' instance (disposed after the file)
 * and resolves once the stream listens: the connection's credential watch and, for a stream fed by
 * the change log, its own listener are attached, so every later write reaches it.
 */
async function subscribe<T>(authorization: string, query: string, variables: Record<string, unknown> = {}, fedByChanges = true): Promise<Collected<T>> {
  const before = liveListeners(pair.b);
  const ws = connect(pair.b, authorization);
  sockets.push(ws);
  const sub = collect<T>(ws, query, variables);
  await eventually(() => liveListeners(pair.b) >= before + (fedByChanges ? 2 : 1), 10_000, 'the subscription to listen');
  return sub;
}

/** A user with one managed policy per entry of `grants` (each `[name, actions, resource]`), and a key. */
async function userWithPolicies(userName: string, grants: ReadonlyArray<readonly [string, readonly string[], string?]>) {
  const user = await userWithKey(db, userName);
  const arns: Record<string, string> = {};
  for (const [name, actions, resource] of grants) {
    const { result } = await createPolicy(db, ROOT_ACTOR, { policyName: `${userName}-${name}`, policyDocument: allowDocument(actions, resource) });
    await attachPolicy(db, ROOT_ACTOR, 'user', { principalName: userName, policyArn: result.policy.arn });
    arns[name] = result.policy.arn;
  }
  return { ...user, policies: arns };
}

/** Resolves when `sub` ends, or when it receives a value `isMarker` accepts (which the test then refutes). */
function endedOrSaw<T>(sub: Collected<T>, isMarker: (value: T) => boolean): Promise<'ended' | 'saw the marker'> {
  return new Promise((resolve) => {
    void sub.ended.then(() => resolve('ended'));
    const poll = (): void => {
      if (sub.values.some(isMarker)) resolve('saw the marker');
      else void sub.waitFor(sub.values.length + 1, 20_000).then(poll, () => {});
    };
    poll();
  });
}

/** `promise`, or a rejection naming the bound when it takes longer than `ms`. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still open after ${ms} ms`)), ms).unref())]);
}

/** The error a refused stream ended with, as JSON text. */
function refusal(sub: Collected): string {
  return JSON.stringify(sub.errors);
}

type Change = { revision: string; kind: string; entityArn: string };

describe('a subscriber that loses its permission mid-stream', () => {
  it('changes: policies removed and Deny * added ends the stream with ACCESS_DENIED before any later event', async () => {
    const watcher = await userWithPolicies('sr-changes', [['watch', ['iam:Changes']]]);
    const mine = await subscribe<{ changes: Change }>(watcher.authorization, CHANGES);
    const control = await subscribe<{ changes: Change }>(ROOT_AUTH, CHANGES);
    // Both streams are live once they see this write.
    const warm = await createUser(db, ROOT_ACTOR, { userName: 'sr-warm-1' });
    await mine.waitFor(1);
    await control.waitFor(1);
    expect(mine.values[0]!.changes.entityArn).toBe(warm.result.arn);

    const detached = await detachPolicy(db, ROOT_ACTOR, 'user', { principalName: 'sr-changes', policyArn: watcher.policies['watch']! });
    await putInlinePolicy(db, ROOT_ACTOR, 'user', { principalName: 'sr-changes', policyName: 'deny-all', policyDocument: DENY_ALL });
    const marker = await createUser(db, ROOT_ACTOR, { userName: 'sr-marker-1' });
    await createAccessKey(db, ROOT_ACTOR, undefined, { userName: 'sr-marker-1' });
    const isMarker = (v: { changes: Change }) => v.changes.kind === 'ACCESS_KEY_CREATED' || v.changes.entityArn === marker.result.arn;
    while (!control.values.some(isMarker)) await control.waitFor(control.values.length + 1);

    expect(await endedOrSaw(mine, isMarker)).toBe('ended');
    expect(await mine.ended).toBe('error');
    expect(refusal(mine)).toContain('ACCESS_DENIED');
    expect(refusal(mine)).toContain('"action":"iam:Changes"');
    // Nothing committed at or after the detach reached the watcher.
    for (const value of mine.values) expect(BigInt(value.changes.revision)).toBeLessThan(BigInt(detached.revision));
  }, 30_000);

  it('permissionsChanged: losing iam:PermissionsChanged on the principal ends the stream before its next change', async () => {
    const target = await createUser(db, ROOT_ACTOR, { userName: 'sr-target' });
    const watcher = await userWithPolicies('sr-perms', [['watch', ['iam:PermissionsChanged'], target.result.arn]]);
    const mine = await subscribe<{ permissionsChanged: Change }>(watcher.authorization, PERMISSIONS, { p: target.result.arn });
    const control = await subscribe<{ permissionsChanged: Change }>(ROOT_AUTH, PERMISSIONS, { p: target.result.arn });
    const { result: readOnly } = await createPolicy(db, ROOT_ACTOR, { policyName: 'sr-target-read', policyDocument: allowDocument(['s3:GetObject']) });
    await attachPolicy(db, ROOT_ACTOR, 'user', { principalName: 'sr-target', policyArn: readOnly.policy.arn });
    await mine.waitFor(1);
    await control.waitFor(1);

    await detachPolicy(db, ROOT_ACTOR, 'user', { principalName: 'sr-perms', policyArn: watcher.policies['watch']! });
    const marker = await detachPolicy(db, ROOT_ACTOR, 'user', { principalName: 'sr-target', policyArn: readOnly.policy.arn });
    const isMarker = (v: { permissionsChanged: Change }) => v.permissionsChanged.revision === marker.revision;
    while (!control.values.some(isMarker)) await control.waitFor(control.values.length + 1);

    expect(await endedOrSaw(mine, isMarker)).toBe('ended');
    expect(refusal(mine)).toContain('ACCESS_DENIED');
    expect(refusal(mine)).toContain('"action":"iam:PermissionsChanged"');
    expect(mine.values).toHaveLength(1);
  }, 30_000);

  it('serviceStatus: losing iam:ServiceStatus ends the stream with ACCESS_DENIED', async () => {
    const watcher = await userWithPolicies('sr-status', [['watch', ['iam:ServiceStatus']]]);
    const mine = await subscribe<{ serviceStatus: { database: string } }>(watcher.authorization, STATUS, {}, false);
    expect((await mine.waitFor(1))[0]!.serviceStatus.database).toBe('UP');

    await detachPolicy(db, ROOT_ACTOR, 'user', { principalName: 'sr-status', policyArn: watcher.policies['watch']! });
    // No event follows an outage-free detach, so the bound is on the end itself.
    expect(await within(mine.ended, 10_000)).toBe('error');
    expect(refusal(mine)).toContain('ACCESS_DENIED');
    expect(refusal(mine)).toContain('"action":"iam:ServiceStatus"');
    expect(mine.values).toHaveLength(1);
  }, 30_000);

  it("decisionChanged: losing iam:DecisionChanged on one check's principal refuses that check before any later flip of it, and the others go on", async () => {
    const alice = await createUser(db, ROOT_ACTOR, { userName: 'sr-alice' });
    const bob = await createUser(db, ROOT_ACTOR, { userName: 'sr-bob' });
    // Each permission on each check's principal comes from its own policy, so one can be taken away alone.
    const watcher = await userWithPolicies('sr-decisions', [
      ['alice', ['iam:DecisionChanged', 'iam:Authorize'], alice.result.arn],
      ['bob-watch', ['iam:DecisionChanged'], bob.result.arn],
      ['bob-ask', ['iam:Authorize'], bob.result.arn],
    ]);
    const checks = [
      { principalArn: alice.result.arn, action: 's3:GetObject', resourceArn: 'arn:aws:s3:::sr/a' },
      { principalArn: bob.result.arn, action: 's3:GetObject', resourceArn: 'arn:aws:s3:::sr/b' },
    ];
    type Update = {
      decisionChanged: { index: number; revision: string; decision: { __typename: string; decision?: string; action?: string; resource?: string }; change: { revision: string } | null };
    };
    const mine = await subscribe<Update>(watcher.authorization, DECISIONS, { checks });
    const control = await subscribe<Update>(ROOT_AUTH, DECISIONS, { checks });
    await mine.waitFor(2);
    await control.waitFor(2);

    // The watcher may no longer watch bob (it may still ask about him, and watch alice): bob's check
    // is refused; then bob's decision flips, and alice's next flip is the marker.
    await detachPolicy(db, ROOT_ACTOR, 'user', { principalName: 'sr-decisions', policyArn: watcher.policies['bob-watch']! });
    const { result: read } = await createPolicy(db, ROOT_ACTOR, { policyName: 'sr-read', policyDocument: allowDocument(['s3:GetObject']) });
    const bobFlip = await attachPolicy(db, ROOT_ACTOR, 'user', { principalName: 'sr-bob', policyArn: read.policy.arn });
    const marker = await attachPolicy(db, ROOT_ACTOR, 'user', { principalName: 'sr-alice', policyArn: read.policy.arn });
    const isMarker = (v: Update) => v.decisionChanged.change?.revision === marker.revision;
    while (!control.values.some(isMarker)) await control.waitFor(control.values.length + 1);
    expect(control.values.some((v) => v.decisionChanged.change?.revision === bobFlip.revision)).toBe(true);

    expect(await endedOrSaw(mine, isMarker)).toBe('saw the marker');
    expect(mine.errors).toEqual([]);
    expect(mine.values.slice(2).map((v) => [v.decisionChanged.index, v.decisionChanged.decision])).toEqual([
      [1, { __typename: 'AccessDenied', action: 'iam:DecisionChanged', resource: bob.result.arn }],
      [0, { __typename: 'Decision', decision: 'ALLOWED' }],
    ]);
  }, 30_000);
});

describe('revokeRoleSessions', () => {
  it("ends the revoked role session's changes stream before any later event", async () => {
    const sam = await userWithPolicies('sr-sam', [['assume', ['sts:AssumeRole']]]);
    await createRole(db, ROOT_ACTOR, {
      roleName: 'sr-watcher-role',
      assumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: sam.arn }, Action: 'sts:AssumeRole' }],
      }),
    });
    await putInlinePolicy(db, ROOT_ACTOR, 'role', { principalName: 'sr-watcher-role', policyName: 'watch', policyDocument: allowDocument(['iam:Changes']) });
    const assumed = await pair.a.gql<{ assumeRole: { __typename: string; credentials?: { sessionToken: string } } }>(
      'mutation ($i: AssumeRoleInput!) { assumeRole(input: $i) { __typename ... on AssumeRoleSuccess { credentials { sessionToken } } } }',
      { i: { roleArn: `arn:aws:iam::${ACCOUNT_ID}:role/sr-watcher-role`, roleSessionName: 'watching' } },
      { authorization: sam.authorization },
    );
    const token = assumed.body.data?.assumeRole.credentials?.sessionToken;
    expect(token, JSON.stringify(assumed.body)).toBeTypeOf('string');

    const mine = await subscribe<{ changes: Change }>(`Bearer ${token}`, CHANGES);
    const control = await subscribe<{ changes: Change }>(ROOT_AUTH, CHANGES);
    await createUser(db, ROOT_ACTOR, { userName: 'sr-warm-2' });
    await mine.waitFor(1);
    await control.waitFor(1);

    const revoked = await revokeRoleSessions(db, ROOT_ACTOR, 'sr-watcher-role');
    const marker = await createUser(db, ROOT_ACTOR, { userName: 'sr-marker-2' });
    const isMarker = (v: { changes: Change }) => v.changes.entityArn === marker.result.arn;
    while (!control.values.some(isMarker)) await control.waitFor(control.values.length + 1);

    expect(await endedOrSaw(mine, isMarker)).toBe('ended');
    expect(refusal(mine)).toContain('ACCESS_DENIED');
    for (const value of mine.values) expect(BigInt(value.changes.revision)).toBeLessThan(BigInt(revoked.revision));
  }, 30_000);
});
