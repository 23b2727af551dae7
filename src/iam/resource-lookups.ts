/**
 * The registry reads decisions make (authz/registered-resources.ts): resources by ARN across
 * accounts (an ARN is registered once in the deployment), every resource of an account matching a
 * filter in one statement, and the services that have any registered resource.
 */
import { asc, sql } from 'drizzle-orm';
import { resources } from '../db/schema/index.ts';
import type { Queryable } from './affected-principals.ts';
import { resourceFilterSql, type ResourceFilter } from './resource-reads.ts';
import type { RegisteredResourceRow } from './resources.ts';

/**
 * The registered resources among `arns`, whichever account holds them; one statement however many
 * (the ARNs travel as one JSON parameter, sent as text, since a statement holds at most 65,535
 * parameters).
 */
export async function getResourcesByArn(q: Queryable, arns: readonly string[]): Promise<RegisteredResourceRow[]> {
  if (arns.length === 0) return [];
  return q
    .select()
    .from(resources)
    .where(sql`${resources.arn} in (select jsonb_array_elements_text(${JSON.stringify(arns)}::text::jsonb))`);
}

/** Every resource of `accountId` matching `filter`, in ARN order; one statement whatever the count. */
export async function listResourcesForEvaluation(q: Queryable, accountId: string, filter: ResourceFilter): Promise<RegisteredResourceRow[]> {
  return q
    .select()
    .from(resources)
    .where(resourceFilterSql(accountId, filter))
    .orderBy(asc(resources.arn));
}

/** The service prefixes with at least one registered resource, in any account. */
export async function servicesWithResources(q: Queryable): Promise<string[]> {
  const rows = await q.selectDistinct({ service: resources.service }).from(resources).orderBy(sql`1`);
  return rows.map((row) => row.service);
}
