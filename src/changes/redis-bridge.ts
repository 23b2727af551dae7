/**
 * Optional Redis pub/sub beside PostgreSQL's LISTEN/NOTIFY (REDIS_URL). Redis carries wake-ups,
 * never data: an instance that applies a revision announces it, and an instance that hears of a
 * revision it has not applied reads the change log at once (`listener.catchUp`), exactly as on a
 * NOTIFY. The change log stays the only source of truth, so a lost, duplicated or reordered
 * message costs at most a redundant read; it helps where NOTIFY is unavailable or lagging (a
 * transaction-pooling proxy in front of PostgreSQL, a LISTEN connection being re-established).
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';
import type { ChangeBus } from './bus.ts';
import type { ChangeLogListener } from './listener.ts';
import { isRevision } from './revision.ts';

/** The Redis channel revisions are announced on. */
export const REDIS_REVISIONS_CHANNEL = 'portcullis:revisions';

/** One announcement: which instance applied which revision. */
interface Announcement {
  readonly instance: string;
  readonly revision: string;
}

/** The bridge's two connections (a subscribed connection can do nothing else); it closes them on `stop`. */
export interface RedisBridgeConnections {
  /** Should not queue while disconnected: announcements would pile up while Redis is down, and a late wake-up is worth little. */
  readonly publisher: Redis;
  readonly subscriber: Redis;
}

/** Options for `RedisRevisionBridge`. */
export interface RedisBridgeOptions {
  readonly channel?: string;
}

/** Announces applied revisions on Redis and treats others' announcements as NOTIFY wake-ups. */
export class RedisRevisionBridge {
  /** Identifies this instance's own messages, which it ignores. */
  readonly instance = randomUUID();
  /** Wake-ups received that found this instance behind (for /metrics and tests). */
  wakeUps = 0;
  private readonly channel: string;
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private started = false;
  private detach: (() => void) | undefined;
  /** The highest revision announced by anyone; an instance only announces beyond it. */
  private announced = 0n;

  /**
   * @param bus the revisions this instance applies, to announce.
   * @param listener caught up when someone else announces a revision the bus has not reached.
   */
  constructor(
    private readonly bus: ChangeBus,
    private readonly listener: ChangeLogListener,
    connections: RedisBridgeConnections,
    private readonly logger: Logger,
    options: RedisBridgeOptions = {},
  ) {
    this.channel = options.channel ?? REDIS_REVISIONS_CHANNEL;
    this.publisher = connections.publisher;
    this.subscriber = connections.subscriber;
  }

  /** Connects, subscribes and starts announcing; resolves once subscribed. */
  async start(): Promise<void> {
    this.started = true;
    this.subscriber.on('message', (_channel: string, message: string) => this.onMessage(message));
    await Promise.all([this.publisher.connect(), this.subscriber.connect()]);
    await this.subscriber.subscribe(this.channel);
    this.detach = this.bus.subscribe((events) => {
      const last = events.at(-1);
      if (last !== undefined) this.announce(BigInt(last.revision));
    });
  }

  /** Stops announcing and closes both connections. */
  async stop(): Promise<void> {
    this.detach?.();
    this.detach = undefined;
    if (!this.started) {
      // Never connected: nothing to say goodbye to.
      this.subscriber.disconnect();
      this.publisher.disconnect();
      return;
    }
    await Promise.allSettled([this.subscriber.quit(), this.publisher.quit()]);
  }

  private announce(revision: bigint): void {
    if (revision <= this.announced) return;
    this.announced = revision;
    const message: Announcement = { instance: this.instance, revision: revision.toString() };
    this.publisher.publish(this.channel, JSON.stringify(message)).catch((error: unknown) => {
      this.logger.debug({ err: error }, 'redis bridge could not announce a revision');
    });
  }

  private onMessage(message: string): void {
    let parsed: Announcement;
    try {
      parsed = JSON.parse(message) as Announcement;
    } catch {
      return;
    }
    if (parsed.instance === this.instance || typeof parsed.revision !== 'string' || !isRevision(parsed.revision)) return;
    const revision = BigInt(parsed.revision);
    if (revision > this.announced) this.announced = revision;
    if (revision <= this.bus.currentRevision) return;
    this.wakeUps++;
    this.listener.catchUp().catch((error: unknown) => this.logger.warn({ err: error }, 'catching up after a redis wake-up failed'));
  }
}
