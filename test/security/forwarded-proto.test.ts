/**
 * X-Forwarded-Proto is believed only from a proxy TRUST_PROXY names: a client talking to the
 * server directly cannot claim a TLS channel it does not have, so it neither gets a session
 * cookie marked Secure (the mark a TLS-terminating proxy's clients rely on) nor makes the AuthZEN
 * metadata advertise https endpoints. A trusted proxy's header is believed for both. Real HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/server.ts';
import { ACCOUNT, ROOT_PASSWORD, startIdentityServer } from '../identity/support/server.ts';

const SIGN_IN = `mutation($i: SignInInput!) { signIn(input: $i) { __typename } }`;

async function cookieIsSecure(server: TestServer, headers: Record<string, string>): Promise<boolean> {
  const response = await server.gql(SIGN_IN, { i: { account: ACCOUNT, userName: 'root', password: ROOT_PASSWORD } }, headers);
  expect((response.body.data as { signIn: { __typename: string } }).signIn.__typename).toBe('SignInSuccess');
  const cookie = response.headers.getSetCookie()[0]!;
  return cookie.split(';').some((part) => part.trim().toLowerCase() === 'secure');
}

async function advertisedScheme(server: TestServer, headers: Record<string, string>): Promise<string> {
  const response = await fetch(`${server.url}/.well-known/authzen-configuration`, { headers });
  expect(response.status).toBe(200);
  const metadata = (await response.json()) as { policy_decision_point: string };
  return new URL(metadata.policy_decision_point).protocol;
}

describe('X-Forwarded-Proto from untrusted and trusted peers', () => {
  let untrusting: TestServer;
  let elsewhere: TestServer;
  let trusting: TestServer;
  beforeAll(async () => {
    untrusting = await startIdentityServer();
    // Trusts a proxy, but not the loopback peer this test connects from.
    elsewhere = await startIdentityServer({ TRUST_PROXY: '192.0.2.10' });
    trusting = await startIdentityServer({ TRUST_PROXY: '127.0.0.1, ::1' });
  }, 90_000);
  afterAll(async () => {
    await untrusting?.dispose();
    await elsewhere?.dispose();
    await trusting?.dispose();
  });

  it('is ignored from a peer that is not a trusted proxy, with or without TRUST_PROXY', async () => {
    for (const server of [untrusting, elsewhere]) {
      for (const proto of ['https', 'HTTPS', 'http, https', 'https, https']) {
        expect(await cookieIsSecure(server, { 'x-forwarded-proto': proto }), proto).toBe(false);
        expect(await advertisedScheme(server, { 'x-forwarded-proto': proto }), proto).toBe('http:');
      }
      // A forged X-Forwarded-For naming a trusted proxy does not make the peer one.
      expect(await cookieIsSecure(server, { 'x-forwarded-proto': 'https', 'x-forwarded-for': '192.0.2.10' })).toBe(false);
    }
  });

  it('is believed from a trusted proxy', async () => {
    expect(await cookieIsSecure(trusting, { 'x-forwarded-proto': 'https' })).toBe(true);
    expect(await advertisedScheme(trusting, { 'x-forwarded-proto': 'https' })).toBe('https:');
    expect(await cookieIsSecure(trusting, {})).toBe(false);
    expect(await advertisedScheme(trusting, {})).toBe('http:');
  });
});
