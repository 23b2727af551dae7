/**
 * The HTTP floor of the benchmark machine: Node's own HTTP server, in the benchmark's process,
 * reading each POST body, parsing it as JSON and answering a constant `{"decision":true}`. No
 * endpoint on this machine can answer the same requests for less CPU than this, so it shows how
 * much of a fast path's cost is the HTTP round itself (on loopback, the response write alone
 * carries the kernel's delivery to the load generator) and how much is Portcullis's work.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const ANSWER = JSON.stringify({ decision: true });

/** Starts the floor server on a free loopback port; `close` stops it. */
export async function startHttpFloor(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(ANSWER) });
      res.end(ANSWER);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
