import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { createYoga } from 'graphql-yoga';
import type { YogaServerInstance } from 'graphql-yoga';
import { AuthzRuntime } from '../authz/runtime.ts';
import { createChangeServices, type ChangeServices } from './change-services.ts';
import type { Database } from '../db/client.ts';
import type { GraphQLContext } from '../graphql/context.ts';
import { schema } from '../graphql/schema.ts';
import type { Config } from '../config.ts';
import { systemClock, type Clock } from '../clock.ts';
import { createContext, useParsedDocument } from './context.ts';
import type { ServerContext } from './context.ts';
import { Readiness, sendJson, serveHealth, serveReadiness } from './health.ts';
import { serveMetrics } from './metrics.ts';
import { createLogger } from '../logger.ts';
import type { Logger } from '../logger.ts';
import { createErrorMasker, UNEXPECTED_ERROR_MESSAGE, useDomainErrors } from './masked-errors.ts';
import { createDashboardHandler } from './static.ts';
import { REQUEST_ID_HEADER, requestIdFrom } from './request-id.ts';
import { newRequestScope, runInRequestScope } from './request-scope.ts';
import type { RequestScope } from './request-scope.ts';
import { yogaLogger } from './yoga-logger.ts';
import { abuseLimitPlugins } from './limits/plugins.ts';
import { useCompiledExecution } from './compiled-execution.ts';
import { useTextInputRefusal } from './text-inputs.ts';
import { usePasswordResetGate } from './password-reset-gate.ts';
import { useRateLimit, type Limiter } from './rate-limit.ts';
import type { SignInThrottle } from '../iam/throttle.ts';
import { createThrottles } from './throttles.ts';
import { DatabaseMonitor, maskOutages, recoverAuthz, useOutageGate } from './outage.ts';
import { OperationMetrics, serviceFamilies, useOperationMetrics } from './operation-metrics.ts';
import { createLiveServices, type LiveServices } from '../live/live-services.ts';
import { RequestCallers, useEarlyAuthentication } from './request-caller.ts';
import { authzenRoutes } from './authzen-routes.ts';
import { adoptConsoleCookie, CONSOLE_REQUEST_HEADER, useConsoleSessionCookies } from './console-session.ts';
import { importRoute } from './import-route.ts';
import { federationRoutes } from './federation-routes.ts';

/** The path GraphQL is served on, over HTTP and (later) WebSocket. */
export const GRAPHQL_PATH = '/graphql';

/** The Yoga server typed with our server and GraphQL contexts. */
export type Yoga = YogaServerInstance<ServerContext, GraphQLContext>;

/** The request-handling half of the server, independent of sockets and start-up. */
export interface App {
  readonly yoga: Yoga;
  /** node:http request listener: request id, access log, routing to health checks and GraphQL. */
  readonly handler: (req: IncomingMessage, res: ServerResponse) => void;
  /** node:http request listener of the metrics port (METRICS_PORT): GET /metrics, nothing else. */
  readonly metricsHandler: (req: IncomingMessage, res: ServerResponse) => void;
  readonly logger: Logger;
  readonly readiness: Readiness;
  readonly config: Config;
  readonly database: Database;
  /** The change bus, the change-log listener feeding it and (REDIS_URL) the Redis wake-up bridge. */
  readonly changes: ChangeServices;
  /** Authentication, caches and decisions, kept fresh from `changes.bus`. */
  readonly authz: AuthzRuntime;
  /** The live hub (every subscription's listener) and the rounds that re-decide watched decisions. */
  readonly live: LiveServices;
  /** Database outage detection: `outage.status`, and `outage.onChange(fn)` to announce outages live. */
  readonly outage: DatabaseMonitor;
  /** Per-credential token buckets shared by HTTP and graphql-ws, and by every instance (see shared-rate-limit.ts). */
  readonly rateLimiter: Limiter;
  /** Each request's caller, authenticated once before validation (HTTP and graphql-ws). */
  readonly callers: RequestCallers;
  /** Failed sign-in counters, kept in the shared database. */
  readonly signInThrottle: SignInThrottle;
  /**
   * Connects what must be up before the server takes requests: the Redis wake-up bridge (REDIS_URL),
   * resolving once it is subscribed. Everything else starts in createApp.
   */
  start(): Promise<void>;
  /** Stops what the app started (listeners, timers); call after HTTP has stopped, before the database closes. */
  close(): Promise<void>;
}

