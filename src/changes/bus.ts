/**
 * The in-process pub/sub for committed changes. The change-log listener publishes every row in
 * revision order; cache invalidation and GraphQL subscriptions subscribe. It also tracks the last
 * revision applied, so readers can wait until this instance reflects a given write.
 */
import type { ChangeEvent } from './change.ts';

/** Receives a batch of changes, in revision order. Must not throw; errors are reported and ignored. */
export type ChangeHandler = (events: readonly ChangeEvent[]) => void;

/** A pending `waitForRevision`. */
interface Waiter {
  readonly revision: bigint;
  readonly resolve: (reached: boolean) => void;
  readonly timer: NodeJS.Timeout;
}

/** Typed, synchronous fan-out of change-log rows with revision tracking. */
export class ChangeBus {
  private readonly handlers = new Set<ChangeHandler>();
  private waiters: Waiter[] = [];
  private applied = 0n;
  private appliedText = '0';

  /** @param onHandlerError reports a handler that threw (the bus keeps going). */
  constructor(private readonly onHandlerError: (error: unknown) => void = () => {}) {}

  /** The highest revision published so far (0 before the first catch-up). */
  get currentRevision(): bigint {
    return this.applied;
  }

  /** `currentRevision` as decimal digits (kept, so hot paths do not convert a bigint each time). */
  get currentRevisionText(): string {
    return this.appliedText;
  }

  /** Registers a handler for every later batch; returns the function that removes it. */
  subscribe(handler: ChangeHandler): () => void {
    this.handlers.add(handler);
    return () => {
      this.handlers.delete(handler);
    };
  }

  /**
   * Delivers a batch (ascending revisions, all above `currentRevision`) to every handler, then
   * advances `currentRevision` to `upTo` (the batch's last revision, or further when the log
   * was read past rows this batch does not contain) and wakes the waiters it satisfies.
   * Invariant: handlers have run before anyone sees the new revision.
   */
  publish(events: readonly ChangeEvent[], upTo: bigint): void {
    if (events.length > 0) {
      for (const handler of this.handlers) {
        try {
          handler(events);
        } catch (error) {
          this.onHandlerError(error);
        }
      }
    }
    if (upTo > this.applied) {
      this.applied = upTo;
      this.appliedText = upTo.toString();
    }
    if (this.waiters.length === 0) return;
    const still: Waiter[] = [];
    for (const waiter of this.waiters) {
      if (waiter.revision <= this.applied) {
        clearTimeout(waiter.timer);
        waiter.resolve(true);
      } else {
        still.push(waiter);
      }
    }
    this.waiters = still;
  }

  /** Resolves true once `currentRevision >= revision`, or false after `timeoutMs`. */
  waitForRevision(revision: bigint, timeoutMs: number): Promise<boolean> {
    if (revision <= this.applied) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.timer !== timer);
        resolve(this.applied >= revision);
      }, timeoutMs);
      timer.unref();
      this.waiters.push({ revision, resolve, timer });
    });
  }

  /** Releases every waiter (with false) and handler; used at shutdown. */
  close(): void {
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.resolve(false);
    }
    this.waiters = [];
    this.handlers.clear();
  }
}
