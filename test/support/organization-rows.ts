/**
 * Organization rows for tests, until the Organizations commands land: the organization, its OUs,
 * member accounts (with their root users) and SCPs/RCPs with versions and attachments, written
 * with plain inserts inside `runWrite`, each recording the change row the commands will record
 * (same kinds, payloads, accountId = the management account, no affected principals), so caches
 * and live watches are invalidated exactly as in production. AWS managed FullAWSAccess and
 * RCPFullAWSAccess are attached to every new target, as AWS does.
 */
import { and, eq, sql } from 'drizzle-orm';
import { runWrite, type RecordChange } from '../../src/changes/outbox.ts';
import type { Database, Tx } from '../../src/db/client.ts';
import { accounts } from '../../src/db/schema/accounts.ts';
import {
  organizationArns,
  organizationPolicies,
  organizationPolicyAttachments,
  organizationPolicyVersions,
  organizationalUnits,
  type OrganizationPolicyType,
} from '../../src/db/schema/organizations.ts';
import { organizations } from '../../src/db/schema/accounts.ts';
import { bootstrapAccount } from '../../src/iam/bootstrap.ts';

/** The organization a test built. */
export interface TestOrganization {
  readonly id: string;
  readonly rootId: string;
  readonly managementAccountId: string;
}

export const FULL_AWS_ACCESS = 'p-FullAWSAccess';
export const RCP_FULL_AWS_ACCESS = 'p-RCPFullAWSAccess';

const FULL_ACCESS_SCP = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
const FULL_ACCESS_RCP = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] });

const actorOf = (org: Pick<TestOrganization, 'managementAccountId'>) => ({ arn: `arn:aws:iam::${org.managementAccountId}:root`, accountId: org.managementAccountId });

/** Random lower-case alphanumerics, for ids in AWS Organizations' formats. */
function randomId(length: number): string {
  let out = '';
  while (out.length < length) out += Math.random().toString(36).slice(2);
  return out.slice(0, length);
}

/** The AWS managed default policies, shared by every organization (inserted once per database). */
async function ensureManagedPolicies(tx: Tx): Promise<void> {
  for (const [id, name, type, content] of [
    [FULL_AWS_ACCESS, 'FullAWSAccess', 'SERVICE_CONTROL_POLICY', FULL_ACCESS_SCP],
    [RCP_FULL_AWS_ACCESS, 'RCPFullAWSAccess', 'RESOURCE_CONTROL_POLICY', FULL_ACCESS_RCP],
  ] as const) {
    await tx.insert(organizationPolicies).values({ id, organizationId: null, type, name, awsManaged: true, currentVersion: 1 }).onConflictDoNothing();
    await tx.insert(organizationPolicyVersions).values({ policyId: id, versionNumber: 1, content }).onConflictDoNothing();
  }
}

/** Attaches the AWS managed defaults to a new target, recording nothing (the target's creation is the change). */
async function attachDefaults(tx: Tx, org: TestOrganization, targetId: string): Promise<void> {
  for (const policyId of [FULL_AWS_ACCESS, RCP_FULL_AWS_ACCESS]) {
    await tx.insert(organizationPolicyAttachments).values({ organizationId: org.id, policyId, targetId });
  }
}

/** Makes `managementAccountId` (already bootstrapped) the management account of a new organization. */
export async function createOrganizationRows(database: Database, managementAccountId: string): Promise<TestOrganization> {
  const org: TestOrganization = { id: `o-${randomId(10)}`, rootId: `r-${randomId(4)}`, managementAccountId };
  await runWrite(database, actorOf(org), async (tx, record) => {
    await ensureManagedPolicies(tx);
    await tx.insert(organizations).values({ id: org.id, rootId: org.rootId, managementAccountId });
    await tx.update(accounts).set({ organizationId: org.id, parentId: org.rootId, joinedMethod: 'INVITED', joinedAt: new Date() }).where(eq(accounts.id, managementAccountId));
    await attachDefaults(tx, org, org.rootId);
    await attachDefaults(tx, org, managementAccountId);
    record({
      kind: 'OrganizationCreated',
      entityType: 'organization',
      entityArn: `arn:aws:organizations::${managementAccountId}:organization/${org.id}`,
      affectedPrincipalIds: [],
      payload: { organizationId: org.id },
    });
  });
  return org;
}

/** Creates an OU under `parentId` (the root or an OU); returns its id. */
export async function createOuRows(database: Database, org: TestOrganization, parentId: string, name: string): Promise<string> {
  const id = `ou-${org.rootId.slice(2)}-${randomId(8)}`;
  await runWrite(database, actorOf(org), async (tx, record) => {
    await tx.insert(organizationalUnits).values({ id, organizationId: org.id, parentId, name });
    await attachDefaults(tx, org, id);
    record({
      kind: 'OrganizationalUnitCreated',
      entityType: 'organizational-unit',
      entityArn: organizationArns.ou(org.managementAccountId, org.id, id),
      affectedPrincipalIds: [],
      payload: { organizationalUnitId: id, parentId },
    });
  });
  return id;
}