/** Options for `createApp`; the defaults suit production. */
export interface AppOptions {
  readonly logger?: Logger;
  readonly readiness?: Readiness;
  /** READ_DATABASE_URL's replica: query operations' directory reads go there (see createContext). */
  readonly readDatabase?: Database | undefined;
  /**
   * The time the rate limit's buckets refill by and sessions are issued, expire and are revoked
   * by; the system's by default. Tests pass one they advance instead of sleeping.
   */
  readonly clock?: Clock;
}

/** Wires Yoga, the GraphQL context and the HTTP routes around an open, migrated database. */
export function createApp(config: Config, database: Database, options: AppOptions = {}): App {
  const logger = options.logger ?? createLogger(config.logLevel);
  const readiness = options.readiness ?? new Readiness();
  const clock = options.clock ?? systemClock;
  const changes = createChangeServices(config, database, logger);
  const authz = new AuthzRuntime(database, logger, changes, { auditRetentionDays: config.auditRetentionDays, clock });
  const live = createLiveServices(authz);
  // Every request awaits the listener's start (RequestCallers); a failure is logged here and the next request tries again.
  authz.start().catch((error: unknown) => logger.error({ err: error }, 'change-log listener failed to start'));
  const throttles = createThrottles(config, database, logger, clock);
  const { rateLimiter, signInThrottle } = throttles;
  const outage = new DatabaseMonitor(database, {
    intervalMs: config.dbHealthIntervalMs,
    timeoutMs: Math.min(config.dbConnectTimeoutMs, Math.max(1_000, config.dbHealthIntervalMs)),
    logger,
    onRecover: async () => {
      await database.resetPool?.();
      await recoverAuthz(authz);
    },
  });
  outage.start();
  const retryAfterSeconds = Math.max(1, Math.ceil(config.dbHealthIntervalMs / 1000));
  const operations = new OperationMetrics();
  const callers = new RequestCallers(authz);

  const yoga: Yoga = createYoga<ServerContext, GraphQLContext>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    context: (initial) =>
      createContext({ config, database, readDatabase: options.readDatabase, logger, authz, live, callers, databaseStatus: outage, signInThrottle, clock }, initial),
    maskedErrors: { maskError: maskOutages(outage, retryAfterSeconds, createErrorMasker(logger)), errorMessage: UNEXPECTED_ERROR_MESSAGE },
    logging: yogaLogger(logger),
    graphiql: config.graphiql,
    // GraphiQL's page with its code inlined from the installed package: Yoga's default loads it
    // from a CDN, which never answers on a closed network. That package is a 9 MB script, about
    // 33 MB of heap once loaded (more than the whole GraphQL schema), so it is imported on the
    // first GraphiQL page asked for: a server whose GraphiQL is off or never opened never holds it.
    renderGraphiQL: async (options) => (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(options),
    cors: corsFor(config.corsOrigins),
    // Order matters: domain errors are mapped first, so metrics and every gate's early result see
    // coded errors; metrics next, to see every operation; the outage gate and rate limit before
    // any parsing; then the caller is authenticated, because validation (introspection,
    // suggestions) depends on who asks; then the abuse limits and the input gates.
    plugins: [
      useDomainErrors(),
      useOperationMetrics(operations, logger),
      useOutageGate(outage, retryAfterSeconds),
      useRateLimit(rateLimiter, config.trustedProxies),
      useEarlyAuthentication(callers),
      ...abuseLimitPlugins(config, callers),
      useTextInputRefusal(),
      usePasswordResetGate(),
      // createContext picks the read replica from the operation parsed here, not a second parse.
      useParsedDocument(),
      useCompiledExecution(),
      useConsoleSessionCookies(),
    ],
    // useBodySizeLimit (in abuseLimitPlugins) enforces MAX_BODY_BYTES with a message naming it;
    // Yoga's own check would wrap the stream closer to the socket and answer first, without one.
    maxRequestBodySize: false,
    // Unknown paths get a plain 404 from our router, not Yoga's landing page.
    landingPage: false,
  });

  // Exact-path routes served beside GraphQL. The dashboard's static files join here.
  const routes = new Map<string, Route>([
    ['/healthz', (_req, res) => serveHealth(res)],
    ['/readyz', (_req, res) => serveReadiness(res, database, readiness, config.dbConnectTimeoutMs, outage.status)],
    [
      GRAPHQL_PATH,
      (req, res, requestScope) => {
        // The console's cookie becomes the request's credential here, before any plugin looks (console-session.ts).
        adoptConsoleCookie(req);
        return yoga.handle(req, res, { requestScope });
      },
    ],
    // AuthZEN: the same credentials, caches, rate limit and metrics, without GraphQL.
    ...authzenRoutes({ config, authz, rateLimiter, outage, operations }),
    // Authorization-details documents over the GraphQL body limit (up to 50 MB).
    importRoute({ config, authz, rateLimiter, outage, database }),
    // Console sign-in through an identity provider: the browser's redirects.
    ...federationRoutes({ config, database, rateLimiter, clock }),
  ]);

  // /metrics has its own listener, on loopback unless METRICS_HOST says otherwise: the
  // API port is public, and cache sizes, revisions and refusal counts are nobody's business there.
  const metricsHandler = (req: IncomingMessage, res: ServerResponse): void => {
    if (pathOf(req.url) !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      sendJson(res, 404, { error: 'not found; this port serves GET /metrics' });
      return;
    }
    serveMetrics(res, authz, async () => [
      ...operations.families(),
      ...(await serviceFamilies({ database, outage, limiter: rateLimiter, liveListeners: () => live.hub.size })),
    ]).catch((error: unknown) => {
      logger.error({ err: error }, 'serving /metrics failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal server error' });
      else res.destroy();
    });
  };

  // Every other path is the dashboard's (static files, SPA fallback) or a JSON 404.
  const dashboard = createDashboardHandler();

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
    const started = performance.now();
    const scope = newRequestScope(logger, requestId);
    res.setHeader(REQUEST_ID_HEADER, requestId);
    // Only the path is logged: a GET query string can carry variables, and they can hold secrets.
    const pathname = pathOf(req.url);
    // No listener at all when request lines are not logged: every route pays for this one.
    if (logger.isLevelEnabled('info')) {
      res.on('finish', () => {
        scope.logger.info(
          { method: req.method, path: pathname, status: res.statusCode, durationMs: Math.round(performance.now() - started) },
          'request',
        );
      });
    }
    runInRequestScope(scope, () => {
      const route = routes.get(pathname);
      const served = route === undefined ? dashboard(req, res, pathname) : route(req, res, scope);
      Promise.resolve(served).catch((error: unknown) => {
        scope.logger.error({ err: error }, 'request handler failed');
        if (!res.headersSent) sendJson(res, 500, { error: 'internal server error', requestId });
        else res.destroy();
      });
    });
  };

  const start = async (): Promise<void> => {
    await changes.redisBridge?.start();
  };

  const close = async (): Promise<void> => {
    throttles.close();
    await outage.stop();
    await authz.stop();
    await changes.stop();
  };

  return { yoga, handler, metricsHandler, logger, readiness, config, database, changes, authz, live, outage, rateLimiter, callers, signInThrottle, start, close };
}

