/**
 * The AWS managed organization policies, with AWS's ids, names, descriptions and content:
 * `FullAWSAccess` (SCP) and `RCPFullAWSAccess` (RCP). AWS attaches them to the root, every OU and
 * every account, so that until customers attach their own, guardrails let everything through.
 * They belong to no organization (organization_id null, aws_managed true).
 */
import type { Tx } from '../../db/client.ts';
import type { OrganizationPolicyType } from '../../db/schema/accounts.ts';
import { organizationPolicies, organizationPolicyVersions } from '../../db/schema/organizations.ts';

/** One AWS managed policy. */
export interface AwsManagedOrganizationPolicy {
  readonly id: string;
  readonly name: string;
  readonly type: OrganizationPolicyType;
  readonly description: string;
  readonly content: string;
}

/** FullAWSAccess, exactly as AWS Organizations shows it. */
export const FULL_AWS_ACCESS: AwsManagedOrganizationPolicy = {
  id: 'p-FullAWSAccess',
  name: 'FullAWSAccess',
  type: 'SERVICE_CONTROL_POLICY',
  description: 'Allows access to every operation',
  content: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }, null, 4),
};

/** RCPFullAWSAccess, exactly as AWS Organizations shows it; AWS does not let it be detached. */
export const RCP_FULL_AWS_ACCESS: AwsManagedOrganizationPolicy = {
  id: 'p-RCPFullAWSAccess',
  name: 'RCPFullAWSAccess',
  type: 'RESOURCE_CONTROL_POLICY',
  description: 'Allows access to every operation',
  content: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] }, null, 4),
};

/** Both, in the order they are attached to a new target. */
export const AWS_MANAGED_ORGANIZATION_POLICIES: readonly AwsManagedOrganizationPolicy[] = [FULL_AWS_ACCESS, RCP_FULL_AWS_ACCESS];

/** Inserts the AWS managed policies and their version 1 unless present (idempotent; two statements). */
export async function ensureAwsManagedOrganizationPolicies(tx: Tx): Promise<void> {
  await tx
    .insert(organizationPolicies)
    .values(AWS_MANAGED_ORGANIZATION_POLICIES.map((p) => ({ id: p.id, organizationId: null, type: p.type, name: p.name, description: p.description, awsManaged: true, currentVersion: 1 })))
    .onConflictDoNothing();
  await tx
    .insert(organizationPolicyVersions)
    .values(AWS_MANAGED_ORGANIZATION_POLICIES.map((p) => ({ policyId: p.id, versionNumber: 1, content: p.content })))
    .onConflictDoNothing({ target: [organizationPolicyVersions.policyId, organizationPolicyVersions.versionNumber] });
}
