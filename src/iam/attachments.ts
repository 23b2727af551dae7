/**
 * Managed-policy attachments: Attach/Detach{User,Group,Role}Policy, ListAttached{User,Group,Role}
 * Policies and ListEntitiesForPolicy. A principal holds at most ten managed policies; built-in
 * policies attach in every account, customer policies only in their own.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { groups, managedPolicies, policyAttachments, roles, users } from '../db/schema/index.ts';
import { principalsAffectedByGroup, type Queryable } from './affected-principals.ts';
import { NoSuchEntityError, ValidationError } from '../errors.ts';
import { afterFilter, decodeCursor, pageSize, pathPrefixFilter, toPage, type Page, type PageRequest } from './pagination.ts';
import { getPolicy, type ManagedPolicy } from './policies.ts';
import { findPrincipal, type PrincipalKind, type PrincipalRef } from './principal-refs.ts';
import { enforceQuota, type QuotaName } from './quotas.ts';
import { validatePathPrefix } from './validation.ts';
import type { ChangeKind } from '../changes/change-kinds.ts';
import { runWrite, type ChangeInput, type WriteActor as Actor, type WriteResult as Written } from '../changes/outbox.ts';

const ATTACHED_QUOTA: Readonly<Record<PrincipalKind, QuotaName>> = {
  user: 'AttachedPoliciesPerUser',
  group: 'AttachedPoliciesPerGroup',
  role: 'AttachedPoliciesPerRole',
};

/** The attachment row's foreign-key column for each principal kind. */
const PRINCIPAL_COLUMN = { user: 'userId', group: 'groupId', role: 'roleId' } as const;

/**
 * The change-log entry for a change (`kind`, e.g. `PolicyAttached`) to `principal`'s own policies.
 * It affects the principal itself, plus a group's members.
 */
export async function principalPolicyChange(
  tx: Queryable,
  principal: PrincipalRef,
  kind: ChangeKind,
  payload: ChangeInput['payload'],
): Promise<ChangeInput> {
  const affectedPrincipalIds = principal.kind === 'group' ? await principalsAffectedByGroup(tx, principal.id) : [principal.id];
  return { kind, entityType: principal.kind, entityArn: principal.arn, affectedPrincipalIds, payload };
}

/** Attach/Detach parameters: the principal's name (userName, groupName or roleName) and the policy. */
export interface AttachmentInput {
  readonly principalName: string;
  readonly policyArn: string;
}

/** The principal and policy an attachment write touched. */
export interface AttachmentChange {
  readonly principal: PrincipalRef;
  readonly policy: ManagedPolicy;
}

/**
 * Attach{User,Group,Role}Policy. Attaching a policy that is already attached succeeds and changes
 * nothing (as in AWS). Over ten attached policies is LimitExceeded. `foundId`: the principal a
 * guard already found by name (see FindPrincipalOptions); likewise for detachPolicy.
 */
export async function attachPolicy(
  database: Database,
  actor: Actor,
  kind: PrincipalKind,
  input: AttachmentInput,
  foundId?: string,
): Promise<Written<AttachmentChange>> {
  return runWrite(database, actor, async (tx, record) => {
    const principal = await findPrincipal(tx, actor.accountId, kind, input.principalName, { lock: true, foundId });
    const policy = await getPolicy(tx, actor.accountId, input.policyArn);
    if (!policy.isAttachable) {
      throw new ValidationError('input.policyArn', 'attachable', `input.policyArn ${JSON.stringify(policy.arn)} is not attachable`);
    }
    const existing = await tx
      .select({ policyId: policyAttachments.policyId })
      .from(policyAttachments)
      .where(eq(policyAttachments.principalId, principal.id));
    if (existing.some((a) => a.policyId === policy.id)) return { principal, policy };
    enforceQuota(ATTACHED_QUOTA[kind], existing.length);
    await tx.insert(policyAttachments).values({ policyId: policy.id, principalKind: kind, [PRINCIPAL_COLUMN[kind]]: principal.id });
    record(await principalPolicyChange(tx, principal, 'PolicyAttached', { policyArn: policy.arn }));
    return { principal, policy };
  });
}

/** Detach{User,Group,Role}Policy; a policy that is not attached is NoSuchEntity, as in AWS. */
export async function detachPolicy(
  database: Database,
  actor: Actor,
  kind: PrincipalKind,
  input: AttachmentInput,
  foundId?: string,
): Promise<Written<AttachmentChange>> {
  return runWrite(database, actor, async (tx, record) => {
    const principal = await findPrincipal(tx, actor.accountId, kind, input.principalName, { foundId });
    const policy = await getPolicy(tx, actor.accountId, input.policyArn);
    const deleted = await tx
      .delete(policyAttachments)
      .where(and(eq(policyAttachments.principalId, principal.id), eq(policyAttachments.policyId, policy.id)))
      .returning({ policyId: policyAttachments.policyId });
    if (deleted.length === 0) throw new NoSuchEntityError('Policy', `${policy.arn} attached to ${principal.name}`);
    record(await principalPolicyChange(tx, principal, 'PolicyDetached', { policyArn: policy.arn }));
    return { principal, policy };
  });
}

