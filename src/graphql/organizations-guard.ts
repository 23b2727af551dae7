/**
 * Self-authorization of AWS Organizations operations. As in AWS, only principals of the management
 * account may call them (DescribeOrganization excepted: member accounts may describe their
 * organization); anyone else is ACCESS_DENIED, as AWS answers AccessDeniedException. Then each
 * `organizations:<Action>` is decided by the caller's own policies on the ARN of every resource it
 * touches (the Service Authorization Reference's resource types: account, ou, root, policy), so
 * MoveAccount is checked on the account, its source and its destination, AttachPolicy on the
 * policy and the target.
 */
import type { ActionFacts } from '../authz/action-keys.ts';
import type { Caller } from '../authz/caller.ts';
import { accessDenied } from '../authz/guard.ts';
import type { OrganizationPolicyType } from '../db/schema/organizations.ts';
import { policyArnForId } from '../iam/organizations/policies.ts';
import type { Organization } from '../iam/organizations/tree.ts';
import type { GraphQLContext } from './context.ts';

/** What `requireOrganizations` authorized: the caller and its organization. */
export interface OrganizationAccess {
  readonly caller: Caller;
  readonly organization: Organization;
}

/** Which organizations a caller may act on: the one it manages (default) or the one it belongs to. */
export type OrganizationScope = 'management' | 'member';

/**
 * Authorizes `action` on each ARN `resourcesOf` gives for the caller's organization. A caller
 * whose account manages no organization (or, for scope `member`, belongs to none) is refused on `*`.
 */
export async function requireOrganizations(
  context: GraphQLContext,
  action: string,
  resourcesOf: (organization: Organization) => readonly string[] | Promise<readonly string[]>,
  options: { scope?: OrganizationScope; facts?: ActionFacts } = {},
): Promise<OrganizationAccess> {
  const caller = context.guard.caller;
  if (caller === undefined) return { caller: await context.guard.require(action, '*'), organization: undefined as never };
  const organization = await context.loaders.organizations.ofAccount.load(caller.accountId);
  const allowed = organization !== null && (options.scope === 'member' || organization.managementAccountId === caller.accountId);
  if (!allowed) {
    throw accessDenied(caller, action, '*');
  }
  for (const arn of await resourcesOf(organization)) await context.guard.require(action, arn, options.facts);
  return { caller, organization };
}

/**
 * The ARN of the policy `policyId` as the caller's organization sees it: its stored type when the
 * organization can use it, else the SCP ARN it would have (so a refusal names a plausible ARN
 * without saying whether the policy exists).
 */
export async function organizationPolicyArnFor(context: GraphQLContext, organization: Organization, policyId: string): Promise<string> {
  const found = /^p-[0-9a-zA-Z_]{8,128}$/.test(policyId) ? await context.loaders.organizations.policyById.load(policyId) : null;
  const visible = found !== null && (found.organizationId === null || found.organizationId === organization.id);
  const type: OrganizationPolicyType | undefined = visible ? found.type : undefined;
  return policyArnForId(organization, policyId, type);
}
