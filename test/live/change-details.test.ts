/**
 * ChangeEvent's typed view: `details` for the common kinds, with references to the entities they
 * name, read afresh and authorized on the subscriber's current policies (a refused reference is
 * null with ACCESS_DENIED at its path, the event still arrives); `affectedPrincipalIds(first)` with
 * `affectedPrincipalCount` bounds what one event carries.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAccessKey, updateAccessKey } from '../../src/iam/access-keys.ts';
import { attachPolicy } from '../../src/iam/attachments.ts';
import { addUserToGroup } from '../../src/iam/group-membership.ts';
import { createGroup } from '../../src/iam/groups.ts';
import { createPolicy } from '../../src/iam/policies.ts';
import { createUser, deleteUser } from '../../src/iam/users.ts';
import type { Database } from '../../src/db/client.ts';
import { ROOT_ACTOR, ROOT_AUTH, allowDocument, collect, connect, databaseOf, eventually, liveListeners, startPair, userWithKey, type ServerPair } from './support/servers.ts';

const CHANGES = `subscription ($filter: ChangeFilter) {
  changes(filter: $filter) {
    revision kind entityArn affectedPrincipalCount
    ids: affectedPrincipalIds(first: 2)
    details {
      __typename
      ... on UserChangeDetails { userName path user { userName } }
      ... on PolicyAttachmentDetails { policyArn policy { arn } holder { __typename arn } }
      ... on GroupMembershipDetails { groupName userName group { groupName } user { userName } }
      ... on AccessKeyChangeDetails { accessKeyId userName status }
    }
  }
}`;

let pair: ServerPair;
let db: Database;

beforeAll(async () => {
  pair = await startPair();
  db = databaseOf(pair.a);
}, 60_000);

afterAll(async () => {
  await pair?.dispose();
});

// Each test counts the live listeners it opens: start from none.
beforeEach(async () => {
  await eventually(() => liveListeners(pair.b) === 0, 5_000, 'earlier tests to release their listeners');
});

describe('ChangeEvent.details', () => {
  it('types the common kinds, with references to the entities while they exist', async () => {
    const ws = connect(pair.b, ROOT_AUTH);
    const sub = collect(ws, CHANGES, { filter: { pathPrefix: '/details/' } });
    await eventually(() => liveListeners(pair.b) >= 2, 5_000, 'the subscription to listen');

    const { result: user } = await createUser(db, ROOT_ACTOR, { userName: 'cd-user', path: '/details/' });
    await createGroup(db, ROOT_ACTOR, { groupName: 'cd-group', path: '/details/' });
    await addUserToGroup(db, ROOT_ACTOR, { groupName: 'cd-group', userName: 'cd-user' });
    const { result: created } = await createPolicy(db, ROOT_ACTOR, { policyName: 'cd-read', policyDocument: allowDocument(['s3:GetObject']) });
    await attachPolicy(db, ROOT_ACTOR, 'user', { principalName: 'cd-user', policyArn: created.policy.arn });
    const { result: key } = await createAccessKey(db, ROOT_ACTOR, undefined, { userName: 'cd-user' });
    await updateAccessKey(db, ROOT_ACTOR, undefined, { userName: 'cd-user', accessKeyId: key.accessKey.accessKeyId, status: 'Inactive' });

    // Access keys' events name their user (under /details/ too).
    const values = (await sub.waitFor(6)).map((v) => v.changes);
    expect(values.map((v) => [v.kind, v.details?.__typename ?? null])).toEqual([
      ['USER_CREATED', 'UserChangeDetails'],
      ['GROUP_CREATED', 'GroupChangeDetails'],
      ['USER_ADDED_TO_GROUP', 'GroupMembershipDetails'],
      ['POLICY_ATTACHED', 'PolicyAttachmentDetails'],
      ['ACCESS_KEY_CREATED', 'AccessKeyChangeDetails'],
      ['ACCESS_KEY_STATUS_CHANGED', 'AccessKeyChangeDetails'],
    ]);
    expect(values[0].details).toEqual({ __typename: 'UserChangeDetails', userName: 'cd-user', path: '/details/', user: { userName: 'cd-user' } });
    expect(values[2].details).toEqual({ __typename: 'GroupMembershipDetails', groupName: 'cd-group', userName: 'cd-user', group: { groupName: 'cd-group' }, user: { userName: 'cd-user' } });
    expect(values[3].details).toEqual({
      __typename: 'PolicyAttachmentDetails',
      policyArn: created.policy.arn,
      policy: { arn: created.policy.arn },
      holder: { __typename: 'User', arn: user.arn },
    });
    expect(values[3]).toMatchObject({ entityArn: user.arn, ids: [user.id], affectedPrincipalCount: 1 });

    expect(values.slice(4).map((v) => v.details)).toEqual([
      { __typename: 'AccessKeyChangeDetails', accessKeyId: key.accessKey.accessKeyId, userName: 'cd-user', status: 'ACTIVE' },
      { __typename: 'AccessKeyChangeDetails', accessKeyId: key.accessKey.accessKeyId, userName: 'cd-user', status: 'INACTIVE' },
    ]);

    // Once the user is gone, a later event's reference to it is null; the names stay.
    const deleting = collect(ws, CHANGES, { filter: { kinds: ['USER_DELETED'] } });
    await eventually(() => liveListeners(pair.b) >= 3, 5_000, 'the subscription to listen');
    const { result: gone } = await createUser(db, ROOT_ACTOR, { userName: 'cd-gone' });
    await deleteUser(db, ROOT_ACTOR, 'cd-gone');
    const [deleted] = await deleting.waitFor(1);
    expect(deleted.changes).toMatchObject({ entityArn: gone.arn, details: { __typename: 'UserChangeDetails', userName: 'cd-gone', user: null } });
    expect(deleting.errors).toEqual([]);
    await ws.dispose();
  });

  it('caps affectedPrincipalIds at `first` and counts them all', async () => {
    await createGroup(db, ROOT_ACTOR, { groupName: 'cd-crowd' });
    for (let i = 0; i < 4; i++) {
      await createUser(db, ROOT_ACTOR, { userName: `cd-member-${i}` });
      await addUserToGroup(db, ROOT_ACTOR, { groupName: 'cd-crowd', userName: `cd-member-${i}` });
    }
    const { result: created } = await createPolicy(db, ROOT_ACTOR, { policyName: 'cd-crowd-read', policyDocument: allowDocument(['s3:GetObject']) });
    const ws = connect(pair.b, ROOT_AUTH);
    const sub = collect(ws, CHANGES, { filter: { kinds: ['POLICY_ATTACHED'] } });
    await eventually(() => liveListeners(pair.b) >= 2, 5_000, 'the subscription to listen');
    await attachPolicy(db, ROOT_ACTOR, 'group', { principalName: 'cd-crowd', policyArn: created.policy.arn });
    const [event] = await sub.waitFor(1);
    // The group and its four members.
    expect(event.changes.affectedPrincipalCount).toBe(5);
    expect(event.changes.ids).toHaveLength(2);
    expect(event.changes.details).toMatchObject({ __typename: 'PolicyAttachmentDetails', holder: { __typename: 'Group', arn: event.changes.entityArn } });

    const tooMany = collect(ws, 'subscription { changes { affectedPrincipalIds(first: 1001) } }');
    await eventually(() => liveListeners(pair.b) >= 3, 5_000, 'the subscription to listen');
    await attachPolicy(db, ROOT_ACTOR, 'user', { principalName: 'cd-member-0', policyArn: created.policy.arn });
    await eventually(() => tooMany.errors.length > 0, 5_000, 'the refusal of first: 1001');
    expect(JSON.stringify(tooMany.errors)).toContain('first must be 0 to 1000');
    await ws.dispose();
  });

  it('nulls a reference the subscriber may not read, with ACCESS_DENIED at its path, and delivers the event', async () => {
    const watcher = await userWithKey(db, 'cd-watcher', ['iam:Changes']);
    const ws = connect(pair.b, watcher.authorization);
    const sub = collect(ws, CHANGES, { filter: { kinds: ['USER_CREATED'], pathPrefix: '/hidden/' } });
    await eventually(() => liveListeners(pair.b) >= 2, 5_000, 'the subscription to listen');
    await createUser(db, ROOT_ACTOR, { userName: 'cd-hidden', path: '/hidden/' });
    const [event] = await sub.waitFor(1);
    expect(event.changes.details).toEqual({ __typename: 'UserChangeDetails', userName: 'cd-hidden', path: '/hidden/', user: null });
    expect(sub.errors).toEqual([expect.objectContaining({ path: ['changes', 'details', 'user'], extensions: expect.objectContaining({ code: 'ACCESS_DENIED', action: 'iam:GetUser' }) })]);
    await ws.dispose();
  });
});
