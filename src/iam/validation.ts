/**
 * Input validation for directory operations, before anything reaches the database. The naming
 * rules come from src/db/schema/rules.ts (the same text backs the SQL CHECK constraints); the
 * rules that only input has (path prefixes, tag syntax, descriptions) are written here, citing the
 * IAM API reference. Every failure is a ValidationError naming the input field and the rule.
 */
import { limits, nameRules, type NameRule } from '../db/schema/rules.ts';
import type { Tag } from '../db/schema/index.ts';
import { ValidationError } from '../errors.ts';
import { quotaLimit } from './quotas.ts';

/** The entity names with a rule in rules.ts that input can carry. */
export type NameKind = 'userName' | 'groupName' | 'roleName' | 'policyName' | 'roleSessionName' | 'mfaDeviceName';

/** Stable rule names carried by ValidationError.rule. */
export type ValidationRule =
  | 'required'
  | 'length'
  | 'pattern'
  | 'reserved'
  | 'range'
  | 'duplicate'
  | 'count';

/** PathPrefix (ListUsers & co.): `/` followed by printable ASCII, 1-512 characters. */
const pathPrefixRule: NameRule = { pattern: '^/[!-~]*$', minLength: 1, maxLength: 512 };

/** Role and policy descriptions: tab, newline, CR, printable ASCII and Latin-1 (IAM API reference). */
const DESCRIPTION_PATTERN = /^[\t\n\r\u0020-\u007E\u00A1-\u00FF]*$/;

/** Tag keys and values: Unicode letters, separators, digits and `_ . : / = + - @` (IAM API reference). */
const TAG_KEY_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;
const TAG_VALUE_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const TAG_KEY_MAX = 128;
const TAG_VALUE_MAX = 256;
/** Prefix AWS reserves for its own tags; users cannot create or remove them. */
const RESERVED_TAG_PREFIX = 'aws:';

/** Quote user input in messages, bounded so a huge value does not become a huge message. */
function quote(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
}

/** Check `value` against a length-and-pattern rule; `what` reads well in a message ("user name"). */
function checkRule(field: string, what: string, rule: NameRule, value: string): string {
  if (value.length < rule.minLength || value.length > rule.maxLength) {
    throw new ValidationError(
      field,
      'length',
      `${field} must be ${rule.minLength}-${rule.maxLength} characters long; got ${value.length} for ${quote(value)}`,
    );
  }
  if (!new RegExp(rule.pattern).test(value)) {
    throw new ValidationError(field, 'pattern', `${field} ${quote(value)} is not a valid ${what}: it must match ${rule.pattern}`);
  }
  return value;
}

const nameWords: Record<NameKind, string> = {
  userName: 'user name',
  groupName: 'group name',
  roleName: 'role name',
  policyName: 'policy name',
  roleSessionName: 'role session name',
  mfaDeviceName: 'mfa device name',
};

/**
 * Validate a user, group, role or policy name (and session / MFA device names). `field` defaults
 * to `input.<kind>`. User names also may not be `root` (any case): it is reserved for the root user.
 */
export function validateName(kind: NameKind, value: string, field: string = `input.${kind}`): string {
  checkRule(field, nameWords[kind], nameRules[kind], value);
  if (kind === 'userName' && value.toLowerCase() === 'root') {
    throw new ValidationError(field, 'reserved', `${field} ${quote(value)} is reserved for the account's root user`);
  }
  return value;
}

/** Validate an IAM path (`/` or `/a/b/`); undefined becomes the default `/`. */
export function validatePath(value: string | null | undefined, field = 'input.path'): string {
  if (value === undefined || value === null) return '/';
  return checkRule(field, 'path (it must begin and end with "/")', nameRules.path, value);
}

/** Validate a list filter's path prefix (`/`, `/division_abc/`, `/div`); undefined becomes `/`. */
export function validatePathPrefix(value: string | null | undefined, field = 'pathPrefix'): string {
  if (value === undefined || value === null) return '/';
  return checkRule(field, 'path prefix (it must begin with "/")', pathPrefixRule, value);
}

