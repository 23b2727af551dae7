/**
 * `loadCatalogView`: the catalog a validation run needs, for one account. AWS's services come from
 * the dataset (memoised per prefix for the process); the account's custom services come from the
 * database in one statement, which also lists every custom prefix (for "did you mean").
 * Decisions never call this: the authorize path does not touch the catalog.
 */
import { eq, sql } from 'drizzle-orm';
import type { Database, Tx } from '../../db/client.ts';
import { services } from '../../db/schema/services.ts';
import { catalogService, catalogViewOf, type CatalogService, type CatalogView, type ServiceDefinition } from '../../policy/validate/catalog.ts';
import { servicePrefixesOf } from '../../policy/validate/catalog-prefixes.ts';
import { awsService, awsServicePrefixes, awsServicePrefixSet } from './aws-services.ts';

/** The prefixes a view is loaded for, lower-cased, deduplicated and bounded (a policy names few services). */
const MAX_PREFIXES = 500;

function normalisedPrefixes(prefixes: Iterable<string>): string[] {
  const wanted = new Set<string>();
  for (const prefix of prefixes) {
    if (wanted.size >= MAX_PREFIXES) break;
    wanted.add(prefix.toLowerCase());
  }
  return [...wanted];
}

/**
 * The catalog view of `accountId` with the services `prefixes` name loaded (AWS's first: a
 * custom service can never take an AWS prefix). `view.prefixes` lists every prefix the account
 * knows, loaded or not. At most one statement: none when every prefix asked for is AWS's (the
 * common case), since custom prefixes then matter only as suggestions for unknown ones.
 */
export async function loadCatalogView(database: Pick<Database, 'db'> | { readonly db: Tx }, accountId: string, prefixes: Iterable<string>): Promise<CatalogView> {
  const wanted = normalisedPrefixes(prefixes);
  const [awsPrefixes, awsSet, aws] = await Promise.all([awsServicePrefixes(), awsServicePrefixSet(), Promise.all(wanted.map((p) => awsService(p)))]);
  const loaded: CatalogService[] = aws.filter((s): s is CatalogService => s !== undefined);
  if (wanted.every((p) => awsSet.has(p))) return catalogViewOf(loaded, awsPrefixes);
  const customRows = await database.db
    .select({
      serviceName: services.serviceName,
      displayName: services.displayName,
      version: services.version,
      // Only the definitions asked for travel; every other custom service contributes its prefix.
      definition: sql<ServiceDefinition | null>`case when ${services.serviceName} = any(${sql.param(wanted)}::text[]) then ${services.definition} end`,
    })
    .from(services)
    .where(eq(services.accountId, accountId));
  for (const row of customRows) {
    if (row.definition === null) continue;
    loaded.push(catalogService({ prefix: row.serviceName, name: row.displayName, origin: 'custom', version: row.version }, row.definition));
  }
  return catalogViewOf(loaded, [...awsPrefixes, ...customRows.map((r) => r.serviceName)]);
}

/** The catalog view a policy document needs: the services its actions and condition keys name. */
export function catalogForDocument(database: Pick<Database, 'db'> | { readonly db: Tx }, accountId: string, text: string): Promise<CatalogView> {
  return loadCatalogView(database, accountId, servicePrefixesOf(text));
}
