/**
 * Self-authorization of AWS Organizations operations. As in AWS, only principals of the management
 * account may call them (DescribeOrganization excepted: member accounts may describe their
 * organization); anyone else is ACCESS_DENIED, as AWS answers AccessDeniedException. Then each
 * `organizations:<Action>` is decided by the caller's own policies on the ARN of every resource it
 * touches (the Service Authorization Reference's resource types: account, ou, root, policy), so
 * MoveAccount is checked on the account, its source and its destination, AttachPolicy on the
 * policy and the target. Each check sees the request's facts (aws:RequestTag, organizations:PolicyType)
 * and the facts of the resource it is on: a policy's or an account's tags as aws:ResourceTag/*.
 */
import type { ActionFacts } from '../authz/action-keys.ts';
import { isAccountId, organizationIdPatterns } from '../db/schema/rules.ts';
import type { Caller } from '../authz/caller.ts';
import { accessDenied } from '../authz/guard.ts';
import type { Tag } from '../iam/tag-set.ts';
import { policyArnForId, type OrganizationPolicy } from '../iam/organizations/policies.ts';
import { targetArn, type Organization } from '../iam/organizations/tree.ts';
import type { GraphQLContext } from './context.ts';

/** What `requireOrganizations` authorized: the caller and its organization. */
export interface OrganizationAccess {
  readonly caller: Caller;
  readonly organization: Organization;
}

/** Which organizations a caller may act on: the one it manages (default) or the one it belongs to. */
export type OrganizationScope = 'management' | 'member';

/** A resource an Organizations action is checked on: its ARN, and what the check knows of it (its tags). */
export interface GuardedResource {
  readonly arn: string;
  readonly facts?: ActionFacts;
}

/**
 * Authorizes `action` on each resource `resourcesOf` gives for the caller's organization, with
 * the request's `facts` and the resource's own. A caller whose account manages no organization
 * (or, for scope `member`, belongs to none) is refused on `*`.
 */
export async function requireOrganizations(
  context: GraphQLContext,
  action: string,
  resourcesOf: (organization: Organization) => ReadonlyArray<string | GuardedResource> | Promise<ReadonlyArray<string | GuardedResource>>,
  options: { scope?: OrganizationScope; facts?: ActionFacts } = {},
): Promise<OrganizationAccess> {
  const caller = context.guard.caller;
  if (caller === undefined) return { caller: await context.guard.require(action, '*'), organization: undefined as never };
  const organization = await context.loaders.organizations.ofAccount.load(caller.accountId);
  const allowed = organization !== null && (options.scope === 'member' || organization.managementAccountId === caller.accountId);
  if (!allowed) {
    throw accessDenied(caller, action, '*');
  }
  for (const resource of await resourcesOf(organization)) {
    const { arn, facts } = typeof resource === 'string' ? { arn: resource, facts: undefined } : resource;
    await context.guard.require(action, arn, facts === undefined ? options.facts : { ...options.facts, ...facts });
  }
  return { caller, organization };
}

const POLICY_ID = new RegExp(organizationIdPatterns.policy);

/**
 * The policy `policyId` as the caller's organization sees it, to be checked on: its ARN with its
 * stored type and its tags when the organization can use it, else the SCP ARN it would have and
 * no facts (so a refusal names a plausible ARN without saying whether the policy exists).
 */
export async function organizationPolicyResource(context: GraphQLContext, organization: Organization, policyId: string): Promise<GuardedResource> {
  const found = POLICY_ID.test(policyId) ? await context.loaders.organizations.policyById.load(policyId) : null;
  const visible = found !== null && (found.organizationId === null || found.organizationId === organization.id);
  return visible ? policyResource(organization, found) : { arn: policyArnForId(organization, policyId, undefined) };
}

/** A policy the organization can use, to be checked on: its ARN, its type (organizations:PolicyType) and its tags. */
export function policyResource(organization: Organization, policy: Pick<OrganizationPolicy, 'id' | 'type' | 'tags'>): GuardedResource {
  return { arn: policyArnForId(organization, policy.id, policy.type), facts: { policyType: policy.type, resourceTags: policy.tags } };
}

/**
 * The root, OU or account `id` of the organization, to be checked on: with its tags
 * (aws:ResourceTag/*) when it is the organization's; anything else by its ARN alone.
 */
export async function organizationTargetResource(context: GraphQLContext, organization: Organization, id: string): Promise<GuardedResource> {
  const arn = targetArn(organization, id);
  const tags = await targetTags(context, organization, id);
  return tags === undefined ? { arn } : { arn, facts: { resourceTags: tags } };
}

async function targetTags(context: GraphQLContext, organization: Organization, id: string): Promise<readonly Tag[] | undefined> {
  if (id === organization.rootId) return organization.rootTags;
  const loaders = context.loaders.organizations;
  const row = isAccountId(id) ? await loaders.accountById.load(id) : id.startsWith('ou-') ? await loaders.unitById.load(id) : null;
  return row !== null && row.organizationId === organization.id ? row.tags : undefined;
}

/** A root, OU, account or policy id of the organization (TagResource and its kin), to be checked on. */
export function organizationTaggableResource(context: GraphQLContext, organization: Organization, id: string): Promise<GuardedResource> {
  return id.startsWith('p-') ? organizationPolicyResource(context, organization, id) : organizationTargetResource(context, organization, id);
}
