/**
 * What links policies to principals: managed-policy attachments and inline policies.
 * Each row names its principal through exactly one of three foreign-key columns (so the database
 * enforces that the principal exists) plus a generated `principal_id` (the unique id, AIDA…/AGPA…/
 * AROA…), which is what the authorizer looks rows up by: `principal_id = any($ids)` for a user
 * and its groups in one round trip.
 */
import { sql, type SQL } from 'drizzle-orm';
import { check, index, pgEnum, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { timestamptz } from './columns.ts';
import { managedPolicies } from './policies.ts';
import { groups, roles, users } from './principals.ts';
import { limits, nameCheck, nameRules } from './rules.ts';

/** The three kinds of identity a policy can be attached to. */
export const principalKind = pgEnum('principal_kind', ['user', 'group', 'role']);

/** Principal columns shared by both tables: kind, one FK per kind (DeleteConflict), generated id. */
function principalColumns() {
  return {
    principalKind: principalKind('principal_kind').notNull(),
    userId: text('user_id').references(() => users.id, { onDelete: 'restrict' }),
    groupId: text('group_id').references(() => groups.id, { onDelete: 'restrict' }),
    roleId: text('role_id').references(() => roles.id, { onDelete: 'restrict' }),
  };
}

/** CHECK: the FK column matching `principal_kind` is set and the other two are null. */
function onePrincipal(t: { principalKind: unknown; userId: unknown; groupId: unknown; roleId: unknown }): SQL {
  return sql`case ${t.principalKind}
    when 'user' then ${t.userId} is not null and ${t.groupId} is null and ${t.roleId} is null
    when 'group' then ${t.groupId} is not null and ${t.userId} is null and ${t.roleId} is null
    when 'role' then ${t.roleId} is not null and ${t.userId} is null and ${t.groupId} is null
  end`;
}

/** A managed policy attached to a user, group or role. Detach before deleting either side. */
export const policyAttachments = pgTable(
  'policy_attachments',
  {
    policyId: text('policy_id')
      .notNull()
      .references(() => managedPolicies.id, { onDelete: 'restrict' }),
    ...principalColumns(),
    principalId: text('principal_id')
      .notNull()
      .generatedAlwaysAs(
        (): SQL =>
          sql`coalesce(${policyAttachments.userId}, ${policyAttachments.groupId}, ${policyAttachments.roleId})`,
      ),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.principalId, t.policyId] }),
    check('policy_attachments_one_principal', onePrincipal(t)),
    index('policy_attachments_policy_idx').on(t.policyId),
    // Serve the user/group/role foreign keys' RESTRICT checks without scanning.
    index('policy_attachments_user_idx').on(t.userId),
    index('policy_attachments_group_idx').on(t.groupId),
    index('policy_attachments_role_idx').on(t.roleId),
  ],
);

/** An inline policy embedded in one user, group or role (PutUserPolicy and friends). */
export const inlinePolicies = pgTable(
  'inline_policies',
  {
    ...principalColumns(),
    principalId: text('principal_id')
      .notNull()
      .generatedAlwaysAs(
        (): SQL => sql`coalesce(${inlinePolicies.userId}, ${inlinePolicies.groupId}, ${inlinePolicies.roleId})`,
      ),
    name: text('name').notNull(),
    /** The policy JSON text as submitted. */
    document: text('document').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.principalId, t.name] }),
    check('inline_policies_one_principal', onePrincipal(t)),
    check('inline_policies_name_format', nameCheck(t.name, nameRules.policyName)),
    check(
      'inline_policies_document_length',
      sql`char_length(${t.document}) between 1 and ${sql.raw(String(limits.policyDocumentMaxLength))}`,
    ),
    index('inline_policies_user_idx').on(t.userId),
    index('inline_policies_group_idx').on(t.groupId),
    index('inline_policies_role_idx').on(t.roleId),
  ],
);
