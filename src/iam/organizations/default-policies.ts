/**
 * AWS attaches FullAWSAccess (once SCPs are enabled) and RCPFullAWSAccess (once RCPs are enabled)
 * to every new root, OU and account, and to every existing one when the type is enabled, so a
 * target lets everything through until customers attach their own guardrails. Each attachment is
 * recorded as `OrganizationPolicyAttached`, as any other.
 */
import { organizationPolicyAttachments, type OrganizationPolicyType } from '../../db/schema/index.ts';
import type { Tx } from '../../db/client.ts';
import type { RecordChange } from '../../changes/outbox.ts';
import { AWS_MANAGED_ORGANIZATION_POLICIES } from './managed-policies.ts';
import { attachmentChange } from './policies.ts';
import type { Organization } from './tree.ts';

/**
 * Attaches the AWS managed policy of each type in `types` (the types enabled in the root, read
 * with `enabledPolicyTypesNow`) to each of `targetIds` (one statement) and records each attachment.
 */
export async function attachDefaultPolicies(
  tx: Tx,
  record: RecordChange,
  organization: Organization,
  targetIds: readonly string[],
  types: readonly OrganizationPolicyType[],
): Promise<void> {
  const policies = AWS_MANAGED_ORGANIZATION_POLICIES.filter((policy) => types.includes(policy.type));
  const rows = targetIds.flatMap((targetId) => policies.map((policy) => ({ organizationId: organization.id, policyId: policy.id, targetId, policy })));
  if (rows.length === 0) return;
  await tx
    .insert(organizationPolicyAttachments)
    .values(rows.map(({ organizationId, policyId, targetId }) => ({ organizationId, policyId, targetId })))
    .onConflictDoNothing();
  // AWS managed: they belong to no organization.
  for (const { policy, targetId } of rows) record(attachmentChange('OrganizationPolicyAttached', organization, { ...policy, organizationId: null }, targetId));
}
