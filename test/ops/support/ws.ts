/** A graphql-ws client for ops tests, and one-shot operations over it. */
import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';

/** An eager graphql-ws client with `authorization` in connection_init; `closes` records close events. */
export function wsClient(graphqlUrl: string, authorization: string): { client: Client; closes: Array<{ code: number; reason: string }> } {
  const closes: Array<{ code: number; reason: string }> = [];
  const client = createClient({
    url: graphqlUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 0,
    connectionParams: { authorization },
    onNonLazyError: () => {},
    on: {
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        closes.push({ code, reason: String(reason) });
      },
    },
  });
  return { client, closes };
}

/**
 * Runs one query or mutation and resolves with its result (or the error graphql-ws reports). The
 * server completes a single-result operation itself; disposing it here as well would race that
 * `complete` (graphql-ws 6 releases the operation's hold on the socket twice when both land in
 * one tick, and the client then closes the socket with 1000 while other operations still use it).
 */
export function once(client: Client, query: string, variables: Record<string, unknown> = {}): Promise<FormattedExecutionResult<Record<string, unknown>, unknown> | { socketError: unknown }> {
  return new Promise((resolve) => {
    let settled = false;
    client.subscribe(
      { query, variables },
      {
        next: (result) => {
          if (settled) return;
          settled = true;
          resolve(result);
        },
        error: (error) => {
          if (settled) return;
          settled = true;
          // graphql-ws delivers operation errors (from onSubscribe) as an array of GraphQL errors.
          resolve(Array.isArray(error) ? { errors: error } : { socketError: error });
        },
        complete: () => {
          if (!settled) {
            settled = true;
            resolve({});
          }
        },
      },
    );
  });
}
