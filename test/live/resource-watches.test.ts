/**
 * decisionChanged over a real WebSocket flips when a registered resource changes: registering it
 * (its policy grants), a new or deleted resource policy, a tag change that a condition on
 * aws:ResourceTag reads, an import, and deregistration; each flip is credited to the resource's
 * change row at its revision. Changes to other resources emit nothing. Writes go to instance A, the
 * subscriber listens on instance B (the same PGlite server when no PostgreSQL is configured), so
 * the registry cache of B follows A's writes through the change log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { attachPolicy } from '../../src/iam/attachments.ts';
import { createPolicy } from '../../src/iam/policies.ts';
import { importResources } from '../../src/iam/resource-import.ts';
import { deleteResourcePolicy, deregisterResource, putResourcePolicy, registerResource, tagResource, untagResource } from '../../src/iam/resources.ts';
import { createUser } from '../../src/iam/users.ts';
import { ACCOUNT_ID, ROOT_ACTOR, ROOT_AUTH, collect, connect, databaseOf, eventually, liveListeners, startPair, type ServerPair } from './support/servers.ts';

const DECISIONS = `subscription ($checks: [AuthorizeInput!]!) {
  decisionChanged(checks: $checks) {
    index revision change { kind revision entityArn }
    result { __typename ... on Decision { decision } ... on ResultError { message } }
  }
}`;
const BUCKET = 'arn:aws:s3:::rw-shared';
const QUEUE = `arn:aws:sqs:eu-west-1:${ACCOUNT_ID}:rw-jobs`;
const OTHER = 'arn:aws:s3:::rw-other';

let pair: ServerPair;
let db: Database;
const dan = `arn:aws:iam::${ACCOUNT_ID}:user/rw-dan`;
const eve = `arn:aws:iam::${ACCOUNT_ID}:user/rw-eve`;

/** A resource policy letting `principal` do `action` on `resource`. */
function grant(principal: string, action: string, resource: string): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: action, Resource: resource }] });
}

beforeAll(async () => {
  pair = await startPair();
  db = databaseOf(pair.a);
  await createUser(db, ROOT_ACTOR, { userName: 'rw-dan' });
  // eve may read whatever is tagged for her team.
  await createUser(db, ROOT_ACTOR, { userName: 'rw-eve' });
  const { result } = await createPolicy(db, ROOT_ACTOR, {
    policyName: 'rw-team-read',
    policyDocument: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['s3:ListBucket', 'sqs:ReceiveMessage'], Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/team': 'green' } } }],
    }),
  });
  await attachPolicy(db, ROOT_ACTOR, 'user', { principalName: 'rw-eve', policyArn: result.policy.arn });
}, 60_000);

afterAll(async () => {
  await pair?.dispose();
});

