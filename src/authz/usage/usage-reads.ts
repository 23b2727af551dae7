/**
 * Reads of the usage tables for a set of principals since a day: the last access per principal
 * and service (`service_last_accessed`) and per principal and action (`action_usage`). One
 * statement each, whatever the number of principals (an array parameter).
 */
import { and, gte, lte, max, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { actionUsage } from '../../db/schema/action-usage.ts';
import { serviceLastAccessed } from '../../db/schema/last-accessed.ts';

/** Last access of one principal to one service. */
export interface ServiceUse {
  readonly principalId: string;
  readonly serviceNamespace: string;
  readonly lastAccessedAt: Date;
}

/** Last access of one principal to one action (lower-case key, spelling as first recorded). */
export interface ActionUse {
  readonly principalId: string;
  readonly actionKey: string;
  readonly action: string;
  readonly lastAccessedAt: Date;
}

/** The services `principalIds` accessed since `since`. */
export async function serviceUses(database: Database, principalIds: readonly string[], since: Date): Promise<ServiceUse[]> {
  if (principalIds.length === 0) return [];
  return database.db
    .select({ principalId: serviceLastAccessed.principalId, serviceNamespace: serviceLastAccessed.serviceNamespace, lastAccessedAt: serviceLastAccessed.lastAccessedAt })
    .from(serviceLastAccessed)
    .where(and(sql`${serviceLastAccessed.principalId} = any(${sql.param([...principalIds])}::text[])`, gte(serviceLastAccessed.lastAccessedAt, since)));
}

/** The actions `principalIds` asked about since `since`, per principal and action. */
export async function actionUses(database: Database, principalIds: readonly string[], since: Date): Promise<ActionUse[]> {
  if (principalIds.length === 0) return [];
  const rows = await database.db
    .select({ principalId: actionUsage.principalId, actionKey: actionUsage.actionKey, action: sql<string>`max(${actionUsage.action})`, lastAccessedAt: max(actionUsage.lastAccessedAt) })
    .from(actionUsage)
    .where(and(sql`${actionUsage.principalId} = any(${sql.param([...principalIds])}::text[])`, gte(actionUsage.lastAccessedAt, since)))
    .groupBy(actionUsage.principalId, actionUsage.actionKey);
  return rows.map((r) => ({ ...r, lastAccessedAt: r.lastAccessedAt ?? since }));
}

/** One allowed (action, resource) pair of a principal in a window, with how often and when last. */
export interface AllowedUse {
  readonly action: string;
  readonly actionKey: string;
  readonly resourceArn: string;
  readonly allowed: number;
  readonly lastAllowedAt: Date;
}

/** Most distinct (action, resource) pairs policy generation reads for one principal. */
export const MAX_ALLOWED_USES = 20_000;

/** The allowed decisions of `principalId` from `since` to the day of `until`, per action and resource (at most MAX_ALLOWED_USES + 1 rows). */
export async function allowedUses(database: Database, principalId: string, since: Date, until: Date): Promise<AllowedUse[]> {
  const sinceDay = since.toISOString().slice(0, 10);
  const untilDay = until.toISOString().slice(0, 10);
  const rows = await database.db
    .select({
      action: sql<string>`max(${actionUsage.action})`,
      actionKey: actionUsage.actionKey,
      resourceArn: actionUsage.resourceArn,
      allowed: sql<number>`sum(${actionUsage.allowed})::int`,
      lastAllowedAt: max(actionUsage.lastAllowedAt),
    })
    .from(actionUsage)
    .where(and(sql`${actionUsage.principalId} = ${principalId}`, gte(actionUsage.day, sinceDay), lte(actionUsage.day, untilDay), sql`${actionUsage.allowed} > 0`, gte(actionUsage.lastAllowedAt, since)))
    .groupBy(actionUsage.actionKey, actionUsage.resourceArn)
    .orderBy(actionUsage.actionKey, actionUsage.resourceArn)
    .limit(MAX_ALLOWED_USES + 1);
  return rows.map((r) => ({ ...r, lastAllowedAt: r.lastAllowedAt ?? since }));
}
