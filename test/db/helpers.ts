/** Shared bits of the storage suite: Postgres error codes through drizzle's wrapping, and fixtures. */
import { expect } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import { accounts } from '../../src/db/schema/index.ts';
import { newUniqueId } from '../../src/iam/ids.ts';

/** SQLSTATE codes the suite asserts. */
export const SQLSTATE = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  checkViolation: '23514',
  notNullViolation: '23502',
} as const;

/** The SQLSTATE of an error from either driver, looking through drizzle's wrapper (`cause`). */
export function sqlState(error: unknown): string | undefined {
  for (let current: unknown = error; current instanceof Error || (typeof current === 'object' && current !== null); ) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
    if (current === undefined) break;
  }
  return undefined;
}

/** Assert that `promise` rejects with SQLSTATE `code` (and, if given, names `constraint`). */
export async function expectSqlError(promise: Promise<unknown>, code: string, constraint?: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'expected the statement to be rejected').toBeDefined();
  expect(sqlState(error)).toBe(code);
  if (constraint !== undefined) expect(describeError(error)).toContain(constraint);
}

/** Message and constraint name of an error and its causes, for assertions. */
function describeError(error: unknown): string {
  const parts: string[] = [];
  for (let current: unknown = error; typeof current === 'object' && current !== null; ) {
    const { message, constraint, constraint_name } = current as { message?: unknown; constraint?: unknown; constraint_name?: unknown };
    for (const part of [message, constraint, constraint_name]) if (typeof part === 'string') parts.push(part);
    current = (current as { cause?: unknown }).cause;
  }
  return parts.join(' | ');
}

/** A random 12-digit account id. */
export function randomAccountId(): string {
  let id = '';
  while (id.length < 12) id += Math.floor(Math.random() * 10).toString();
  return id;
}

/** Insert a fresh account and return its id. */
export async function createAccount(db: Db): Promise<string> {
  const id = randomAccountId();
  await db.insert(accounts).values({ id });
  return id;
}

export { newUniqueId };
