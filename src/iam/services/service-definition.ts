/**
 * Input rules for putService: a custom service's prefix, display name, actions, resource types
 * with ARN formats and condition keys, checked before anything reaches the database. Each broken
 * rule is a ValidationError naming the input field (`input.actions[3].name`) and the rule.
 *
 * Bounds (AWS's largest service, EC2, has 826 actions, 114 resource types and 148 keys):
 * at most 2,000 actions, 500 resource types and 1,000 condition keys per service; 50 resource
 * types and 100 condition keys per action or resource type; names of at most 128 characters in
 * AWS's character sets; ARN formats of at most 1,024 characters.
 */
import { nameRules } from '../../db/schema/rules.ts';
import { ValidationError } from '../../errors.ts';
import { ACCESS_LEVELS, type AccessLevel, type CatalogAction, type CatalogConditionKey, type CatalogResourceType, type ServiceDefinition } from '../../policy/validate/catalog.ts';

/** The bounds a custom service definition must stay within. */
export const SERVICE_LIMITS = {
  displayNameMaxLength: 256,
  actions: 2000,
  resourceTypes: 500,
  conditionKeys: 1000,
  resourceTypesPerAction: 50,
  conditionKeysPerEntry: 100,
  nameMaxLength: 128,
  arnPatternMaxLength: 1024,
} as const;

/** The condition key types of the Service Authorization Reference, and their list forms. */
export const CONDITION_KEY_TYPES = [
  'String', 'ArrayOfString', 'ARN', 'ArrayOfARN', 'Numeric', 'ArrayOfNumeric', 'Date', 'ArrayOfDate',
  'Bool', 'ArrayOfBool', 'IPAddress', 'ArrayOfIPAddress', 'Binary', 'ArrayOfBinary',
] as const;

/** What putService is given (the wire's input, with the domain's access levels). */
export interface PutServiceInput {
  readonly serviceName: string;
  readonly displayName: string;
  readonly actions: readonly {
    readonly name: string;
    readonly accessLevel: AccessLevel;
    readonly resourceTypes?: readonly { readonly name: string; readonly required?: boolean | null }[] | null;
    readonly conditionKeys?: readonly string[] | null;
  }[];
  readonly resourceTypes?: readonly { readonly name: string; readonly arnPattern: string; readonly conditionKeys?: readonly string[] | null }[] | null;
  readonly conditionKeys?: readonly { readonly name: string; readonly type: string }[] | null;
}

const ACTION_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const RESOURCE_TYPE_NAME = /^[A-Za-z0-9][A-Za-z0-9 _./-]*$/;
/** After `prefix:`: AWS's key characters, with `${Name}` placeholders (`todo:ListTag/${TagKey}`). */
const KEY_REST = /^(?:[A-Za-z0-9_.:/<>-]|\$\{[A-Za-z0-9]+\})+$/;
const DISPLAY_NAME = /^[^\u0000-\u001f\u007f]+$/;
const PLACEHOLDER_ANYWHERE = /\$\{[A-Za-z0-9]+\}/g;

function quote(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
}

function fail(field: string, rule: string, message: string): never {
  throw new ValidationError(field, rule, message);
}

function checkCount(field: string, list: readonly unknown[], max: number): void {
  if (list.length > max) fail(field, 'count', `${field} may hold at most ${max} entries; got ${list.length}`);
}

function checkName(field: string, value: string, pattern: RegExp, what: string): string {
  if (value.length < 1 || value.length > SERVICE_LIMITS.nameMaxLength) {
    fail(field, 'length', `${field} must be 1-${SERVICE_LIMITS.nameMaxLength} characters long; got ${value.length}`);
  }
  if (!pattern.test(value)) fail(field, 'pattern', `${field} ${quote(value)} is not a valid ${what}: it must match ${pattern.source}`);
  return value;
}

/** A service prefix as AWS writes them: lower-case letters, digits and inner hyphens, 1-64 characters. */
export function validateServiceName(value: string, field = 'input.serviceName'): string {
  const rule = nameRules.servicePrefix;
  if (value.length < rule.minLength || value.length > rule.maxLength) {
    fail(field, 'length', `${field} must be ${rule.minLength}-${rule.maxLength} characters long; got ${value.length}`);
  }
  if (!new RegExp(rule.pattern).test(value)) {
    fail(field, 'pattern', `${field} ${quote(value)} is not a valid service prefix: lower-case letters, digits and inner hyphens (${rule.pattern})`);
  }
  return value;
}

/** Why `format` is not a usable ARN format for service `prefix`, or undefined. */
function arnFormatProblem(format: string, prefix: string): string | undefined {
  if (format.length > SERVICE_LIMITS.arnPatternMaxLength) return `must be at most ${SERVICE_LIMITS.arnPatternMaxLength} characters long`;
  if (/[\s*?]/.test(format)) return 'may not contain white space or the wildcards * and ?';
  if (format.replace(PLACEHOLDER_ANYWHERE, '').includes('$')) return 'has a "$" that does not start a ${Placeholder} of letters and digits';
  const fields = format.split(':');
  if (fields.length < 6 || fields[0] !== 'arn') return 'must have the form arn:partition:service:region:account:resource';
  if (fields[2] !== prefix) return `must name the service ${quote(prefix)} in its third field`;
  if (fields[1] !== '${Partition}' && !/^aws(-[a-z]+)*$/.test(fields[1]!)) return 'must have ${Partition} or a partition such as aws in its second field';
  if (fields.slice(5).join(':') === '') return 'must have a resource part after the fifth colon';
  return undefined;
}

