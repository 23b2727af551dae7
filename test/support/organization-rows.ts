/**
 * Organizations for tests, built with the Organizations commands (src/iam/organizations) as the API
 * would: the organization a management account manages, OUs, SCPs/RCPs, attachments, new content.
 * One step has no command: placing an existing, bootstrapped account (with its root user's keys
 * and a fixed id the tests name in ARNs) in the organization, as AWS's InviteAccountToOrganization
 * would. It writes what createAccount writes for the tree (the account's parent, the AWS managed
 * defaults attached, the OrganizationAccountCreated row), so caches and watches see the same change.
 */
import { eq } from 'drizzle-orm';
import { runWrite } from '../../src/changes/outbox.ts';
import type { Database } from '../../src/db/client.ts';
import { accounts } from '../../src/db/schema/accounts.ts';
import type { OrganizationPolicyType } from '../../src/db/schema/accounts.ts';
import { organizationArns } from '../../src/db/schema/organizations.ts';
import { bootstrapAccount } from '../../src/iam/bootstrap.ts';
import { moveAccount } from '../../src/iam/organizations/accounts.ts';
import { ensureOrganization } from '../../src/iam/organizations/bootstrap.ts';
import { attachDefaultPolicies } from '../../src/iam/organizations/default-policies.ts';
import { attachOrganizationPolicy, detachOrganizationPolicy } from '../../src/iam/organizations/policy-attachments.ts';
import { createOrganizationPolicy, updateOrganizationPolicy } from '../../src/iam/organizations/policies.ts';
import { enabledPolicyTypesNow } from '../../src/iam/organizations/policy-types.ts';
import { requireManagedOrganization } from '../../src/iam/organizations/tree.ts';
import { createOrganizationalUnit } from '../../src/iam/organizations/units.ts';

/** The organization a test built. */
export interface TestOrganization {
  readonly id: string;
  readonly rootId: string;
  readonly managementAccountId: string;
}

export const FULL_AWS_ACCESS = 'p-FullAWSAccess';
export const RCP_FULL_AWS_ACCESS = 'p-RCPFullAWSAccess';

const actorOf = (org: Pick<TestOrganization, 'managementAccountId'>) => ({ arn: `arn:aws:iam::${org.managementAccountId}:root`, accountId: org.managementAccountId });

/** The organization `managementAccountId` (already bootstrapped) manages, created when it has none. */
export async function createOrganizationRows(database: Database, managementAccountId: string): Promise<TestOrganization> {
  const { organization } = await ensureOrganization(database, managementAccountId);
  return { id: organization.id, rootId: organization.rootId, managementAccountId };
}

/** Creates an OU under `parentId` (the root or an OU); returns its id. */
export async function createOuRows(database: Database, org: TestOrganization, parentId: string, name: string): Promise<string> {
  const { result } = await createOrganizationalUnit(database, actorOf(org), { parentId, name });
  return result.id;
}

/** Bootstraps `accountId` (its root user) and places it under `parentId` as a member account. */
export async function createMemberAccountRows(database: Database, org: TestOrganization, accountId: string, parentId: string): Promise<void> {
  await bootstrapAccount(database, { accountId });
  await runWrite(database, actorOf(org), async (tx, record) => {
    const organization = await requireManagedOrganization(tx, org.managementAccountId);
    await tx.update(accounts).set({ organizationId: org.id, parentId, joinedMethod: 'INVITED', joinedAt: new Date() }).where(eq(accounts.id, accountId));
    record({
      kind: 'OrganizationAccountCreated',
      entityType: 'account',
      entityArn: organizationArns.account(org.managementAccountId, org.id, accountId),
      affectedPrincipalIds: [],
      payload: { accountId, parentId },
    });
    await attachDefaultPolicies(tx, record, organization, [accountId], await enabledPolicyTypesNow(tx, organization));
  });
}

/** Moves a member account to another parent (MoveAccount); returns the write's revision. */
export async function moveAccountRows(database: Database, org: TestOrganization, accountId: string, destinationParentId: string): Promise<string> {
  const [row] = await database.db.select({ parentId: accounts.parentId }).from(accounts).where(eq(accounts.id, accountId));
  const { revision } = await moveAccount(database, actorOf(org), { accountId, sourceParentId: row!.parentId!, destinationParentId });
  return revision;
}

/** Creates a customer SCP (or RCP) with `document` as its content; returns its id. */
export async function createOrganizationPolicyRows(
  database: Database,
  org: TestOrganization,
  name: string,
  document: unknown,
  type: OrganizationPolicyType = 'SERVICE_CONTROL_POLICY',
): Promise<string> {
  const { result } = await createOrganizationPolicy(database, actorOf(org), { name, type, content: JSON.stringify(document) });
  return result.policy.id;
}

/** Attaches a policy to a target (root, OU or account); returns the write's revision. */
export async function attachOrganizationPolicyRows(database: Database, org: TestOrganization, policyId: string, targetId: string): Promise<string> {
  return (await attachOrganizationPolicy(database, actorOf(org), { policyId, targetId })).revision;
}

/** Detaches a policy from a target; returns the write's revision. */
export async function detachOrganizationPolicyRows(database: Database, org: TestOrganization, policyId: string, targetId: string): Promise<string> {
  return (await detachOrganizationPolicy(database, actorOf(org), { policyId, targetId })).revision;
}

/** Gives a policy new content (a new version, now current); returns the write's revision. */
export async function updateOrganizationPolicyRows(database: Database, org: TestOrganization, policyId: string, document: unknown): Promise<string> {
  return (await updateOrganizationPolicy(database, actorOf(org), { policyId, content: JSON.stringify(document) })).revision;
}
