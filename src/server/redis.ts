/**
 * The one way this server opens a Redis connection (REDIS_URL: the shared rate-limit buckets and
 * the revision wake-up bridge). Redis is an accelerator, never a dependency a request waits on:
 * a client connects when asked, fails a command at once instead of retrying it, and reports
 * connection errors to `onError` while ioredis reconnects by itself.
 */
import { Redis } from 'ioredis';

/** Options for `redisClient`. */
export interface RedisClientOptions {
  /**
   * Hold commands issued while disconnected until the connection is back (default false: fail
   * them at once). Only a pub/sub subscriber wants this.
   */
  readonly queueWhileDisconnected?: boolean;
}

/** A lazily connecting ioredis client for `url`; call `connect()` to open it. */
export function redisClient(url: string, onError: (error: unknown) => void, options: RedisClientOptions = {}): Redis {
  const client = new Redis(url, { lazyConnect: true, enableOfflineQueue: options.queueWhileDisconnected ?? false, maxRetriesPerRequest: 0 });
  client.on('error', onError);
  return client;
}
