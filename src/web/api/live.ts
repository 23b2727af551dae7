/**
 * Live updates over graphql-ws on the same /graphql path: one WebSocket per session, authenticated
 * by the session's HttpOnly cookie (the server accepts it on an upgrade from its own origin). `subscribeLive` re-subscribes after every reconnect with fresh variables,
 * so a stream can resume after the last revision it saw; `useLiveStatus` drives the indicators.
 * While the tab works through a switched role, the connection is the role session's (its token in
 * connection_init, which the server prefers to the cookie): switching role or back replaces the
 * connection, and the pages that subscribed subscribe again on it.
 */
import { createClient } from 'graphql-ws';
import type { Client } from 'graphql-ws';
import { useSyncExternalStore } from 'react';
import type { TypedDocumentString } from './generated/graphql.ts';
import { currentPath } from '../router.ts';
import { ApiError, GRAPHQL_PATH } from './graphql.ts';
import type { WireError } from './graphql.ts';
import { activeRole, endRoleSession } from './role-session.ts';
import { currentSession, expireSession } from './session.ts';
import { retryDelayMs } from './retry-delay.ts';

/** The WebSocket's state as the UI shows it. */
export type LiveStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting';

// graphql-ws close codes for a refused connection_init: the token is no longer accepted.
const UNAUTHORIZED_CLOSE_CODES = new Set([4401, 4403]);

let client: { key: string; instance: Client } | undefined;
let status: LiveStatus = 'idle';
let everConnected = false;
const statusListeners = new Set<() => void>();
// Live subscriptions to restart when an established connection drops.
const dropListeners = new Set<() => void>();

/** Records the status and tells the indicators. */
function setStatus(next: LiveStatus): void {
  if (next === status) return;
  status = next;
  for (const listener of statusListeners) listener();
}

/**
 * The client for the current session (by principal and expiry, and the switched role's session
 * when there is one), created (or replaced) on demand; `roleToken` authenticates it as that role.
 */
function clientFor(key: string, roleToken: string | undefined): Client {
  if (client?.key === key) return client.instance;
  client?.instance.dispose();
  everConnected = false;
  const url = new URL(GRAPHQL_PATH, window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const instance = createClient({
    url: url.toString(),
    // No credential here for the signed-in principal: the upgrade carries the session cookie.
    connectionParams: () => (roleToken === undefined ? {} : { authorization: `Bearer ${roleToken}` }),
    // Keep trying while the page is open: the server may be restarting.
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: (event) => !(isCloseEvent(event) && UNAUTHORIZED_CLOSE_CODES.has(event.code)),
    // Exponential backoff with full jitter, so clients dropped together do not return together.
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, retryDelayMs(retries))),
    on: {
      connecting: () => setStatus(everConnected ? 'reconnecting' : 'connecting'),
      connected: () => {
        everConnected = true;
        setStatus('connected');
      },
      closed: (event) => {
        if (isCloseEvent(event) && UNAUTHORIZED_CLOSE_CODES.has(event.code)) {
          // A refused role session ends the switch only, if it is still the active one.
          if (roleToken === undefined) expireSession(currentPath());
          else if (activeRole()?.token === roleToken) endRoleSession('expired');
          setStatus('idle');
          return;
        }
        // The client closes an idle socket itself (code 1000, lazy mode) once its last subscription
        // ends, e.g. because it was refused: that is no drop, and resubscribing would loop.
        const dropped = status === 'connected' && client?.instance === instance && !(isCloseEvent(event) && event.code === 1000);
        setStatus(everConnected ? 'reconnecting' : 'idle');
        if (dropped) for (const listener of [...dropListeners]) listener();
      },
    },
  });
  client = { key, instance };
  return instance;
}

/** Whether a value looks like a WebSocket CloseEvent. */
function isCloseEvent(value: unknown): value is { code: number; reason: string } {
  return typeof value === 'object' && value !== null && 'code' in value && typeof (value as { code: unknown }).code === 'number';
}

/** What a live subscription calls back with. */
export interface LiveHandlers<TData> {
  /** One event's data (null where a field of it failed; that field's error goes to `error`). */
  readonly next: (data: TData) => void;
  /** The API refused the subscription or a part of an event (e.g. ACCESS_DENIED), with its explanation. */
  readonly error: (error: ApiError) => void;
}

/**
 * Subscribes while the session lasts. `variables` is called on every (re)subscription, so it can
 * return the resume point (`afterRevision`). A subscription the API refuses (ACCESS_DENIED, …)
 * reports the error once and is not retried; only network failures are. Returns the function
 * that unsubscribes.
 */
export function subscribeLive<TData, TVariables extends Record<string, unknown>>(
  document: TypedDocumentString<TData, TVariables>,
  variables: () => TVariables,
  handlers: LiveHandlers<TData>,
): () => void {
  const session = currentSession();
  if (session === undefined) return () => {};
  const role = activeRole();
  const instance = clientFor(`${session.arn} ${session.expiration} ${role?.role.arn ?? ''} ${role?.role.expiration ?? ''}`, role?.token);
  let stop: (() => void) | undefined;
  let stopped = false;
  const start = (): void => {
    stop?.();
    stop = instance.subscribe<TData>(
      { query: document.toString(), variables: variables() },
      {
        next: (result) => {
          // Data first: a handler may clear a shown error when data arrives.
          if (result.data != null) handlers.next(result.data);
          const first = result.errors?.[0];
          if (first === undefined) return;
          const error = ApiError.fromWire(first, 'ERROR');
          // A refused stream ends here: never subscribe again to be refused again (issue 19's storm).
          if (result.data == null) stopped = true;
          handlers.error(error);
        },
        error: (error) => {
          if (Array.isArray(error) && error[0] !== undefined) {
            stopped = true;
            handlers.error(ApiError.fromWire(error[0] as WireError, 'ERROR'));
          } else if (!isCloseEvent(error)) handlers.error(new ApiError('NETWORK', 'the live connection failed'));
        },
        complete: () => {},
      },
    );
  };
  // graphql-ws would replay the original variables after a reconnect. Instead, when the
  // connection drops, subscribe again at once with fresh variables (the resume point as of the
  // drop); that subscription waits out the reconnection.
  const onDrop = (): void => {
    if (!stopped && client?.instance === instance) start();
  };
  dropListeners.add(onDrop);
  start();
  return () => {
    stopped = true;
    dropListeners.delete(onDrop);
    stop?.();
  };
}

/** Closes the live connection (sign-out). */
export function closeLive(): void {
  client?.instance.dispose();
  client = undefined;
  everConnected = false;
  setStatus('idle');
}

/** The live connection's status, re-rendering on change. */
export function useLiveStatus(): LiveStatus {
  return useSyncExternalStore(
    (listener) => {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    () => status,
  );
}
