/**
 * The async iterator a live subscription hands to GraphQL: a plain FIFO the producer pushes to
 * synchronously. It replaces a Repeater on the delivery path, where one flip of a thousand
 * watched decisions means a thousand pushes in one tick: a push is an array append (or resolving
 * the consumer's waiting `next`), with no per-value promise, executor or buffer object.
 *
 * Semantics a subscription relies on:
 * - values come out in push order; values pushed before `fail` are delivered before its error;
 * - `return()` (the client went away) ends the stream at once, drops what is buffered and runs
 *   `onClose` exactly once, even if `next` was never called; so does `fail`/`end` after draining;
 * - `onDrain` runs when the consumer takes a value and the buffer falls to `lowWater`, so a
 *   producer that held back for a slow consumer can resume.
 */

/** Hooks of a LiveQueue. */
export interface LiveQueueHooks {
  /** Runs once, when the stream is returned by its consumer or has ended. */
  readonly onClose?: () => void;
  /** Runs when the consumer takes a value and `length` becomes `lowWater`. */
  readonly onDrain?: () => void;
  readonly lowWater?: number;
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ value: undefined, done: true });

/** A single-consumer FIFO async iterator with synchronous `push`. */
export class LiveQueue<T> implements AsyncIterableIterator<T> {
  private buffer: T[] = [];
  private head = 0;
  private waiter: { resolve: (result: IteratorResult<T>) => void; reject: (error: unknown) => void } | undefined;
  /** No more pushes are accepted (ended, failed or returned). */
  private finished = false;
  private failure: { readonly error: unknown } | undefined;
  private closed = false;

  constructor(private readonly hooks: LiveQueueHooks = {}) {}

  /** Values pushed and not yet taken. */
  get length(): number {
    return this.buffer.length - this.head;
  }

  /** Appends a value (hands it straight to a waiting `next`); ignored once the stream has finished. */
  push(value: T): void {
    if (this.finished) return;
    const waiter = this.waiter;
    if (waiter !== undefined) {
      this.waiter = undefined;
      waiter.resolve({ value, done: false });
      return;
    }
    this.buffer.push(value);
  }

  /** Ends the stream after the buffered values. */
  end(): void {
    if (this.finished) return;
    this.finished = true;
    this.settleWaiter();
  }

  /** Ends the stream with `error`, which `next` throws once the buffered values are taken. */
  fail(error: unknown): void {
    if (this.finished) return;
    this.finished = true;
    this.failure = { error };
    this.settleWaiter();
  }

  next(): Promise<IteratorResult<T>> {
    if (this.head < this.buffer.length) {
      const value = this.buffer[this.head]!;
      this.buffer[this.head] = undefined as T;
      this.head++;
      if (this.head === this.buffer.length) {
        this.buffer = [];
        this.head = 0;
      } else if (this.head >= 1024 && this.head * 2 >= this.buffer.length) {
        this.buffer = this.buffer.slice(this.head);
        this.head = 0;
      }
      if (this.hooks.onDrain !== undefined && this.length === (this.hooks.lowWater ?? 0) && !this.finished) this.hooks.onDrain();
      return Promise.resolve({ value, done: false });
    }
    if (this.finished) return this.drained();
    if (this.waiter !== undefined) return Promise.reject(new Error('LiveQueue: next() called while another next() is pending'));
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.finished = true;
    this.failure = undefined;
    this.buffer = [];
    this.head = 0;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.resolve(DONE);
    this.close();
    return Promise.resolve(DONE);
  }

  throw(error?: unknown): Promise<IteratorResult<T>> {
    void this.return();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** The result of `next` once everything buffered has been taken after the end. */
  private drained(): Promise<IteratorResult<T>> {
    this.close();
    const failure = this.failure;
    if (failure === undefined) return Promise.resolve(DONE);
    this.failure = undefined;
    return Promise.reject(failure.error);
  }

  /** A consumer waiting on an empty buffer learns of the end now. */
  private settleWaiter(): void {
    const waiter = this.waiter;
    if (waiter === undefined) return;
    this.waiter = undefined;
    this.drained().then(waiter.resolve, waiter.reject);
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.hooks.onClose?.();
  }
}
