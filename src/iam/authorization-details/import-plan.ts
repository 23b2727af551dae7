/**
 * Reading an authorization-details document for import: every element is checked before anything
 * is written, and the first problem refuses the whole import with a typed error whose `field` is
 * the element's JSON path (`$.RoleDetailList[3].AssumeRolePolicyDocument`). What comes out is a
 * plan: the entities to create, their relationships by name or ARN, and what is skipped.
 */
import type { Tag } from '../../db/schema/index.ts';
import { ValidationError } from '../../errors.ts';
import { checkPolicyDocument, documentSize } from '../policy-documents.ts';
import { quotaLimit, type PolicySizeUse } from '../quotas.ts';
import { validateDescription, validateName, validatePath, validateTagKey, validateTagValue, type NameKind } from '../validation.ts';
import type { Json } from './document.ts';

/** The largest document an import reads: 50 MB, as the issue bounds it. */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

/** A policy document to store, with where it was found. */
export interface PlannedDocument {
  readonly text: string;
  readonly at: string;
}

/** A reference to a managed policy (attachment or boundary), by ARN as the document spells it. */
export interface PolicyReference {
  readonly arn: string;
  readonly at: string;
}

/** A user, group or role to create. */
export interface PlannedPrincipal {
  readonly kind: 'user' | 'group' | 'role';
  readonly at: string;
  readonly previousId: string | undefined;
  readonly name: string;
  readonly path: string;
  readonly createdAt: Date | undefined;
  readonly tags: Tag[];
  readonly boundary: PolicyReference | undefined;
  readonly inline: ReadonlyArray<PlannedDocument & { readonly name: string }>;
  readonly attached: readonly PolicyReference[];
  /** Users: the groups they are in, by name. */
  readonly groups: ReadonlyArray<{ readonly name: string; readonly at: string }>;
  /** Roles: the trust policy. */
  readonly trust: PlannedDocument | undefined;
}

/** A customer managed policy to create, with every version. */
export interface PlannedPolicy {
  readonly at: string;
  readonly previousId: string | undefined;
  /** The ARN the document gives it, which attachments and boundaries refer to. */
  readonly previousArn: string;
  readonly name: string;
  readonly path: string;
  readonly description: string | null;
  readonly isAttachable: boolean;
  readonly createdAt: Date | undefined;
  readonly updatedAt: Date | undefined;
  readonly versions: ReadonlyArray<PlannedDocument & { readonly number: number; readonly isDefault: boolean; readonly createdAt: Date | undefined }>;
}

/** Something the document holds that the import does not create, and why. */
export interface SkippedElement {
  readonly path: string;
  readonly reason: string;
}

/** Everything an import will do. */
export interface ImportPlan {
  readonly users: PlannedPrincipal[];
  readonly groups: PlannedPrincipal[];
  readonly roles: PlannedPrincipal[];
  readonly policies: PlannedPolicy[];
  /** AWS managed policies the document lists: not created (they are built in, or missing here). */
  readonly builtInPolicies: ReadonlyArray<{ readonly arn: string; readonly at: string }>;
  readonly skipped: SkippedElement[];
}

const quote = (value: unknown): string => JSON.stringify(typeof value === 'string' ? value.slice(0, 200) : value);

function fail(at: string, rule: string, message: string): never {
  throw new ValidationError(at, rule, `${at} ${message}`);
}

type Obj = { readonly [key: string]: Json };

function object(value: Json | undefined, at: string): Obj {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(at, 'type', `must be an object; got ${value === undefined ? 'nothing' : quote(value)}`);
  return value;
}

function list(value: Json | undefined, at: string): readonly Json[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) fail(at, 'type', 'must be a list');
  return value;
}

function text(parent: Obj, key: string, at: string): string {
  const value = parent[key];
  if (typeof value !== 'string') fail(`${at}.${key}`, 'required', `must be a string; got ${value === undefined ? 'nothing' : quote(value)}`);
  return value;
}

