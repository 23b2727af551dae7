/**
 * Users, groups, group membership and roles. Primary keys are the AWS unique ids (AIDA…, AGPA…,
 * AROA…), which never change and are what the change log names as affected principals; names,
 * paths and ARNs can change (UpdateUser/UpdateGroup), so other tables refer to the id. ARNs are
 * generated columns, so they cannot drift from the account, path and name they are made of.
 */
import { sql, type SQL } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { accounts } from './accounts.ts';
import { pathColumn, tagsColumn, timestamptz } from './columns.ts';
import { managedPolicies } from './policies.ts';
import { limits, nameCheck, nameRules, patternCheck, uniqueIdPatterns } from './rules.ts';

/** An IAM user; the account's root user is the row with `is_root` and the reserved name `root`. */
export const users = pgTable(
  'users',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id),
    path: pathColumn(),
    name: text('name').notNull(),
    arn: text('arn')
      .notNull()
      .generatedAlwaysAs(
        (): SQL =>
          sql`case when ${users.isRoot} then 'arn:aws:iam::' || ${users.accountId} || ':root' else 'arn:aws:iam::' || ${users.accountId} || ':user' || ${users.path} || ${users.name} end`,
      ),
    isRoot: boolean('is_root').notNull().default(false),
    tags: tagsColumn(),
    /** ARN of the managed policy used as permissions boundary; deleting that policy is a conflict. */
    permissionsBoundaryArn: text('permissions_boundary_arn').references(() => managedPolicies.arn, {
      onDelete: 'restrict',
    }),
    /** scrypt hash of the console password (the "login profile"); null means no password. */
    passwordHash: text('password_hash'),
    passwordChangedAt: timestamptz('password_changed_at'),
    passwordLastUsedAt: timestamptz('password_last_used_at'),
    passwordResetRequired: boolean('password_reset_required').notNull().default(false),
    /** Hashes of earlier passwords, newest first, for the password policy's reuse prevention. */
    passwordHistory: text('password_history')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    check('users_id_format', patternCheck(t.id, uniqueIdPatterns.user)),
    check('users_name_format', nameCheck(t.name, nameRules.userName)),
    check('users_path_format', nameCheck(t.path, nameRules.path)),
    check('users_tags_is_array', sql`jsonb_typeof(${t.tags}) = 'array'`),
    // Invariant: `root` is reserved for the account's root user, and the root user is named `root`.
    check('users_root_is_reserved', sql`${t.isRoot} = (lower(${t.name}) = 'root')`),
    uniqueIndex('users_arn_unique').on(t.arn),
    uniqueIndex('users_account_name_unique').on(t.accountId, sql`lower(${t.name})`),
    index('users_account_path_idx').on(t.accountId, t.path.op('text_pattern_ops')),
    index('users_boundary_idx').on(t.permissionsBoundaryArn),
  ],
);

/** An IAM group. */
export const groups = pgTable(
  'groups',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id),
    path: pathColumn(),
    name: text('name').notNull(),
    arn: text('arn')
      .notNull()
      .generatedAlwaysAs(
        (): SQL => sql`'arn:aws:iam::' || ${groups.accountId} || ':group' || ${groups.path} || ${groups.name}`,
      ),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    check('groups_id_format', patternCheck(t.id, uniqueIdPatterns.group)),
    check('groups_name_format', nameCheck(t.name, nameRules.groupName)),
    check('groups_path_format', nameCheck(t.path, nameRules.path)),
    uniqueIndex('groups_arn_unique').on(t.arn),
    uniqueIndex('groups_account_name_unique').on(t.accountId, sql`lower(${t.name})`),
    index('groups_account_path_idx').on(t.accountId, t.path.op('text_pattern_ops')),
  ],
);

/** Which users are in which groups. Deleting a user or group with members is a DeleteConflict. */
export const groupMemberships = pgTable(
  'group_memberships',
  {
    groupId: text('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'restrict' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.userId] }), index('group_memberships_user_idx').on(t.userId)],
);

/** An IAM role: a trust policy saying who may assume it, and identity policies for what it may do. */
export const roles = pgTable(
  'roles',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id),
    path: pathColumn(),
    name: text('name').notNull(),
    arn: text('arn')
      .notNull()
      .generatedAlwaysAs(
        (): SQL => sql`'arn:aws:iam::' || ${roles.accountId} || ':role' || ${roles.path} || ${roles.name}`,
      ),
    /** The assume-role (trust) policy document, JSON text as submitted. */
    trustPolicy: text('trust_policy').notNull(),
    /**
     * The unique id (AIDA…/AROA…) of each IAM user or role ARN the trust policy names, taken when
     * the policy was saved: the policy trusts that principal, not whoever holds the name later.
     */
    trustPrincipalIds: jsonb('trust_principal_ids')
      .$type<Record<string, string>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    description: text('description'),
    maxSessionDuration: integer('max_session_duration').notNull().default(limits.roleMaxSessionMinSeconds),
    permissionsBoundaryArn: text('permissions_boundary_arn').references(() => managedPolicies.arn, {
      onDelete: 'restrict',
    }),
    tags: tagsColumn(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    lastUsedAt: timestamptz('last_used_at'),
    lastUsedRegion: text('last_used_region'),
  },
  (t) => [
    check('roles_id_format', patternCheck(t.id, uniqueIdPatterns.role)),
    check('roles_name_format', nameCheck(t.name, nameRules.roleName)),
    check('roles_path_format', nameCheck(t.path, nameRules.path)),
    check('roles_tags_is_array', sql`jsonb_typeof(${t.tags}) = 'array'`),
    check('roles_description_length', sql`char_length(${t.description}) <= ${sql.raw(String(limits.descriptionMaxLength))}`),
    check(
      'roles_trust_policy_length',
      sql`char_length(${t.trustPolicy}) between 1 and ${sql.raw(String(limits.policyDocumentMaxLength))}`,
    ),
    check(
      'roles_max_session_duration_range',
      sql`${t.maxSessionDuration} between ${sql.raw(String(limits.roleMaxSessionMinSeconds))} and ${sql.raw(
        String(limits.roleMaxSessionMaxSeconds),
      )}`,
    ),
    uniqueIndex('roles_arn_unique').on(t.arn),
    uniqueIndex('roles_account_name_unique').on(t.accountId, sql`lower(${t.name})`),
    index('roles_account_path_idx').on(t.accountId, t.path.op('text_pattern_ops')),
    index('roles_boundary_idx').on(t.permissionsBoundaryArn),
  ],
);
