/**
 * Organizational units: CreateOrganizationalUnit (under the root or an OU, at most five levels
 * below the root), UpdateOrganizationalUnit (rename) and DeleteOrganizationalUnit (only when no
 * account and no OU is left in it). A new OU gets the AWS managed policies, as AWS attaches them.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { accounts, organizationalUnits, organizationLimits, organizationPolicyAttachments } from '../../db/schema/index.ts';
import { DeleteConflictError, EntityAlreadyExistsError, LimitExceededError } from '../../errors.ts';
import { runWrite, type WriteActor, type WriteResult } from '../../changes/outbox.ts';
import { rethrowUniqueViolation } from '../unique-violation.ts';
import { attachDefaultPolicies } from './default-policies.ts';
import { enabledPolicyTypesNow } from './policy-types.ts';
import { newOrganizationalUnitId } from './ids.ts';
import { getOrganizationalUnit, getParent, ouTarget, requireManagedOrganization, type OrganizationalUnit } from './tree.ts';
import { validateOrganizationalUnitName } from './validation.ts';

/** CreateOrganizationalUnit parameters. */
export interface CreateOrganizationalUnitInput {
  readonly parentId: string;
  readonly name: string;
}

/** CreateOrganizationalUnit: a new OU under `parentId`; a sixth level is LimitExceeded (AWS OU_DEPTH_LIMIT_EXCEEDED). */
export async function createOrganizationalUnit(database: Database, actor: WriteActor, input: CreateOrganizationalUnitInput): Promise<WriteResult<OrganizationalUnit>> {
  const name = validateOrganizationalUnitName(input.name);
  return runWrite(database, actor, async (tx, record) => {
    const organization = await requireManagedOrganization(tx, actor.accountId);
    // Locked: two OUs of one name under one parent, or a child under a parent being deleted, queue.
    const parent = await getParent(tx, organization, input.parentId, 'input.parentId', true);
    if ((parent.depth ?? 0) + 1 > organizationLimits.ouMaxDepth) {
      throw new LimitExceededError(
        'OrganizationalUnitDepth',
        organizationLimits.ouMaxDepth,
        `cannot exceed quota for OrganizationalUnitDepth: OUs nest at most ${organizationLimits.ouMaxDepth} levels below the root, and '${parent.id}' is at level ${parent.depth}`,
      );
    }
    const [clash] = await tx
      .select({ id: organizationalUnits.id })
      .from(organizationalUnits)
      .where(and(eq(organizationalUnits.parentId, parent.id), eq(organizationalUnits.name, name)));
    if (clash !== undefined) throw new EntityAlreadyExistsError('OrganizationalUnit', name);
    const [ou] = await tx
      .insert(organizationalUnits)
      .values({ id: newOrganizationalUnitId(organization.rootId), organizationId: organization.id, parentId: parent.id, name })
      .returning()
      .catch(rethrowUniqueViolation(() => new EntityAlreadyExistsError('OrganizationalUnit', name)));
    record({
      kind: 'OrganizationalUnitCreated',
      entityType: 'organizational-unit',
      entityArn: ouTarget(organization, ou!).arn,
      affectedPrincipalIds: [],
      payload: { organizationalUnitId: ou!.id, parentId: parent.id },
    });
    await attachDefaultPolicies(tx, record, organization, [ou!.id], await enabledPolicyTypesNow(tx, organization));
    return ou!;
  });
}

/** UpdateOrganizationalUnit parameters. */
export interface UpdateOrganizationalUnitInput {
  readonly organizationalUnitId: string;
  readonly name: string;
}

/** UpdateOrganizationalUnit: renames the OU (a name another OU under the same parent has is EntityAlreadyExists). */
export async function updateOrganizationalUnit(database: Database, actor: WriteActor, input: UpdateOrganizationalUnitInput): Promise<WriteResult<OrganizationalUnit>> {
  const name = validateOrganizationalUnitName(input.name);
  return runWrite(database, actor, async (tx, record) => {
    const organization = await requireManagedOrganization(tx, actor.accountId);
    const ou = await getOrganizationalUnit(tx, organization, input.organizationalUnitId, 'input.organizationalUnitId', true);
    const [updated] = await tx
      .update(organizationalUnits)
      .set({ name })
      .where(eq(organizationalUnits.id, ou.id))
      .returning()
      .catch(rethrowUniqueViolation(() => new EntityAlreadyExistsError('OrganizationalUnit', name)));
    record({
      kind: 'OrganizationalUnitRenamed',
      entityType: 'organizational-unit',
      entityArn: ouTarget(organization, ou).arn,
      affectedPrincipalIds: [],
      payload: { organizationalUnitId: ou.id, parentId: ou.parentId, name, previousName: ou.name },
    });
    return updated!;
  });
}

/** DeleteOrganizationalUnit: an empty OU and its policy attachments (AWS OrganizationalUnitNotEmptyException: DeleteConflict). */
export async function deleteOrganizationalUnit(database: Database, actor: WriteActor, organizationalUnitId: string): Promise<WriteResult<OrganizationalUnit>> {
  return runWrite(database, actor, async (tx, record) => {
    const organization = await requireManagedOrganization(tx, actor.accountId);
    const ou = await getOrganizationalUnit(tx, organization, organizationalUnitId, 'input.organizationalUnitId', true);
    const [counts] = await tx
      .select({
        accounts: sql<number>`(select count(*)::int from ${accounts} where ${accounts.parentId} = ${ou.id})`,
        units: sql<number>`(select count(*)::int from ${organizationalUnits} where ${organizationalUnits.parentId} = ${ou.id})`,
      })
      .from(sql`(select 1) as one`);
    const parts: string[] = [];
    if ((counts?.accounts ?? 0) > 0) parts.push(`${counts!.accounts} account(s)`);
    if ((counts?.units ?? 0) > 0) parts.push(`${counts!.units} child OU(s)`);
    if (parts.length > 0) throw new DeleteConflictError('OrganizationalUnit', ou.id, `${parts.join(', ')}; move or delete them first`);
    await tx.delete(organizationPolicyAttachments).where(eq(organizationPolicyAttachments.targetId, ou.id));
    await tx.delete(organizationalUnits).where(eq(organizationalUnits.id, ou.id));
    record({
      kind: 'OrganizationalUnitDeleted',
      entityType: 'organizational-unit',
      entityArn: ouTarget(organization, ou).arn,
      affectedPrincipalIds: [],
      payload: { organizationalUnitId: ou.id, parentId: ou.parentId },
    });
    return ou;
  });
}
