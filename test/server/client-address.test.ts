/**
 * Which address a request is judged by (aws:SourceIp, the anonymous rate-limit bucket, the
 * sign-in address window): the socket's peer, unless that peer is a proxy TRUST_PROXY names; then
 * X-Forwarded-For read from the right, skipping trusted proxies, stopping at a malformed entry.
 */
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddress, reachedOverTls } from '../../src/server/client-address.ts';
import { parseTrustedProxies } from '../../src/config.ts';
import { ConfigError, loadConfig } from '../../src/config.ts';

const request = (peer: string | undefined, forwarded?: string | string[]): IncomingMessage =>
  ({ socket: { remoteAddress: peer }, headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded } }) as unknown as IncomingMessage;
const trust = (text: string) => parseTrustedProxies(text)!;

describe('clientAddress', () => {
  it.each([
    ['no TRUST_PROXY: the header is ignored', '127.0.0.1', '203.0.113.9', '', '127.0.0.1'],
    ['an untrusted peer cannot claim another address', '198.51.100.4', '203.0.113.9', '127.0.0.1', '198.51.100.4'],
    ['a trusted proxy names the client', '127.0.0.1', '203.0.113.9', '127.0.0.1', '203.0.113.9'],
    ['a client-supplied entry left of the proxy-appended one is not believed', '127.0.0.1', '6.6.6.6, 203.0.113.9', '127.0.0.1', '203.0.113.9'],
    ['a chain of trusted proxies is skipped', '10.0.0.5', '203.0.113.9, 10.0.0.7', '10.0.0.0/8', '203.0.113.9'],
    ['all hops trusted: the leftmost', '10.0.0.5', '10.0.0.9, 10.0.0.7', '10.0.0.0/8', '10.0.0.9'],
    ['a malformed entry stops the walk at the last trusted view', '127.0.0.1', '203.0.113.9, not-an-ip', '127.0.0.1', '127.0.0.1'],
    ['a CIDR is not an address', '127.0.0.1', '203.0.113.0/24', '127.0.0.1', '127.0.0.1'],
    ['IPv6 proxies and clients', '::1', '2001:db8::42', '::1', '2001:db8::42'],
    ['an IPv4-mapped peer is its IPv4 address', '::ffff:127.0.0.1', '203.0.113.9', '127.0.0.1', '203.0.113.9'],
    ['no header: the peer', '127.0.0.1', undefined, '127.0.0.1', '127.0.0.1'],
  ])('%s', (_name, peer, forwarded, trusted, expected) => {
    expect(clientAddress(request(peer, forwarded), trusted === '' ? [] : trust(trusted))).toBe(expected);
  });

  it('joins repeated X-Forwarded-For headers in order', () => {
    expect(clientAddress(request('127.0.0.1', ['6.6.6.6', '203.0.113.9']), trust('127.0.0.1'))).toBe('203.0.113.9');
  });

  it('has no address for an in-process request', () => {
    expect(clientAddress(undefined, trust('127.0.0.1'))).toBeUndefined();
  });
});

describe('reachedOverTls (the console cookie\'s Secure, the AuthZEN metadata\'s scheme)', () => {
  const proto = (peer: string, value: string | undefined, encrypted = false): IncomingMessage =>
    ({ socket: { remoteAddress: peer, encrypted }, headers: value === undefined ? {} : { 'x-forwarded-proto': value } }) as unknown as IncomingMessage;

  it.each([
    ['a TLS socket, whatever the header', '198.51.100.4', 'http', '', true, true],
    ['no TRUST_PROXY: the header is ignored', '127.0.0.1', 'https', '', false, false],
    ['an untrusted peer cannot claim TLS', '198.51.100.4', 'https', '127.0.0.1', false, false],
    ['a trusted proxy that terminated TLS', '127.0.0.1', 'https', '127.0.0.1', false, true],
    ['a trusted IPv4-mapped peer', '::ffff:127.0.0.1', 'HTTPS', '127.0.0.1', false, true],
    ['an untrusted IPv4-mapped peer', '::ffff:198.51.100.4', 'https', '127.0.0.1', false, false],
    ['the trusted proxy says http', '127.0.0.1', 'http', '127.0.0.1', false, false],
    ['a client-supplied https before the proxy-appended http', '127.0.0.1', 'https, http', '127.0.0.1', false, false],
    ['the entry the trusted proxy appended', '127.0.0.1', 'http, https', '127.0.0.1', false, true],
    ['a trusted proxy that says nothing', '127.0.0.1', undefined, '127.0.0.1', false, false],
  ])('%s', (_name, peer, value, trusted, encrypted, expected) => {
    expect(reachedOverTls(proto(peer, value, encrypted), trusted === '' ? [] : trust(trusted))).toBe(expected);
  });

  it('is false for an in-process request', () => {
    expect(reachedOverTls(undefined, trust('127.0.0.1'))).toBe(false);
  });
});

describe('TRUST_PROXY', () => {
  it('takes comma-separated addresses and CIDR blocks, and none by default', () => {
    expect(loadConfig({}).trustedProxies).toEqual([]);
    expect(loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1' }).trustedProxies).toHaveLength(3);
  });

  it('names the variable and the rule for a malformed entry', () => {
    expect(() => loadConfig({ TRUST_PROXY: '127.0.0.1, proxy.internal' })).toThrow(ConfigError);
    expect(() => loadConfig({ TRUST_PROXY: '127.0.0.1, proxy.internal' })).toThrow(
      "TRUST_PROXY must be a comma-separated list of IP addresses or CIDR blocks, got '127.0.0.1, proxy.internal'",
    );
  });
});
