/**
 * Coalesces loads across concurrent callers, like DataLoader but process-wide: keys asked for
 * while a round trip is being prepared join one batch, and while `maxInFlight` batches are out
 * the next keys wait and go together when one returns. Under load, batches grow instead of round
 * trips multiplying, so 32 concurrent first touches cost a handful of statements, not 32.
 *
 * Invariant (consistency): a caller only ever joins a batch that has not been sent yet, so every
 * answer it gets was read after it asked. A caller that waited for a revision before asking (a
 * `minRevision`) therefore never receives rows read before that revision was applied.
 */

/** What one batch yields per key: a value, an error of its own, or nothing (unknown key). */
export type BatchLoad<K, V> = (keys: readonly K[]) => Promise<Map<K, V | Error>>;

interface Waiting<V> {
  resolve(value: V | Error | undefined): void;
  reject(error: unknown): void;
}

/** Options for `LoadCoalescer`. */
export interface CoalescerOptions {
  /** Batches out at once (default 1: every caller joins the next one). */
  readonly maxInFlight?: number;
  /** Keys per batch at most (default 1,000); more wait for the next. */
  readonly maxBatchSize?: number;
}

/** Batches concurrent `load` calls into calls of one batch function. */
export class LoadCoalescer<K, V> {
  /** Keys of the batch being prepared, with everyone waiting for each. */
  private queued = new Map<K, Array<Waiting<V>>>();
  private scheduled = false;
  private inFlight = 0;
  private readonly maxInFlight: number;
  private readonly maxBatchSize: number;
  /** Batches sent since start (metrics, tests). */
  batches = 0;

  constructor(
    private readonly loadBatch: BatchLoad<K, V>,
    options: CoalescerOptions = {},
  ) {
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 1);
    this.maxBatchSize = Math.max(1, options.maxBatchSize ?? 1_000);
  }

  /** The value of `key` from the next batch (undefined when the batch did not find it). */
  load(key: K): Promise<V | Error | undefined> {
    return new Promise((resolve, reject) => {
      const waiting = this.queued.get(key);
      if (waiting === undefined) this.queued.set(key, [{ resolve, reject }]);
      else waiting.push({ resolve, reject });
      this.schedule();
    });
  }

  /** Sends the queued keys after the current turn of the event loop, when a slot is free. */
  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight || this.queued.size === 0) return;
    this.scheduled = true;
    // setImmediate, not a microtask: requests read in the same I/O phase reach here one after
    // another and all join this batch.
    setImmediate(() => {
      this.scheduled = false;
      this.dispatch();
    });
  }

  private dispatch(): void {
    if (this.inFlight >= this.maxInFlight || this.queued.size === 0) return;
    let batch: Map<K, Array<Waiting<V>>>;
    if (this.queued.size <= this.maxBatchSize) {
      batch = this.queued;
      this.queued = new Map();
    } else {
      batch = new Map();
      for (const [key, waiting] of this.queued) {
        if (batch.size === this.maxBatchSize) break;
        batch.set(key, waiting);
        this.queued.delete(key);
      }
    }
    this.inFlight++;
    this.batches++;
    this.loadBatch([...batch.keys()]).then(
      (found) => {
        for (const [key, waiting] of batch) for (const w of waiting) w.resolve(found.get(key));
      },
      (error: unknown) => {
        for (const waiting of batch.values()) for (const w of waiting) w.reject(error);
      },
    ).finally(() => {
      this.inFlight--;
      this.schedule();
    });
    // Keys left over (more than one batch's worth) go in the next free slot.
    this.schedule();
  }
}
