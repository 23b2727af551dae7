/**
 * decisionChanged emits the current decisions, then exactly when a committed change flips one
 * (grant, revoke, group membership, permissions boundary, new default policy version), and
 * nothing for writes that do not affect the watched principal. Writes go to instance A, the
 * subscriber listens on instance B (the same PGlite server when no PostgreSQL is configured).
 * permissionsChanged is checked against the same writes. Re-evaluations are background work: they
 * are neither counted in /metrics nor recorded as last-accessed data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachPolicy, detachPolicy } from '../../src/iam/attachments.ts';
import { deletePermissionsBoundary, putPermissionsBoundary } from '../../src/iam/boundaries.ts';
import { addUserToGroup, removeUserFromGroup } from '../../src/iam/group-membership.ts';
import { createGroup } from '../../src/iam/groups.ts';
import { createPolicy } from '../../src/iam/policies.ts';
import { createPolicyVersion } from '../../src/iam/policy-versions.ts';
import { createUser } from '../../src/iam/users.ts';
import { eq } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { serviceLastAccessed } from '../../src/db/schema/last-accessed.ts';
import { ACCOUNT_ID, ROOT_ACTOR, ROOT_AUTH, allowDocument, collect, connect, databaseOf, eventually, liveListeners, startPair, userWithKey, type ServerPair } from './support/servers.ts';

const DECISIONS = `subscription ($checks: [AuthorizeInput!]!, $minRevision: String) {
  decisionChanged(checks: $checks, minRevision: $minRevision) {
    key index revision change { kind revision entityArn }
    decision: result { __typename ... on Decision { allowed decision revision } ... on ResultError { message } ... on AccessDenied { action resource } }
  }
}`;
const PERMISSIONS = 'subscription ($p: String!, $after: String) { permissionsChanged(principalArn: $p, afterRevision: $after) { kind revision entityArn } }';

let pair: ServerPair;
let db: Database;
let alice: { arn: string; id: string };

beforeAll(async () => {
  pair = await startPair();
  db = databaseOf(pair.a);
  const { result } = await createUser(db, ROOT_ACTOR, { userName: 'dc-alice' });
  alice = { arn: result.arn, id: result.id };
}, 60_000);

afterAll(async () => {
  await pair?.dispose();
});

/** The last-accessed rows of principal `id`, as flushed so far. */
async function lastAccessedOf(id: string): Promise<Array<{ service: string; at: string }>> {
  const rows = await db.db.select().from(serviceLastAccessed).where(eq(serviceLastAccessed.principalId, id));
  return rows.map((row) => ({ service: row.serviceNamespace, at: row.lastAccessedAt.toISOString() }));
}

/** Managed policy ARN allowing `actions`. */
async function policy(name: string, actions: string[]): Promise<string> {
  const { result } = await createPolicy(db, ROOT_ACTOR, { policyName: name, policyDocument: allowDocument(actions) });
  return result.policy.arn;
}

