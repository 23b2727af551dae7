/**
 * A SAML 2.0 identity provider over HTTP on 127.0.0.1, for browser and API tests: samlify (through
 * saml-idp.ts) reads the AuthnRequest a service provider sends by HTTP-Redirect to /sso, shows a
 * login page, and answers with a signed response in an auto-submitted HTTP-POST form to the
 * service provider's assertion consumer service. GET /idp-initiated?login=… starts an
 * IdP-initiated sign-in instead. Any login name signs in as `<login>@example.com`.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestIdp, type ResponseOptions, type TestIdp } from './saml-idp.ts';

/** A running IdP. */
export interface SamlIdpServer {
  readonly url: string;
  readonly idp: TestIdp;
  /** The AuthnRequest ids received, in order. */
  readonly requests: string[];
  /** The last SAMLResponse posted to the service provider (base64), for replay tests. */
  readonly lastResponse: string | undefined;
  /** Applies `options` to the next response only (a wrong InResponseTo, an expired window, …). */
  tamperNext(options: ResponseOptions): void;
  close(): Promise<void>;
}

const escape = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function html(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`<!doctype html><html><head><title>Test IdP</title></head><body>${body}</body></html>`);
}

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * Starts the IdP. `recipient` and `audience` are what its assertions name (the service provider's
 * SAML_RECIPIENT and SAML_AUDIENCE); `acsUrl` is where its form posts (the service provider's /saml
 * as the browser reaches it); `attributes(login)` gives each person's attributes (Role, RoleSessionName…).
 * With `spCertificate`, AuthnRequests must be signed with the matching key.
 */
export async function startSamlIdpServer(options: {
  audience: string;
  recipient: string;
  acsUrl: string;
  attributes: (login: string) => Record<string, string[]>;
  spCertificate?: string;
}): Promise<SamlIdpServer> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const idp = createTestIdp({
    entityId: url,
    audience: options.audience,
    recipient: options.recipient,
    ssoUrl: `${url}/sso`,
    wantAuthnRequestsSigned: options.spCertificate !== undefined,
  });
  const requests: string[] = [];
  const tickets = new Map<string, string>();
  let tamper: ResponseOptions | undefined;
  let lastResponse: string | undefined;

  /** Signs `login` in: a signed response posted by the browser to the service provider. */
  const answer = async (res: ServerResponse, login: string, inResponseTo: string | undefined) => {
    const extra = tamper ?? {};
    tamper = undefined;
    const response = await idp.response({ nameId: `${login}@example.com`, attributes: options.attributes(login), ...(inResponseTo === undefined ? {} : { inResponseTo }), ...extra });
    lastResponse = response;
    html(
      res,
      200,
      `<form method="post" action="${escape(options.acsUrl)}"><input type="hidden" name="SAMLResponse" value="${escape(response)}"><noscript><button type="submit">Continue</button></noscript></form><script>document.forms[0].submit()</script>`,
    );
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const target = new URL(req.url ?? '/', url);
    const handle = async () => {
      if (req.method === 'GET' && target.pathname === '/sso') {
        const request = await idp.readRedirectRequest(target.search.slice(1), options.spCertificate);
        requests.push(request.id);
        const ticket = randomBytes(16).toString('hex');
        tickets.set(ticket, request.id);
        html(
          res,
          200,
          `<h1>Test IdP sign-in</h1><form method="post" action="/login"><input type="hidden" name="ticket" value="${ticket}"><label>User name <input name="login"></label><button type="submit">Sign in to the IdP</button></form>`,
        );
        return;
      }
      if (req.method === 'POST' && target.pathname === '/login') {
        const form = await formBody(req);
        const requestId = tickets.get(form.get('ticket') ?? '');
        if (requestId === undefined) return html(res, 400, 'unknown ticket');
        tickets.delete(form.get('ticket')!);
        return answer(res, form.get('login') ?? '', requestId);
      }
      if (req.method === 'GET' && target.pathname === '/idp-initiated') return answer(res, target.searchParams.get('login') ?? '', undefined);
      html(res, 404, 'not found');
    };
    handle().catch((error: unknown) => html(res, 400, escape(String((error as Error)?.message ?? error))));
  });

  return {
    url,
    idp,
    requests,
    get lastResponse() {
      return lastResponse;
    },
    tamperNext(next) {
      tamper = next;
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
