/**
 * The one way tests count the SQL statements an operation sends. `onQuery` goes to
 * `openTestDatabase`; `count(work)` runs `work` in a marked async context and returns the
 * statements sent from inside it. A statement is counted by where it was caused, not by when it
 * ran, so the service's own timers (change-log poll, usage flush, health ping) firing meanwhile
 * are never counted, while what the work itself sends is, wherever in the app it is issued
 * (a batch it joined included: the batch is sent from the context of the request that opened it).
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export class StatementCounter {
  private readonly context = new AsyncLocalStorage<string[]>();

  /** The `onQuery` hook of the counted database. */
  readonly onQuery = (sql: string): void => {
    this.context.getStore()?.push(sql);
  };

  /** Runs `work` and returns its result with the text of every statement it sent, in order. */
  async count<T>(work: () => T | Promise<T>): Promise<{ result: T; statements: string[] }> {
    const statements: string[] = [];
    const result = await this.context.run(statements, work);
    return { result, statements };
  }
}
