/**
 * EnablePolicyType and DisablePolicyType: which policy types the root uses. Only an enabled type's
 * policies can be attached (AttachPolicy refuses the others, AWS PolicyTypeNotEnabledException),
 * and only an enabled type binds: a disabled type's levels are skipped at evaluation.
 * - Enabling attaches the type's AWS managed full-access policy (FullAWSAccess,
 *   RCPFullAWSAccess) to the root, every OU and every account, as AWS does, so nothing is denied
 *   until customers attach their own policies.
 * - Disabling detaches every policy of the type from every target; the policies themselves stay.
 *   Each detachment is recorded as OrganizationPolicyDetached, as DetachPolicy records it.
 *
 * Deviation from AWS, deliberate: AWS starts a new organization with no type enabled; Portcullis
 * starts it with both enabled (the column's default), so an organization's guardrails work from
 * its first request and existing ones are unchanged.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { accounts, organizationalUnits, organizationPolicies, organizationPolicyAttachments, organizations, organizationArns, type OrganizationPolicyType } from '../../db/schema/index.ts';
import type { Queryable } from '../affected-principals.ts';
import { ConstraintViolationError } from '../../errors.ts';
import { runWrite, type WriteActor, type WriteResult } from '../../changes/outbox.ts';
import { attachDefaultPolicies } from './default-policies.ts';
import { attachmentChange } from './policies.ts';
import { lockManagedRoot, type Organization } from './tree.ts';

/** EnablePolicyType / DisablePolicyType parameters. */
export interface PolicyTypeInput {
  readonly rootId: string;
  readonly policyType: OrganizationPolicyType;
}

/**
 * The policy types enabled in the root, read under a share lock on the organization row: a write
 * that attaches policies (AttachPolicy, a new OU's or account's defaults) holds it until it
 * commits, so Enable/DisablePolicyType, which lock the row for update, never interleave with it.
 */
export async function enabledPolicyTypesNow(tx: Queryable, organization: Organization): Promise<readonly OrganizationPolicyType[]> {
  const [row] = await tx.select({ types: organizations.enabledPolicyTypes }).from(organizations).where(eq(organizations.id, organization.id)).for('share');
  return row?.types ?? [];
}

/** Refuses attaching a policy of a type the root has not enabled (AWS PolicyTypeNotEnabledException). */
export async function requirePolicyTypeEnabled(tx: Queryable, organization: Organization, type: OrganizationPolicyType): Promise<void> {
  if (!(await enabledPolicyTypesNow(tx, organization)).includes(type)) throw notEnabled(organization, type);
}

function notEnabled(organization: Organization, type: OrganizationPolicyType): ConstraintViolationError {
  return new ConstraintViolationError('POLICY_TYPE_NOT_ENABLED', `${type} is not enabled in root ${organization.rootId}; enable it first (enablePolicyType)`);
}

/** EnablePolicyType: the organization with `policyType` enabled in its root. */
export async function enablePolicyType(database: Database, actor: WriteActor, input: PolicyTypeInput): Promise<WriteResult<Organization>> {
  return runWrite(database, actor, async (tx, record) => {
    // Locks the organization row: a concurrent enable, disable or new target waits.
    const organization = await lockManagedRoot(tx, actor.accountId, input.rootId, 'input.rootId');
    if (organization.enabledPolicyTypes.includes(input.policyType)) {
      throw new ConstraintViolationError('POLICY_TYPE_ALREADY_ENABLED', `${input.policyType} is already enabled in root ${organization.rootId}`);
    }
    const enabledPolicyTypes = [...organization.enabledPolicyTypes, input.policyType];
    const [updated] = await tx.update(organizations).set({ enabledPolicyTypes }).where(eq(organizations.id, organization.id)).returning();
    const [units, members] = await Promise.all([
      tx.select({ id: organizationalUnits.id }).from(organizationalUnits).where(eq(organizationalUnits.organizationId, organization.id)),
      tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.organizationId, organization.id)),
    ]);
    await attachDefaultPolicies(tx, record, updated!, [organization.rootId, ...units.map((u) => u.id), ...members.map((a) => a.id)], [input.policyType]);
    record(typeChange('OrganizationPolicyTypeEnabled', updated!, input.policyType));
    return updated!;
  });
}

/** DisablePolicyType: every policy of `policyType` detached, and the type disabled in the root. */
export async function disablePolicyType(database: Database, actor: WriteActor, input: PolicyTypeInput): Promise<WriteResult<Organization>> {
  return runWrite(database, actor, async (tx, record) => {
    // Locks the organization row: a concurrent enable, disable or new target waits.
    const organization = await lockManagedRoot(tx, actor.accountId, input.rootId, 'input.rootId');
    if (!organization.enabledPolicyTypes.includes(input.policyType)) throw notEnabled(organization, input.policyType);
    const attached = await tx
      .select({ policyId: organizationPolicyAttachments.policyId, targetId: organizationPolicyAttachments.targetId, organizationId: organizationPolicies.organizationId })
      .from(organizationPolicyAttachments)
      .innerJoin(organizationPolicies, eq(organizationPolicies.id, organizationPolicyAttachments.policyId))
      .where(and(eq(organizationPolicyAttachments.organizationId, organization.id), eq(organizationPolicies.type, input.policyType)))
      .orderBy(asc(organizationPolicyAttachments.targetId), asc(organizationPolicyAttachments.policyId));
    const policyIds = [...new Set(attached.map((a) => a.policyId))];
    if (policyIds.length > 0) {
      await tx
        .delete(organizationPolicyAttachments)
        .where(and(eq(organizationPolicyAttachments.organizationId, organization.id), inArray(organizationPolicyAttachments.policyId, policyIds)));
    }
    const enabledPolicyTypes = organization.enabledPolicyTypes.filter((type) => type !== input.policyType);
    const [updated] = await tx.update(organizations).set({ enabledPolicyTypes }).where(eq(organizations.id, organization.id)).returning();
    for (const { policyId, targetId, organizationId } of attached) {
      record(attachmentChange('OrganizationPolicyDetached', organization, { id: policyId, type: input.policyType, organizationId }, targetId));
    }
    record(typeChange('OrganizationPolicyTypeDisabled', updated!, input.policyType));
    return updated!;
  });
}

function typeChange(kind: 'OrganizationPolicyTypeEnabled' | 'OrganizationPolicyTypeDisabled', organization: Organization, policyType: OrganizationPolicyType) {
  return {
    kind,
    entityType: 'organization' as const,
    entityArn: organizationArns.root(organization.managementAccountId, organization.id, organization.rootId),
    affectedPrincipalIds: [],
    accountId: organization.managementAccountId,
    payload: { rootId: organization.rootId, policyType, enabledPolicyTypes: organization.enabledPolicyTypes },
  };
}