/**
 * Yoga's `cors` option: CORS headers only for a request from one of CORS_ORIGINS (Yoga's default
 * reflects any origin). The console is served from the API's own origin and needs none.
 */
function corsFor(origins: readonly string[]): false | ((request: Request) => false | { origin: string[]; methods: string[]; allowedHeaders: string[]; exposedHeaders: string[]; credentials: false; maxAge: number }) {
  if (origins.length === 0) return false;
  const allowed = new Set(origins);
  return (request) => {
    const origin = request.headers.get('origin');
    if (origin === null || !allowed.has(origin)) return false;
    return {
      origin: [origin],
      methods: ['GET', 'POST'],
      allowedHeaders: ['authorization', 'content-type', 'accept', REQUEST_ID_HEADER, CONSOLE_REQUEST_HEADER],
      exposedHeaders: [REQUEST_ID_HEADER, 'retry-after'],
      // Cross-origin credentials travel in the Authorization header, never in cookies: the console's
      // session cookie is for its own origin only (console-session.ts).
      credentials: false,
      maxAge: 600,
    };
  };
}

/** Serves one HTTP path. */
type Route = (req: IncomingMessage, res: ServerResponse, scope: RequestScope) => unknown;

/** The path part of a request target, without the query string. */
function pathOf(url: string | undefined): string {
  const target = url ?? '/';
  const query = target.indexOf('?');
  return query < 0 ? target : target.slice(0, query);
}
