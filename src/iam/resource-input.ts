/**
 * A resource on its way into the registry: its ARN placed in the account's catalog (resource-arns.ts),
 * its tags checked by IAM's tag rules (validation.ts, at most 50), its resource policy validated as
 * a resource policy against the catalog (unknown services, actions and condition keys are warnings) and within the 20,480-character quota. Shared by every
 * registry write, so register, put, tag and import refuse exactly the same things.
 */
import type { Database } from '../db/client.ts';
import type { Tag } from '../db/schema/index.ts';
import type { Finding } from '../policy/index.ts';
import type { CatalogView } from '../policy/validate/catalog.ts';
import { checkPolicyDocument } from './policy-documents.ts';
import { parseResourceArn, placeResourceArn } from './resource-arns.ts';
import { loadCatalogView } from './services/catalog-view.ts';
import { servicePrefixesOf } from '../policy/validate/index.ts';
import { validateRequired, validateTags } from './validation.ts';

/** One resource as registerResource and importResources take it. */
export interface ResourceInput {
  readonly resourceArn: string;
  /** The catalog resource type; omitted: the one whose ARN format the ARN fits. */
  readonly resourceType?: string | null;
  readonly tags?: readonly Tag[] | null;
  /** The resource-based policy, JSON text. */
  readonly resourcePolicy?: string | null;
}

/** A validated resource, ready to store. */
export interface PreparedResource {
  readonly arn: string;
  readonly service: string;
  /** The catalog's spelling of the resource type. */
  readonly resourceType: string;
  readonly tags: Tag[];
  readonly policyDocument: string | null;
  /** The policy's non-error findings (warnings, suggestions). */
  readonly findings: readonly Finding[];
}

/**
 * The account's catalog view for what `resources` name: the services of their ARNs (ARNs that do
 * not parse are left for their own check) and those their policies' actions and condition keys
 * name. One view for a whole import: AWS's services are memoised, custom ones one statement.
 */
export function catalogForResources(database: Database, accountId: string, resources: Iterable<Pick<ResourceInput, 'resourceArn' | 'resourcePolicy'>>): Promise<CatalogView> {
  const prefixes = new Set<string>();
  for (const resource of resources) {
    const service = resource.resourceArn.split(':')[2];
    if (service !== undefined && service !== '') prefixes.add(service);
    if (resource.resourcePolicy != null) for (const prefix of servicePrefixesOf(resource.resourcePolicy)) prefixes.add(prefix);
  }
  return loadCatalogView(database, accountId, prefixes);
}

/**
 * Validates a resource policy document for `arn`'s service: ERROR findings are a
 * MalformedPolicyDocumentError on `field`, more than 20,480 characters (white space excluded) a
 * LimitExceededError. Returns the other findings.
 */
export function checkResourcePolicy(catalog: CatalogView, text: string, field: string): readonly Finding[] {
  validateRequired(text, field);
  return checkPolicyDocument(text, 'resource', field, { catalog });
}

/** Validates one resource input of `accountId` (`field` is its input path, e.g. `input` or `input.resources[3]`). */
export function prepareResource(catalog: CatalogView, accountId: string, input: ResourceInput, field: string): PreparedResource {
  const placed = placeResourceArn(catalog, accountId, input.resourceArn, input.resourceType, `${field}.resourceArn`, `${field}.resourceType`);
  const tags = validateTags(input.tags, `${field}.tags`);
  const policyDocument = input.resourcePolicy ?? null;
  const findings = policyDocument === null ? [] : checkResourcePolicy(catalog, policyDocument, `${field}.resourcePolicy`);
  return { arn: input.resourceArn, service: placed.service.prefix, resourceType: placed.resourceType.name, tags, policyDocument, findings };
}

/** Checks a resource ARN's syntax only, for writes on a resource that must already exist (it was placed when registered). */
export function checkExistingArn(arn: string, field = 'input.resourceArn'): string {
  parseResourceArn(arn, field);
  return arn;
}