function optionalText(parent: Obj, key: string, at: string): string | undefined {
  const value = parent[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') fail(`${at}.${key}`, 'type', `must be a string; got ${quote(value)}`);
  return value;
}

function date(parent: Obj, key: string, at: string): Date | undefined {
  const value = optionalText(parent, key, at);
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) fail(`${at}.${key}`, 'date', `is not an ISO 8601 date: ${quote(value)}`);
  return new Date(ms);
}

/**
 * A policy document as stored text: the CLI gives a JSON object, the raw API URL-encoded JSON
 * text; plain JSON text is accepted too. Validated for `use` (MalformedPolicyDocument naming `at`).
 */
function policyText(value: Json | undefined, at: string, use: PolicySizeUse, otherInlineSize = 0): string {
  let stored: string;
  if (typeof value === 'string') {
    stored = value.trimStart().startsWith('{') ? value : safeDecode(value, at);
  } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    stored = JSON.stringify(value);
  } else {
    fail(at, 'type', `must be a policy document (a JSON object or URL-encoded JSON text); got ${value === undefined ? 'nothing' : quote(value)}`);
  }
  checkPolicyDocument(stored, use, at, { otherInlineSize });
  return stored;
}

function safeDecode(value: string, at: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    fail(at, 'encoding', 'is neither JSON nor URL-encoded JSON text');
  }
}

function tags(value: Json | undefined, at: string): Tag[] {
  const items = list(value, at);
  if (items.length > quotaLimit('TagsPerEntity')) fail(at, 'count', `may hold at most ${quotaLimit('TagsPerEntity')} tags; got ${items.length}`);
  const seen = new Set<string>();
  return items.map((item, i) => {
    const tag = object(item, `${at}[${i}]`);
    const key = validateTagKey(text(tag, 'Key', `${at}[${i}]`), `${at}[${i}].Key`);
    const tagValue = validateTagValue(text(tag, 'Value', `${at}[${i}]`), `${at}[${i}].Value`);
    if (seen.has(key.toLowerCase())) fail(`${at}[${i}].Key`, 'duplicate', `${quote(key)} repeats an earlier key`);
    seen.add(key.toLowerCase());
    return { key, value: tagValue };
  });
}

function attachedPolicies(value: Json | undefined, at: string, quota: 'AttachedPoliciesPerUser' | 'AttachedPoliciesPerGroup' | 'AttachedPoliciesPerRole'): PolicyReference[] {
  const items = list(value, at);
  if (items.length > quotaLimit(quota)) fail(at, 'count', `may hold at most ${quotaLimit(quota)} policies (${quota}); got ${items.length}`);
  return items.map((item, i) => ({ arn: text(object(item, `${at}[${i}]`), 'PolicyArn', `${at}[${i}]`), at: `${at}[${i}].PolicyArn` }));
}

function boundary(parent: Obj, at: string): PolicyReference | undefined {
  const value = parent['PermissionsBoundary'];
  if (value === undefined || value === null) return undefined;
  const where = `${at}.PermissionsBoundary`;
  return { arn: text(object(value, where), 'PermissionsBoundaryArn', where), at: `${where}.PermissionsBoundaryArn` };
}

function inlinePolicies(value: Json | undefined, at: string, use: PolicySizeUse): Array<PlannedDocument & { name: string }> {
  let total = 0;
  const seen = new Set<string>();
  return list(value, at).map((item, i) => {
    const where = `${at}[${i}]`;
    const entry = object(item, where);
    const name = validateName('policyName', text(entry, 'PolicyName', where), `${where}.PolicyName`);
    if (seen.has(name)) fail(`${where}.PolicyName`, 'duplicate', `${quote(name)} repeats an earlier inline policy`);
    seen.add(name);
    const stored = policyText(entry['PolicyDocument'], `${where}.PolicyDocument`, use, total);
    total += documentSize(stored);
    return { name, text: stored, at: `${where}.PolicyDocument` };
  });
}

