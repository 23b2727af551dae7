/**
 * The console session cookie (src/server/console-session.ts): signIn sets an HttpOnly,
 * SameSite=Strict cookie; it authenticates HTTP requests only with the console's header (CSRF
 * defence) and WebSocket upgrades only from the server's own origin; signOut clears it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { TestServer } from '../support/server.ts';
import { ACCOUNT, ROOT_PASSWORD, startIdentityServer } from '../identity/support/server.ts';

const SIGN_IN = `mutation($i: SignInInput!) { signIn(input: $i) { __typename ... on SignInSuccess { sessionToken } } }`;
const WHO = '{ callerIdentity { arn } }';
const CONSOLE = { 'x-portcullis-console': '1' };

/** The cookie pair (`name=value`) a Set-Cookie header sets, and its attributes in lower case. */
function parseSetCookie(header: string): { pair: string; attributes: string[] } {
  const [pair, ...attributes] = header.split(';').map((part) => part.trim());
  return { pair: pair!, attributes: attributes.map((attribute) => attribute.toLowerCase()) };
}

/** Opens a graphql-ws connection with these upgrade headers and an empty connection_init; resolves to 'ack' or the close code. */
function connectWith(server: TestServer, headers: Record<string, string>): Promise<'ack' | number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(server.graphqlUrl.replace(/^http/, 'ws'), 'graphql-transport-ws', { headers });
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: {} })));
    socket.on('message', (data) => {
      if ((JSON.parse(String(data)) as { type: string }).type === 'connection_ack') {
        resolve('ack');
        socket.close();
      }
    });
    socket.on('close', (code) => resolve(code));
    socket.on('error', reject);
  });
}

describe('the console session cookie', () => {
  let server: TestServer;
  let cookie: string;
  let setCookie: { pair: string; attributes: string[] };
  beforeAll(async () => {
    server = await startIdentityServer();
    const response = await server.gql(SIGN_IN, { i: { account: ACCOUNT, userName: 'root', password: ROOT_PASSWORD } });
    expect((response.body.data as { signIn: { __typename: string } }).signIn.__typename).toBe('SignInSuccess');
    const headers = response.headers.getSetCookie();
    expect(headers).toHaveLength(1);
    setCookie = parseSetCookie(headers[0]!);
    cookie = setCookie.pair;
    expect(response.headers.get('cache-control')).toBe('no-store');
  }, 60_000);
  afterAll(async () => {
    await server?.dispose();
  });

  it('is HttpOnly, SameSite=Strict, scoped to /graphql and expires with the session', () => {
    expect(cookie).toMatch(/^portcullis_session=[A-Za-z0-9_-]{20,}$/);
    expect(setCookie.attributes).toEqual(expect.arrayContaining(['httponly', 'samesite=strict', 'path=/']));
    const maxAge = Number(setCookie.attributes.find((attribute) => attribute.startsWith('max-age='))!.slice('max-age='.length));
    expect(maxAge).toBeGreaterThan(0);
    expect(maxAge).toBeLessThanOrEqual(3600);
  });

  it('authenticates an HTTP request that carries the console header', async () => {
    const response = await server.gql(WHO, undefined, { cookie, ...CONSOLE });
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({ callerIdentity: { arn: `arn:aws:iam::${ACCOUNT}:root` } });
  });

  it('is ignored without the console header (a cross-site form cannot send one): the request is anonymous', async () => {
    const response = await server.gql(WHO, undefined, { cookie });
    expect(response.body.data?.['callerIdentity'] ?? null).toBeNull();
    expect(response.body.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  });

  it('gives way to an explicit Authorization header', async () => {
    const response = await server.gql(WHO, undefined, { cookie, ...CONSOLE, authorization: 'Bearer not-a-session' });
    expect(response.status).toBe(401);
  });

  it('authenticates a WebSocket from the same origin only', async () => {
    const host = new URL(server.url).host;
    expect(await connectWith(server, { cookie, origin: `http://${host}` })).toBe('ack');
    expect(await connectWith(server, { cookie, origin: 'https://evil.example' })).toBe(4401);
    expect(await connectWith(server, { cookie })).toBe(4401);
  });

  it('is cleared by signOut, which revokes the session it carried', async () => {
    const response = await server.gql('mutation { signOut { __typename } }', undefined, { cookie, ...CONSOLE });
    expect((response.body.data as { signOut: { __typename: string } }).signOut.__typename).toBe('SignOutSuccess');
    const cleared = parseSetCookie(response.headers.getSetCookie()[0]!);
    expect(cleared.pair).toBe('portcullis_session=');
    expect(cleared.attributes).toContain('max-age=0');
    const after = await server.gql(WHO, undefined, { cookie, ...CONSOLE });
    expect(after.status).toBe(401);
  });
});

/** Signs root in with `headers` and returns the Set-Cookie attributes of the session cookie. */
async function signInAttributes(server: TestServer, headers: Record<string, string>): Promise<string[]> {
  const response = await server.gql(SIGN_IN, { i: { account: ACCOUNT, userName: 'root', password: ROOT_PASSWORD } }, headers);
  expect((response.body.data as { signIn: { __typename: string } }).signIn.__typename).toBe('SignInSuccess');
  return parseSetCookie(response.headers.getSetCookie()[0]!).attributes;
}

describe('the console session cookie behind a TLS-terminating proxy', () => {
  let proxied: TestServer;
  let direct: TestServer;
  beforeAll(async () => {
    // The test client is the "proxy": it connects over loopback, which TRUST_PROXY names.
    proxied = await startIdentityServer({ TRUST_PROXY: '127.0.0.1, ::1' });
    direct = await startIdentityServer();
  }, 60_000);
  afterAll(async () => {
    await proxied?.dispose();
    await direct?.dispose();
  });

  it('is Secure when a trusted proxy says the client came over https', async () => {
    expect(await signInAttributes(proxied, { 'x-forwarded-proto': 'https' })).toContain('secure');
    // Proxies that append: the entry our trusted peer wrote (the last) is the one believed.
    expect(await signInAttributes(proxied, { 'x-forwarded-proto': 'http, https' })).toContain('secure');
  });

  it('is not Secure when the trusted proxy says http, or says nothing', async () => {
    expect(await signInAttributes(proxied, { 'x-forwarded-proto': 'http' })).not.toContain('secure');
    expect(await signInAttributes(proxied, { 'x-forwarded-proto': 'https, http' })).not.toContain('secure');
    expect(await signInAttributes(proxied, {})).not.toContain('secure');
  });

  it('ignores X-Forwarded-Proto from a peer that TRUST_PROXY does not name', async () => {
    expect(await signInAttributes(direct, { 'x-forwarded-proto': 'https' })).not.toContain('secure');
  });
});