describe('decisionChanged', () => {
  it('emits the initial decisions, then one event per flip, in commit order, and none for unrelated writes', async () => {
    const ws = connect(pair.b, ROOT_AUTH);
    const checks = [
      { principalArn: alice.arn, action: 's3:GetObject', resourceArn: 'arn:aws:s3:::reports/2026.csv' },
      { principalArn: alice.arn, action: 'ec2:RunInstances', resourceArn: '*' },
    ];
    const sub = collect(ws, DECISIONS, { checks });
    const perms = collect(ws, PERMISSIONS, { p: alice.arn });
    const initial = await sub.waitFor(2);
    expect(initial.map((v) => [v.decisionChanged.index, v.decisionChanged.decision.decision, v.decisionChanged.change])).toEqual([
      [0, 'IMPLICIT_DENY', null],
      [1, 'IMPLICIT_DENY', null],
    ]);
    await eventually(() => liveListeners(pair.b) >= 3, 5_000, 'both subscriptions to listen');

    const s3Read = await policy('dc-s3-read', ['s3:GetObject']);
    const ec2 = await policy('dc-ec2', ['ec2:*']);
    let expected = 2;
    const next = async (): Promise<{ index: number; decision: string; kind: string; revision: string }> => {
      const values = await sub.waitFor(++expected);
      const v = values[expected - 1].decisionChanged;
      return { index: v.index, decision: v.decision.decision, kind: v.change.kind, revision: v.change.revision };
    };

    // Grant.
    const grant = await attachPolicy(db, ROOT_ACTOR, 'user', { principalName: 'dc-alice', policyArn: s3Read });
    expect(await next()).toEqual({ index: 0, decision: 'ALLOWED', kind: 'POLICY_ATTACHED', revision: grant.revision });

    // Unrelated writes: another user gets the same policy; a policy is created. Then a flip of
    // check 1 proves nothing was emitted in between (events arrive in commit order).
    await createUser(db, ROOT_ACTOR, { userName: 'dc-bob' });
    await attachPolicy(db, ROOT_ACTOR, 'user', { principalName: 'dc-bob', policyArn: ec2 });
    await policy('dc-unused', ['sqs:*']);
    const ec2Grant = await attachPolicy(db, ROOT_ACTOR, 'user', { principalName: 'dc-alice', policyArn: ec2 });
    expect(await next()).toEqual({ index: 1, decision: 'ALLOWED', kind: 'POLICY_ATTACHED', revision: ec2Grant.revision });

    // A write that affects alice without flipping anything emits nothing either.
    const s3ReadAgain = await policy('dc-s3-read-again', ['s3:GetObject']);
    await attachPolicy(db, ROOT_ACTOR, 'user', { principalName: 'dc-alice', policyArn: s3ReadAgain });

    // Revoke.
    const revoke = await detachPolicy(db, ROOT_ACTOR, 'user', { principalName: 'dc-alice', policyArn: ec2 });
    expect(await next()).toEqual({ index: 1, decision: 'IMPLICIT_DENY', kind: 'POLICY_DETACHED', revision: revoke.revision });
    await detachPolicy(db, ROOT_ACTOR, 'user', { principalName: 'dc-alice', policyArn: s3Read });
    await detachPolicy(db, ROOT_ACTOR, 'user', { principalName: 'dc-alice', policyArn: s3ReadAgain });
    expect(await next()).toMatchObject({ index: 0, decision: 'IMPLICIT_DENY', kind: 'POLICY_DETACHED' });

    // Group membership: the group's policy applies once alice joins, and not before.
    await createGroup(db, ROOT_ACTOR, { groupName: 'dc-readers' });
    await attachPolicy(db, ROOT_ACTOR, 'group', { principalName: 'dc-readers', policyArn: s3Read });
    const joined = await addUserToGroup(db, ROOT_ACTOR, { groupName: 'dc-readers', userName: 'dc-alice' });
    expect(await next()).toEqual({ index: 0, decision: 'ALLOWED', kind: 'USER_ADDED_TO_GROUP', revision: joined.revision });
    const left = await removeUserFromGroup(db, ROOT_ACTOR, { groupName: 'dc-readers', userName: 'dc-alice' });
    expect(await next()).toEqual({ index: 0, decision: 'IMPLICIT_DENY', kind: 'USER_REMOVED_FROM_GROUP', revision: left.revision });
    await addUserToGroup(db, ROOT_ACTOR, { groupName: 'dc-readers', userName: 'dc-alice' });
    expect(await next()).toMatchObject({ index: 0, decision: 'ALLOWED' });

    // Permissions boundary: an EC2-only boundary takes S3 away; removing it gives it back.
    const bounded = await putPermissionsBoundary(db, ROOT_ACTOR, 'user', { principalName: 'dc-alice', permissionsBoundary: ec2 });
    expect(await next()).toEqual({ index: 0, decision: 'IMPLICIT_DENY', kind: 'PERMISSIONS_BOUNDARY_SET', revision: bounded.revision });
    const unbounded = await deletePermissionsBoundary(db, ROOT_ACTOR, 'user', { principalName: 'dc-alice' });
    expect(await next()).toEqual({ index: 0, decision: 'ALLOWED', kind: 'PERMISSIONS_BOUNDARY_DELETED', revision: unbounded.revision });

    // A new default version of the group's policy that no longer allows reads.
    const version = await createPolicyVersion(db, ROOT_ACTOR, { policyArn: s3Read, policyDocument: allowDocument(['s3:PutObject']), setAsDefault: true });
    expect(await next()).toEqual({ index: 0, decision: 'IMPLICIT_DENY', kind: 'POLICY_VERSION_CREATED', revision: version.revision });

    // Nothing else arrived: exactly the flips above.
    expect(sub.values).toHaveLength(expected);

    // permissionsChanged saw every write that could affect alice, and none of bob's.
    const kinds = perms.values.map((v) => v.permissionsChanged);
    expect(kinds.some((k) => k.entityArn.endsWith(':user/dc-bob'))).toBe(false);
    expect(kinds.map((k) => k.kind)).toEqual(
      expect.arrayContaining(['POLICY_ATTACHED', 'POLICY_DETACHED', 'USER_ADDED_TO_GROUP', 'USER_REMOVED_FROM_GROUP', 'PERMISSIONS_BOUNDARY_SET', 'POLICY_VERSION_CREATED']),
    );
    const revisions = kinds.map((k) => BigInt(k.revision));
    expect([...revisions].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))).toEqual(revisions);
    await ws.dispose();
  }, 60_000);

  it('re-evaluates a flip without counting a served decision or recording last-accessed data', async () => {
    const runtime = pair.b.running.app.authz;
    const { result: quiet } = await createUser(db, ROOT_ACTOR, { userName: 'dc-quiet' });
    const sqs = await policy('dc-quiet-sqs', ['sqs:SendMessage']);
    const ws = connect(pair.b, ROOT_AUTH);
    const sub = collect(ws, DECISIONS, { checks: [{ principalArn: quiet.arn, action: 'sqs:SendMessage', resourceArn: '*' }] });
    // The initial decision was asked for: it is served, counted and recorded. The watch listens
    // for changes before it decides, so a write from now on reaches it.
    expect((await sub.waitFor(1))[0].decisionChanged.decision.decision).toBe('IMPLICIT_DENY');
    await runtime.flushUsage();
    const served = { ...runtime.decisionCounts };
    const recorded = await lastAccessedOf(quiet.id);
    expect(recorded).toHaveLength(1);

    await attachPolicy(db, ROOT_ACTOR, 'user', { principalName: 'dc-quiet', policyArn: sqs });
    expect((await sub.waitFor(2))[1].decisionChanged.decision.decision).toBe('ALLOWED');
    await runtime.flushUsage();
    expect(runtime.decisionCounts).toEqual(served);
    expect(await lastAccessedOf(quiet.id)).toEqual(recorded);
    await ws.dispose();
  });

  it('answers AccessDenied for the checks a subscriber may not watch or ask about, and the others', async () => {
    const { result: other } = await createUser(db, ROOT_ACTOR, { userName: 'dc-other' });
    const nobody = await userWithKey(db, 'dc-nobody');
    const ws = connect(pair.b, nobody.authorization);
    const denied = collect(ws, DECISIONS, { checks: [{ key: 'a', principalArn: alice.arn, action: 's3:GetObject', resourceArn: '*' }] });
    const [first] = await denied.waitFor(1);
    expect(first.decisionChanged).toMatchObject({ key: 'a', index: 0, change: null, decision: { __typename: 'AccessDenied', action: 'iam:DecisionChanged', resource: alice.arn } });
    await ws.dispose();

    // Allowed to watch and ask about alice only: the check about another user is refused alone.
    const halfway = await userWithKey(db, 'dc-halfway', ['iam:DecisionChanged']);
    const { result: askAlice } = await createPolicy(db, ROOT_ACTOR, {
      policyName: 'dc-halfway-ask-alice',
      policyDocument: allowDocument(['iam:Authorize'], alice.arn),
    });
    await attachPolicy(db, ROOT_ACTOR, 'user', { principalName: 'dc-halfway', policyArn: askAlice.policy.arn });
    const ws2 = connect(pair.b, halfway.authorization);
    const mixed = collect(ws2, DECISIONS, {
      checks: [
        { key: 'other', principalArn: other.arn, action: 's3:GetObject', resourceArn: '*' },
        { key: 'alice', principalArn: alice.arn, action: 's3:GetObject', resourceArn: '*' },
      ],
    });
    const values = await mixed.waitFor(2);
    expect(values.map((v) => [v.decisionChanged.key, v.decisionChanged.decision.__typename])).toEqual([
      ['other', 'AccessDenied'],
      ['alice', 'Decision'],
    ]);
    expect(values[0].decisionChanged.decision).toMatchObject({ action: 'iam:Authorize', resource: other.arn });
    expect(mixed.errors).toEqual([]);
    await ws2.dispose();
  });

  it('keeps delivering the other checks when the subscriber loses the permission for one, and answers AccessDenied for it', async () => {
    const { result: carl } = await createUser(db, ROOT_ACTOR, { userName: 'dc-carl' });
    const { result: dora } = await createUser(db, ROOT_ACTOR, { userName: 'dc-dora' });
    const watcher = await userWithKey(db, 'dc-watcher', ['iam:DecisionChanged']);
    // One iam:Authorize grant per principal, so one can be taken away alone.
    const grants: Record<string, string> = {};
    for (const [name, arn] of [['carl', carl.arn], ['dora', dora.arn]] as const) {
      const { result } = await createPolicy(db, ROOT_ACTOR, { policyName: `dc-watcher-ask-${name}`, policyDocument: allowDocument(['iam:Authorize'], arn) });
      await attachPolicy(db, ROOT_ACTOR, 'user', { principalName: 'dc-watcher', policyArn: result.policy.arn });
      grants[name] = result.policy.arn;
    }
    const sqs = await policy('dc-revoke-sqs', ['sqs:SendMessage']);
    const ws = connect(pair.b, watcher.authorization);
    const sub = collect(ws, DECISIONS, {
      checks: [
        { key: 'carl', principalArn: carl.arn, action: 'sqs:SendMessage', resourceArn: '*' },
        { key: 'dora', principalArn: dora.arn, action: 'sqs:SendMessage', resourceArn: '*' },
      ],
    });
    const view = (v: any) => [v.decisionChanged.key, v.decisionChanged.decision.__typename, v.decisionChanged.decision.decision ?? null];
    expect((await sub.waitFor(2)).map(view)).toEqual([
      ['carl', 'Decision', 'IMPLICIT_DENY'],
      ['dora', 'Decision', 'IMPLICIT_DENY'],
    ]);

    // The watcher may no longer ask about carl: carl's check answers AccessDenied, the stream goes on.
    await detachPolicy(db, ROOT_ACTOR, 'user', { principalName: 'dc-watcher', policyArn: grants['carl']! });
    const [, , refused] = await sub.waitFor(3);
    expect(refused.decisionChanged).toMatchObject({ key: 'carl', index: 0, change: null, decision: { __typename: 'AccessDenied', action: 'iam:Authorize', resource: carl.arn } });

    // Flips of both principals: only dora's reaches the watcher.
    await attachPolicy(db, ROOT_ACTOR, 'user', { principalName: 'dc-carl', policyArn: sqs });
    const granted = await attachPolicy(db, ROOT_ACTOR, 'user', { principalName: 'dc-dora', policyArn: sqs });
    const [, , , flip] = await sub.waitFor(4);
    expect(view(flip)).toEqual(['dora', 'Decision', 'ALLOWED']);
    expect(flip.decisionChanged.change).toMatchObject({ kind: 'POLICY_ATTACHED', revision: granted.revision });

    // Given back, carl's check is evaluated again: the grant it missed shows.
    await attachPolicy(db, ROOT_ACTOR, 'user', { principalName: 'dc-watcher', policyArn: grants['carl']! });
    const [, , , , back] = await sub.waitFor(5);
    expect(view(back)).toEqual(['carl', 'Decision', 'ALLOWED']);
    expect(sub.values).toHaveLength(5);
    expect(sub.errors).toEqual([]);
    await ws.dispose();
  }, 30_000);

  it('answers NoSuchEntity for a principal that does not exist, and the decision once it does', async () => {
    const ws = connect(pair.b, ROOT_AUTH);
    const missing = `arn:aws:iam::${ACCOUNT_ID}:user/dc-later`;
    const sub = collect(ws, DECISIONS, {
      checks: [
        { principalArn: missing, action: 's3:GetObject', resourceArn: '*' },
        { principalArn: alice.arn, action: 's3:GetObject', resourceArn: '*' },
      ],
    });
    const initial = await sub.waitFor(2);
    expect(initial.map((v) => v.decisionChanged.decision.__typename)).toEqual(['NoSuchEntity', 'Decision']);
    await eventually(() => liveListeners(pair.b) >= 1, 5_000, 'the watch to listen');

    const { result: later } = await createUser(db, ROOT_ACTOR, { userName: 'dc-later' });
    const [, , created] = await sub.waitFor(3);
    expect(created.decisionChanged).toMatchObject({ index: 0, decision: { __typename: 'Decision', decision: 'IMPLICIT_DENY' }, change: { kind: 'USER_CREATED' } });
    // Resolved again: a grant to the new user flips its check.
    const read = await policy('dc-later-read', ['s3:GetObject']);
    await attachPolicy(db, ROOT_ACTOR, 'user', { principalName: later.name, policyArn: read });
    const [, , , granted] = await sub.waitFor(4);
    expect(granted.decisionChanged).toMatchObject({ index: 0, decision: { decision: 'ALLOWED' } });
    expect(sub.errors).toEqual([]);
    await ws.dispose();
  });

  it('honours minRevision: the first answers reflect at least that revision, and one past the log is refused', async () => {
    const { result: mona } = await createUser(db, ROOT_ACTOR, { userName: 'dc-mona' });
    const read = await policy('dc-mona-read', ['s3:GetObject']);
    const { revision } = await attachPolicy(db, ROOT_ACTOR, 'user', { principalName: 'dc-mona', policyArn: read });
    const ws = connect(pair.b, ROOT_AUTH);
    const sub = collect(ws, DECISIONS, { checks: [{ principalArn: mona.arn, action: 's3:GetObject', resourceArn: '*' }], minRevision: revision });
    const [first] = await sub.waitFor(1);
    expect(first.decisionChanged.decision.decision).toBe('ALLOWED');
    expect(BigInt(first.decisionChanged.revision)).toBeGreaterThanOrEqual(BigInt(revision));

    const ahead = collect(ws, DECISIONS, { checks: [{ principalArn: mona.arn, action: 's3:GetObject', resourceArn: '*' }], minRevision: '999999999' });
    // Refused before it starts: one result carrying the error, then the end.
    await ahead.ended;
    expect(ahead.values).toEqual([]);
    expect(JSON.stringify(ahead.errors)).toContain('minRevision');
    await ws.dispose();
  });

  it('rejects bad input with a typed error naming the field', async () => {
    const ws = connect(pair.b, ROOT_AUTH);
    const empty = collect(ws, DECISIONS, { checks: [] });
    await empty.ended;
    expect(JSON.stringify(empty.errors)).toContain('checks must hold 1 to 100 questions');
    const malformed = collect(ws, DECISIONS, { checks: [{ key: 'bad', principalArn: 'not-an-arn', action: 's3:GetObject', resourceArn: '*' }] });
    const [bad] = await malformed.waitFor(1);
    expect(bad.decisionChanged).toMatchObject({ key: 'bad', decision: { __typename: 'ValidationError' } });
    await ws.dispose();
  });
});

