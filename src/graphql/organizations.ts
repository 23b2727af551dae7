/**
 * The organization's tree on the wire: the Organization, Root, OrganizationalUnit and
 * OrganizationAccount types and their reads (DescribeOrganization, ListRoots, DescribeAccount,
 * ListAccounts, ListAccountsForParent, DescribeOrganizationalUnit, ListOrganizationalUnitsForParent,
 * ListParents, ListChildren). Each read authorizes itself as `organizations:<Action>` on the ARN of
 * what it reads (organizations-guard.ts). Writes are in organization-mutations.ts, policies in
 * organization-policies.ts.
 */
import { ORGANIZATION_POLICY_TYPES, type OrganizationPolicyType } from '../db/schema/accounts.ts';
import { organizationArn, organizationArns } from '../db/schema/organizations.ts';
import {
  describeAccount,
  describeOrganizationalUnit,
  listAccounts,
  listChildren,
  listOrganizationalUnitsForParent,
  listParents,
  parentType,
} from '../iam/organizations/reads.ts';
import { targetArn, type Organization } from '../iam/organizations/tree.ts';
import { builder } from './builder.ts';
import { pageArgs } from './connection.ts';
import { orNull } from './directory-guard.ts';
import {
  OrganizationAccountPageRef,
  OrganizationAccountRef,
  OrganizationalUnitPageRef,
  OrganizationalUnitRef,
  OrganizationChildPageRef,
  OrganizationChildRef,
  OrganizationParentRef,
  OrganizationPolicyRef,
  OrganizationPolicyTypeEnum,
  OrganizationRef,
  RootRef,
} from './organization-refs.ts';
import { organizationTargetResource, requireOrganizations } from './organizations-guard.ts';
import type { GraphQLContext } from './context.ts';

const ParentTypeEnum = builder.enumType('OrganizationParentType', {
  description: 'What a parent is (AWS ParentType).',
  values: { ROOT: {}, ORGANIZATIONAL_UNIT: {} } as const,
});
const ChildTypeEnum = builder.enumType('OrganizationChildType', {
  description: 'What a child is (AWS ChildType).',
  values: { ACCOUNT: {}, ORGANIZATIONAL_UNIT: {} } as const,
});
const AccountStateEnum = builder.enumType('OrganizationAccountState', {
  description: "An account's state (AWS AccountState): PENDING_CLOSURE once closed; its principals no longer authenticate.",
  values: { ACTIVE: {}, SUSPENDED: {}, PENDING_CLOSURE: {} } as const,
});
const JoinedMethodEnum = builder.enumType('OrganizationAccountJoinedMethod', {
  description: 'How the account joined (AWS JoinedMethod): CREATED by createAccount, INVITED for the management account that created the organization.',
  values: { CREATED: {}, INVITED: {} } as const,
});
const PolicyTypeStatusRef = builder.objectRef<{ type: OrganizationPolicyType }>('OrganizationPolicyTypeSummary').implement({
  description: 'A policy type and its status (AWS PolicyTypeSummary).',
  fields: (t) => ({
    type: t.field({ type: OrganizationPolicyTypeEnum, resolve: (s) => s.type }),
    status: t.string({ description: 'Always `ENABLED`: enabling and disabling take effect at once here, never PENDING_ENABLE or PENDING_DISABLE.', resolve: () => 'ENABLED' }),
  }),
});
const AVAILABLE_POLICY_TYPES = ORGANIZATION_POLICY_TYPES.map((type) => ({ type }));

/**
 * The policies attached to a target, authorized as ListPoliciesForTarget on its ARN (decided from
 * the request's loaded policy set: no SQL per row) and batched across targets.
 */
async function attachedPolicies(context: GraphQLContext, organization: Organization, targetId: string, filter: string | null | undefined) {
  const target = await organizationTargetResource(context, organization, targetId);
  await context.guard.require('organizations:ListPoliciesForTarget', target.arn, { ...target.facts, policyType: filter });
  const policies = await context.loaders.organizations.attachedTo.load(targetId);
  return policies.filter((p) => filter == null || p.type === filter).map((row) => ({ organization, row }));
}

const POLICIES_DESCRIPTION =
  'The policies attached here, of one type or both (ListPoliciesForTarget; at most five per type). Null, with ACCESS_DENIED at its path, when the caller may not list them.';

