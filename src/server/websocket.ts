/**
 * GraphQL over WebSocket (graphql-ws protocol) on the GraphQL path and port, sharing Yoga's
 * envelop (schema, context factory, error masking, plugins) as graphql-yoga's documented
 * graphql-ws integration does.
 *
 * - The `connection_init` payload `{ authorization: "Basic …" | "Bearer …" }` is checked with
 *   the same Authenticator as HTTP; a missing or bad credential closes the socket with 4401.
 *   Without one, the console's session cookie is used when the upgrade comes from its own origin.
 * - Each subscription self-authorizes in its resolver (`iam:<Field>` through context.guard).
 * - At most `subscriptionsPerConnection` operations run at once on one socket; more fail with
 *   a LIMIT_EXCEEDED error and the socket stays open.
 * - The credential is watched for the connection's life: revoked, deactivated, deleted or
 *   expired closes the socket with 4401 (each subscription also ends with UNAUTHENTICATED).
 * - ws pings every `wsKeepAliveMs`; a peer that does not answer is terminated, and closing a
 *   socket returns every subscription's iterator, releasing its change-bus listener.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { GraphQLError, type ExecutionArgs } from 'graphql';
import { CloseCode, type ConnectionInitMessage, type Context, type OperationResult, type ServerOptions, type SubscribePayload } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Caller } from '../authz/caller.ts';
import { UnauthenticatedError } from '../errors.ts';
import { wireError, type ErrorCode } from '../graphql/wire-errors.ts';
import { watchCredential } from '../live/credential-watch.ts';
import { CONNECTION_WATCHES_CREDENTIAL } from '../graphql/live.ts';
import { GRAPHQL_PATH, type App } from './app.ts';
import type { ServerAttachment } from './attachments.ts';
import { websocketCookieAuthorization } from './console-session.ts';

/** What graphql-ws keeps per connection, beside its own context. */
interface ConnectionState {
  readonly authorization: string;
  readonly caller: Caller;
  readonly unwatch: () => void;
}

/** Yoga's enveloped functions, carried to `execute`/`subscribe` as the root value (Yoga's documented pattern). */
interface EnvelopedRoot {
  readonly execute: (args: ExecutionArgs) => OperationResult;
  readonly subscribe: (args: ExecutionArgs) => OperationResult;
}

/** graphql-ws server options for the ws adapter. */
type WsServerOptions = ServerOptions<ConnectionInitMessage['payload'], Extra>;

/** The graphql-ws server as a start-up attachment of the HTTP server. */
export const websocketAttachment: ServerAttachment = {
  name: 'graphql-ws',
  attach: async (server, app) => {
    const wss = new WebSocketServer({ noServer: true, maxPayload: app.config.maxBodyBytes });
    const disposable = useServer(graphqlWsOptions(app), wss, app.config.wsKeepAliveMs === 0 ? Infinity : app.config.wsKeepAliveMs);
    const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
      if (pathOf(req.url) !== GRAPHQL_PATH) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    };
    server.on('upgrade', onUpgrade);
    return async () => {
      server.off('upgrade', onUpgrade);
      await disposable.dispose();
    };
  },
};

