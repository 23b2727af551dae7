/**
 * WebSocket keep-alive: the server pings every WS_KEEPALIVE_MS; a peer that answers stays
 * connected, one that stops answering (a vanished client whose TCP connection lingers) is
 * terminated and its subscriptions released.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ROOT_AUTH, eventually, liveListeners, startPair, type ServerPair } from './support/servers.ts';

let pair: ServerPair;

beforeAll(async () => {
  // A peer is cut when its pong is not in within one interval: short enough for a quick test, long
  // enough that a busy machine delaying the answering peer's pong does not cut it too.
  pair = await startPair({ WS_KEEPALIVE_MS: '250' });
}, 60_000);

afterAll(async () => {
  await pair?.dispose();
});

/** A raw graphql-transport-ws socket, acknowledged and holding one `changes` subscription; it answers pings until told to stop. */
async function subscribedSocket(): Promise<{ socket: WebSocket; pings: () => number; stopAnswering: () => void; closed: Promise<number> }> {
  const socket = new WebSocket(pair.b.graphqlUrl.replace(/^http/, 'ws'), 'graphql-transport-ws', { autoPong: false });
  let pings = 0;
  let answering = true;
  socket.on('ping', (data) => {
    pings++;
    if (answering) socket.pong(data);
  });
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: ROOT_AUTH } })));
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string };
      if (message.type === 'connection_ack') resolve();
    });
    socket.once('error', reject);
  });
  socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'subscription { changes { revision } }' } }));
  return { socket, pings: () => pings, stopAnswering: () => void (answering = false), closed };
}

describe('keep-alive', () => {
  it('keeps a peer that answers pings, and terminates one that does not, releasing its listeners', async () => {
    const alive = await subscribedSocket();
    const silent = await subscribedSocket();
    // Each connection's credential watch and its subscription's feed, counted while both still answer.
    await eventually(() => liveListeners(pair.b) === 4, 5_000, 'both subscriptions');
    silent.stopAnswering();
    // The silent peer is cut without a close frame (1006 on our side).
    expect(await silent.closed).toBe(1006);
    await eventually(() => liveListeners(pair.b) === 2, 5_000, 'the silent peer to be released');
    // The answering peer outlives the pings that cut the silent one, and three more.
    const pingsSoFar = alive.pings();
    await eventually(() => alive.pings() >= pingsSoFar + 3, 10_000, 'three more pings');
    expect(alive.socket.readyState).toBe(WebSocket.OPEN);
    expect(liveListeners(pair.b)).toBe(2);
    alive.socket.close();
    await alive.closed;
    await eventually(() => liveListeners(pair.b) === 0, 5_000, 'all listeners to be released');
  });
});
