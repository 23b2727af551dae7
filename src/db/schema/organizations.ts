/**
 * AWS Organizations: one organization per deployment, whose management account is the bootstrap
 * account; its root, organizational units (OUs), and the service and resource control policies
 * (SCPs, RCPs) attached to the root, OUs and accounts. An account's place in the tree is on the
 * `accounts` row (`organization_id`, `parent_id`). The `organizations` table itself lives beside
 * `accounts` (accounts.ts), since each references the other. Ids and ARNs follow AWS Organizations' formats:
 * `o-…`, `r-…`, `ou-<root>-…`, `p-…`.
 *
 * Source: AWS Organizations API reference (parameter patterns) and "Quotas for AWS Organizations".
 */
import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { ORGANIZATION_POLICY_TYPES, organizations, type OrganizationPolicyType } from './accounts.ts';
import { tagsColumn, timestamptz } from './columns.ts';
import { organizationIdPatterns, patternCheck } from './rules.ts';

/** Quotas from "Quotas for AWS Organizations". */
export const organizationLimits = {
  /** Maximum SCPs (or RCPs) attached to one root, OU or account. */
  policiesPerTarget: 5,
  /** Maximum characters of an SCP or RCP document. */
  policyContentMaxLength: 5120,
  /** OUs may nest five levels below the root. */
  ouMaxDepth: 5,
  ouNameMaxLength: 128,
  policyNameMaxLength: 128,
  policyDescriptionMaxLength: 512,
  accountNameMaxLength: 50,
} as const;

/** An organizational unit; its parent is the root or another OU of the same organization. */
export const organizationalUnits = pgTable(
  'organizational_units',
  {
    id: text('id').primaryKey(),
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id),
    parentId: text('parent_id').notNull(),
    name: text('name').notNull(),
    /** TagResource's tags: aws:ResourceTag/* of Organizations actions on the OU. */
    tags: tagsColumn(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    check('organizational_units_id_format', patternCheck(t.id, organizationIdPatterns.organizationalUnit)),
    check('organizational_units_parent_format', patternCheck(t.parentId, organizationIdPatterns.parent)),
    check('organizational_units_name_length', sql`char_length(${t.name}) between 1 and ${sql.raw(String(organizationLimits.ouNameMaxLength))}`),
    index('organizational_units_parent_idx').on(t.parentId),
    // AWS refuses a second OU of the same name under one parent (DuplicateOrganizationalUnitException).
    uniqueIndex('organizational_units_parent_name_unique').on(t.parentId, t.name),
  ],
);

/** A service or resource control policy; AWS managed ones (FullAWSAccess, RCPFullAWSAccess) have no organization. */
export const organizationPolicies = pgTable(
  'organization_policies',
  {
    id: text('id').primaryKey(),
    /** Null for AWS managed policies, shared by every organization. */
    organizationId: text('organization_id').references(() => organizations.id),
    type: text('type').$type<OrganizationPolicyType>().notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    awsManaged: boolean('aws_managed').notNull().default(false),
    /** Highest version number ever created; the current content is that version's. */
    currentVersion: integer('current_version').notNull().default(1),
    tags: tagsColumn(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    check('organization_policies_id_format', patternCheck(t.id, organizationIdPatterns.policy)),
    check('organization_policies_type', sql`${t.type} in ('SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY')`),
    check('organization_policies_name_length', sql`char_length(${t.name}) between 1 and ${sql.raw(String(organizationLimits.policyNameMaxLength))}`),
    check(
      'organization_policies_description_length',
      sql`char_length(${t.description}) <= ${sql.raw(String(organizationLimits.policyDescriptionMaxLength))}`,
    ),
    check('organization_policies_managed_has_no_organization', sql`(${t.awsManaged}) = (${t.organizationId} is null)`),
    uniqueIndex('organization_policies_name_unique').on(sql`coalesce(${t.organizationId}, 'aws')`, t.type, t.name),
  ],
);

/** Every content an organization policy has had, `1`, `2`, …; decisions cache compiled content by (policy, version). */
export const organizationPolicyVersions = pgTable(
  'organization_policy_versions',
  {
    policyId: text('policy_id')
      .notNull()
      .references(() => organizationPolicies.id, { onDelete: 'cascade' }),
    versionNumber: integer('version_number').notNull(),
    content: text('content').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.policyId, t.versionNumber] }),
    check('organization_policy_versions_number_positive', sql`${t.versionNumber} >= 1`),
    check(
      'organization_policy_versions_content_length',
      sql`char_length(${t.content}) between 1 and ${sql.raw(String(organizationLimits.policyContentMaxLength))}`,
    ),
  ],
);

/** Which policy is attached to which target: the root, an OU or an account of the organization. */
export const organizationPolicyAttachments = pgTable(
  'organization_policy_attachments',
  {
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id),
    policyId: text('policy_id')
      .notNull()
      .references(() => organizationPolicies.id),
    /** `r-…`, `ou-…` or a 12-digit account id. */
    targetId: text('target_id').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.policyId, t.targetId] }),
    index('organization_policy_attachments_target_idx').on(t.targetId),
    index('organization_policy_attachments_organization_idx').on(t.organizationId),
  ],
);

/** The ARN of an organization, as `DescribeOrganization` gives it. */
export function organizationArn(managementAccountId: string, organizationId: string): string {
  return `arn:aws:organizations::${managementAccountId}:organization/${organizationId}`;
}

/** ARN formats of the Organizations resources, from the Service Authorization Reference. */
export const organizationArns = {
  root: (management: string, org: string, root: string) => `arn:aws:organizations::${management}:root/${org}/${root}`,
  ou: (management: string, org: string, ou: string) => `arn:aws:organizations::${management}:ou/${org}/${ou}`,
  account: (management: string, org: string, account: string) => `arn:aws:organizations::${management}:account/${org}/${account}`,
  policy: (management: string, org: string | null, type: OrganizationPolicyType, policy: string) =>
    org === null
      ? `arn:aws:organizations::aws:policy/${type.toLowerCase()}/${policy}`
      : `arn:aws:organizations::${management}:policy/${org}/${type.toLowerCase()}/${policy}`,
} as const;

/** SQL twin of the type guard for code that reads `type` back. */
export function isOrganizationPolicyType(value: string): value is OrganizationPolicyType {
  return (ORGANIZATION_POLICY_TYPES as readonly string[]).includes(value);
}
