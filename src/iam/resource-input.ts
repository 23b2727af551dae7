/**
 * A resource on its way into the registry: its ARN placed in the account's catalog (resource-arns.ts),
 * its tags checked by IAM's tag rules (validation.ts, at most 50), its resource policy validated as
 * a resource policy against the catalog and within the 20,480-character quota. Shared by every
 * registry write, so register, put, tag and import refuse exactly the same things.
 */
import type { Database } from '../db/client.ts';
import type { Tag } from '../db/schema/index.ts';
import type { Finding } from '../policy/index.ts';
import type { CatalogView } from '../policy/validate/catalog.ts';
import { checkPolicyDocument } from './policy-documents.ts';
import { parseResourceArn, placeResourceArn } from './resource-arns.ts';
import { loadCatalogView } from './services/catalog-view.ts';
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

/** The account's catalog view for the services the given ARNs name (ARNs that do not parse are left for their own check). */
export function catalogForArns(database: Database, accountId: string, arns: Iterable<string>): Promise<CatalogView> {
  const prefixes = new Set<string>();
  for (const arn of arns) {
    const service = arn.split(':')[2];
    if (service !== undefined && service !== '') prefixes.add(service);
  }
  return loadCatalogView(database, accountId, prefixes);
}

/**
 * Validates a resource policy document for `arn`'s service: ERROR findings are a
 * MalformedPolicyDocumentError on `field`, more than 20,480 characters (white space excluded) a
 * LimitExceededError. Returns the other findings.
 */
export function checkResourcePolicy(text: string, field: string): readonly Finding[] {
  validateRequired(text, field);
  return checkPolicyDocument(text, 'resource', field);
}

/** Validates one resource input of `accountId` (`field` is its input path, e.g. `input` or `input.resources[3]`). */
export function prepareResource(catalog: CatalogView, accountId: string, input: ResourceInput, field: string): PreparedResource {
  const placed = placeResourceArn(catalog, accountId, input.resourceArn, input.resourceType, `${field}.resourceArn`, `${field}.resourceType`);
  const tags = validateTags(input.tags, `${field}.tags`);
  const policyDocument = input.resourcePolicy ?? null;
  const findings = policyDocument === null ? [] : checkResourcePolicy(policyDocument, `${field}.resourcePolicy`);
  return { arn: input.resourceArn, service: placed.service.prefix, resourceType: placed.resourceType.name, tags, policyDocument, findings };
}

/** Checks a resource ARN's syntax only, for writes on a resource that must already exist (it was placed when registered). */
export function checkExistingArn(arn: string, field = 'input.resourceArn'): string {
  parseResourceArn(arn, field);
  return arn;
}
