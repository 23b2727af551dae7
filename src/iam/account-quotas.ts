/**
 * Per-account count quotas (Users, Groups, Roles, Policies) are read-then-write: count, then
 * insert. Two creates at the limit would both count N-1 and both insert, so the count runs under
 * a transaction advisory lock per (quota, account), held until commit. It is taken inside the
 * write's function, before runWrite takes its change-log lock, so the two are always taken in the
 * same order.
 */
import { sql } from 'drizzle-orm';
import type { Tx } from '../db/client.ts';
import { enforceQuota, type QuotaName } from './quotas.ts';

/** The quotas that count an account's entities. */
export type AccountQuotaName = Extract<QuotaName, 'Users' | 'Groups' | 'Roles' | 'Policies' | 'CustomServices'>;

/** Throws LimitExceededError when one more entity would pass the account's quota; `count` counts what exists. */
export async function enforceAccountQuota(tx: Tx, name: AccountQuotaName, accountId: string, count: () => Promise<number>): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`portcullis-quota:${name}:${accountId}`}, 0))`);
  enforceQuota(name, await count());
}