OrganizationRef.implement({
  description: 'The AWS Organizations organization of the caller\'s account (DescribeOrganization).',
  fields: (t) => ({
    id: t.exposeID('id', { description: '`o-…`' }),
    arn: t.string({ resolve: (o) => organizationArn(o.managementAccountId, o.id) }),
    featureSet: t.string({ description: 'Always `ALL`: service and resource control policies are available.', resolve: () => 'ALL' }),
    managementAccountId: t.exposeString('managementAccountId'),
    managementAccountArn: t.string({ resolve: (o) => organizationArns.account(o.managementAccountId, o.id, o.managementAccountId) }),
    managementAccountEmail: t.string({
      nullable: true,
      resolve: async (o, _args, context) => (await context.loaders.organizations.accountById.load(o.managementAccountId))?.email ?? null,
    }),
    availablePolicyTypes: t.field({
      type: [PolicyTypeStatusRef],
      description: 'The types the organization can enable (AWS AvailablePolicyTypes): both, as all features are on. Which ones the root uses: `root.policyTypes`.',
      resolve: () => AVAILABLE_POLICY_TYPES,
    }),
  }),
});

RootRef.implement({
  description: "The organization's root (ListRoots): the parent of the top OUs and accounts.",
  fields: (t) => ({
    id: t.id({ description: '`r-…`', resolve: (o) => o.rootId }),
    arn: t.string({ resolve: (o) => organizationArns.root(o.managementAccountId, o.id, o.rootId) }),
    name: t.string({ resolve: () => 'Root' }),
    policyTypes: t.field({
      type: [PolicyTypeStatusRef],
      description: 'The policy types enabled in the root (ListRoots PolicyTypes): only these can be attached, and only these bind.',
      resolve: (o) => o.enabledPolicyTypes.map((type) => ({ type })),
    }),
    policies: t.field({
      type: [OrganizationPolicyRef],
      nullable: true,
      description: POLICIES_DESCRIPTION,
      args: { filter: t.arg({ type: OrganizationPolicyTypeEnum }) },
      resolve: (o, { filter }, context) => attachedPolicies(context, o, o.rootId, filter),
    }),
  }),
});

OrganizationParentRef.implement({
  description: 'A parent: the root or an OU (ListParents).',
  fields: (t) => ({ id: t.exposeID('id', { description: 'The root or OU id.' }), type: t.field({ type: ParentTypeEnum, resolve: (p) => p.type }) }),
});

OrganizationChildRef.implement({
  description: 'A child: an account or an OU (ListChildren).',
  fields: (t) => ({ id: t.exposeID('id', { description: 'The account or OU id.' }), type: t.field({ type: ChildTypeEnum, resolve: (c) => c.type }) }),
});

OrganizationalUnitRef.implement({
  description: 'An organizational unit (DescribeOrganizationalUnit).',
  fields: (t) => ({
    id: t.id({ description: '`ou-…`', resolve: (u) => u.row.id }),
    arn: t.string({ resolve: (u) => organizationArns.ou(u.organization.managementAccountId, u.organization.id, u.row.id) }),
    name: t.string({ resolve: (u) => u.row.name }),
    parent: t.field({ type: OrganizationParentRef, resolve: (u) => ({ id: u.row.parentId, type: parentType(u.row.parentId) }) }),
    policies: t.field({
      type: [OrganizationPolicyRef],
      nullable: true,
      description: POLICIES_DESCRIPTION,
      args: { filter: t.arg({ type: OrganizationPolicyTypeEnum }) },
      resolve: (u, { filter }, context) => attachedPolicies(context, u.organization, u.row.id, filter),
    }),
  }),
});

OrganizationAccountRef.implement({
  description: 'An account of the organization (DescribeAccount).',
  fields: (t) => ({
    id: t.id({ description: 'The 12-digit account id.', resolve: (a) => a.row.id }),
    arn: t.string({ resolve: (a) => organizationArns.account(a.organization.managementAccountId, a.organization.id, a.row.id) }),
    name: t.string({ nullable: true, resolve: (a) => a.row.name }),
    email: t.string({ nullable: true, resolve: (a) => a.row.email }),
    status: t.field({ type: AccountStateEnum, description: "AWS's Status (deprecated there in favour of state).", resolve: (a) => a.row.state }),
    state: t.field({ type: AccountStateEnum, resolve: (a) => a.row.state }),
    joinedMethod: t.field({ type: JoinedMethodEnum, nullable: true, resolve: (a) => a.row.joinedMethod }),
    joinedDate: t.field({ type: 'DateTime', nullable: true, description: 'When the account joined (AWS JoinedTimestamp).', resolve: (a) => a.row.joinedAt }),
    closedDate: t.field({ type: 'DateTime', nullable: true, description: 'When closeAccount closed it.', resolve: (a) => a.row.closedAt }),
    isManagementAccount: t.boolean({ resolve: (a) => a.row.id === a.organization.managementAccountId }),
    parent: t.field({ type: OrganizationParentRef, resolve: (a) => ({ id: a.row.parentId!, type: parentType(a.row.parentId!) }) }),
    policies: t.field({
      type: [OrganizationPolicyRef],
      nullable: true,
      description: POLICIES_DESCRIPTION,
      args: { filter: t.arg({ type: OrganizationPolicyTypeEnum }) },
      resolve: (a, { filter }, context) => attachedPolicies(context, a.organization, a.row.id, filter),
    }),
  }),
});