describe('permissionsChanged(afterRevision)', () => {
  it('replays what a reconnecting subscriber missed, then continues live', async () => {
    const { result: pat, revision: start } = await createUser(db, ROOT_ACTOR, { userName: 'dc-pat' });
    const first = await policy('dc-pat-1', ['s3:GetObject']);
    const second = await policy('dc-pat-2', ['s3:PutObject']);
    const missed = [
      (await attachPolicy(db, ROOT_ACTOR, 'user', { principalName: 'dc-pat', policyArn: first })).revision,
      (await attachPolicy(db, ROOT_ACTOR, 'user', { principalName: 'dc-pat', policyArn: second })).revision,
    ];
    // Unrelated: never replayed.
    await createUser(db, ROOT_ACTOR, { userName: 'dc-pat-neighbour' });
    const ws = connect(pair.b, ROOT_AUTH);
    const sub = collect(ws, PERMISSIONS, { p: pat.arn, after: start });
    const replayed = await sub.waitFor(2);
    expect(replayed.map((v) => [v.permissionsChanged.kind, v.permissionsChanged.revision])).toEqual(missed.map((r) => ['POLICY_ATTACHED', r]));
    const live = await detachPolicy(db, ROOT_ACTOR, 'user', { principalName: 'dc-pat', policyArn: first });
    const [, , next] = await sub.waitFor(3);
    expect(next.permissionsChanged).toMatchObject({ kind: 'POLICY_DETACHED', revision: live.revision });
    expect(sub.values).toHaveLength(3);
    await ws.dispose();
  });
});
