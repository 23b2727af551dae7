/**
 * The iterator a live subscription hands to GraphQL: its source, passed through only while the
 * subscriber may still see it. Each value waits while the subscription's permit is being decided
 * again (live-permits.ts) and is dropped, with the stream ending on the refusal, when it is no
 * longer allowed; a refusal or a revoked credential also ends a stream that is waiting for its next
 * value, at once. A thin wrapper rather than a Repeater: when allowed, a value costs one race of
 * two promises and no buffer.
 */
import type { LivePermit } from './live-permits.ts';

const DONE: IteratorReturnResult<undefined> = Object.freeze({ value: undefined, done: true });

/** What the stream does when it finishes (however it finishes). */
export interface PermittedStreamOptions<T = unknown> {
  /** Turns a refusal or failure into what the client should see (e.g. a coded GraphQL error). */
  readonly toWireError: (error: unknown) => unknown;
  /** Runs once when the stream ends: stop watching credentials and the like. */
  readonly onClose?: () => void;
  /**
   * Decided after the permit allows a value: false drops it (a part of the stream whose permission
   * was refused meanwhile, see PermitOptions.partial). Default: every value goes out.
   */
  readonly admits?: (value: T) => boolean;
}

/** `source`, ended with an error by `fail` or by its permit's refusal. */
export class PermittedStream<T> implements AsyncIterableIterator<T> {
  private permit: LivePermit | undefined;
  private readonly failed: Promise<never>;
  private rejectFailed!: (error: unknown) => void;
  private failure: { readonly error: unknown } | undefined;
  private finished = false;

  constructor(
    private readonly source: AsyncIterator<T>,
    private readonly options: PermittedStreamOptions<T>,
  ) {
    this.failed = new Promise<never>((_, reject) => (this.rejectFailed = reject));
    this.failed.catch(() => {});
  }

  /** Attaches the permit whose refusal ends the stream (its `onDenied` should call `fail`). */
  guardedBy(permit: LivePermit): this {
    this.permit = permit;
    return this;
  }

  /** Ends the stream with `error` (thrown by the pending or next `next`); the first failure wins. */
  fail(error: unknown): void {
    if (this.finished || this.failure !== undefined) return;
    this.failure = { error: this.options.toWireError(error) };
    this.rejectFailed(this.failure.error);
  }

  async next(): Promise<IteratorResult<T>> {
    if (this.finished) return DONE;
    try {
      for (;;) {
        this.throwIfFailed();
        const result = await Promise.race([this.source.next(), this.failed]);
        if (result.done === true) {
          this.finish();
          return DONE;
        }
        const pending = this.permit?.whenAllowed();
        if (pending !== undefined) await Promise.race([pending, this.failed]);
        // A refusal decided while this value waited wins over the value.
        this.throwIfFailed();
        if (this.options.admits === undefined || this.options.admits(result.value)) return result;
      }
    } catch (error) {
      this.finish();
      throw this.failure === undefined ? this.options.toWireError(error) : this.failure.error;
    }
  }

  async return(): Promise<IteratorResult<T>> {
    this.finish();
    return DONE;
  }

  async throw(error?: unknown): Promise<IteratorResult<T>> {
    this.finish();
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure.error;
  }

  /** Releases the source, the permit and the watches; idempotent. */
  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.permit?.close();
    this.options.onClose?.();
    void this.source.return?.()?.catch(() => {});
  }
}
