/**
 * The object types of AWS Organizations on the wire (Organization, Root, OrganizationalUnit,
 * OrganizationAccount, their parents and children, OrganizationPolicy and its targets), declared
 * apart from the fields that return them so the tree and policy files can name each other's types.
 */
import type { OrganizationPolicyType } from '../db/schema/accounts.ts';
import type { OrganizationPolicyVersion } from '../iam/organizations/batch-reads.ts';
import type { OrganizationPolicy } from '../iam/organizations/policies.ts';
import type { ChildRef, ParentRef } from '../iam/organizations/reads.ts';
import type { AccountRow, Organization, OrganizationalUnit, Target } from '../iam/organizations/tree.ts';
import type { ObjectRef } from '@pothos/core';
import type { Page } from '../iam/pagination.ts';
import { builder } from './builder.ts';

/** A row seen from its organization, which its ARN and fields need. */
export interface InOrganization<T> {
  readonly organization: Organization;
  readonly row: T;
}

export const OrganizationRef = builder.objectRef<Organization>('Organization');
export const RootRef = builder.objectRef<Organization>('Root');
export const OrganizationalUnitRef = builder.objectRef<InOrganization<OrganizationalUnit>>('OrganizationalUnit');
export const OrganizationAccountRef = builder.objectRef<InOrganization<AccountRow>>('OrganizationAccount');
export const OrganizationParentRef = builder.objectRef<ParentRef>('OrganizationParent');
export const OrganizationChildRef = builder.objectRef<ChildRef>('OrganizationChild');
export const OrganizationPolicyRef = builder.objectRef<InOrganization<OrganizationPolicy>>('OrganizationPolicy');
export const OrganizationPolicyVersionRef = builder.objectRef<OrganizationPolicyVersion>('OrganizationPolicyVersion');
export const OrganizationPolicyTargetRef = builder.objectRef<Target>('OrganizationPolicyTarget');

/**
 * One page of a List* answer: its items, whether more follow, and the cursor to pass as `after`
 * for the next (AWS's NextToken). Not a Relay connection: its items are identified by their AWS
 * ids rather than being Relay Nodes.
 */
function pageType<T>(name: string, item: ObjectRef<any, T>, what: string) {
  return builder.objectRef<Page<T>>(name).implement({
    description: `One page of ${what}: pass \`endCursor\` as \`after\` for the next while \`hasNextPage\`.`,
    fields: (t) => ({
      items: t.field({ type: [item], resolve: (page) => [...page.items] as never }),
      hasNextPage: t.exposeBoolean('hasNextPage'),
      endCursor: t.string({ nullable: true, resolve: (page) => page.cursors[page.cursors.length - 1] ?? null }),
    }),
  });
}

export const OrganizationAccountPageRef = pageType('OrganizationAccountPage', OrganizationAccountRef, 'accounts');
export const OrganizationalUnitPageRef = pageType('OrganizationalUnitPage', OrganizationalUnitRef, 'organizational units');
export const OrganizationChildPageRef = pageType('OrganizationChildPage', OrganizationChildRef, 'children');
export const OrganizationPolicyPageRef = pageType('OrganizationPolicyPage', OrganizationPolicyRef, 'organization policies');
export const OrganizationPolicyTargetPageRef = pageType('OrganizationPolicyTargetPage', OrganizationPolicyTargetRef, 'policy targets');

/** AWS's PolicyType values Portcullis evaluates. */
export const OrganizationPolicyTypeEnum = builder.enumType('OrganizationPolicyType', {
  description: 'The kind of organization policy (AWS PolicyType).',
  values: {
    SERVICE_CONTROL_POLICY: { description: 'An SCP: the most the principals of the accounts below may do.' },
    RESOURCE_CONTROL_POLICY: { description: 'An RCP: the most anyone may do to the resources of the accounts below.' },
  } as const satisfies Record<OrganizationPolicyType, { description: string }>,
});
