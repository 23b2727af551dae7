/**
 * How this instance hears of committed changes, built once by createApp and handed down: the
 * in-process bus, the change-log listener that feeds it (LISTEN/NOTIFY, catch-up reads, the
 * safety-net poll) and, with REDIS_URL, the Redis bridge that announces the revisions this
 * instance applies and wakes the listener when another instance announces one. The authorizer's
 * caches and the live hub subscribe to the bus; nothing below the server builds one.
 */
import { ChangeBus } from '../changes/bus.ts';
import { ChangeLogListener } from '../changes/listener.ts';
import { RedisRevisionBridge } from '../changes/redis-bridge.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import type { Logger } from '../logger.ts';
import { redisClient } from './redis.ts';

/** The bus, its listener and the optional Redis bridge; `stop` them after everything that subscribes. */
export interface ChangeServices {
  readonly bus: ChangeBus;
  /** Not started here: the authorizer's `start` starts it, and every request awaits that. */
  readonly listener: ChangeLogListener;
  /** Present when REDIS_URL is set; started by `App.start`. */
  readonly redisBridge: RedisRevisionBridge | undefined;
  /** Stops the bridge and the listener, and releases every revision waiter and handler. */
  stop(): Promise<void>;
}

/** Builds the bus, its listener and (REDIS_URL) the Redis bridge, none of them started. */
export function createChangeServices(config: Config, database: Database, logger: Logger): ChangeServices {
  const bus = new ChangeBus((error) => logger.error({ err: error }, 'change handler failed'));
  const listener = new ChangeLogListener(database, bus, {
    onError: (error) => logger.warn({ err: error }, 'reading the change log failed; will retry'),
  });
  const redisBridge = config.redisUrl === undefined ? undefined : createRedisBridge(config.redisUrl, bus, listener, logger.child({ component: 'redis-bridge' }));
  return {
    bus,
    listener,
    redisBridge,
    async stop() {
      await redisBridge?.stop();
      await listener.stop();
      bus.close();
    },
  };
}

function createRedisBridge(url: string, bus: ChangeBus, listener: ChangeLogListener, logger: Logger): RedisRevisionBridge {
  const onError = (error: unknown): void => logger.warn({ err: error }, 'redis bridge connection error; retrying');
  return new RedisRevisionBridge(bus, listener, {
    publisher: redisClient(url, onError),
    subscriber: redisClient(url, onError, { queueWhileDisconnected: true }),
  }, logger);
}
