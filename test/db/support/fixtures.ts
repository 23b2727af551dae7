/** Shared bits of the storage suite: Postgres error codes through drizzle's wrapping, and fixtures. */
import { expect } from 'vitest';
import type { Db } from '../../../src/db/client.ts';
import { sqlStateOf } from '../../../src/db/errors.ts';
import { accounts } from '../../../src/db/schema/index.ts';
import { newUniqueId } from '../../../src/iam/ids.ts';

/** SQLSTATEs the suite asserts; a foreign-key refusal is either code (PostgreSQL 18 says 23001 for RESTRICT). */
export const SQLSTATE = {
  uniqueViolation: ['23505'],
  foreignKeyViolation: ['23503', '23001'],
  checkViolation: ['23514'],
  notNullViolation: ['23502'],
} as const;

/** Assert that `promise` rejects with one of the SQLSTATE `codes` (and, if given, names `constraint`). */
export async function expectSqlError(promise: Promise<unknown>, codes: readonly string[], constraint?: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'expected the statement to be rejected').toBeDefined();
  expect(codes).toContain(sqlStateOf(error));
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