/** Validate a role or policy description (at most 1000 characters of the allowed set); null stays null. */
export function validateDescription(value: string | null | undefined, field = 'input.description'): string | null {
  if (value === undefined || value === null) return null;
  if (value.length > limits.descriptionMaxLength) {
    throw new ValidationError(
      field,
      'length',
      `${field} must be at most ${limits.descriptionMaxLength} characters long; got ${value.length}`,
    );
  }
  if (!DESCRIPTION_PATTERN.test(value)) {
    throw new ValidationError(field, 'pattern', `${field} contains characters outside tab, newline and printable Latin-1`);
  }
  return value;
}

/** Validate a role's maximum session duration in seconds (3600-43200); undefined becomes 3600. */
export function validateMaxSessionDuration(value: number | null | undefined, field = 'input.maxSessionDuration'): number {
  if (value === undefined || value === null) return limits.roleMaxSessionMinSeconds;
  const min = limits.roleMaxSessionMinSeconds;
  const max = limits.roleMaxSessionMaxSeconds;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(field, 'range', `${field} must be a whole number of seconds from ${min} to ${max}; got ${value}`);
  }
  return value;
}

/** Validate one tag key (1-128 characters, allowed characters, not `aws:`-prefixed). */
export function validateTagKey(key: string, field: string): string {
  if (key.length < 1 || key.length > TAG_KEY_MAX) {
    throw new ValidationError(field, 'length', `${field} must be 1-${TAG_KEY_MAX} characters long; got ${key.length}`);
  }
  if (!TAG_KEY_PATTERN.test(key)) {
    throw new ValidationError(
      field,
      'pattern',
      `${field} ${quote(key)} may contain only letters, digits, spaces and _ . : / = + - @`,
    );
  }
  if (key.toLowerCase().startsWith(RESERVED_TAG_PREFIX)) {
    throw new ValidationError(field, 'reserved', `${field} ${quote(key)} uses the reserved prefix "aws:"`);
  }
  return key;
}

/** Validate one tag value (0-256 characters of the allowed set). */
export function validateTagValue(value: string, field: string): string {
  if (value.length > TAG_VALUE_MAX) {
    throw new ValidationError(field, 'length', `${field} must be at most ${TAG_VALUE_MAX} characters long; got ${value.length}`);
  }
  if (!TAG_VALUE_PATTERN.test(value)) {
    throw new ValidationError(
      field,
      'pattern',
      `${field} ${quote(value)} may contain only letters, digits, spaces and _ . : / = + - @`,
    );
  }
  return value;
}

/**
 * Validate a list of tags: each key and value, keys unique case-insensitively (IAM treats `Team`
 * and `team` as one key for users and roles), and at most 50 tags in one request.
 */
export function validateTags(tags: readonly Tag[] | null | undefined, field = 'input.tags'): Tag[] {
  if (tags === undefined || tags === null) return [];
  const max = quotaLimit('TagsPerEntity');
  if (tags.length > max) {
    throw new ValidationError(field, 'count', `${field} may hold at most ${max} tags; got ${tags.length}`);
  }
  const seen = new Set<string>();
  return tags.map((tag, i) => {
    validateTagKey(tag.key, `${field}[${i}].key`);
    validateTagValue(tag.value, `${field}[${i}].value`);
    const lower = tag.key.toLowerCase();
    if (seen.has(lower)) {
      throw new ValidationError(`${field}[${i}].key`, 'duplicate', `${field}[${i}].key ${quote(tag.key)} repeats an earlier key`);
    }
    seen.add(lower);
    return { key: tag.key, value: tag.value };
  });
}

/** Validate tag keys for an untag request: each a valid key, at most 50. */
export function validateTagKeys(keys: readonly string[], field = 'input.tagKeys'): string[] {
  const max = quotaLimit('TagsPerEntity');
  if (keys.length > max) {
    throw new ValidationError(field, 'count', `${field} may hold at most ${max} keys; got ${keys.length}`);
  }
  return keys.map((key, i) => validateTagKey(key, `${field}[${i}]`));
}

/** Require a non-empty string where GraphQL's type system cannot (e.g. empty policy documents). */
export function validateRequired(value: string, field: string): string {
  if (value.length === 0) throw new ValidationError(field, 'required', `${field} must not be empty`);
  return value;
}
