/**
 * WebSocket keep-alive: the server pings every WS_KEEPALIVE_MS; a peer that answers stays
 * connected, one that stops answering (a vanished client whose TCP connection lingers) is
 * terminated and its subscriptions released.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ROOT_AUTH, eventually, liveListeners, sleep, startPair, type ServerPair } from './support/servers.ts';

let pair: ServerPair;

beforeAll(async () => {
  pair = await startPair({ WS_KEEPALIVE_MS: '100' });
}, 60_000);

afterAll(async () => {
  await pair?.dispose();
});

/** A raw graphql-transport-ws socket, acknowledged and holding one `changes` subscription. */
async function subscribedSocket(autoPong: boolean): Promise<{ socket: WebSocket; pings: () => number; closed: Promise<number> }> {
  const socket = new WebSocket(pair.b.graphqlUrl.replace(/^http/, 'ws'), 'graphql-transport-ws', { autoPong });
  let pings = 0;
  socket.on('ping', () => pings++);
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
  return { socket, pings: () => pings, closed };
}

describe('keep-alive', () => {
  it('keeps a peer that answers pings, and terminates one that does not, releasing its listeners', async () => {
    const alive = await subscribedSocket(true);
    const silent = await subscribedSocket(false);
    await eventually(() => liveListeners(pair.b) === 4, 5_000, 'both subscriptions');
    await sleep(600);
    expect(alive.pings()).toBeGreaterThanOrEqual(3);
    expect(alive.socket.readyState).toBe(WebSocket.OPEN);
    // The silent peer is cut without a close frame (1006 on our side).
    expect(await silent.closed).toBe(1006);
    await eventually(() => liveListeners(pair.b) === 2, 5_000, 'the silent peer to be released');
    alive.socket.close();
    await alive.closed;
    await eventually(() => liveListeners(pair.b) === 0, 5_000, 'all listeners to be released');
  });
});
