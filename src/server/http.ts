import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Database } from '../db/client.ts';
import { createApp } from './app.ts';
import type { App } from './app.ts';
import type { ServerAttachment } from './attachments.ts';
import { websocketAttachment } from './websocket.ts';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import { connectDatabase, connectReadDatabase } from './connect.ts';
import { Readiness, sendJson, serveHealth } from './health.ts';
import { closeServer, listen, localUrl } from './listen.ts';
import { createLogger } from '../logger.ts';
import type { Logger } from '../logger.ts';
import { runStartupSteps, startupSteps } from './startup.ts';
import { StartupError } from './startup-error.ts';
import type { StartupStep } from './startup.ts';

/** A started server. */
export interface RunningServer {
  /** Base URL, e.g. http://localhost:4000 (GraphQL is at `${url}/graphql`). */
  readonly url: string;
  /** The bound port (useful with PORT=0). */
  readonly port: number;
  /** Base URL of the metrics listener (GET `${metricsUrl}/metrics`), e.g. http://127.0.0.1:9464. */
  readonly metricsUrl: string;
  readonly server: Server;
  readonly app: App;
  /** Graceful stop: refuse new connections, finish in-flight requests, close the database. Idempotent. */
  close(): Promise<void>;
}

/** Overrides for tests and tools; production uses the defaults. */
export interface StartOptions {
  readonly logger?: Logger;
  /** Where once-only operator messages (generated credentials) go; standard error by default. */
  readonly announce?: (text: string) => void;
  readonly steps?: readonly StartupStep[];
  readonly attachments?: readonly ServerAttachment[];
  /** The app's clock (see AppOptions.clock); the system's by default. */
  readonly clock?: Clock;
}

/**
 * Starts Portcullis: binds the port first (so a busy port fails before the database is touched,
 * and two processes never open one PGlite directory), then opens the database, runs the start-up
 * steps (migrate, bootstrap, seed) and serves. Throws StartupError with a one-line message.
 */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const announce = options.announce ?? ((text: string) => void process.stderr.write(`${text}\n`));
  const readiness = new Readiness();

  let handle: (req: IncomingMessage, res: ServerResponse) => void = serveWhileStarting;
  const server = createServer((req, res) => handle(req, res));
  const port = await listen(server, config.port, config.host);
  let handleMetrics: (req: IncomingMessage, res: ServerResponse) => void = serveWhileStarting;
  const metricsServer = createServer((req, res) => handleMetrics(req, res));
  let metricsPort: number;
  try {
    metricsPort = await listen(metricsServer, config.metricsPort, config.metricsHost);
  } catch (error) {
    await closeServer(server, 0);
    throw error instanceof StartupError ? new StartupError(`metrics listener (METRICS_PORT, METRICS_HOST): ${error.message}`, { cause: error }) : error;
  }

  let database: Database | undefined;
  let readDatabase: Database | undefined;
  let app: App | undefined;
  const detachers: Array<() => Promise<void>> = [];
  try {
    database = await connectDatabase(config, logger);
    await runStartupSteps({ config, database, logger, readiness, announce }, options.steps ?? startupSteps);
    readDatabase = await connectReadDatabase(config, logger);
    app = createApp(config, database, { logger, readiness, readDatabase, clock: options.clock });
    await app.start();
    for (const attachment of options.attachments ?? serverAttachments) {
      detachers.push(await attachment.attach(server, app));
    }
    handle = app.handler;
    handleMetrics = app.metricsHandler;
    const url = localUrl(config.host, port);
    const metricsUrl = localUrl(config.metricsHost, metricsPort);
    logger.info({ url: `${url}/graphql`, dashboard: `${url}/`, metrics: `${metricsUrl}/metrics`, database: database.kind }, 'portcullis is serving');
    const parts: ShutdownParts = { server, metricsServer, app, database, readDatabase, readiness, detachers };
    let closing: Promise<void> | undefined;
    const close = (): Promise<void> => {
      closing ??= shutdown(parts, config.shutdownTimeoutMs, logger);
      return closing;
    };
    return { url, port, metricsUrl, server, app, close };
  } catch (error) {
    logger.error({ err: error }, 'start-up failed');
    await shutdown({ server, metricsServer, app, database, readDatabase, readiness, detachers }, 0, logger);
    throw error;
  }
}

/** What startServer attaches to the HTTP server, in order; they are detached in reverse order. */
const serverAttachments: readonly ServerAttachment[] = [websocketAttachment];

/** Answers while the database opens: liveness yes, everything else 503 so clients retry. */
function serveWhileStarting(req: IncomingMessage, res: ServerResponse): void {
  if (req.url === '/healthz') {
    serveHealth(res);
    return;
  }
  res.setHeader('retry-after', '1');
  sendJson(res, 503, { status: 'starting' });
}

/** What shutdown tears down; `app` and `database` are absent when start-up failed early. */
interface ShutdownParts {
  readonly server: Server;
  readonly metricsServer: Server;
  readonly app: App | undefined;
  readonly database: Database | undefined;
  /** READ_DATABASE_URL's replica, when configured and opened. */
  readonly readDatabase?: Database | undefined;
  readonly readiness: Readiness;
  readonly detachers: ReadonlyArray<() => Promise<void>>;
}

/**
 * Ordered teardown: mark draining, detach attachments (WebSockets), stop HTTP (bounded by
 * `timeoutMs`), stop the app's background work, close the database.
 */
async function shutdown(parts: ShutdownParts, timeoutMs: number, logger: Logger): Promise<void> {
  const { server, metricsServer, app, database, readDatabase, readiness, detachers } = parts;
  readiness.draining = true;
  for (const detach of [...detachers].reverse()) {
    await detach().catch((error: unknown) => logger.error({ err: error }, 'detaching from the server failed'));
  }
  const [{ forced }] = await Promise.all([closeServer(server, timeoutMs), closeServer(metricsServer, timeoutMs)]);
  if (forced) logger.warn({ timeoutMs }, 'shutdown timeout reached; open connections were cut');
  await app?.close().catch((error: unknown) => logger.error({ err: error }, 'stopping the app failed'));
  await readDatabase?.close().catch((error: unknown) => logger.error({ err: error }, 'closing the read replica failed'));
  await database?.close();
  logger.info('portcullis stopped');
}
