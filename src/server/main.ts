import { ConfigError, loadConfig } from '../config.ts';
import { startServer } from './http.ts';
import { StartupError } from './startup-error.ts';
import { guardDriverCrashes } from './outage.ts';

// Entry point of `npm start`. Operator mistakes (bad configuration, busy port, unreachable
// database) print one line on standard error and exit 1; SIGTERM/SIGINT stop gracefully, exit 0.

/** Prints one line for the operator and exits with status 1. */
function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) fail(error.message);
  throw error;
}

let running;
try {
  running = await startServer(config);
} catch (error) {
  if (error instanceof StartupError) fail(error.message);
  fail(`start-up failed: ${error instanceof Error ? error.message : String(error)}`);
}

const server = running;
guardDriverCrashes(server.app.logger, server.app.outage);
let stopping = false;
const stop = (signal: NodeJS.Signals): void => {
  // A second signal means "now": skip the graceful path.
  if (stopping) process.exit(1);
  stopping = true;
  server.app.logger.info({ signal }, 'shutting down');
  server.close().then(
    () => process.exit(0),
    (error: unknown) => {
      server.app.logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    },
  );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
