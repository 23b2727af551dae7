/**
 * Service and resource control policies: CreatePolicy, UpdatePolicy (a new version when the content
 * changes), DeletePolicy (refused while attached, AWS PolicyInUseException), DescribePolicy and
 * ListPolicies. Content lives in organization_policy_versions, 1, 2, …; `current_version` points at
 * the one in force. AWS managed policies are visible to every organization and cannot be changed.
 */
import { and, asc, eq, isNull, or, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import {
  organizationArns,
  organizationPolicies,
  organizationPolicyAttachments,
  organizationPolicyVersions,
  type OrganizationPolicyType,
  type Tag,
} from '../../db/schema/index.ts';
import { ConstraintViolationError, DeleteConflictError, EntityAlreadyExistsError, NoSuchEntityError, ValidationError } from '../../errors.ts';
import type { Finding } from '../../policy/index.ts';
import { runWrite, type ChangeInput, type WriteActor, type WriteResult } from '../../changes/outbox.ts';
import type { Queryable } from '../affected-principals.ts';
import { afterFilter, decodeCursor, pageSize, toPage, type Page, type PageRequest } from '../pagination.ts';
import { rethrowUniqueViolation } from '../unique-violation.ts';
import { validateTags } from '../validation.ts';
import { organizationIdPatterns } from '../../db/schema/rules.ts';
import { newOrganizationPolicyId } from './ids.ts';
import { checkOrganizationPolicyContent } from './policy-content.ts';
import { catalogForDocument } from '../services/catalog-view.ts';
import { requireManagedOrganization, type Organization } from './tree.ts';
import { validatePolicyDescription, validatePolicyName } from './validation.ts';

/** An organization policy row (its content is its current version's). */
export type OrganizationPolicy = typeof organizationPolicies.$inferSelect;

/** The ARN of `policy` as seen from `organization` (AWS managed ones have AWS's own). */
export function organizationPolicyArn(organization: Organization, policy: Pick<OrganizationPolicy, 'id' | 'type' | 'organizationId'>): string {
  return organizationArns.policy(organization.managementAccountId, policy.organizationId === null ? null : organization.id, policy.type, policy.id);
}

/**
 * The change row of `policy` attached to or detached from `targetId`: by AttachPolicy and
 * DetachPolicy, a new target's defaults, EnablePolicyType and DisablePolicyType alike.
 */
export function attachmentChange(
  kind: 'OrganizationPolicyAttached' | 'OrganizationPolicyDetached',
  organization: Organization,
  policy: Pick<OrganizationPolicy, 'id' | 'type' | 'organizationId'>,
  targetId: string,
): ChangeInput {
  return {
    kind,
    entityType: 'organization-policy',
    entityArn: organizationPolicyArn(organization, policy),
    affectedPrincipalIds: [],
    accountId: organization.managementAccountId,
    payload: { policyId: policy.id, policyType: policy.type, targetId },
  };
}

/** The ARN a policy id has in `organization`, before anything is looked up (for authorization). */
export function policyArnForId(organization: Organization, policyId: string, type: OrganizationPolicyType | undefined): string {
  const aws = policyId === 'p-FullAWSAccess' || policyId === 'p-RCPFullAWSAccess';
  const kind = type ?? (policyId === 'p-RCPFullAWSAccess' ? 'RESOURCE_CONTROL_POLICY' : 'SERVICE_CONTROL_POLICY');
  return organizationArns.policy(organization.managementAccountId, aws ? null : organization.id, kind, policyId);
}

const POLICY_ID = new RegExp(organizationIdPatterns.policy);

/** The policy `policyId` the organization can use (its own or AWS managed), locked when asked; NoSuchEntity otherwise. */
export async function getOrganizationPolicy(tx: Queryable, organization: Organization, policyId: string, field: string, lock = false): Promise<OrganizationPolicy> {
  if (!POLICY_ID.test(policyId)) throw new ValidationError(field, 'pattern', `${field} must be a policy id (p-…), got ${JSON.stringify(policyId.slice(0, 80))}`);
  const query = tx
    .select()
    .from(organizationPolicies)
    .where(and(eq(organizationPolicies.id, policyId), or(eq(organizationPolicies.organizationId, organization.id), isNull(organizationPolicies.organizationId))));
  const [row] = lock ? await query.for('update') : await query;
  if (row === undefined) throw new NoSuchEntityError('OrganizationPolicy', policyId);
  return row;
}

/** CreatePolicy parameters (AWS's Content, Description, Name, Type, Tags). */
export interface CreateOrganizationPolicyInput {
  readonly content: string;
  readonly description?: string | null;
  readonly name: string;
  readonly type: OrganizationPolicyType;
  readonly tags?: readonly Tag[] | null;
}

/** A stored policy and the non-error findings about its content. */
export interface WrittenOrganizationPolicy {
  readonly policy: OrganizationPolicy;
  readonly findings: readonly Finding[];
}

/** CreatePolicy: a customer SCP or RCP of the actor's organization, version 1. */
export async function createOrganizationPolicy(database: Database, actor: WriteActor, input: CreateOrganizationPolicyInput): Promise<WriteResult<WrittenOrganizationPolicy>> {
  const name = validatePolicyName(input.name);
  const description = validatePolicyDescription(input.description);
  const tags = validateTags(input.tags);
  const catalog = await catalogForDocument(database, actor.accountId, input.content);
  const findings = checkOrganizationPolicyContent(input.content, input.type, 'input.content', catalog);
  return runWrite(database, actor, async (tx, record) => {
    const organization = await requireManagedOrganization(tx, actor.accountId);
    const [clash] = await tx
      .select({ id: organizationPolicies.id })
      .from(organizationPolicies)
      .where(and(eq(organizationPolicies.organizationId, organization.id), eq(organizationPolicies.type, input.type), eq(organizationPolicies.name, name)));
    if (clash !== undefined) throw new EntityAlreadyExistsError('OrganizationPolicy', name);
    const [policy] = await tx
      .insert(organizationPolicies)
      .values({ id: newOrganizationPolicyId(), organizationId: organization.id, type: input.type, name, description, tags, currentVersion: 1 })
      .returning()
      .catch(rethrowUniqueViolation(() => new EntityAlreadyExistsError('OrganizationPolicy', name)));
    await tx.insert(organizationPolicyVersions).values({ policyId: policy!.id, versionNumber: 1, content: input.content });
    record({
      kind: 'OrganizationPolicyCreated',
      entityType: 'organization-policy',
      entityArn: organizationPolicyArn(organization, policy!),
      affectedPrincipalIds: [],
      payload: { policyId: policy!.id, policyType: policy!.type, name },
    });
    return { policy: policy!, findings };
  });
}

/** UpdatePolicy parameters: any of name, description and content; absent keeps it. */
export interface UpdateOrganizationPolicyInput {
  readonly policyId: string;
  readonly name?: string | null;
  readonly description?: string | null;
  readonly content?: string | null;
}

/** The policy `policyId` of the organization itself, for a write: AWS managed ones are refused. */
async function customerPolicy(tx: Queryable, organization: Organization, policyId: string): Promise<OrganizationPolicy> {
  const policy = await getOrganizationPolicy(tx, organization, policyId, 'input.policyId', true);
  if (policy.awsManaged) throw new ConstraintViolationError('AWS_MANAGED_POLICY', `policy '${policy.id}' (${policy.name}) is managed by AWS and cannot be changed or deleted`);
  return policy;
}

/** UpdatePolicy: renames, re-describes, or stores new content as the next version. */
export async function updateOrganizationPolicy(database: Database, actor: WriteActor, input: UpdateOrganizationPolicyInput): Promise<WriteResult<WrittenOrganizationPolicy>> {
  const name = input.name == null ? undefined : validatePolicyName(input.name);
  const description = input.description == null ? undefined : validatePolicyDescription(input.description);
  const catalog = input.content == null ? undefined : await catalogForDocument(database, actor.accountId, input.content);
  return runWrite(database, actor, async (tx, record) => {
    const organization = await requireManagedOrganization(tx, actor.accountId);
    const policy = await customerPolicy(tx, organization, input.policyId);
    const findings = input.content == null ? [] : checkOrganizationPolicyContent(input.content, policy.type, 'input.content', catalog);
    const version = input.content == null ? policy.currentVersion : policy.currentVersion + 1;
    if (input.content != null) await tx.insert(organizationPolicyVersions).values({ policyId: policy.id, versionNumber: version, content: input.content });
    const [updated] = await tx
      .update(organizationPolicies)
      .set({ name: name ?? policy.name, description: description ?? policy.description, currentVersion: version, updatedAt: new Date() })
      .where(eq(organizationPolicies.id, policy.id))
      .returning()
      .catch(rethrowUniqueViolation(() => new EntityAlreadyExistsError('OrganizationPolicy', name ?? policy.name)));
    record({
      kind: 'OrganizationPolicyUpdated',
      entityType: 'organization-policy',
      entityArn: organizationPolicyArn(organization, policy),
      affectedPrincipalIds: [],
      payload: { policyId: policy.id, policyType: policy.type, version, contentChanged: input.content != null },
    });
    return { policy: updated!, findings };
  });
}

/** DeletePolicy: a customer policy attached to nothing (AWS PolicyInUseException: DeleteConflict). */
export async function deleteOrganizationPolicy(database: Database, actor: WriteActor, policyId: string): Promise<WriteResult<OrganizationPolicy>> {
  return runWrite(database, actor, async (tx, record) => {
    const organization = await requireManagedOrganization(tx, actor.accountId);
    const policy = await customerPolicy(tx, organization, policyId);
    const [count] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(organizationPolicyAttachments)
      .where(eq(organizationPolicyAttachments.policyId, policy.id));
    if ((count?.n ?? 0) > 0) throw new DeleteConflictError('OrganizationPolicy', policy.id, `${count!.n} target(s) it is attached to (PolicyInUse); detach it first`);
    await tx.delete(organizationPolicies).where(eq(organizationPolicies.id, policy.id));
    record({
      kind: 'OrganizationPolicyDeleted',
      entityType: 'organization-policy',
      entityArn: organizationPolicyArn(organization, policy),
      affectedPrincipalIds: [],
      payload: { policyId: policy.id, policyType: policy.type },
    });
    return policy;
  });
}

/** ListPolicies: the organization's and AWS's policies of `type`, by id. */
export async function listOrganizationPolicies(tx: Queryable, organization: Organization, type: OrganizationPolicyType, input: PageRequest): Promise<Page<OrganizationPolicy>> {
  const limit = pageSize(input.first);
  const after = decodeCursor(input.after);
  const rows = await tx
    .select()
    .from(organizationPolicies)
    .where(
      and(
        eq(organizationPolicies.type, type),
        or(eq(organizationPolicies.organizationId, organization.id), isNull(organizationPolicies.organizationId)),
        afterFilter([sql`${organizationPolicies.id}`], after),
      ),
    )
    .orderBy(asc(organizationPolicies.id))
    .limit(limit + 1);
  return toPage(rows, limit, (row) => [row.id]);
}
