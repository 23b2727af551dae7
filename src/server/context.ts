import type { IncomingMessage, ServerResponse } from 'node:http';
import type { YogaInitialContext } from 'graphql-yoga';
import type { Database } from '../db/client.ts';
import type { GraphQLContext } from '../graphql/context.ts';
import { createLoaders } from '../graphql/loaders.ts';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import { requestIdFrom } from './request-id.ts';
import type { RequestScope } from './request-scope.ts';

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
  readonly logger: Logger;
}

/**
 * Builds the GraphQL context of one request: the one place request-scoped state is created.
 * Authentication of the caller belongs here too (it may reject the request with a 401).
 */
export async function createContext(
  dependencies: ContextDependencies,
  initial: YogaInitialContext & ServerContext,
): Promise<GraphQLContext> {
  const scope = initial.requestScope ?? scopeFor(dependencies.logger, initial.request);
  return {
    requestId: scope.requestId,
    logger: scope.logger,
    database: dependencies.database,
    config: dependencies.config,
    loaders: createLoaders(dependencies.database),
  };
}

/** A scope for requests that did not come through the HTTP handler (in-process tests). */
function scopeFor(logger: Logger, request: Request): RequestScope {
  const requestId = requestIdFrom(request.headers.get('x-request-id') ?? undefined);
  return { requestId, logger: logger.child({ requestId }) };
}
