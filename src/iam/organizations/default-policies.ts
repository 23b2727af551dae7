/**
 * AWS attaches FullAWSAccess (and, once RCPs are enabled, RCPFullAWSAccess) to every new root, OU
 * and account, so a new target lets everything through until customers attach their own
 * guardrails. Each attachment is recorded as `OrganizationPolicyAttached`, as any other.
 */
import { organizationPolicyAttachments, organizationArns } from '../../db/schema/index.ts';
import type { Tx } from '../../db/client.ts';
import type { RecordChange } from '../../changes/outbox.ts';
import { AWS_MANAGED_ORGANIZATION_POLICIES } from './managed-policies.ts';
import type { Organization } from './tree.ts';

/** Attaches both AWS managed policies to each of `targetIds` (one statement) and records each attachment. */
export async function attachDefaultPolicies(tx: Tx, record: RecordChange, organization: Organization, targetIds: readonly string[]): Promise<void> {
  const rows = targetIds.flatMap((targetId) => AWS_MANAGED_ORGANIZATION_POLICIES.map((policy) => ({ organizationId: organization.id, policyId: policy.id, targetId, policy })));
  await tx
    .insert(organizationPolicyAttachments)
    .values(rows.map(({ organizationId, policyId, targetId }) => ({ organizationId, policyId, targetId })))
    .onConflictDoNothing();
  for (const { policy, targetId } of rows) {
    record({
      kind: 'OrganizationPolicyAttached',
      entityType: 'organization-policy',
      entityArn: organizationArns.policy(organization.managementAccountId, null, policy.type, policy.id),
      affectedPrincipalIds: [],
      accountId: organization.managementAccountId,
      payload: { policyId: policy.id, policyType: policy.type, targetId },
    });
  }
}