/** The common parts of a user, group or role. */
function principal(kind: PlannedPrincipal['kind'], entry: Obj, at: string): Pick<PlannedPrincipal, 'kind' | 'at' | 'previousId' | 'name' | 'path' | 'createdAt'> {
  const nameKey = kind === 'user' ? 'UserName' : kind === 'group' ? 'GroupName' : 'RoleName';
  const idKey = kind === 'user' ? 'UserId' : kind === 'group' ? 'GroupId' : 'RoleId';
  const nameKind: NameKind = `${kind}Name`;
  return {
    kind,
    at,
    previousId: optionalText(entry, idKey, at),
    name: validateName(nameKind, text(entry, nameKey, at), `${at}.${nameKey}`),
    path: validatePath(optionalText(entry, 'Path', at) ?? '/', `${at}.Path`),
    createdAt: date(entry, 'CreateDate', at),
  };
}

function versionNumber(id: string, at: string): number {
  const match = /^v([1-9][0-9]{0,8})$/.exec(id);
  if (match === null) fail(at, 'pattern', `is not a policy version id (v1, v2, …): ${quote(id)}`);
  return Number(match[1]);
}

function managedPolicy(entry: Obj, at: string): PlannedPolicy {
  const arn = text(entry, 'Arn', at);
  const name = validateName('policyName', text(entry, 'PolicyName', at), `${at}.PolicyName`);
  const defaultId = optionalText(entry, 'DefaultVersionId', at);
  const items = list(entry['PolicyVersionList'], `${at}.PolicyVersionList`);
  if (items.length === 0) fail(`${at}.PolicyVersionList`, 'required', 'must hold at least one version');
  if (items.length > quotaLimit('VersionsPerPolicy')) fail(`${at}.PolicyVersionList`, 'count', `may hold at most ${quotaLimit('VersionsPerPolicy')} versions; got ${items.length}`);
  const numbers = new Set<number>();
  const versions = items.map((item, i) => {
    const where = `${at}.PolicyVersionList[${i}]`;
    const version = object(item, where);
    const id = text(version, 'VersionId', where);
    const number = versionNumber(id, `${where}.VersionId`);
    if (numbers.has(number)) fail(`${where}.VersionId`, 'duplicate', `${quote(id)} repeats an earlier version`);
    numbers.add(number);
    const flag = version['IsDefaultVersion'];
    const isDefault = defaultId === undefined ? flag === true : id === defaultId;
    return { number, isDefault, createdAt: date(version, 'CreateDate', where), text: policyText(version['Document'], `${where}.Document`, 'managed'), at: `${where}.Document` };
  });
  if (versions.filter((v) => v.isDefault).length !== 1) {
    fail(defaultId === undefined ? `${at}.PolicyVersionList` : `${at}.DefaultVersionId`, 'default-version', 'must name exactly one default version among PolicyVersionList');
  }
  const attachable = entry['IsAttachable'];
  return {
    at,
    previousId: optionalText(entry, 'PolicyId', at),
    previousArn: arn,
    name,
    path: validatePath(optionalText(entry, 'Path', at) ?? '/', `${at}.Path`),
    description: validateDescription(optionalText(entry, 'Description', at), `${at}.Description`),
    isAttachable: attachable === undefined ? true : attachable === true,
    createdAt: date(entry, 'CreateDate', at),
    updatedAt: date(entry, 'UpdateDate', at),
    versions,
  };
}