describe('decisionChanged on registered resources', () => {
  it('flips with the resource policy, tags and registration, credited to the resource change', async () => {
    const ws = connect(pair.b, ROOT_AUTH);
    const checks = [
      { principalArn: dan, action: 's3:ListBucket', resourceArn: BUCKET },
      { principalArn: eve, action: 's3:ListBucket', resourceArn: BUCKET },
      { principalArn: eve, action: 'sqs:ReceiveMessage', resourceArn: QUEUE },
    ];
    const sub = collect(ws, DECISIONS, { checks });
    const initial = await sub.waitFor(3);
    expect(initial.map((v) => v.decisionChanged.result.decision)).toEqual(['IMPLICIT_DENY', 'IMPLICIT_DENY', 'IMPLICIT_DENY']);
    await eventually(() => liveListeners(pair.b) >= 1, 5_000, 'the subscription to listen');

    let seen = 3;
    const next = async (): Promise<{ index: number; decision: string; kind: string; revision: string; entityArn: string }> => {
      const values = await sub.waitFor(++seen, 10_000);
      const v = values[seen - 1].decisionChanged;
      return { index: v.index, decision: v.result.decision, kind: v.change.kind, revision: v.change.revision, entityArn: v.change.entityArn };
    };

    // Registering the bucket with a policy that names dan, tagged for another team.
    const registered = await registerResource(db, ROOT_ACTOR, { resourceArn: BUCKET, resourcePolicy: grant(dan, 's3:ListBucket', BUCKET), tags: [{ key: 'team', value: 'red' }] });
    expect(await next()).toEqual({ index: 0, decision: 'ALLOWED', kind: 'RESOURCE_REGISTERED', revision: registered.revision, entityArn: BUCKET });

    // Another resource changing emits nothing; a tag eve's condition reads flips her check.
    await registerResource(db, ROOT_ACTOR, { resourceArn: OTHER, tags: [{ key: 'team', value: 'green' }] });
    await tagResource(db, ROOT_ACTOR, { resourceArn: OTHER, tags: [{ key: 'x', value: 'y' }] });
    const tagged = await tagResource(db, ROOT_ACTOR, { resourceArn: BUCKET, tags: [{ key: 'team', value: 'green' }] });
    expect(await next()).toEqual({ index: 1, decision: 'ALLOWED', kind: 'RESOURCE_TAGGED', revision: tagged.revision, entityArn: BUCKET });

    // The policy replaced by one that names someone else, then deleted.
    const replaced = await putResourcePolicy(db, ROOT_ACTOR, { resourceArn: BUCKET, policyDocument: grant(eve, 's3:ListBucket', BUCKET) });
    expect(await next()).toEqual({ index: 0, decision: 'IMPLICIT_DENY', kind: 'RESOURCE_POLICY_PUT', revision: replaced.revision, entityArn: BUCKET });
    const restored = await putResourcePolicy(db, ROOT_ACTOR, { resourceArn: BUCKET, policyDocument: grant(dan, 's3:ListBucket', BUCKET) });
    expect(await next()).toMatchObject({ index: 0, decision: 'ALLOWED', revision: restored.revision });
    const deleted = await deleteResourcePolicy(db, ROOT_ACTOR, { resourceArn: BUCKET });
    expect(await next()).toEqual({ index: 0, decision: 'IMPLICIT_DENY', kind: 'RESOURCE_POLICY_DELETED', revision: deleted.revision, entityArn: BUCKET });

    // An import registers the queue tagged for eve's team.
    const imported = await importResources(db, ROOT_ACTOR, { resources: [{ resourceArn: QUEUE, tags: [{ key: 'team', value: 'green' }] }, { resourceArn: 'arn:aws:s3:::rw-imported' }] });
    expect(await next()).toEqual({ index: 2, decision: 'ALLOWED', kind: 'RESOURCES_IMPORTED', revision: expect.any(String), entityArn: QUEUE });
    expect(BigInt((sub.values[seen - 1] as { decisionChanged: { change: { revision: string } } }).decisionChanged.change.revision)).toBeLessThanOrEqual(BigInt(imported.revision));

    const untagged = await untagResource(db, ROOT_ACTOR, { resourceArn: QUEUE, tagKeys: ['team'] });
    expect(await next()).toEqual({ index: 2, decision: 'IMPLICIT_DENY', kind: 'RESOURCE_UNTAGGED', revision: untagged.revision, entityArn: QUEUE });

    // Deregistered: its tags no longer count.
    const gone = await deregisterResource(db, ROOT_ACTOR, { resourceArn: BUCKET });
    expect(await next()).toEqual({ index: 1, decision: 'IMPLICIT_DENY', kind: 'RESOURCE_DEREGISTERED', revision: gone.revision, entityArn: BUCKET });

    // Exactly the flips above.
    await tagResource(db, ROOT_ACTOR, { resourceArn: OTHER, tags: [{ key: 'z', value: 'z' }] });
    const last = await registerResource(db, ROOT_ACTOR, { resourceArn: BUCKET, resourcePolicy: grant(dan, 's3:ListBucket', BUCKET) });
    expect(await next()).toMatchObject({ index: 0, decision: 'ALLOWED', revision: last.revision });
    expect(sub.values).toHaveLength(seen);
    await ws.dispose();
  }, 60_000);
});