/** ListAttached{User,Group,Role}Policies parameters. */
export interface ListAttachedInput extends PageRequest {
  readonly principalName: string;
  readonly pathPrefix?: string | null;
}

/** ListAttached{User,Group,Role}Policies: the principal's managed policies by name, a page at a time. */
export async function listAttachedPolicies(
  tx: Queryable,
  accountId: string,
  kind: PrincipalKind,
  input: ListAttachedInput,
): Promise<Page<ManagedPolicy>> {
  const limit = pageSize(input.first);
  const after = decodeCursor(input.after, 2);
  const prefix = validatePathPrefix(input.pathPrefix);
  const principal = await findPrincipal(tx, accountId, kind, input.principalName);
  const sortKeys = [sql`lower(${managedPolicies.name})`, sql`${managedPolicies.arn}`];
  const rows = await tx
    .select({ policy: managedPolicies })
    .from(policyAttachments)
    .innerJoin(managedPolicies, eq(managedPolicies.id, policyAttachments.policyId))
    .where(and(eq(policyAttachments.principalId, principal.id), pathPrefixFilter(managedPolicies.path, prefix), afterFilter(sortKeys, after)))
    .orderBy(asc(sql`lower(${managedPolicies.name})`), asc(managedPolicies.arn))
    .limit(limit + 1);
  return toPage(
    rows.map((r) => r.policy),
    limit,
    (p) => [p.name.toLowerCase(), p.arn],
  );
}

/**
 * Managed policies attached to each principal id, for many principals in one statement (the
 * GraphQL loaders use it). Principals with none map to an empty list.
 */
export async function attachedPoliciesByPrincipal(tx: Queryable, principalIds: readonly string[]): Promise<Map<string, ManagedPolicy[]>> {
  const result = new Map<string, ManagedPolicy[]>(principalIds.map((id) => [id, []]));
  if (principalIds.length === 0) return result;
  const rows = await tx
    .select({ principalId: policyAttachments.principalId, policy: managedPolicies })
    .from(policyAttachments)
    .innerJoin(managedPolicies, eq(managedPolicies.id, policyAttachments.policyId))
    .where(inArray(policyAttachments.principalId, [...principalIds]))
    .orderBy(asc(sql`lower(${managedPolicies.name})`), asc(managedPolicies.arn));
  for (const row of rows) result.get(row.principalId)?.push(row.policy);
  return result;
}

export { listEntitiesForPolicy, type ListEntitiesInput, type PolicyEntity } from './policy-entities.ts';

/** How many of `accountId`'s principals use each policy: as attachment, and as permissions boundary. */
export interface PolicyUsage {
  readonly attachmentCount: number;
  readonly permissionsBoundaryUsageCount: number;
}

/** Usage counts for many policies in two statements (for the GraphQL loaders), scoped to one account. */
export async function policyUsageCounts(tx: Queryable, accountId: string, policies: readonly ManagedPolicy[]): Promise<Map<string, PolicyUsage>> {
  const result = new Map<string, PolicyUsage>();
  if (policies.length === 0) return result;
  const ids = policies.map((p) => p.id);
  const arns = policies.map((p) => p.arn);
  const attached = await tx
    .select({ policyId: policyAttachments.policyId, n: sql<number>`count(*)::int` })
    .from(policyAttachments)
    .leftJoin(users, eq(users.id, policyAttachments.userId))
    .leftJoin(groups, eq(groups.id, policyAttachments.groupId))
    .leftJoin(roles, eq(roles.id, policyAttachments.roleId))
    .where(and(inArray(policyAttachments.policyId, ids), sql`coalesce(${users.accountId}, ${groups.accountId}, ${roles.accountId}) = ${accountId}`))
    .groupBy(policyAttachments.policyId);
  const bounded = await tx
    .select({ arn: sql<string>`b.arn`, n: sql<number>`count(*)::int` })
    .from(
      sql`(select ${users.permissionsBoundaryArn} as arn from ${users} where ${users.accountId} = ${accountId} and ${inArray(users.permissionsBoundaryArn, arns)}
           union all
           select ${roles.permissionsBoundaryArn} from ${roles} where ${roles.accountId} = ${accountId} and ${inArray(roles.permissionsBoundaryArn, arns)}) as b`,
    )
    .groupBy(sql`b.arn`);
  const attachedById = new Map(attached.map((r) => [r.policyId, r.n]));
  const boundedByArn = new Map(bounded.map((r) => [r.arn, r.n]));
  for (const p of policies) {
    result.set(p.id, { attachmentCount: attachedById.get(p.id) ?? 0, permissionsBoundaryUsageCount: boundedByArn.get(p.arn) ?? 0 });
  }
  return result;
}