function checkKeyReferences(field: string, keys: readonly string[] | null | undefined, defined: ReadonlySet<string>): string[] {
  const list = keys ?? [];
  checkCount(field, list, SERVICE_LIMITS.conditionKeysPerEntry);
  const seen = new Set<string>();
  return list.map((key, i) => {
    const folded = key.toLowerCase();
    if (!defined.has(folded) && !folded.startsWith('aws:')) {
      fail(`${field}[${i}]`, 'reference', `${field}[${i}] ${quote(key)} is neither one of this service's condition keys nor a global aws: key`);
    }
    if (seen.has(folded)) fail(`${field}[${i}]`, 'duplicate', `${field}[${i}] ${quote(key)} is listed twice`);
    seen.add(folded);
    return key;
  });
}

/** Checks a putService input and returns the definition to store. */
export function validateServiceDefinition(input: PutServiceInput): ServiceDefinition {
  const prefix = validateServiceName(input.serviceName);
  if (input.displayName.length < 1 || input.displayName.length > SERVICE_LIMITS.displayNameMaxLength) {
    fail('input.displayName', 'length', `input.displayName must be 1-${SERVICE_LIMITS.displayNameMaxLength} characters long; got ${input.displayName.length}`);
  }
  if (!DISPLAY_NAME.test(input.displayName)) fail('input.displayName', 'pattern', 'input.displayName may not contain control characters');

  const keyInputs = input.conditionKeys ?? [];
  checkCount('input.conditionKeys', keyInputs, SERVICE_LIMITS.conditionKeys);
  const keys = new Map<string, CatalogConditionKey>();
  keyInputs.forEach((key, i) => {
    const field = `input.conditionKeys[${i}].name`;
    const colon = key.name.indexOf(':');
    if (key.name.length > SERVICE_LIMITS.nameMaxLength) fail(field, 'length', `${field} must be at most ${SERVICE_LIMITS.nameMaxLength} characters long; got ${key.name.length}`);
    if (colon < 0 || key.name.slice(0, colon) !== prefix || !KEY_REST.test(key.name.slice(colon + 1))) {
      fail(field, 'pattern', `${field} ${quote(key.name)} must be "${prefix}:" followed by letters, digits, _ . : / < > - and \${Placeholder}s`);
    }
    if (!(CONDITION_KEY_TYPES as readonly string[]).includes(key.type)) {
      fail(`input.conditionKeys[${i}].type`, 'pattern', `input.conditionKeys[${i}].type ${quote(key.type)} is not one of ${CONDITION_KEY_TYPES.join(', ')}`);
    }
    if (keys.has(key.name.toLowerCase())) fail(field, 'duplicate', `${field} ${quote(key.name)} is defined twice (names compare in any case)`);
    keys.set(key.name.toLowerCase(), { name: key.name, type: key.type });
  });
  const keyNames = new Set(keys.keys());

  const typeInputs = input.resourceTypes ?? [];
  checkCount('input.resourceTypes', typeInputs, SERVICE_LIMITS.resourceTypes);
  const types = new Map<string, CatalogResourceType>();
  typeInputs.forEach((type, i) => {
    const field = `input.resourceTypes[${i}]`;
    checkName(`${field}.name`, type.name, RESOURCE_TYPE_NAME, 'resource type name');
    const problem = arnFormatProblem(type.arnPattern, prefix);
    if (problem !== undefined) fail(`${field}.arnPattern`, 'pattern', `${field}.arnPattern ${quote(type.arnPattern)} ${problem}`);
    const conditionKeys = checkKeyReferences(`${field}.conditionKeys`, type.conditionKeys, keyNames);
    if (types.has(type.name.toLowerCase())) fail(`${field}.name`, 'duplicate', `${field}.name ${quote(type.name)} is defined twice (names compare in any case)`);
    types.set(type.name.toLowerCase(), { name: type.name, arnPatterns: [type.arnPattern], conditionKeys });
  });

  checkCount('input.actions', input.actions, SERVICE_LIMITS.actions);
  const actions = new Map<string, CatalogAction>();
  input.actions.forEach((action, i) => {
    const field = `input.actions[${i}]`;
    checkName(`${field}.name`, action.name, ACTION_NAME, 'action name');
    if (!ACCESS_LEVELS.includes(action.accessLevel)) fail(`${field}.accessLevel`, 'pattern', `${field}.accessLevel ${quote(String(action.accessLevel))} is not one of ${ACCESS_LEVELS.join(', ')}`);
    const refs = action.resourceTypes ?? [];
    checkCount(`${field}.resourceTypes`, refs, SERVICE_LIMITS.resourceTypesPerAction);
    const seen = new Set<string>();
    const resourceTypes = refs.map((ref, j) => {
      const type = types.get(ref.name.toLowerCase());
      if (type === undefined) fail(`${field}.resourceTypes[${j}].name`, 'reference', `${field}.resourceTypes[${j}].name ${quote(ref.name)} is not one of this service's resource types`);
      if (seen.has(type.name)) fail(`${field}.resourceTypes[${j}].name`, 'duplicate', `${field}.resourceTypes[${j}].name ${quote(ref.name)} is listed twice`);
      seen.add(type.name);
      return { name: type.name, required: ref.required ?? true };
    });
    const conditionKeys = checkKeyReferences(`${field}.conditionKeys`, action.conditionKeys, keyNames);
    if (actions.has(action.name.toLowerCase())) fail(`${field}.name`, 'duplicate', `${field}.name ${quote(action.name)} is defined twice (action names compare in any case)`);
    actions.set(action.name.toLowerCase(), { name: action.name, accessLevel: action.accessLevel, resourceTypes, conditionKeys });
  });

  return { actions: [...actions.values()], resourceTypes: [...types.values()], conditionKeys: [...keys.values()] };
}
