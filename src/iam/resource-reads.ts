/**
 * Reads of the resource registry: one resource by ARN, and the account's resources as keyset pages
 * in ARN order, filtered by service, resource type and ARN prefix (served by the
 * (account_id, arn text_pattern_ops) and (account_id, service, resource_type) indexes).
 */
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { resources } from '../db/schema/index.ts';
import { NoSuchEntityError, ValidationError } from '../errors.ts';
import type { Queryable } from './affected-principals.ts';
import { afterFilter, decodeCursor, escapeLike, pageSize, toPage, type Page, type PageRequest } from './pagination.ts';
import type { RegisteredResourceRow } from './resources.ts';

/** The account's resource `arn`; NoSuchEntityError when it has none by that ARN. */
export async function getResource(q: Queryable, accountId: string, arn: string): Promise<RegisteredResourceRow> {
  const [row] = await q
    .select()
    .from(resources)
    .where(and(eq(resources.accountId, accountId), eq(resources.arn, arn)));
  if (row === undefined) throw new NoSuchEntityError('Resource', arn);
  return row;
}

/** The account's resources among `arns`, in one statement (missing ones are absent from the map). */
export async function getResources(q: Queryable, accountId: string, arns: readonly string[]): Promise<Map<string, RegisteredResourceRow>> {
  if (arns.length === 0) return new Map();
  const rows = await q
    .select()
    .from(resources)
    .where(and(eq(resources.accountId, accountId), inArray(resources.arn, [...arns])));
  return new Map(rows.map((row) => [row.arn, row]));
}

/** What `listResources` filters by (each optional). */
export interface ResourceFilter {
  readonly serviceName?: string | null;
  readonly resourceType?: string | null;
  readonly arnPrefix?: string | null;
}

/** Longest filter value accepted: an ARN's length. */
const MAX_FILTER_LENGTH = 2048;

/** The SQL conditions of `filter` on the account's resources; ValidationError for an over-long value. */
export function resourceFilterSql(accountId: string, filter: ResourceFilter): SQL {
  const conditions: SQL[] = [eq(resources.accountId, accountId)];
  for (const [name, value] of Object.entries(filter)) {
    if (typeof value === 'string' && value.length > MAX_FILTER_LENGTH) {
      throw new ValidationError(name, 'length', `${name} must be at most ${MAX_FILTER_LENGTH} characters long; got ${value.length}`);
    }
  }
  if (filter.serviceName != null) conditions.push(eq(resources.service, filter.serviceName.toLowerCase()));
  // Resource types are compared case-insensitively, as the catalog keys them.
  if (filter.resourceType != null) conditions.push(eq(sql`lower(${resources.resourceType})`, filter.resourceType.toLowerCase()));
  if (filter.arnPrefix != null && filter.arnPrefix !== '') conditions.push(sql`${resources.arn} like ${`${escapeLike(filter.arnPrefix)}%`}`);
  return and(...conditions)!;
}

/** One page of the account's resources in ARN order. */
export async function listResources(q: Queryable, accountId: string, filter: ResourceFilter, page: PageRequest): Promise<Page<RegisteredResourceRow>> {
  const limit = pageSize(page.first);
  const after = decodeCursor(page.after);
  const rows = await q
    .select()
    .from(resources)
    .where(and(resourceFilterSql(accountId, filter), afterFilter([sql`${resources.arn}`], after)))
    .orderBy(asc(resources.arn))
    .limit(limit + 1);
  return toPage(rows, limit, (row) => [row.arn]);
}