/** graphql-ws server options wired to the app's Yoga and authorizer. */
function graphqlWsOptions(app: App): WsServerOptions {
  const connections = new WeakMap<object, ConnectionState>();
  const limit = app.config.subscriptionsPerConnection;
  // Many sockets presenting one credential at once (clients reconnecting after a restart) share
  // one verification instead of each running scrypt before the authenticator's cache fills.
  const inFlight = new Map<string, Promise<Caller | undefined>>();
  const authenticate = (authorization: string): Promise<Caller | undefined> => {
    let pending = inFlight.get(authorization);
    if (pending === undefined) {
      pending = app.authz.authenticate(authorization).finally(() => inFlight.delete(authorization));
      inFlight.set(authorization, pending);
    }
    return pending;
  };
  const log = app.logger.child({ transport: 'graphql-ws' });

  return {
    // Yoga's documented wiring: the enveloped execute/subscribe travel in rootValue.
    execute: (args) => (args.rootValue as EnvelopedRoot).execute(args),
    subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args),

    onConnect: async (ctx) => {
      const socket = ctx.extra.socket;
      // The console's session cookie stands in when connection_init names no credential (same origin only).
      const authorization = ctx.connectionParams?.['authorization'] ?? websocketCookieAuthorization(ctx.extra.request, app.config.corsOrigins);
      const refuse = (reason: string): false => {
        socket.close(CloseCode.Unauthorized, reason);
        return false;
      };
      if (typeof authorization !== 'string' || authorization.trim() === '') {
        return refuse('Unauthorized: connection_init payload needs { authorization: "Basic …" | "Bearer …" }');
      }
      let caller: Caller | undefined;
      try {
        await app.authz.start();
        caller = await authenticate(authorization);
      } catch (error) {
        return refuse(error instanceof UnauthenticatedError ? `Unauthorized: ${error.message}` : 'Unauthorized');
      }
      if (caller === undefined) return refuse('Unauthorized');
      const unwatch = watchCredential(app.live.hub, authorization, caller, (error) => {
        log.info({ caller: caller.arn }, 'closing a WebSocket whose credential is no longer valid');
        socket.close(CloseCode.Unauthorized, `Unauthorized: ${error.message}`.slice(0, 120));
      });
      connections.set(ctx, { authorization, caller, unwatch });
      return true;
    },

    onClose: (ctx) => {
      connections.get(ctx)?.unwatch();
      connections.delete(ctx);
    },

    onSubscribe: async (ctx, _id, payload) => {
      const state = connections.get(ctx);
      if (state === undefined) return [new GraphQLError('the connection is not authenticated', { extensions: { code: 'UNAUTHENTICATED' satisfies ErrorCode } })];
      // graphql-ws has already registered this operation, so the count includes it.
      if (Object.keys(ctx.subscriptions).length > limit) {
        return [
          new GraphQLError(`too many subscriptions on this connection: at most ${limit} may be open at once; complete one first`, {
            extensions: { code: 'LIMIT_EXCEEDED' satisfies ErrorCode, limit },
          }),
        ];
      }
      try {
        return await executionArgs(app, ctx, payload, state);
      } catch (error) {
        const wire = wireError(error);
        if (wire instanceof GraphQLError) return [wire];
        log.error({ err: error }, 'preparing a WebSocket operation failed');
        return [new GraphQLError('Unexpected error.', { extensions: { code: 'INTERNAL_SERVER_ERROR' satisfies ErrorCode } })];
      }
    },
  };
}

/** Parses, validates and builds the context of one operation through Yoga's envelop. */
async function executionArgs(app: App, ctx: Context<ConnectionInitMessage['payload'], Extra>, payload: SubscribePayload, state: ConnectionState): Promise<ExecutionArgs | readonly GraphQLError[]> {
  // The context factory reads the credential from a Fetch Request, as for HTTP.
  const request = new Request(`http://localhost${GRAPHQL_PATH}`, { headers: { authorization: state.authorization } });
  const { schema, execute, subscribe, contextFactory, parse, validate } = app.yoga.getEnveloped({
    ...ctx,
    req: ctx.extra.request,
    socket: ctx.extra.socket,
    params: payload,
    request,
    // This connection's credential watch ends every subscription on it; they need no watch of their own.
    [CONNECTION_WATCHES_CREDENTIAL]: true,
  });
  // Validation asks whether the caller is authenticated (introspection, suggestions): settle that first.
  await app.callers.of(request);
  const document = parse(payload.query);
  const errors = validate(schema, document);
  if (errors.length > 0) return errors;
  const root: EnvelopedRoot = { execute: execute as EnvelopedRoot['execute'], subscribe: subscribe as EnvelopedRoot['subscribe'] };
  return {
    schema,
    operationName: payload.operationName ?? null,
    document,
    variableValues: payload.variables ?? null,
    contextValue: await contextFactory(),
    rootValue: root,
  };
}

/** The path part of a request target. */
function pathOf(url: string | undefined): string {
  const target = url ?? '/';
  const query = target.indexOf('?');
  return query < 0 ? target : target.slice(0, query);
}
