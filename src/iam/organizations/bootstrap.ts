/**
 * The organization of a deployment: the bootstrap account creates it (AWS CreateOrganization) and
 * becomes its management account, with the root and the AWS managed policies attached to the root
 * and to itself. `ensureOrganization` runs on every start and is idempotent; the start-up refuses
 * a PORTCULLIS_ACCOUNT_ID that does not manage the database's organization (src/server/startup.ts).
 */
import { asc, eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { accounts, organizationArn, organizations } from '../../db/schema/index.ts';
import { ConstraintViolationError, NoSuchEntityError } from '../../errors.ts';
import { runWrite, type WriteResult } from '../../changes/outbox.ts';
import { rootArn } from '../bootstrap.ts';
import { attachDefaultPolicies } from './default-policies.ts';
import { newOrganizationId, newRootId } from './ids.ts';
import { ensureAwsManagedOrganizationPolicies } from './managed-policies.ts';
import { organizationManagedBy, type Organization } from './tree.ts';

/** The management account of the database's first organization, or undefined when it has none. */
export async function firstManagementAccountId(database: Database): Promise<string | undefined> {
  const [row] = await database.db
    .select({ id: organizations.managementAccountId })
    .from(organizations)
    .orderBy(asc(organizations.createdAt), asc(organizations.id))
    .limit(1);
  return row?.id;
}

/**
 * CreateOrganization: `accountId` (which must exist and belong to no organization) becomes the
 * management account of a new organization. A concurrent call for the same account returns the
 * organization the other created.
 */
export async function createOrganization(database: Database, accountId: string): Promise<WriteResult<Organization>> {
  return runWrite(database, { arn: rootArn(accountId), accountId }, async (tx, record) => {
    await ensureAwsManagedOrganizationPolicies(tx);
    const [account] = await tx.select().from(accounts).where(eq(accounts.id, accountId)).for('update');
    if (account === undefined) throw new NoSuchEntityError('Account', accountId);
    const existing = await organizationManagedBy(tx, accountId);
    if (existing !== undefined) return existing;
    if (account.organizationId !== null) {
      throw new ConstraintViolationError('ALREADY_IN_ORGANIZATION', `account '${accountId}' already belongs to organization '${account.organizationId}'`);
    }
    const [organization] = await tx.insert(organizations).values({ id: newOrganizationId(), rootId: newRootId(), managementAccountId: accountId }).returning();
    const now = new Date();
    await tx
      .update(accounts)
      .set({ organizationId: organization!.id, parentId: organization!.rootId, joinedMethod: 'INVITED', joinedAt: now })
      .where(eq(accounts.id, accountId));
    record({
      kind: 'OrganizationCreated',
      entityType: 'organization',
      entityArn: organizationArn(accountId, organization!.id),
      affectedPrincipalIds: [],
      payload: { organizationId: organization!.id, rootId: organization!.rootId, managementAccountId: accountId },
    });
    await attachDefaultPolicies(tx, record, organization!, [organization!.rootId, accountId], organization!.enabledPolicyTypes);
    return organization!;
  });
}

/** What `ensureOrganization` found or did. */
export interface EnsuredOrganization {
  readonly organization: Organization;
  readonly created: boolean;
}

/** The organization `accountId` manages, created when it has none (idempotent; runs on every start). */
export async function ensureOrganization(database: Database, accountId: string): Promise<EnsuredOrganization> {
  const existing = await organizationManagedBy(database.db, accountId);
  if (existing !== undefined) return { organization: existing, created: false };
  const { result } = await createOrganization(database, accountId);
  return { organization: result, created: true };
}
