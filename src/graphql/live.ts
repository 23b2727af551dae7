/**
 * What every subscription resolver shares: the live stream ends, with an UNAUTHENTICATED error,
 * as soon as the subscriber's credential is revoked or expires (over SSE as well as WebSocket,
 * which additionally closes the socket with 4401), and typed directory errors reach the client
 * with their codes.
 */
import { Repeater } from 'graphql-yoga';
import { watchCredential } from '../events/credential-watch.ts';
import type { GraphQLContext } from './context.ts';

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

/** `source`, ended with UNAUTHENTICATED when the subscriber's credential stops being valid. */
export function untilRevoked<T>(context: GraphQLContext, source: AsyncIterableIterator<T>): AsyncIterableIterator<T> {
  if ((context as unknown as Record<string, unknown>)[CONNECTION_WATCHES_CREDENTIAL] === true) return source;
  const caller = context.guard.caller;
  const authorization = authorizationOf(context);
  if (caller === undefined || authorization === undefined) return source;
  return new Repeater<T>(async (push, stop) => {
    const unwatch = watchCredential(context.authz.runtime, authorization, caller, (error) => stop(error));
    const pump = (async () => {
      for await (const value of source) await push(value);
      stop();
    })().catch((error: unknown) => stop(error));
    await stop;
    unwatch();
    await source.return?.();
    await pump;
  });
}

/** Subscriptions map typed directory errors to the wire as decisions do (see decision-wire.ts). */
export { wireError } from './decision-wire.ts';
