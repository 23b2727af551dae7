/**
 * The address a request came from: `aws:SourceIp` for the guard, the anonymous rate-limit bucket
 * and the sign-in throttle's address window. Behind a reverse proxy the socket's peer is the
 * proxy, so TRUST_PROXY names the proxies whose X-Forwarded-For is believed. Each proxy appends
 * the address it saw, so the header is read from the right: the first address that is not itself
 * a trusted proxy is the client. A peer that is not trusted, or no TRUST_PROXY at all, means the
 * header is ignored: a client cannot choose the address it is judged by.
 */
import type { IncomingMessage } from 'node:http';
import { ipInBlock, parseIpBlock, type IpBlock } from '../policy/index.ts';

/** The client's address, or undefined for an in-process request (no socket). */
export function clientAddress(req: IncomingMessage | undefined, trusted: readonly IpBlock[]): string | undefined {
  const peer = unmapped(req?.socket.remoteAddress);
  if (req === undefined || peer === undefined || !isTrusted(peer, trusted)) return peer;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',');
  let client = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = unmapped(hops[i]!.trim());
    // A malformed entry was not written by a proxy we trust: the last trusted view stands.
    if (hop === undefined || hop.includes('/') || parseIpBlock(hop) === undefined) return client;
    client = hop;
    if (!isTrusted(hop, trusted)) return client;
  }
  return client;
}

/** Whether the socket's peer is one of TRUST_PROXY's proxies (never for an in-process request). */
export function fromTrustedProxy(req: IncomingMessage | undefined, trusted: readonly IpBlock[]): boolean {
  const peer = unmapped(req?.socket.remoteAddress);
  return peer !== undefined && isTrusted(peer, trusted);
}

/**
 * Whether the client reached us over TLS: a TLS socket, or a trusted proxy that terminated TLS
 * and says so with `X-Forwarded-Proto: https`. The header's last entry is read, the one our
 * trusted peer wrote (proxies that append leave a client's own value in front). From any other
 * peer the header is ignored: a client cannot claim a secure channel it does not have.
 */
export function reachedOverTls(req: IncomingMessage | undefined, trusted: readonly IpBlock[]): boolean {
  if (req === undefined) return false;
  if ((req.socket as { encrypted?: boolean }).encrypted === true) return true;
  if (!fromTrustedProxy(req, trusted)) return false;
  const header = req.headers['x-forwarded-proto'];
  const entries = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',');
  return entries[entries.length - 1]!.trim().toLowerCase() === 'https';
}

function isTrusted(address: string, trusted: readonly IpBlock[]): boolean {
  if (trusted.length === 0) return false;
  const parsed = parseIpBlock(address);
  return parsed !== undefined && trusted.some((block) => ipInBlock(parsed, block));
}

/** The address without the IPv4-mapped IPv6 prefix Node reports on dual-stack sockets. */
function unmapped(address: string | undefined): string | undefined {
  if (address === undefined || address === '') return undefined;
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice('::ffff:'.length) : address;
}