/** Parses `document` (JSON text) into a plan; the first bad element is a ValidationError or MalformedPolicyDocument naming its path. */
export function planImport(document: string): ImportPlan {
  if (Buffer.byteLength(document, 'utf8') > MAX_IMPORT_BYTES) {
    fail('$', 'size', `is ${Buffer.byteLength(document, 'utf8')} bytes; an import reads at most ${MAX_IMPORT_BYTES} (50 MB)`);
  }
  let parsed: Json;
  try {
    parsed = JSON.parse(document) as Json;
  } catch (error) {
    // Node's message says where the text broke off ("Unexpected end of JSON input", "… at position 812").
    fail('$', 'json', `is not JSON: ${(error as Error).message}`);
  }
  const root = object(parsed, '$');
  const skipped: SkippedElement[] = [];

  const groups = list(root['GroupDetailList'], '$.GroupDetailList').map((item, i): PlannedPrincipal => {
    const at = `$.GroupDetailList[${i}]`;
    const entry = object(item, at);
    return {
      ...principal('group', entry, at),
      tags: [],
      boundary: undefined,
      inline: inlinePolicies(entry['GroupPolicyList'], `${at}.GroupPolicyList`, 'groupInline'),
      attached: attachedPolicies(entry['AttachedManagedPolicies'], `${at}.AttachedManagedPolicies`, 'AttachedPoliciesPerGroup'),
      groups: [],
      trust: undefined,
    };
  });

  const users = list(root['UserDetailList'], '$.UserDetailList').map((item, i): PlannedPrincipal => {
    const at = `$.UserDetailList[${i}]`;
    const entry = object(item, at);
    const memberOf = list(entry['GroupList'], `${at}.GroupList`);
    if (memberOf.length > quotaLimit('GroupsPerUser')) fail(`${at}.GroupList`, 'count', `may hold at most ${quotaLimit('GroupsPerUser')} groups (GroupsPerUser); got ${memberOf.length}`);
    return {
      ...principal('user', entry, at),
      tags: tags(entry['Tags'], `${at}.Tags`),
      boundary: boundary(entry, at),
      inline: inlinePolicies(entry['UserPolicyList'], `${at}.UserPolicyList`, 'userInline'),
      attached: attachedPolicies(entry['AttachedManagedPolicies'], `${at}.AttachedManagedPolicies`, 'AttachedPoliciesPerUser'),
      groups: memberOf.map((name, j) => {
        if (typeof name !== 'string') fail(`${at}.GroupList[${j}]`, 'type', `must be a group name; got ${quote(name)}`);
        return { name, at: `${at}.GroupList[${j}]` };
      }),
      trust: undefined,
    };
  });

  const roles: PlannedPrincipal[] = [];
  list(root['RoleDetailList'], '$.RoleDetailList').forEach((item, i) => {
    const at = `$.RoleDetailList[${i}]`;
    const entry = object(item, at);
    const path = optionalText(entry, 'Path', at) ?? '/';
    if (path.startsWith('/aws-service-role/')) {
      skipped.push({ path: at, reason: `service-linked role ${quote(optionalText(entry, 'RoleName', at) ?? '')}: AWS creates these for its services` });
      return;
    }
    const profiles = list(entry['InstanceProfileList'], `${at}.InstanceProfileList`);
    if (profiles.length > 0) skipped.push({ path: `${at}.InstanceProfileList`, reason: `${profiles.length} instance profile(s): Portcullis has no instance profiles` });
    const lastUsed = entry['RoleLastUsed'];
    if (lastUsed !== undefined && lastUsed !== null && typeof lastUsed === 'object' && 'LastUsedDate' in lastUsed) {
      skipped.push({ path: `${at}.RoleLastUsed`, reason: 'last-used data describes the other account; the imported role starts unused' });
    }
    roles.push({
      ...principal('role', entry, at),
      tags: tags(entry['Tags'], `${at}.Tags`),
      boundary: boundary(entry, at),
      inline: inlinePolicies(entry['RolePolicyList'], `${at}.RolePolicyList`, 'roleInline'),
      attached: attachedPolicies(entry['AttachedManagedPolicies'], `${at}.AttachedManagedPolicies`, 'AttachedPoliciesPerRole'),
      groups: [],
      trust: { text: policyText(entry['AssumeRolePolicyDocument'], `${at}.AssumeRolePolicyDocument`, 'trust'), at: `${at}.AssumeRolePolicyDocument` },
    });
  });

  const policies: PlannedPolicy[] = [];
  const builtInPolicies: Array<{ arn: string; at: string }> = [];
  list(root['Policies'], '$.Policies').forEach((item, i) => {
    const at = `$.Policies[${i}]`;
    const entry = object(item, at);
    const arn = text(entry, 'Arn', at);
    if (arn.startsWith('arn:aws:iam::aws:policy/')) builtInPolicies.push({ arn, at });
    else policies.push(managedPolicy(entry, at));
  });

  return { users, groups, roles, policies, builtInPolicies, skipped };
}
