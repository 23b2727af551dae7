/**
 * Cooperative time slicing for long synchronous loops (a simulation's evaluations, a batch's
 * decisions): after a few milliseconds or a fixed number of items, whichever comes first, the
 * loop yields to the event loop with `setImmediate`, so one request never holds the process for
 * longer than a slice while health checks and other requests wait.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';

/** Longest a slice may run before yielding, in milliseconds. */
export const SLICE_MS = 2;
/** Items a slice may hold at most, whatever the clock says (a bound that does not depend on timing). */
export const SLICE_ITEMS = 256;

/** Counts items of one loop and says when to yield. */
export class TimeSlice {
  private started = performance.now();
  private items = 0;

  /** Records one item; true when the slice is spent and the loop should `await yield()`. */
  due(): boolean {
    this.items++;
    // Reading the clock costs more than a cached decision, so look at it every eighth item.
    return this.items >= SLICE_ITEMS || ((this.items & 7) === 0 && performance.now() - this.started >= SLICE_MS);
  }

  /** Lets the event loop run, then starts a new slice. */
  async yield(): Promise<void> {
    await nextTurn();
    this.items = 0;
    this.started = performance.now();
  }
}

/** `fn(i)` for i in [0, count), in order, yielding between slices. */
export async function mapSliced<R>(count: number, fn: (i: number) => R): Promise<R[]> {
  const out: R[] = [];
  const slice = new TimeSlice();
  for (let i = 0; i < count; i++) {
    out.push(fn(i));
    if (slice.due() && i + 1 < count) await slice.yield();
  }
  return out;
}
