/**
 * The graphql-ws transport: authentication at connection_init (4401), self-authorization per
 * subscription, the per-connection subscription limit, teardown when a client vanishes, and a
 * revoked or deactivated credential ending the stream and the socket.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { updateAccessKey, deleteAccessKey } from '../../src/iam/access-keys.ts';
import { createUser } from '../../src/iam/users.ts';
import {
  ACCOUNT_ID,
  ROOT_ACTOR,
  ROOT_AUTH,
  basic,
  caughtUp,
  collect,
  connect,
  databaseOf,
  eventually,
  liveListeners,
  startPair,
  userWithKey,
  type ServerPair,
} from './support/servers.ts';

const ROOT_PASSWORD = 'live-test-root-password-1';
const CHANGES = 'subscription ($after: String, $filter: ChangeFilter) { changes(afterRevision: $after, filter: $filter) { revision kind entityType entityArn affectedPrincipalIds payload } }';

let pair: ServerPair;

beforeAll(async () => {
  pair = await startPair({ SUBSCRIPTIONS_PER_CONNECTION: '3', PORTCULLIS_ROOT_PASSWORD: ROOT_PASSWORD });
}, 60_000);

afterAll(async () => {
  await pair?.dispose();
});

// Each test counts live listeners from zero: the connections of the one before must be gone.
afterEach(async () => {
  await eventually(() => liveListeners(pair.b) === 0, 5_000, 'the test\'s listeners to be released');
});

describe('graphql-ws authentication', () => {
  it('closes a connection without a credential with 4401', async () => {
    const ws = connect(pair.a, undefined);
    const closed = await ws.closed;
    expect(closed.code).toBe(4401);
    await ws.dispose();
  });

  it('closes a connection with a wrong secret with 4401, without echoing the secret', async () => {
    const ws = connect(pair.a, basic('AKIALIVETESTROOT0001', 'not-the-secret-0123456789'));
    const closed = await ws.closed;
    expect(closed.code).toBe(4401);
    expect(closed.reason).not.toContain('not-the-secret');
    await ws.dispose();
  });

  it('accepts the root access key and delivers a change committed afterwards', async () => {
    const ws = connect(pair.b, ROOT_AUTH);
    const sub = collect(ws, CHANGES, { filter: { entityTypes: ['USER'] } });
    await eventually(() => liveListeners(pair.b) === 2, 5_000, 'subscription to start');
    const { result: user, revision } = await createUser(databaseOf(pair.a), ROOT_ACTOR, { userName: 'ws-created' });
    const [event] = await sub.waitFor(1);
    expect(event.changes).toMatchObject({ revision, kind: 'USER_CREATED', entityType: 'USER', entityArn: user.arn, affectedPrincipalIds: [user.id] });
    expect(JSON.parse(event.changes.payload)).toBeTypeOf('object');
    await ws.dispose();
  });
});

describe('self-authorization', () => {
  it('refuses a subscription the caller is not allowed (ACCESS_DENIED naming the action)', async () => {
    const nobody = await userWithKey(databaseOf(pair.a), 'ws-no-rights');
    const ws = connect(pair.b, nobody.authorization);
    const sub = collect(ws, CHANGES);
    await sub.ended;
    expect(sub.values).toEqual([]);
    expect(JSON.stringify(sub.errors)).toContain('iam:Changes');
    expect(JSON.stringify(sub.errors)).toContain('ACCESS_DENIED');
    const perms = collect(ws, 'subscription ($p: String!) { permissionsChanged(principalArn: $p) { revision } }', { p: ROOT_ACTOR.arn });
    await perms.ended;
    expect(JSON.stringify(perms.errors)).toContain('iam:PermissionsChanged');
    await ws.dispose();
  });

  it('lets a user whose policy allows iam:Changes subscribe', async () => {
    const watcher = await userWithKey(databaseOf(pair.a), 'ws-watcher', ['iam:Changes']);
    const ws = connect(pair.b, watcher.authorization);
    const sub = collect(ws, CHANGES, { filter: { kinds: ['USER_CREATED'] } });
    await eventually(() => liveListeners(pair.b) === 2, 5_000, 'subscription to start');
    await createUser(databaseOf(pair.a), ROOT_ACTOR, { userName: 'ws-seen-by-watcher' });
    const [event] = await sub.waitFor(1);
    expect(event.changes.kind).toBe('USER_CREATED');
    await ws.dispose();
  });
});

describe('limits and teardown', () => {
  it('errors the subscription past the per-connection limit with a clear message, and keeps the others', async () => {
    const ws = connect(pair.b, ROOT_AUTH);
    const open = [collect(ws, CHANGES), collect(ws, CHANGES), collect(ws, CHANGES)];
    // The connection's credential watch, and one feed per subscription.
    await eventually(() => liveListeners(pair.b) === 4, 5_000, 'three subscriptions');
    const extra = collect(ws, CHANGES);
    expect(await extra.ended).toBe('error');
    expect(JSON.stringify(extra.errors)).toMatch(/too many subscriptions on this connection: at most 3/);
    // Completing one frees a slot.
    open[0]!.unsubscribe();
    await eventually(() => liveListeners(pair.b) === 3, 5_000, 'the completed subscription to be released');
    const again = collect(ws, CHANGES);
    await eventually(() => liveListeners(pair.b) === 4, 5_000, 'the new subscription');
    await createUser(databaseOf(pair.a), ROOT_ACTOR, { userName: 'ws-after-limit' });
    await again.waitFor(1);
    await open[1]!.waitFor(1);
    await ws.dispose();
  });

  it('releases every bus listener when a client vanishes without closing', async () => {
    const ws = connect(pair.b, ROOT_AUTH);
    collect(ws, CHANGES);
    collect(ws, 'subscription { decisionChanged(checks: [{ action: "s3:GetObject", resourceArn: "*" }]) { index } }');
    // The connection's credential watch, and one stream per subscription.
    await eventually(() => liveListeners(pair.b) === 3, 5_000, 'subscriptions to start');
    ws.socket()!.terminate(); // no close frame: the TCP connection just goes away
    await eventually(() => liveListeners(pair.b) === 0, 5_000, 'listeners to be released');
    await ws.dispose();
  });
});

describe('credential revocation', () => {
  it('deactivating the access key ends the stream and closes the socket with 4401', async () => {
    const database = databaseOf(pair.a);
    const user = await userWithKey(database, 'ws-deactivated', ['iam:Changes']);
    // b may not yet have applied the key's own creation: a stream started before would receive it.
    await caughtUp(pair.b, pair.a);
    const ws = connect(pair.b, user.authorization);
    const sub = collect(ws, CHANGES);
    await eventually(() => liveListeners(pair.b) === 2, 5_000, 'subscription to start');
    await updateAccessKey(database, ROOT_ACTOR, undefined, { userName: 'ws-deactivated', accessKeyId: user.accessKeyId, status: 'Inactive' });
    const closed = await ws.closed;
    expect(closed.code).toBe(4401);
    // The client learns of the end as an error (the close), not as a normal completion.
    expect(await sub.ended).toBe('error');
    expect(sub.values).toEqual([]);
    await eventually(() => liveListeners(pair.b) === 0, 5_000, 'listeners to be released');
    await ws.dispose();
  });

  it('deleting the access key does the same', async () => {
    const database = databaseOf(pair.a);
    const user = await userWithKey(database, 'ws-deleted-key', ['iam:Changes']);
    const ws = connect(pair.b, user.authorization);
    collect(ws, CHANGES);
    await eventually(() => liveListeners(pair.b) === 2, 5_000, 'subscription to start');
    await deleteAccessKey(database, ROOT_ACTOR, undefined, { userName: 'ws-deleted-key', accessKeyId: user.accessKeyId });
    expect((await ws.closed).code).toBe(4401);
    await ws.dispose();
  });

  it('signing a session out closes its socket with 4401', async () => {
    const signIn = await pair.a.gql<{ signIn: { sessionToken: string } }>(
      'mutation ($input: SignInInput!) { signIn(input: $input) { ... on SignInSuccess { sessionToken } } }',
      { input: { account: ACCOUNT_ID, userName: 'root', password: ROOT_PASSWORD } },
    );
    const bearer = `Bearer ${signIn.body.data!.signIn.sessionToken}`;
    const ws = connect(pair.b, bearer);
    const sub = collect(ws, CHANGES);
    await eventually(() => liveListeners(pair.b) === 2, 5_000, 'subscription to start');
    const out = await pair.a.gql('mutation { signOut { __typename } }', undefined, { authorization: bearer });
    expect(out.body.errors).toBeUndefined();
    expect((await ws.closed).code).toBe(4401);
    await sub.ended;
    await ws.dispose();
  });

  it('a change to another credential leaves the connection open', async () => {
    const database = databaseOf(pair.a);
    const user = await userWithKey(database, 'ws-kept', ['iam:Changes']);
    const other = await userWithKey(database, 'ws-other');
    // The feed starts after the two keys' creation, so the first access-key change it sees is the one below.
    await caughtUp(pair.b, pair.a);
    const ws = connect(pair.b, user.authorization);
    const sub = collect(ws, CHANGES, { filter: { entityTypes: ['ACCESS_KEY'] } });
    await eventually(() => liveListeners(pair.b) === 2, 5_000, 'subscription to start');
    await updateAccessKey(database, ROOT_ACTOR, undefined, { userName: 'ws-other', accessKeyId: other.accessKeyId, status: 'Inactive' });
    const [event] = await sub.waitFor(1);
    expect(event.changes.kind).toBe('ACCESS_KEY_STATUS_CHANGED');
    expect(ws.closes).toEqual([]);
    await ws.dispose();
  });
});
