/** A local OpenID issuer for tests: discovery document and key set over plain http on 127.0.0.1. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running issuer; `requests` lists the paths asked, in order. Change `jwks.keys` to rotate keys. */
export interface LocalIssuer {
  readonly server: Server;
  readonly url: string;
  readonly requests: string[];
}

/** Starts an issuer serving `jwks` at `/keys` (read at each request, so the test may rotate it). */
export async function startIssuer(jwks: { keys: object[] }): Promise<LocalIssuer> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(request.url ?? '');
    const { port } = server.address() as AddressInfo;
    const body =
      request.url === '/.well-known/openid-configuration'
        ? { issuer: `http://127.0.0.1:${port}`, jwks_uri: `http://127.0.0.1:${port}/keys` }
        : request.url === '/keys'
          ? jwks
          : undefined;
    response.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' }).end(JSON.stringify(body ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}
