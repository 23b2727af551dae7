import type { Server } from 'node:http';
import type { App } from './app.ts';

/**
 * Something that hooks onto the listening HTTP server beside the request handler, such as
 * graphql-ws answering WebSocket upgrades on the GraphQL path. `attach` returns the function
 * that detaches it during shutdown. startServer (http.ts) lists the ones it installs.
 */
export interface ServerAttachment {
  readonly name: string;
  readonly attach: (server: Server, app: App) => Promise<() => Promise<void>>;
}
