/** Accounts and the per-account settings that hang off them: password policy, sign-in throttling. */
import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, text, uniqueIndex, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { tagsColumn, timestamptz } from './columns.ts';
import { nameCheck, nameRules, organizationIdPatterns, patternCheck } from './rules.ts';

/** Account states, as DescribeAccount reports them. */
export const ACCOUNT_STATES = ['ACTIVE', 'SUSPENDED', 'PENDING_CLOSURE'] as const;
export type AccountState = (typeof ACCOUNT_STATES)[number];


/** An AWS-style account: a 12-digit id that owns every other entity. */
export const accounts = pgTable(
  'accounts',
  {
    id: text('id').primaryKey(),
    alias: text('alias'),
    /** The account's name and email in its organization (CreateAccount's AccountName and Email). */
    name: text('name'),
    email: text('email'),
    /** ACTIVE, or PENDING_CLOSURE once closed: its principals no longer authenticate; its data is kept. */
    state: text('state').$type<AccountState>().notNull().default('ACTIVE'),
    closedAt: timestamptz('closed_at'),
    /** The organization the account belongs to (null: a standalone account) and its parent there (root or OU). */
    organizationId: text('organization_id').references((): AnyPgColumn => organizations.id),
    parentId: text('parent_id'),
    /** CREATED by CreateAccount, or INVITED (the management account, which created the organization). */
    joinedMethod: text('joined_method').$type<'CREATED' | 'INVITED'>(),
    joinedAt: timestamptz('joined_at'),
    /** The account's tags in its organization (CreateAccount's Tags): aws:ResourceTag/* of Organizations actions on it. */
    tags: tagsColumn(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    check('accounts_id_format', nameCheck(t.id, nameRules.accountId)),
    check('accounts_state', sql`${t.state} in ('ACTIVE', 'SUSPENDED', 'PENDING_CLOSURE')`),
    check('accounts_parent_format', patternCheck(t.parentId, organizationIdPatterns.parent)),
    check('accounts_parent_with_organization', sql`(${t.organizationId} is null) = (${t.parentId} is null)`),
    index('accounts_parent_idx').on(t.parentId),
    // CreateAccount refuses an email another account already uses (DuplicateAccountException).
    uniqueIndex('accounts_email_unique').on(sql`lower(${t.email})`),
    index('accounts_organization_idx').on(t.organizationId),
    check('accounts_alias_format', nameCheck(t.alias, nameRules.accountAlias)),
    uniqueIndex('accounts_alias_unique').on(t.alias),
  ],
);

/** The account password policy (UpdateAccountPasswordPolicy); absent row means AWS defaults. */
export const passwordPolicies = pgTable(
  'password_policies',
  {
    accountId: text('account_id')
      .primaryKey()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    minimumPasswordLength: integer('minimum_password_length').notNull().default(8),
    requireSymbols: boolean('require_symbols').notNull().default(false),
    requireNumbers: boolean('require_numbers').notNull().default(false),
    requireUppercaseCharacters: boolean('require_uppercase_characters').notNull().default(false),
    requireLowercaseCharacters: boolean('require_lowercase_characters').notNull().default(false),
    allowUsersToChangePassword: boolean('allow_users_to_change_password').notNull().default(false),
    /** Days before a password expires; null means never. */
    maxPasswordAge: integer('max_password_age'),
    /** How many previous passwords may not be reused; null means no rule. */
    passwordReusePrevention: integer('password_reuse_prevention'),
    hardExpiry: boolean('hard_expiry').notNull().default(false),
  },
  (t) => [
    check('password_policies_minimum_length', sql`${t.minimumPasswordLength} between 6 and 128`),
    check('password_policies_max_age', sql`${t.maxPasswordAge} between 1 and 1095`),
    check('password_policies_reuse_prevention', sql`${t.passwordReusePrevention} between 1 and 24`),
  ],
);

/** The kinds of organization policy Portcullis evaluates, with AWS's enum names. */
export const ORGANIZATION_POLICY_TYPES = ['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY'] as const;
export type OrganizationPolicyType = (typeof ORGANIZATION_POLICY_TYPES)[number];

/** The organization: its id, its root's id and its management account. */
export const organizations = pgTable(
  'organizations',
  {
    id: text('id').primaryKey(),
    rootId: text('root_id').notNull(),
    managementAccountId: text('management_account_id')
      .notNull()
      .references((): AnyPgColumn => accounts.id),
    /** The root's tags (TagResource on `r-…`): aws:ResourceTag/* of Organizations actions on the root. */
    rootTags: tagsColumn('root_tags'),
    /**
     * The policy types enabled in the root (EnablePolicyType, DisablePolicyType): only these can be
     * attached, and only these bind. Both from the start (AWS starts with none; see policy-types.ts).
     */
    enabledPolicyTypes: text('enabled_policy_types')
      .$type<OrganizationPolicyType>()
      .array()
      .notNull()
      .default(sql`array['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY']::text[]`),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    check('organizations_id_format', patternCheck(t.id, organizationIdPatterns.organization)),
    check('organizations_root_id_format', patternCheck(t.rootId, organizationIdPatterns.root)),
    check('organizations_enabled_policy_types_known', sql`${t.enabledPolicyTypes} <@ array['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY']::text[]`),
    uniqueIndex('organizations_root_unique').on(t.rootId),
    uniqueIndex('organizations_management_account_unique').on(t.managementAccountId),
  ],
);
