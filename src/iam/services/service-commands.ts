/**
 * PutService and DeleteService: an account's own services in the catalog. A put stores a new
 * version (1, 2, …; the newest SERVICE_VERSIONS_KEPT are kept) and records `ServicePut`; a delete
 * removes the service and its versions and records `ServiceDeleted`. AWS's prefixes are reserved.
 * Stored policies are never re-validated: a new version that drops an action leaves policies that
 * grant it working as written, and validation (writes, validatePolicy) starts warning about it.
 */
import { and, eq, lte, sql } from 'drizzle-orm';
import { runWrite, type WriteActor, type WriteResult } from '../../changes/outbox.ts';
import type { Database } from '../../db/client.ts';
import { services, serviceVersions } from '../../db/schema/services.ts';
import { NoSuchEntityError, ValidationError } from '../../errors.ts';
import { enforceAccountQuota } from '../account-quotas.ts';
import { awsServicePrefixSet } from './aws-services.ts';
import { customServiceOf, serviceArnOf, type CatalogEntry } from './service-reads.ts';
import { validateServiceDefinition, validateServiceName, type PutServiceInput } from './service-definition.ts';

/** How many versions of a custom service are kept (the current one included). */
export const SERVICE_VERSIONS_KEPT = 10;

async function refuseAwsPrefix(serviceName: string, field: string, verb: string): Promise<void> {
  if ((await awsServicePrefixSet()).has(serviceName)) {
    throw new ValidationError(field, 'reserved', `${field} ${JSON.stringify(serviceName)} is the prefix of an AWS service, which cannot be ${verb}`);
  }
}

/** PutService: defines a custom service of the actor's account, or stores its next version. */
export async function putService(database: Database, actor: WriteActor, input: PutServiceInput): Promise<WriteResult<CatalogEntry>> {
  const serviceName = validateServiceName(input.serviceName);
  await refuseAwsPrefix(serviceName, 'input.serviceName', 'redefined');
  const definition = validateServiceDefinition(input);
  return runWrite(database, actor, async (tx, record) => {
    // Counting under the quota lock also serialises concurrent puts of the account's services.
    await enforceAccountQuota(tx, 'CustomServices', actor.accountId, async () => {
      const [row] = await tx
        .select({ n: sql<number>`count(*)::int`, exists: sql<boolean>`coalesce(bool_or(${services.serviceName} = ${serviceName}), false)` })
        .from(services)
        .where(eq(services.accountId, actor.accountId));
      // An existing service gets a new version: it does not count against the quota again.
      return row?.exists === true ? 0 : (row?.n ?? 0);
    });
    const now = new Date();
    const [stored] = await tx
      .insert(services)
      .values({ accountId: actor.accountId, serviceName, displayName: input.displayName, version: 1, definition, createdAt: now, updatedAt: now })
      .onConflictDoUpdate({
        target: [services.accountId, services.serviceName],
        set: { displayName: input.displayName, definition, version: sql`${services.version} + 1`, updatedAt: now },
      })
      .returning();
    const row = stored!;
    await tx.insert(serviceVersions).values({ accountId: actor.accountId, serviceName, version: row.version, displayName: row.displayName, definition });
    if (row.version > SERVICE_VERSIONS_KEPT) {
      await tx
        .delete(serviceVersions)
        .where(and(eq(serviceVersions.accountId, actor.accountId), eq(serviceVersions.serviceName, serviceName), lte(serviceVersions.version, row.version - SERVICE_VERSIONS_KEPT)));
    }
    const arn = serviceArnOf(actor.accountId, serviceName);
    record({
      kind: 'ServicePut',
      entityType: 'service',
      entityArn: arn,
      affectedPrincipalIds: [],
      payload: {
        serviceName,
        version: row.version,
        actionCount: definition.actions.length,
        resourceTypeCount: definition.resourceTypes.length,
        conditionKeyCount: definition.conditionKeys.length,
      },
    });
    return customServiceOf(row);
  });
}

/** DeleteService: removes a custom service of the actor's account with all its versions. */
export async function deleteService(database: Database, actor: WriteActor, serviceName: string): Promise<WriteResult<CatalogEntry>> {
  validateServiceName(serviceName);
  await refuseAwsPrefix(serviceName, 'input.serviceName', 'deleted');
  return runWrite(database, actor, async (tx, record) => {
    const [row] = await tx
      .delete(services)
      .where(and(eq(services.accountId, actor.accountId), eq(services.serviceName, serviceName)))
      .returning();
    if (row === undefined) throw new NoSuchEntityError('Service', serviceName);
    record({
      kind: 'ServiceDeleted',
      entityType: 'service',
      entityArn: serviceArnOf(actor.accountId, serviceName),
      affectedPrincipalIds: [],
      payload: { serviceName, version: row.version },
    });
    return customServiceOf(row);
  });
}
