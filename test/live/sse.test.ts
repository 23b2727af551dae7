/**
 * Server-Sent Events for clients without WebSockets: Yoga answers a subscription sent with
 * `Accept: text/event-stream` on /graphql, authenticated by the usual Authorization header; a bad
 * credential is a 401, and a credential deactivated mid-stream ends the stream with UNAUTHENTICATED.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateAccessKey } from '../../src/iam/access-keys.ts';
import { createUser } from '../../src/iam/users.ts';
import { ROOT_ACTOR, ROOT_AUTH, basic, databaseOf, eventually, liveListeners, startPair, userWithKey, type ServerPair } from './support/servers.ts';

let pair: ServerPair;

beforeAll(async () => {
  pair = await startPair();
}, 60_000);

afterAll(async () => {
  await pair?.dispose();
});

/** An open SSE subscription: parsed `next` payloads, and whether the server ended it. */
interface SseStream {
  readonly status: number;
  readonly events: Array<{ event: string; data: any }>;
  readonly done: Promise<void>;
  abort(): void;
}

async function openSse(url: string, authorization: string | undefined, query: string, variables: Record<string, unknown> = {}): Promise<SseStream> {
  const controller = new AbortController();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...(authorization === undefined ? {} : { authorization }) },
    body: JSON.stringify({ query, variables }),
    signal: controller.signal,
  });
  const events: Array<{ event: string; data: any }> = [];
  const done = (async () => {
    if (response.body === null) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      const reader = response.body.getReader();
      for (;;) {
        const { value, done: finished } = await reader.read();
        if (finished) break;
        buffer += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (data !== undefined || event === 'complete') events.push({ event, data: data === undefined ? undefined : JSON.parse(data) });
        }
      }
    } catch (error) {
      if ((error as Error).name !== 'AbortError') throw error;
    }
  })();
  return { status: response.status, events, done, abort: () => controller.abort() };
}

const CHANGES = 'subscription ($f: ChangeFilter) { changes(filter: $f) { revision kind entityArn } }';

describe('subscriptions over Server-Sent Events', () => {
  it('streams changes to a client authenticated by the Authorization header', async () => {
    const stream = await openSse(pair.b.graphqlUrl, ROOT_AUTH, CHANGES, { f: { kinds: ['USER_CREATED'] } });
    expect(stream.status).toBe(200);
    await eventually(() => liveListeners(pair.b) >= 2, 5_000, 'the SSE subscription to listen');
    const { result: user, revision } = await createUser(databaseOf(pair.a), ROOT_ACTOR, { userName: 'sse-created' });
    await eventually(() => stream.events.length >= 1, 5_000, 'an SSE event');
    expect(stream.events[0]).toEqual({ event: 'next', data: { data: { changes: { revision, kind: 'USER_CREATED', entityArn: user.arn } } } });
    stream.abort();
    await stream.done;
    await eventually(() => liveListeners(pair.b) === 0, 5_000, 'the aborted stream to release its listeners');
  });

  it('refuses a bad credential with 401', async () => {
    const response = await fetch(pair.b.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: basic('AKIALIVETESTROOT0001', 'wrong-secret-0123456789') },
      body: JSON.stringify({ query: CHANGES }),
    });
    expect(response.status).toBe(401);
    await response.body?.cancel();
  });

  it('ends the stream with UNAUTHENTICATED when the access key is deactivated', async () => {
    const database = databaseOf(pair.a);
    const user = await userWithKey(database, 'sse-revoked', ['iam:Changes']);
    const stream = await openSse(pair.b.graphqlUrl, user.authorization, CHANGES);
    expect(stream.status).toBe(200);
    await eventually(() => liveListeners(pair.b) >= 2, 5_000, 'the SSE subscription to listen');
    await updateAccessKey(database, ROOT_ACTOR, undefined, { userName: 'sse-revoked', accessKeyId: user.accessKeyId, status: 'Inactive' });
    await stream.done; // the server ends the response
    const errors = stream.events.flatMap((e) => (e.data?.errors ?? []) as Array<{ extensions?: { code?: string } }>);
    expect(errors.map((e) => e.extensions?.code)).toContain('UNAUTHENTICATED');
    await eventually(() => liveListeners(pair.b) === 0, 5_000, 'listeners to be released');
  });
});
