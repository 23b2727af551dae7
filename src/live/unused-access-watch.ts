/**
 * The live view of unused-access findings: the account is analysed again after each committed
 * change of that account (a new key, a detached policy, a deleted role…) and every `pollMs`
 * (usage data is flushed in batches without NOTIFY, so a finding that resolves because something
 * was used is seen on the next poll). An update goes out first with the whole list, then only
 * when the list changed, naming the findings that appeared and those that resolved.
 * Analyses never overlap: changes arriving during one mark the next.
 */
import type { UnusedAccessFinding, UnusedAccessReport } from '../authz/usage/unused-access.ts';
import type { LiveHub } from './live-hub.ts';

/** One update of the live findings. */
export interface UnusedAccessUpdate {
  readonly analyzedAt: Date;
  readonly unusedAccessAge: number;
  /** Every active finding now. */
  readonly findings: readonly UnusedAccessFinding[];
  /** Findings new since the previous update (all of them in the first). */
  readonly appeared: readonly UnusedAccessFinding[];
  /** Findings of the previous update that are no longer active, with status RESOLVED. */
  readonly resolved: readonly UnusedAccessFinding[];
}

/** Updates for `accountId`, from `analyze`, until the consumer returns. */
export function watchUnusedAccess(hub: Pick<LiveHub, 'subscribe'>, accountId: string, analyze: () => Promise<UnusedAccessReport>, pollMs: number): AsyncIterableIterator<UnusedAccessUpdate> {
  let dirty = true;
  let wake: (() => void) | undefined;
  let done = false;
  let previous: Map<string, UnusedAccessFinding> | undefined;
  const mark = () => {
    dirty = true;
    wake?.();
  };
  const unsubscribe = hub.subscribe((batch) => {
    if (batch.events.some((e) => e.accountId === accountId || e.accountId === null)) mark();
  });
  const timer = setInterval(mark, pollMs);
  timer.unref();
  const stop = () => {
    done = true;
    clearInterval(timer);
    unsubscribe();
    wake?.();
  };

  async function next(): Promise<IteratorResult<UnusedAccessUpdate>> {
    while (!done) {
      if (!dirty) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      if (done) break;
      dirty = false;
      const report = await analyze();
      const current = new Map(report.findings.map((f) => [f.id, f]));
      const appeared = report.findings.filter((f) => previous?.has(f.id) !== true);
      const resolved = previous === undefined ? [] : [...previous.values()].filter((f) => !current.has(f.id)).map((f) => ({ ...f, status: 'RESOLVED' as const }));
      const first = previous === undefined;
      previous = current;
      if (first || appeared.length > 0 || resolved.length > 0) {
        return { done: false, value: { analyzedAt: report.analyzedAt, unusedAccessAge: report.unusedAccessAge, findings: report.findings, appeared, resolved } };
      }
    }
    return { done: true, value: undefined };
  }

  const iterator: AsyncIterableIterator<UnusedAccessUpdate> = {
    next,
    return: () => {
      stop();
      return Promise.resolve({ done: true, value: undefined });
    },
    throw: (error: unknown) => {
      stop();
      return Promise.reject(error);
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
