import { randomUUID } from 'node:crypto';

/** Response header carrying the request id, and the request header a proxy may set. */
export const REQUEST_ID_HEADER = 'x-request-id';

// Sane: short, printable, no spaces or quotes, so it is safe in logs and headers.
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Returns the caller's x-request-id if it is sane, else a fresh UUID. */
export function requestIdFrom(header: string | readonly string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return typeof value === 'string' && SANE_REQUEST_ID.test(value) ? value : randomUUID();
}
