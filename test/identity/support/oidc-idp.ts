/**
 * A real OpenID Provider for tests: oidc-provider 9 (a certified implementation) on 127.0.0.1 with
 * one public client (PKCE, no secret) and its development login and consent pages, where any
 * login name signs in as that subject (email `<login>@example.com`). And a minimal browser for
 * API tests: follows redirects by hand with a cookie jar, and fills in those two pages.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

/** A running provider. */
export interface TestIdp {
  readonly url: string;
  readonly clientId: string;
  readonly server: Server;
  close(): Promise<void>;
}

/** Starts oidc-provider with a public client redirecting to `redirectUri`. */
export async function startOidcIdp(redirectUri: string, clientId = 'portcullis-console'): Promise<TestIdp> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const provider = new Provider(url, {
    clients: [{ client_id: clientId, token_endpoint_auth_method: 'none', redirect_uris: [redirectUri], grant_types: ['authorization_code'], response_types: ['code'] }],
    findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub, email: `${sub}@example.com` }) }),
    claims: { openid: ['sub'], email: ['email'] },
    cookies: { keys: ['test-only-cookie-key'] },
    jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: 'idp-1', alg: 'RS256', use: 'sig' }] },
    features: { devInteractions: { enabled: true } },
    // As most enterprise IdPs do: the requested claims (email) in the ID token itself.
    conformIdTokenClaims: false,
  });
  server.on('request', provider.callback());
  return { url, clientId, server, close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // A browser keeps its connections alive: without this, close waits for them to time out.
        server.closeAllConnections();
      }),
  };
}

/** Where a browser ended: the console URL it was sent to (with the fragment), and every URL on the way. */
export interface BrowsedTo {
  readonly final: URL;
  readonly visited: readonly URL[];
}

/** A cookie jar by host, and the redirects a browser would follow. */
export class TestBrowser {
  private readonly cookies = new Map<string, Map<string, string>>();

  /** Follows `start` through redirects and the IdP's login (as `login`) and consent pages, until a page outside the IdP. */
  async signIn(start: string, idp: TestIdp, login: string): Promise<BrowsedTo> {
    let url = new URL(start);
    const visited: URL[] = [];
    let body: URLSearchParams | undefined;
    for (let step = 0; step < 20; step++) {
      visited.push(url);
      const response = await this.fetch(url, body);
      body = undefined;
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location !== null) {
        url = new URL(location, url);
        // Off the IdP and off the federation routes: the console page the flow ends on.
        if (!url.href.startsWith(idp.url) && !url.pathname.startsWith('/federation/')) return { final: url, visited };
        continue;
      }
      const html = await response.text();
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
      if (action === undefined || prompt === undefined) throw new Error(`unexpected page at ${url.href} (${response.status}): ${html.slice(0, 300)}`);
      url = new URL(action.replaceAll('&amp;', '&'), url);
      body = new URLSearchParams(prompt === 'login' ? { prompt, login, password: 'any' } : { prompt });
    }
    throw new Error('too many redirects');
  }

  /** One request with this jar's cookies for the host; stores the cookies the answer sets. */
  async fetch(url: URL, form?: URLSearchParams): Promise<Response> {
    const jar = this.jar(url.host);
    const headers: Record<string, string> = { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') };
    if (form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(url, { method: form === undefined ? 'GET' : 'POST', headers, body: form?.toString(), redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const gone = value === '' || attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      if (gone) jar.delete(name);
      else jar.set(name, value);
    }
    return response;
  }

  private jar(host: string): Map<string, string> {
    let jar = this.cookies.get(host);
    if (jar === undefined) this.cookies.set(host, (jar = new Map()));
    return jar;
  }
}
