/**
 * AttachPolicy, DetachPolicy, ListPoliciesForTarget and ListTargetsForPolicy: SCPs and RCPs on the
 * root, an OU or an account. At most five policies of one type per target (AWS quota); the target
 * row is locked while counting, so two concurrent attachments cannot both take the fifth place.
 * Detaching the last policy of a type is allowed, as AWS allows it, but the answer warns that
 * everything below that target is now denied. RCPFullAWSAccess cannot be detached (AWS). Only a
 * type enabled in the root can be attached (policy-types.ts).
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { accounts, organizationalUnits, organizationLimits, organizationPolicies, organizationPolicyAttachments, type OrganizationPolicyType } from '../../db/schema/index.ts';
import { isAccountId } from '../../db/schema/rules.ts';
import { ConstraintViolationError, EntityAlreadyExistsError, LimitExceededError, NoSuchEntityError } from '../../errors.ts';
import { runWrite, type WriteActor, type WriteResult } from '../../changes/outbox.ts';
import type { Queryable } from '../affected-principals.ts';
import { afterFilter, decodeCursor, pageSize, toPage, type Page, type PageRequest } from '../pagination.ts';
import { RCP_FULL_AWS_ACCESS } from './managed-policies.ts';
import { attachmentChange, getOrganizationPolicy, type OrganizationPolicy } from './policies.ts';
import { requirePolicyTypeEnabled } from './policy-types.ts';
import { getTarget, rootTarget, targetArn, requireManagedOrganization, type Organization, type Target } from './tree.ts';

/** AttachPolicy / DetachPolicy parameters. */
export interface PolicyTargetInput {
  readonly policyId: string;
  readonly targetId: string;
}

/** What an attachment write did, and what the caller should know about it. */
export interface PolicyAttachmentChange {
  readonly policy: OrganizationPolicy;
  readonly target: Target;
  /** Set when the write left the target with no policy of the type: everything below it is denied. */
  readonly warnings: readonly string[];
}

/** How many policies of `type` are attached to `targetId`. */
async function attachedCount(tx: Queryable, targetId: string, type: OrganizationPolicyType): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(organizationPolicyAttachments)
    .innerJoin(organizationPolicies, eq(organizationPolicies.id, organizationPolicyAttachments.policyId))
    .where(and(eq(organizationPolicyAttachments.targetId, targetId), eq(organizationPolicies.type, type)));
  return row?.n ?? 0;
}

/** AttachPolicy: `policyId` on the root, OU or account `targetId` of the actor's organization. */
export async function attachOrganizationPolicy(database: Database, actor: WriteActor, input: PolicyTargetInput): Promise<WriteResult<PolicyAttachmentChange>> {
  return runWrite(database, actor, async (tx, record) => {
    const organization = await requireManagedOrganization(tx, actor.accountId);
    const policy = await getOrganizationPolicy(tx, organization, input.policyId, 'input.policyId');
    const target = await getTarget(tx, organization, input.targetId, 'input.targetId', true);
    await requirePolicyTypeEnabled(tx, organization, policy.type);
    const [existing] = await tx
      .select({ policyId: organizationPolicyAttachments.policyId })
      .from(organizationPolicyAttachments)
      .where(and(eq(organizationPolicyAttachments.policyId, policy.id), eq(organizationPolicyAttachments.targetId, target.id)));
    if (existing !== undefined) throw new EntityAlreadyExistsError('OrganizationPolicyAttachment', `${policy.id} on ${target.id}`);
    const limit = organizationLimits.policiesPerTarget;
    if ((await attachedCount(tx, target.id, policy.type)) >= limit) {
      throw new LimitExceededError('PoliciesPerTarget', limit, `cannot exceed quota for PoliciesPerTarget: ${target.id} already has ${limit} policies of type ${policy.type}`);
    }
    await tx.insert(organizationPolicyAttachments).values({ organizationId: organization.id, policyId: policy.id, targetId: target.id });
    record(attachmentChange('OrganizationPolicyAttached', organization, policy, target.id));
    return { policy, target, warnings: [] };
  });
}