builder.queryFields((t) => ({
  organization: t.field({
    type: OrganizationRef,
    nullable: true,
    description: "DescribeOrganization: the organization the caller's account belongs to (management or member); null for a standalone account.",
    resolve: async (_root, _args, context) => {
      const caller = await context.guard.require('organizations:DescribeOrganization', '*');
      return context.loaders.organizations.ofAccount.load(caller.accountId);
    },
  }),
  organizationRoots: t.field({
    type: [RootRef],
    description: 'ListRoots: the root of the organization the caller manages (a list of one, as AWS returns).',
    resolve: async (_root, _args, context) => {
      const { organization } = await requireOrganizations(context, 'organizations:ListRoots', () => ['*']);
      return [organization];
    },
  }),
  organizationAccount: t.field({
    type: OrganizationAccountRef,
    nullable: true,
    description: 'DescribeAccount: an account of the organization; null when it has none of that id.',
    args: { accountId: t.arg.string({ required: true }) },
    resolve: async (_root, { accountId }, context) => {
      const { organization } = await requireOrganizations(context, 'organizations:DescribeAccount', async (o) => [await organizationTargetResource(context, o, accountId)]);
      const row = await orNull(describeAccount(context.database.db, organization, accountId));
      return row === null ? null : { organization, row };
    },
  }),
  organizationAccounts: t.field({
    type: OrganizationAccountPageRef,
    description: 'ListAccounts: every account of the organization, by id.',
    args: pageArgs,
    resolve: async (_root, args, context) => {
      const { organization } = await requireOrganizations(context, 'organizations:ListAccounts', () => ['*']);
      const page = await listAccounts(context.database.db, organization, args);
      return ({ ...page, items: page.items.map((row) => ({ organization, row })) });
    },
  }),
  organizationAccountsForParent: t.field({
    type: OrganizationAccountPageRef,
    description: 'ListAccountsForParent: the accounts directly under the root or an OU.',
    args: { ...pageArgs, parentId: t.arg.string({ required: true }) },
    resolve: async (_root, args, context) => {
      const { organization } = await requireOrganizations(context, 'organizations:ListAccountsForParent', (o) => [targetArn(o, args.parentId)]);
      const page = await listAccounts(context.database.db, organization, args);
      return ({ ...page, items: page.items.map((row) => ({ organization, row })) });
    },
  }),
  organizationalUnit: t.field({
    type: OrganizationalUnitRef,
    nullable: true,
    description: 'DescribeOrganizationalUnit: null when the organization has no OU of that id.',
    args: { organizationalUnitId: t.arg.string({ required: true }) },
    resolve: async (_root, { organizationalUnitId }, context) => {
      const { organization } = await requireOrganizations(context, 'organizations:DescribeOrganizationalUnit', (o) => [targetArn(o, organizationalUnitId)]);
      const row = await orNull(describeOrganizationalUnit(context.database.db, organization, organizationalUnitId));
      return row === null ? null : { organization, row };
    },
  }),
  organizationalUnitsForParent: t.field({
    type: OrganizationalUnitPageRef,
    description: 'ListOrganizationalUnitsForParent: the OUs directly under the root or an OU.',
    args: { ...pageArgs, parentId: t.arg.string({ required: true }) },
    resolve: async (_root, args, context) => {
      const { organization } = await requireOrganizations(context, 'organizations:ListOrganizationalUnitsForParent', (o) => [targetArn(o, args.parentId)]);
      const page = await listOrganizationalUnitsForParent(context.database.db, organization, args.parentId, args);
      return ({ ...page, items: page.items.map((row) => ({ organization, row })) });
    },
  }),
  organizationParents: t.field({
    type: [OrganizationParentRef],
    description: 'ListParents: the parent (root or OU) of an account or an OU, as a list of one.',
    args: { childId: t.arg.string({ required: true }) },
    resolve: async (_root, { childId }, context) => {
      const { organization } = await requireOrganizations(context, 'organizations:ListParents', async (o) => [await organizationTargetResource(context, o, childId)]);
      return listParents(context.database.db, organization, childId);
    },
  }),
  organizationChildren: t.field({
    type: OrganizationChildPageRef,
    description: 'ListChildren: the accounts or the OUs directly under the root or an OU.',
    args: { ...pageArgs, parentId: t.arg.string({ required: true }), childType: t.arg({ type: ChildTypeEnum, required: true }) },
    resolve: async (_root, args, context) => {
      const { organization } = await requireOrganizations(context, 'organizations:ListChildren', (o) => [targetArn(o, args.parentId)]);
      return listChildren(context.database.db, organization, args.parentId, args.childType, args);
    },
  }),
}));

