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
import { ROOT_ACTOR, ROOT_AUTH, allowDocument, collect, connect, databaseOf, eventually, liveListeners, startPair, userWithKey, type ServerPair } from './support/servers.ts';

const DECISIONS = `subscription ($checks: [AuthorizeInput!]!) {
  decisionChanged(checks: $checks) { index revision decision { allowed decision revision } change { kind revision entityArn } }
}`;
const PERMISSIONS = 'subscription ($p: String!) { permissionsChanged(principalArn: $p) { kind revision entityArn } }';

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
    expect(await next()).toEqual({ index: 0, decision: 'ALLOWED', kind: 'PolicyAttached', revision: grant.revision });

    // Unrelated writes: another user gets the same policy; a policy is created. Then a flip of
    // check 1 proves nothing was emitted in between (events arrive in commit order).
    await createUser(db, ROOT_ACTOR, { userName: 'dc-bob' });
    await attachPolicy(db, ROOT_ACTOR, 'user', { principalName: 'dc-bob', policyArn: ec2 });
    await policy('dc-unused', ['sqs:*']);
    const ec2Grant = await attachPolicy(db, ROOT_ACTOR, 'user', { principalName: 'dc-alice', policyArn: ec2 });
    expect(await next()).toEqual({ index: 1, decision: 'ALLOWED', kind: 'PolicyAttached', revision: ec2Grant.revision });

    // A write that affects alice without flipping anything emits nothing either.
    const s3ReadAgain = await policy('dc-s3-read-again', ['s3:GetObject']);
    await attachPolicy(db, ROOT_ACTOR, 'user', { principalName: 'dc-alice', policyArn: s3ReadAgain });

    // Revoke.
    const revoke = await detachPolicy(db, ROOT_ACTOR, 'user', { principalName: 'dc-alice', policyArn: ec2 });
    expect(await next()).toEqual({ index: 1, decision: 'IMPLICIT_DENY', kind: 'PolicyDetached', revision: revoke.revision });
    await detachPolicy(db, ROOT_ACTOR, 'user', { principalName: 'dc-alice', policyArn: s3Read });
    await detachPolicy(db, ROOT_ACTOR, 'user', { principalName: 'dc-alice', policyArn: s3ReadAgain });
    expect(await next()).toMatchObject({ index: 0, decision: 'IMPLICIT_DENY', kind: 'PolicyDetached' });

    // Group membership: the group's policy applies once alice joins, and not before.
    await createGroup(db, ROOT_ACTOR, { groupName: 'dc-readers' });
    await attachPolicy(db, ROOT_ACTOR, 'group', { principalName: 'dc-readers', policyArn: s3Read });
    const joined = await addUserToGroup(db, ROOT_ACTOR, { groupName: 'dc-readers', userName: 'dc-alice' });
    expect(await next()).toEqual({ index: 0, decision: 'ALLOWED', kind: 'UserAddedToGroup', revision: joined.revision });
    const left = await removeUserFromGroup(db, ROOT_ACTOR, { groupName: 'dc-readers', userName: 'dc-alice' });
    expect(await next()).toEqual({ index: 0, decision: 'IMPLICIT_DENY', kind: 'UserRemovedFromGroup', revision: left.revision });
    await addUserToGroup(db, ROOT_ACTOR, { groupName: 'dc-readers', userName: 'dc-alice' });
    expect(await next()).toMatchObject({ index: 0, decision: 'ALLOWED' });

    // Permissions boundary: an EC2-only boundary takes S3 away; removing it gives it back.
    const bounded = await putPermissionsBoundary(db, ROOT_ACTOR, 'user', { principalName: 'dc-alice', permissionsBoundary: ec2 });
    expect(await next()).toEqual({ index: 0, decision: 'IMPLICIT_DENY', kind: 'PermissionsBoundarySet', revision: bounded.revision });
    const unbounded = await deletePermissionsBoundary(db, ROOT_ACTOR, 'user', { principalName: 'dc-alice' });
    expect(await next()).toEqual({ index: 0, decision: 'ALLOWED', kind: 'PermissionsBoundaryDeleted', revision: unbounded.revision });

    // A new default version of the group's policy that no longer allows reads.
    const version = await createPolicyVersion(db, ROOT_ACTOR, { policyArn: s3Read, policyDocument: allowDocument(['s3:PutObject']), setAsDefault: true });
    expect(await next()).toEqual({ index: 0, decision: 'IMPLICIT_DENY', kind: 'PolicyVersionCreated', revision: version.revision });

    // Nothing else arrived: exactly the flips above.
    expect(sub.values).toHaveLength(expected);

    // permissionsChanged saw every write that could affect alice, and none of bob's.
    const kinds = perms.values.map((v) => v.permissionsChanged);
    expect(kinds.some((k) => k.entityArn.endsWith(':user/dc-bob'))).toBe(false);
    expect(kinds.map((k) => k.kind)).toEqual(
      expect.arrayContaining(['PolicyAttached', 'PolicyDetached', 'UserAddedToGroup', 'UserRemovedFromGroup', 'PermissionsBoundarySet', 'PolicyVersionCreated']),
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

  it('refuses a subscriber without iam:DecisionChanged, and one that may not ask about the principal', async () => {
    const nobody = await userWithKey(db, 'dc-nobody');
    const ws = connect(pair.b, nobody.authorization);
    const denied = collect(ws, DECISIONS, { checks: [{ principalArn: alice.arn, action: 's3:GetObject', resourceArn: '*' }] });
    await denied.ended;
    expect(denied.values).toEqual([]);
    expect(JSON.stringify(denied.errors)).toContain('iam:DecisionChanged');
    await ws.dispose();

    const halfway = await userWithKey(db, 'dc-halfway', ['iam:DecisionChanged']);
    const ws2 = connect(pair.b, halfway.authorization);
    const noAuthorize = collect(ws2, DECISIONS, { checks: [{ principalArn: alice.arn, action: 's3:GetObject', resourceArn: '*' }] });
    await noAuthorize.ended;
    expect(noAuthorize.values).toEqual([]);
    expect(JSON.stringify(noAuthorize.errors)).toContain('iam:Authorize');
    await ws2.dispose();
  });

  it('rejects bad input with a typed error naming the field', async () => {
    const ws = connect(pair.b, ROOT_AUTH);
    const empty = collect(ws, DECISIONS, { checks: [] });
    await empty.ended;
    expect(JSON.stringify(empty.errors)).toContain('checks must hold 1 to 100 questions');
    const unknown = collect(ws, DECISIONS, { checks: [{ principalArn: 'arn:aws:iam::111122223333:user/dc-nobody-here', action: 's3:GetObject', resourceArn: '*' }] });
    await unknown.ended;
    expect(JSON.stringify(unknown.errors)).toContain('NO_SUCH_ENTITY');
    await ws.dispose();
  });
});
