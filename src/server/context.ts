import type { IncomingMessage, ServerResponse } from 'node:http';
import { getOperationAST, type DocumentNode } from 'graphql';
import type { Plugin, YogaInitialContext } from 'graphql-yoga';
import type { AuthzRuntime } from '../authz/runtime.ts';
import type { RequestFacts } from '../authz/guard.ts';
import type { Database } from '../db/client.ts';
import type { SignInThrottle } from '../iam/throttle.ts';
import type { GraphQLContext } from '../graphql/context.ts';
import type { LiveServices } from '../live/live-services.ts';
import { createLoaders } from '../graphql/loaders.ts';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { DatabaseStatusSource } from '../db/status.ts';
import type { Logger } from '../logger.ts';
import { requestIdFrom } from './request-id.ts';
import { clientAddress, reachedOverTls } from './client-address.ts';
import type { IpBlock } from '../policy/index.ts';
import { newRequestScope, type RequestScope } from './request-scope.ts';
import type { RequestCallers } from './request-caller.ts';
import { consoleSessionHook } from './console-session.ts';

/** What the node:http handler hands Yoga with each request (absent for in-process `yoga.fetch`). */
export interface ServerContext {
  readonly req?: IncomingMessage;
  readonly res?: ServerResponse;
  /** The request id and logger the HTTP handler already chose for this request. */
  readonly requestScope?: RequestScope;
}

/** The process-wide things every request context refers to. */
export interface ContextDependencies {
  readonly config: Config;
  readonly database: Database;
  /** READ_DATABASE_URL's replica, used for query operations' directory reads; absent without one. */
  readonly readDatabase?: Database | undefined;
  readonly logger: Logger;
  readonly authz: AuthzRuntime;
  readonly live: LiveServices;
  /** The request's caller, usually authenticated already (before validation) by useEarlyAuthentication. */
  readonly callers: RequestCallers;
  readonly databaseStatus: DatabaseStatusSource;
  readonly signInThrottle: SignInThrottle;
  readonly clock: Clock;
}

/**
 * Builds the GraphQL context of one request: the one place request-scoped state is created.
 * The caller comes from `callers` (authenticated once per request, usually before validation):
 * a present but invalid credential rejects the whole request
 * with HTTP 401 (UNAUTHENTICATED); no credential makes an anonymous request, which
 * `guard.require` refuses with the same code.
 */
export async function createContext(
  dependencies: ContextDependencies,
  initial: YogaInitialContext & ServerContext,
): Promise<GraphQLContext> {
  const scope = initial.requestScope ?? scopeFor(dependencies.logger, initial.request);
  const caller = await dependencies.callers.of(initial.request);
  const facts = requestFacts(initial.req, dependencies.config.trustedProxies);
  const authz = dependencies.authz.forRequest(caller, facts);
  // Authentication and the guard (above, via `authz`) stay on the primary whatever the operation.
  const directory = directoryDatabaseFor(dependencies, initial);
  return {
    requestId: scope.requestId,
    // Bound to the request id on first call (see newRequestScope and GraphQLContext.logger).
    logger: () => scope.logger,
    database: directory,
    config: dependencies.config,
    loaders: createLoaders(directory),
    guard: authz.guard,
    authz,
    live: dependencies.live,
    databaseStatus: dependencies.databaseStatus,
    signInThrottle: dependencies.signInThrottle,
    clock: dependencies.clock,
    // Only HTTP requests (with a node response) can carry a cookie back.
    // Secure also behind a TLS-terminating proxy that TRUST_PROXY trusts (X-Forwarded-Proto: https).
    consoleSession: consoleSessionHook(initial.res === undefined ? undefined : initial.request, reachedOverTls(initial.req, dependencies.config.trustedProxies), () => dependencies.clock.now()),
  };
}

/** Where useParsedDocument leaves the document of the operation, on its initial context. */
const PARSED_DOCUMENT = Symbol('parsed document');

/** An initial context that may carry the parsed document. */
type ParsedContext = { [PARSED_DOCUMENT]?: DocumentNode };

/**
 * Keeps the document envelop parsed (for HTTP and WebSocket operations alike, before their context
 * is built) on the operation's initial context, so directoryDatabaseFor tells a query from a
 * mutation without parsing the text a second time.
 */
export function useParsedDocument(): Plugin {
  return {
    onParse:
      () =>
      ({ result, context }) => {
        if (result !== null && !(result instanceof Error)) (context as ParsedContext)[PARSED_DOCUMENT] = result;
      },
  };
}

/**
 * The database a request's directory reads use: the read replica for query operations when one is
 * configured, else the primary. Mutations and subscriptions always get the primary, and so does
 * anything that did not parse to exactly one query operation (Yoga rejects those anyway).
 */
function directoryDatabaseFor(dependencies: ContextDependencies, initial: YogaInitialContext & ParsedContext): Database {
  const replica = dependencies.readDatabase;
  const document = initial[PARSED_DOCUMENT];
  if (replica === undefined || document === undefined) return dependencies.database;
  const operation = getOperationAST(document, initial.params?.operationName ?? undefined);
  return operation?.operation === 'query' ? replica : dependencies.database;
}

/** aws:SourceIp (see client-address.ts) and aws:SecureTransport from the socket (in-process requests have neither). */
export function requestFacts(req: IncomingMessage | undefined, trustedProxies: readonly IpBlock[]): RequestFacts {
  const sourceIp = clientAddress(req, trustedProxies);
  const secureTransport = (req?.socket as { encrypted?: boolean } | undefined)?.encrypted === true;
  return sourceIp === undefined ? { secureTransport } : { sourceIp, secureTransport };
}

/** A scope for requests that did not come through the HTTP handler (in-process tests). */
function scopeFor(logger: Logger, request: Request): RequestScope {
  return newRequestScope(logger, requestIdFrom(request.headers.get('x-request-id') ?? undefined));
}
