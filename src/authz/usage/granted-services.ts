/**
 * The services and actions an entity's policies grant, as access advisor and unused-access
 * analysis list them: every catalog service (AWS's and the account's own) with at least one
 * action `isActionGranted` (src/policy/evaluate/granted.ts) says the policies allow, with those
 * actions. Only the services the Allow statements can name are loaded from the catalog.
 */
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { services } from '../../db/schema/services.ts';
import { allowedServicePrefixes, isActionGranted, type GrantingPolicies } from '../../policy/index.ts';
import type { CatalogAction, CatalogService } from '../../policy/validate/catalog.ts';
import { awsServicePrefixes } from '../../iam/services/aws-services.ts';
import { loadCatalogView } from '../../iam/services/catalog-view.ts';

/** One granted service and its granted actions. */
export interface GrantedService {
  readonly service: CatalogService;
  /** Granted actions, sorted by name. */
  readonly actions: readonly CatalogAction[];
}

/** The services `grants` allow in `accountId`'s catalog, sorted by prefix. */
export async function grantedServices(database: Database, accountId: string, grants: GrantingPolicies): Promise<GrantedService[]> {
  const named = allowedServicePrefixes(grants);
  let prefixes: readonly string[];
  if (named === 'any') {
    const [aws, custom] = await Promise.all([
      awsServicePrefixes(),
      database.db.select({ name: services.serviceName }).from(services).where(eq(services.accountId, accountId)),
    ]);
    prefixes = [...aws, ...custom.map((c) => c.name)];
  } else prefixes = [...named];
  if (prefixes.length === 0) return [];
  const view = await loadCatalogView(database, accountId, prefixes);
  const out: GrantedService[] = [];
  for (const prefix of [...new Set(prefixes.map((p) => p.toLowerCase()))].sort()) {
    const service = view.service(prefix);
    if (service === undefined) continue;
    const lowerPrefix = service.prefix.toLowerCase();
    const actions = [...service.actions.values()].filter((a) => isActionGranted(grants, `${lowerPrefix}:${a.name.toLowerCase()}`));
    if (actions.length === 0) continue;
    actions.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    out.push({ service, actions });
  }
  return out;
}
