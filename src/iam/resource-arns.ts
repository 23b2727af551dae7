/**
 * What makes a resource ARN registrable: AWS's ARN syntax (`arn:partition:service:region:account:resource`),
 * an account segment that is empty (S3 buckets) or the registering account's own, a service the
 * account's catalog knows (AWS's or its own), and a resource part that fits one of that service's
 * resource types' ARN formats (`resourceTypeOfArn`). Every failure is a ValidationError naming the
 * field and the rule, so nothing is stored for an ARN the catalog cannot place.
 */
import { RESOURCE_ARN_MAX_LENGTH } from '../db/schema/resources.ts';
import { ValidationError } from '../errors.ts';
import { resourceTypeOfArn, type CatalogResourceType, type CatalogService, type CatalogView } from '../policy/validate/catalog.ts';

/** An ARN split into its six parts. */
export interface ParsedResourceArn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

const PARTITION = /^aws(-[a-z]+)*$/;
const SERVICE = /^[a-z0-9][a-z0-9-]{0,63}$/;
const REGION = /^([a-z]{2}(-[a-z]+)+-\d+)?$/;
const ACCOUNT = /^(\d{12})?$/;

/** Quote user input in messages, bounded. */
function quote(value: string): string {
  return JSON.stringify(value.length > 120 ? `${value.slice(0, 120)}…` : value);
}

/**
 * The service prefix of an ARN (its third segment) without validating the rest; undefined when it
 * has fewer than three segments. Cheap: the decision path calls it for every question.
 */
export function serviceOfArn(arn: string): string | undefined {
  if (!arn.startsWith('arn:')) return undefined;
  const first = arn.indexOf(':', 4);
  if (first < 0) return undefined;
  const second = arn.indexOf(':', first + 1);
  if (second < 0) return undefined;
  return arn.slice(first + 1, second);
}

/** Splits and checks the syntax of a resource ARN; ValidationError on `field` (rule `arn`) when it is not one. */
export function parseResourceArn(arn: string, field: string): ParsedResourceArn {
  if (arn.length < 1 || arn.length > RESOURCE_ARN_MAX_LENGTH) {
    throw new ValidationError(field, 'length', `${field} must be 1-${RESOURCE_ARN_MAX_LENGTH} characters long; got ${arn.length}`);
  }
  const parts = arn.split(':');
  const bad = (what: string): ValidationError =>
    new ValidationError(field, 'arn', `${field} ${quote(arn)} is not a resource ARN (arn:partition:service:region:account:resource): ${what}`);
  if (parts.length < 6 || parts[0] !== 'arn') throw bad('it needs six colon-separated parts starting with "arn"');
  const [, partition, service, region, account] = parts as [string, string, string, string, string];
  const resource = parts.slice(5).join(':');
  if (!PARTITION.test(partition)) throw bad(`the partition ${quote(partition)} is not aws, aws-cn, aws-us-gov, …`);
  if (!SERVICE.test(service)) throw bad(`the service ${quote(service)} is not a service prefix`);
  if (!REGION.test(region)) throw bad(`the region ${quote(region)} is not a region code`);
  if (!ACCOUNT.test(account)) throw bad(`the account ${quote(account)} is not empty or 12 digits`);
  if (resource === '') throw bad('the resource part is empty');
  if (/[*?\s]/.test(arn)) throw bad('a registered resource names one resource: no wildcards or white space');
  return { partition, service, region, account, resource };
}

/** Where a resource ARN fits in the catalog. */
export interface PlacedResource {
  readonly service: CatalogService;
  readonly resourceType: CatalogResourceType;
}

/**
 * Checks that `arn` is a resource of `accountId` the catalog can place: its service is known, and
 * it fits `resourceType` (when given) or some resource type of that service. `field` names the
 * ARN's input, `typeField` the resource type's.
 */
export function placeResourceArn(
  catalog: CatalogView,
  accountId: string,
  arn: string,
  resourceType: string | null | undefined,
  field: string,
  typeField: string,
): PlacedResource {
  const parsed = parseResourceArn(arn, field);
  if (parsed.account !== '' && parsed.account !== accountId) {
    throw new ValidationError(field, 'account', `${field} ${quote(arn)} belongs to account ${parsed.account}: an account registers only its own resources (or ones whose ARN names no account)`);
  }
  const service = catalog.service(parsed.service);
  if (service === undefined) {
    throw new ValidationError(field, 'unknown-service', `${field} ${quote(arn)} names the service ${quote(parsed.service)}, which is neither an AWS service nor one of the account's own (putService)`);
  }
  if (resourceType != null) {
    const type = service.resourceTypes.get(resourceType.toLowerCase());
    if (type === undefined) {
      const known = [...service.resourceTypes.values()].map((t) => t.name).join(', ');
      throw new ValidationError(typeField, 'unknown-resource-type', `${typeField} ${quote(resourceType)} is not a resource type of ${service.prefix} (it has: ${known || 'none'})`);
    }
    // The type must fit, and as specifically as the type the catalog would pick (a bucket's format
    // also fits an object's ARN, less specifically). Seen through a window holding the named type
    // first, resourceTypeOfArn keeps it unless the catalog's pick is strictly more specific.
    const best = resourceTypeOfArn(service, arn);
    const window = new Map([[type.name.toLowerCase(), type]]);
    if (best !== undefined) window.set(best.name.toLowerCase(), best);
    if (best === undefined || resourceTypeOfArn({ ...service, resourceTypes: window }, arn) !== type) {
      throw new ValidationError(field, 'resource-type-format', `${field} ${quote(arn)} does not fit the ARN format of ${service.prefix} ${type.name}: ${type.arnPatterns.join(' or ')}`);
    }
    return { service, resourceType: type };
  }
  const type = resourceTypeOfArn(service, arn);
  if (type === undefined) {
    const formats = [...service.resourceTypes.values()].map((t) => `${t.name}: ${t.arnPatterns.join(' or ')}`).join('; ');
    throw new ValidationError(field, 'resource-type-format', `${field} ${quote(arn)} fits no resource type of ${service.prefix} (${formats || 'it has none'})`);
  }
  return { service, resourceType: type };
}
