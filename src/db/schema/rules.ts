/**
 * AWS IAM naming rules, written once and used twice: as SQL CHECK constraints in the schema and
 * as regular expressions for code that validates input before it reaches the database.
 * Each pattern is written in the common subset of JavaScript and PostgreSQL regular expressions
 * (plain bracket expressions and anchors), so the same text means the same thing in both.
 *
 * Source: IAM API reference parameter constraints and "IAM and AWS STS quotas".
 */
import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';

/** One naming rule: a pattern (anchored) and a length range. */
export interface NameRule {
  readonly pattern: string;
  readonly minLength: number;
  readonly maxLength: number;
}

/** Characters AWS allows in user, group, role and policy names: `[\w+=,.@-]`, ASCII only. */
const NAME_CHARS = '[A-Za-z0-9_+=,.@-]';

/** The IAM naming rules by entity, keyed by what they name. */
export const nameRules = {
  accountId: { pattern: '^[0-9]{12}$', minLength: 12, maxLength: 12 },
  /** Account alias: lowercase letters, digits and single hyphens, not at either end. */
  accountAlias: { pattern: '^[a-z0-9]([a-z0-9]|-[a-z0-9])*$', minLength: 3, maxLength: 63 },
  userName: { pattern: `^${NAME_CHARS}+$`, minLength: 1, maxLength: 64 },
  groupName: { pattern: `^${NAME_CHARS}+$`, minLength: 1, maxLength: 128 },
  roleName: { pattern: `^${NAME_CHARS}+$`, minLength: 1, maxLength: 64 },
  policyName: { pattern: `^${NAME_CHARS}+$`, minLength: 1, maxLength: 128 },
  mfaDeviceName: { pattern: `^${NAME_CHARS}+$`, minLength: 1, maxLength: 226 },
  roleSessionName: { pattern: `^${NAME_CHARS}+$`, minLength: 2, maxLength: 64 },
  /** Path: `/` alone, or `/` + printable ASCII (0x21-0x7E) + `/`. */
  path: { pattern: '^(/|/[!-~]+/)$', minLength: 1, maxLength: 512 },
  /** Access key ids as the IAM API accepts them (`[\w]+`, 16-128); generated ones are AKIA… (below). */
  accessKeyId: { pattern: '^[A-Za-z0-9_]+$', minLength: 16, maxLength: 128 },
  /** Policy version ids are `v1`, `v2`, ... */
  policyVersionId: { pattern: '^v[1-9][0-9]*$', minLength: 2, maxLength: 12 },
  /** Service prefixes as AWS writes them (`s3`, `access-analyzer`): lower-case letters, digits, inner hyphens. */
  servicePrefix: { pattern: '^[a-z0-9]([a-z0-9-]*[a-z0-9])?$', minLength: 1, maxLength: 64 },
} as const satisfies Record<string, NameRule>;

/** Limits on free-text fields and numbers, per the IAM quotas page. */
export const limits = {
  descriptionMaxLength: 1000,
  policyDocumentMaxLength: 131_072,
  roleMaxSessionMinSeconds: 3600,
  roleMaxSessionMaxSeconds: 43_200,
  accessKeysPerUser: 2,
  policyVersionsPerPolicy: 5,
} as const;

/** Unique-id shapes: four-letter prefix plus 16 or 17 characters from A-Z and 2-7. */
export const uniqueIdPatterns = {
  user: '^AIDA[A-Z2-7]{16,17}$',
  group: '^AGPA[A-Z2-7]{16,17}$',
  role: '^AROA[A-Z2-7]{16,17}$',
  policy: '^ANPA[A-Z2-7]{16,17}$',
  accessKey: '^AKIA[A-Z2-7]{16}$',
  temporaryAccessKey: '^ASIA[A-Z2-7]{16}$',
} as const;

/** AWS Organizations id shapes, as its API reference documents them. */
export const organizationIdPatterns = {
  organization: '^o-[a-z0-9]{10,32}$',
  root: '^r-[0-9a-z]{4,32}$',
  organizationalUnit: '^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$',
  /** A parent is the root or an OU. */
  parent: '^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$',
  /** Customer policies get `p-` and 8 or more characters; AWS managed ones are `p-FullAWSAccess` and the like. */
  policy: '^p-[0-9a-zA-Z_]{8,128}$',
} as const;

const ACCOUNT_ID = new RegExp(nameRules.accountId.pattern);

/** Whether `value` is a 12-digit AWS account id (`nameRules.accountId`, compiled once). */
export function isAccountId(value: string): boolean {
  return ACCOUNT_ID.test(value);
}

/** True when `value` satisfies `rule` (length and pattern); the code-side twin of `nameCheck`. */
export function satisfiesRule(rule: NameRule, value: string): boolean {
  return (
    value.length >= rule.minLength && value.length <= rule.maxLength && new RegExp(rule.pattern).test(value)
  );
}

/** SQL literal for a pattern; patterns are constants above, never user input. */
function patternLiteral(pattern: string): SQL {
  return sql.raw(`'${pattern.replaceAll("'", "''")}'`);
}

/** The SQL twin of `satisfiesRule`: length bounds and the pattern, for a CHECK constraint. */
export function nameCheck(column: AnyPgColumn, rule: NameRule): SQL {
  return sql`char_length(${column}) between ${sql.raw(String(rule.minLength))} and ${sql.raw(
    String(rule.maxLength),
  )} and ${column} ~ ${patternLiteral(rule.pattern)}`;
}

/** SQL `column ~ 'pattern'` for a CHECK constraint on an id column. */
export function patternCheck(column: AnyPgColumn, pattern: string): SQL {
  return sql`${column} ~ ${patternLiteral(pattern)}`;
}