/** DetachPolicy: a policy that is not attached is NoSuchEntity (AWS PolicyNotAttachedException). */
export async function detachOrganizationPolicy(database: Database, actor: WriteActor, input: PolicyTargetInput): Promise<WriteResult<PolicyAttachmentChange>> {
  return runWrite(database, actor, async (tx, record) => {
    const organization = await requireManagedOrganization(tx, actor.accountId);
    const policy = await getOrganizationPolicy(tx, organization, input.policyId, 'input.policyId');
    const target = await getTarget(tx, organization, input.targetId, 'input.targetId', true);
    if (policy.id === RCP_FULL_AWS_ACCESS.id) {
      throw new ConstraintViolationError('RCP_FULL_AWS_ACCESS_CANNOT_BE_DETACHED', `${RCP_FULL_AWS_ACCESS.name} stays attached to every root, OU and account; deny with your own RCPs instead`);
    }
    const deleted = await tx
      .delete(organizationPolicyAttachments)
      .where(and(eq(organizationPolicyAttachments.policyId, policy.id), eq(organizationPolicyAttachments.targetId, target.id)))
      .returning({ policyId: organizationPolicyAttachments.policyId });
    if (deleted.length === 0) throw new NoSuchEntityError('OrganizationPolicyAttachment', `${policy.id} on ${target.id}`);
    record(attachmentChange('OrganizationPolicyDetached', organization, policy, target.id));
    const warnings =
      (await attachedCount(tx, target.id, policy.type)) === 0
        ? [`no ${policy.type} is attached to ${target.id} any more: every request ${policy.type === 'SERVICE_CONTROL_POLICY' ? 'of principals in' : 'to resources of'} the accounts at or below it is now denied, except in the management account`]
        : [];
    return { policy, target, warnings };
  });
}

/** ListPoliciesForTarget: the policies of `type` attached to the root, an OU or an account. */
export async function listPoliciesForTarget(
  tx: Queryable,
  organization: Organization,
  targetId: string,
  type: OrganizationPolicyType,
  input: PageRequest,
): Promise<Page<OrganizationPolicy>> {
  const limit = pageSize(input.first);
  const after = decodeCursor(input.after);
  const target = await getTarget(tx, organization, targetId, 'targetId');
  const rows = await tx
    .select({ policy: organizationPolicies })
    .from(organizationPolicyAttachments)
    .innerJoin(organizationPolicies, eq(organizationPolicies.id, organizationPolicyAttachments.policyId))
    .where(and(eq(organizationPolicyAttachments.targetId, target.id), eq(organizationPolicies.type, type), afterFilter([sql`${organizationPolicies.id}`], after)))
    .orderBy(asc(organizationPolicies.id))
    .limit(limit + 1);
  return toPage(
    rows.map((r) => r.policy),
    limit,
    (row) => [row.id],
  );
}

/** ListTargetsForPolicy: the roots, OUs and accounts of the organization the policy is attached to, with names (three statements). */
export async function listTargetsForPolicy(tx: Queryable, organization: Organization, policyId: string, input: PageRequest): Promise<Page<Target>> {
  const limit = pageSize(input.first);
  const after = decodeCursor(input.after);
  const policy = await getOrganizationPolicy(tx, organization, policyId, 'policyId');
  const rows = await tx
    .select({ targetId: organizationPolicyAttachments.targetId })
    .from(organizationPolicyAttachments)
    .where(
      and(
        eq(organizationPolicyAttachments.policyId, policy.id),
        eq(organizationPolicyAttachments.organizationId, organization.id),
        afterFilter([sql`${organizationPolicyAttachments.targetId}`], after),
      ),
    )
    .orderBy(asc(organizationPolicyAttachments.targetId))
    .limit(limit + 1);
  const ids = rows.map((r) => r.targetId);
  const ouIds = ids.filter((id) => id.startsWith('ou-'));
  const accountIds = ids.filter((id) => isAccountId(id));
  const ouNames = new Map(
    (ouIds.length === 0 ? [] : await tx.select({ id: organizationalUnits.id, name: organizationalUnits.name }).from(organizationalUnits).where(inArray(organizationalUnits.id, ouIds))).map((r) => [r.id, r.name]),
  );
  const accountNames = new Map(
    (accountIds.length === 0 ? [] : await tx.select({ id: accounts.id, name: accounts.name }).from(accounts).where(inArray(accounts.id, accountIds))).map((r) => [r.id, r.name ?? r.id]),
  );
  const targets = ids.map((id): Target => {
    if (id === organization.rootId) return rootTarget(organization);
    const arn = targetArn(organization, id);
    if (id.startsWith('ou-')) return { type: 'ORGANIZATIONAL_UNIT', id, name: ouNames.get(id) ?? id, arn };
    return { type: 'ACCOUNT', id, name: accountNames.get(id) ?? id, arn };
  });
  return toPage(targets, limit, (target) => [target.id]);
}
