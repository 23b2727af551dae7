import type { Server } from 'node:http';
import type { App } from './app.ts';
import { redisBridgeAttachment } from '../changes/redis-bridge.ts';
import { websocketAttachment } from './websocket.ts';

/**
 * Something that hooks onto the listening HTTP server beside the request handler, such as
 * graphql-ws answering WebSocket upgrades on the GraphQL path. `attach` returns the function
 * that detaches it during shutdown.
 */
export interface ServerAttachment {
  readonly name: string;
  readonly attach: (server: Server, app: App) => Promise<() => Promise<void>>;
}

/** The attachments startServer installs, in order; they are detached in reverse order. */
export const serverAttachments: readonly ServerAttachment[] = [
  redisBridgeAttachment,
  websocketAttachment,
];
