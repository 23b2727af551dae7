/**
 * How this instance hears of committed changes, built once by createApp and handed down: the
 * in-process bus, and the change-log listener that feeds it (LISTEN/NOTIFY, catch-up reads, the
 * safety-net poll). The authorizer's caches and the live hub subscribe to the bus; nothing below
 * the server builds one.
 */
import { ChangeBus } from '../changes/bus.ts';
import { ChangeLogListener } from '../changes/listener.ts';
import type { Database } from '../db/client.ts';
import type { Logger } from '../logger.ts';

/** The bus and its listener; `stop` them after everything that subscribes has stopped. */
export interface ChangeServices {
  readonly bus: ChangeBus;
  readonly listener: ChangeLogListener;
  /** Stops listening and releases every revision waiter and handler. */
  stop(): Promise<void>;
}

/** Builds the bus and its listener (not started: the authorizer's `start` starts the listener). */
export function createChangeServices(database: Database, logger: Logger): ChangeServices {
  const bus = new ChangeBus((error) => logger.error({ err: error }, 'change handler failed'));
  const listener = new ChangeLogListener(database, bus, {
    onError: (error) => logger.warn({ err: error }, 'reading the change log failed; will retry'),
  });
  return {
    bus,
    listener,
    async stop() {
      await listener.stop();
      bus.close();
    },
  };
}