/** Bootstraps `accountId` (its root user) and places it under `parentId` as a member account. */
export async function createMemberAccountRows(database: Database, org: TestOrganization, accountId: string, parentId: string): Promise<void> {
  await bootstrapAccount(database, { accountId });
  await runWrite(database, actorOf(org), async (tx, record) => {
    await tx.update(accounts).set({ organizationId: org.id, parentId, joinedMethod: 'CREATED', joinedAt: new Date() }).where(eq(accounts.id, accountId));
    await attachDefaults(tx, org, accountId);
    record({
      kind: 'OrganizationAccountCreated',
      entityType: 'account',
      entityArn: organizationArns.account(org.managementAccountId, org.id, accountId),
      affectedPrincipalIds: [],
      payload: { accountId, parentId },
    });
  });
}

/** Moves a member account to another parent (AccountMoved); returns the write's revision. */
export async function moveAccountRows(database: Database, org: TestOrganization, accountId: string, destinationParentId: string): Promise<string> {
  const { revision } = await runWrite(database, actorOf(org), async (tx, record) => {
    const [row] = await tx.select({ parentId: accounts.parentId }).from(accounts).where(eq(accounts.id, accountId));
    await tx.update(accounts).set({ parentId: destinationParentId }).where(eq(accounts.id, accountId));
    record({
      kind: 'AccountMoved',
      entityType: 'account',
      entityArn: organizationArns.account(org.managementAccountId, org.id, accountId),
      affectedPrincipalIds: [],
      payload: { accountId, sourceParentId: row?.parentId ?? null, destinationParentId },
    });
  });
  return revision;
}

/** Creates a customer SCP (or RCP) with `document` as version 1; returns its id. */
export async function createOrganizationPolicyRows(
  database: Database,
  org: TestOrganization,
  name: string,
  document: unknown,
  type: OrganizationPolicyType = 'SERVICE_CONTROL_POLICY',
): Promise<string> {
  const id = `p-${randomId(10)}`;
  await runWrite(database, actorOf(org), async (tx, record) => {
    await tx.insert(organizationPolicies).values({ id, organizationId: org.id, type, name, currentVersion: 1 });
    await tx.insert(organizationPolicyVersions).values({ policyId: id, versionNumber: 1, content: JSON.stringify(document) });
    record({ kind: 'OrganizationPolicyCreated', entityType: 'organization-policy', entityArn: organizationArns.policy(org.managementAccountId, org.id, type, id), affectedPrincipalIds: [], payload: { policyId: id, policyType: type } });
  });
  return id;
}

async function typeOf(tx: Tx, policyId: string): Promise<OrganizationPolicyType> {
  const [row] = await tx.select({ type: organizationPolicies.type }).from(organizationPolicies).where(eq(organizationPolicies.id, policyId));
  if (row === undefined) throw new Error(`no organization policy ${policyId}`);
  return row.type;
}

function recordOnPolicy(record: RecordChange, org: TestOrganization, kind: 'OrganizationPolicyAttached' | 'OrganizationPolicyDetached', policyId: string, policyType: OrganizationPolicyType, targetId: string): void {
  record({ kind, entityType: 'organization-policy', entityArn: organizationArns.policy(org.managementAccountId, org.id, policyType, policyId), affectedPrincipalIds: [], payload: { policyId, policyType, targetId } });
}

/** Attaches a policy to a target (root, OU or account); returns the write's revision. */
export async function attachOrganizationPolicyRows(database: Database, org: TestOrganization, policyId: string, targetId: string): Promise<string> {
  const { revision } = await runWrite(database, actorOf(org), async (tx, record) => {
    await tx.insert(organizationPolicyAttachments).values({ organizationId: org.id, policyId, targetId });
    recordOnPolicy(record, org, 'OrganizationPolicyAttached', policyId, await typeOf(tx, policyId), targetId);
  });
  return revision;
}

/** Detaches a policy from a target; returns the write's revision. */
export async function detachOrganizationPolicyRows(database: Database, org: TestOrganization, policyId: string, targetId: string): Promise<string> {
  const { revision } = await runWrite(database, actorOf(org), async (tx, record) => {
    await tx.delete(organizationPolicyAttachments).where(and(eq(organizationPolicyAttachments.policyId, policyId), eq(organizationPolicyAttachments.targetId, targetId)));
    recordOnPolicy(record, org, 'OrganizationPolicyDetached', policyId, await typeOf(tx, policyId), targetId);
  });
  return revision;
}

/** Gives a policy new content (a new version, now current); returns the write's revision. */
export async function updateOrganizationPolicyRows(database: Database, org: TestOrganization, policyId: string, document: unknown): Promise<string> {
  const { revision } = await runWrite(database, actorOf(org), async (tx, record) => {
    const [row] = await tx
      .update(organizationPolicies)
      .set({ currentVersion: sql`${organizationPolicies.currentVersion} + 1`, updatedAt: new Date() })
      .where(eq(organizationPolicies.id, policyId))
      .returning({ version: organizationPolicies.currentVersion, type: organizationPolicies.type });
    if (row === undefined) throw new Error(`no organization policy ${policyId}`);
    await tx.insert(organizationPolicyVersions).values({ policyId, versionNumber: row.version, content: JSON.stringify(document) });
    record({ kind: 'OrganizationPolicyUpdated', entityType: 'organization-policy', entityArn: organizationArns.policy(org.managementAccountId, org.id, row.type, policyId), affectedPrincipalIds: [], payload: { policyId, policyType: row.type } });
  });
  return revision;
}
