/**
 * What every subscription resolver shares: the live stream ends, with an UNAUTHENTICATED error,
 * as soon as the subscriber's credential is revoked or expires (over SSE as well as WebSocket,
 * which additionally closes the socket with 4401), and with ACCESS_DENIED as soon as the
 * subscriber may no longer do what the subscription needs (decided again whenever a committed
 * change may alter the subscriber's permissions, before any later event goes out: see
 * src/live/live-permits.ts). The stream ends on the coded error (src/graphql/wire-errors.ts).
 */
import { watchCredential } from '../live/credential-watch.ts';
import type { LivePermission } from '../live/live-permits.ts';
import { PermittedStream } from '../live/permitted-stream.ts';
import type { GraphQLContext } from './context.ts';
import { wireError } from './wire-errors.ts';

/** The Authorization header value the subscription was opened with (HTTP header or connection_init). */
export function authorizationOf(context: GraphQLContext): string | undefined {
  // Yoga merges its initial context (the Fetch `request`) into ours; the WebSocket server passes
  // a request carrying the connection_init credential the same way.
  const request = (context as unknown as { request?: Request }).request;
  return request?.headers.get('authorization') ?? undefined;
}

/**
 * Set on the initial context by a transport that already watches the credential for the whole
 * connection (the WebSocket server closes the socket with 4401, which ends every subscription).
 */
export const CONNECTION_WATCHES_CREDENTIAL = 'connectionWatchesCredential';

/**
 * `source`, ended with UNAUTHENTICATED when the subscriber's credential stops being valid, and
 * with ACCESS_DENIED when any of `permissions` (what the resolver required at the start) is no
 * longer allowed; no value is delivered after a change that took a permission away.
 */
export function untilRevoked<T>(context: GraphQLContext, source: AsyncIterator<T>, permissions: readonly LivePermission[]): AsyncIterableIterator<T> {
  const caller = context.guard.caller;
  if (caller === undefined) return toIterable(source);
  const hub = context.live.hub;
  let unwatch: (() => void) | undefined;
  const stream = new PermittedStream<T>(source, { toWireError: wireError, onClose: () => unwatch?.() });
  const authorization = authorizationOf(context);
  const connectionWatches = (context as unknown as Record<string, unknown>)[CONNECTION_WATCHES_CREDENTIAL] === true;
  if (!connectionWatches && authorization !== undefined) unwatch = watchCredential(hub, authorization, caller, (error) => stream.fail(error));
  // A subscription that needs nothing beyond its credential (each part guards itself, as
  // decisionChanged's checks do) has no permit to decide.
  if (permissions.length === 0) return stream;
  const permit = hub.permits.open({ caller, facts: context.authz.facts, permissions, onDenied: (error) => stream.fail(error) });
  return stream.guardedBy(permit);
}

/** An AsyncIterator as an AsyncIterableIterator (what GraphQL's subscribe expects). */
function toIterable<T>(source: AsyncIterator<T>): AsyncIterableIterator<T> {
  const iterable = source as AsyncIterableIterator<T>;
  if (typeof iterable[Symbol.asyncIterator] === 'function') return iterable;
  return Object.assign(source, { [Symbol.asyncIterator]: () => iterable }) as AsyncIterableIterator<T>;
}
