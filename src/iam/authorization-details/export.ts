/**
 * GetAccountAuthorizationDetails: the account's users (the root user excepted, as in AWS), groups,
 * roles and managed policies with their relationships, in AWS's shape, `Filter`ed and paged by
 * `MaxItems` and `Marker`. A page is a bounded number of statements whatever its size: one per
 * list and one per kind of relationship, for at most `MaxItems` (1,000) entities.
 */
import { and, asc, eq, gt, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { groupMemberships, groups, managedPolicies, policyVersions, roles, users } from '../../db/schema/index.ts';
import { ValidationError } from '../../errors.ts';
import type { Queryable } from '../affected-principals.ts';
import { attachedPoliciesByPrincipal, policyUsageCounts } from '../attachments.ts';
import { inlinePoliciesByPrincipal, type InlinePolicy } from '../inline-policies.ts';
import { decodeCursor, encodeCursor, pageSize } from '../pagination.ts';
import { attachedInAccount, type ManagedPolicy } from '../policies.ts';
import { renderPrincipalIds } from '../trust-principals.ts';
import {
  awsDate,
  documentJson,
  type AttachedPolicy,
  type AuthorizationDetails,
  type AuthorizationEntityType,
  type GroupDetail,
  type ManagedPolicyDetail,
  type PolicyDetail,
  type RoleDetail,
  type UserDetail,
} from './document.ts';

/** GetAccountAuthorizationDetails parameters. */
export interface AuthorizationDetailsRequest {
  /** Entity types to include; empty or absent: all. */
  readonly filter?: readonly AuthorizationEntityType[] | null;
  /** 1 to 1,000 entities a page (default 100), counted across the four lists as AWS counts them. */
  readonly maxItems?: number | null;
  readonly marker?: string | null;
}

/** The sections of the document in the order pages walk them; policies are local, then AWS managed. */
const SECTIONS = ['User', 'Group', 'Role', 'LocalManagedPolicy', 'AWSManagedPolicy'] as const;

const policyLists = (rows: readonly InlinePolicy[] | undefined): PolicyDetail[] =>
  (rows ?? []).map((p) => ({ PolicyName: p.name, PolicyDocument: documentJson(p.document) }));

const attachedLists = (rows: readonly ManagedPolicy[] | undefined): AttachedPolicy[] => (rows ?? []).map((p) => ({ PolicyName: p.name, PolicyArn: p.arn }));

const boundaryOf = (arn: string | null) => (arn === null ? {} : { PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy' as const, PermissionsBoundaryArn: arn } });

const tagsOf = (tags: readonly { key: string; value: string }[]) => (tags.length === 0 ? {} : { Tags: tags.map((t) => ({ Key: t.key, Value: t.value })) });

/** Rows of one table after `after` (by lower-case name), at most `limit`. */
function afterName(column: SQL, after: string | undefined): SQL | undefined {
  return after === undefined ? undefined : gt(column, after);
}

async function userDetails(tx: Queryable, accountId: string, after: string | undefined, limit: number): Promise<{ items: UserDetail[]; last?: string }> {
  const rows = await tx
    .select()
    .from(users)
    .where(and(eq(users.accountId, accountId), eq(users.isRoot, false), afterName(sql`lower(${users.name})`, after)))
    .orderBy(asc(sql`lower(${users.name})`))
    .limit(limit);
  const ids = rows.map((r) => r.id);
  const [inline, attached, memberships] = await Promise.all([
    inlinePoliciesByPrincipal(tx, ids),
    attachedPoliciesByPrincipal(tx, ids),
    ids.length === 0
      ? []
      : tx
          .select({ userId: groupMemberships.userId, name: groups.name })
          .from(groupMemberships)
          .innerJoin(groups, eq(groups.id, groupMemberships.groupId))
          .where(inArray(groupMemberships.userId, ids))
          .orderBy(asc(sql`lower(${groups.name})`)),
  ]);
  const groupNames = new Map<string, string[]>();
  for (const m of memberships) groupNames.set(m.userId, [...(groupNames.get(m.userId) ?? []), m.name]);
  const items = rows.map((u): UserDetail => {
    const inlineList = policyLists(inline.get(u.id));
    return {
      Path: u.path,
      UserName: u.name,
      UserId: u.id,
      Arn: u.arn,
      CreateDate: awsDate(u.createdAt),
      ...(inlineList.length === 0 ? {} : { UserPolicyList: inlineList }),
      GroupList: groupNames.get(u.id) ?? [],
      AttachedManagedPolicies: attachedLists(attached.get(u.id)),
      ...boundaryOf(u.permissionsBoundaryArn),
      ...tagsOf(u.tags),
    };
  });
  return { items, ...(rows.length === 0 ? {} : { last: rows[rows.length - 1]!.name.toLowerCase() }) };
}

async function groupDetails(tx: Queryable, accountId: string, after: string | undefined, limit: number): Promise<{ items: GroupDetail[]; last?: string }> {
  const rows = await tx
    .select()
    .from(groups)
    .where(and(eq(groups.accountId, accountId), afterName(sql`lower(${groups.name})`, after)))
    .orderBy(asc(sql`lower(${groups.name})`))
    .limit(limit);
  const ids = rows.map((r) => r.id);
  const [inline, attached] = await Promise.all([inlinePoliciesByPrincipal(tx, ids), attachedPoliciesByPrincipal(tx, ids)]);
  const items = rows.map(
    (g): GroupDetail => ({
      Path: g.path,
      GroupName: g.name,
      GroupId: g.id,
      Arn: g.arn,
      CreateDate: awsDate(g.createdAt),
      GroupPolicyList: policyLists(inline.get(g.id)),
      AttachedManagedPolicies: attachedLists(attached.get(g.id)),
    }),
  );
  return { items, ...(rows.length === 0 ? {} : { last: rows[rows.length - 1]!.name.toLowerCase() }) };
}

/** The ARNs of the users and roles `ids` name now, for trust policies read back (one statement each). */
async function currentArns(tx: Queryable, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const found = [
    ...(await tx.select({ id: users.id, arn: users.arn }).from(users).where(inArray(users.id, [...ids]))),
    ...(await tx.select({ id: roles.id, arn: roles.arn }).from(roles).where(inArray(roles.id, [...ids]))),
  ];
  return new Map(found.map((f) => [f.id, f.arn]));
}

async function roleDetails(tx: Queryable, accountId: string, after: string | undefined, limit: number): Promise<{ items: RoleDetail[]; last?: string }> {
  const rows = await tx
    .select()
    .from(roles)
    .where(and(eq(roles.accountId, accountId), afterName(sql`lower(${roles.name})`, after)))
    .orderBy(asc(sql`lower(${roles.name})`))
    .limit(limit);
  const ids = rows.map((r) => r.id);
  const trusted = [...new Set(rows.flatMap((r) => Object.values(r.trustPrincipalIds)))];
  const [inline, attached, arns] = await Promise.all([inlinePoliciesByPrincipal(tx, ids), attachedPoliciesByPrincipal(tx, ids), currentArns(tx, trusted)]);
  const items = rows.map(
    (r): RoleDetail => ({
      Path: r.path,
      RoleName: r.name,
      RoleId: r.id,
      Arn: r.arn,
      CreateDate: awsDate(r.createdAt),
      AssumeRolePolicyDocument: documentJson(renderPrincipalIds(r.trustPolicy, r.trustPrincipalIds, (_arn, id) => arns.get(id))),
      // Portcullis has no instance profiles.
      InstanceProfileList: [],
      RolePolicyList: policyLists(inline.get(r.id)),
      AttachedManagedPolicies: attachedLists(attached.get(r.id)),
      ...boundaryOf(r.permissionsBoundaryArn),
      ...tagsOf(r.tags),
      RoleLastUsed: r.lastUsedAt === null ? {} : { LastUsedDate: awsDate(r.lastUsedAt), ...(r.lastUsedRegion === null ? {} : { Region: r.lastUsedRegion }) },
    }),
  );
  return { items, ...(rows.length === 0 ? {} : { last: rows[rows.length - 1]!.name.toLowerCase() }) };
}

/** SQL: a built-in policy this account uses, as attachment or permissions boundary (AWS lists only those). */
function usedInAccount(accountId: string): SQL {
  return or(
    attachedInAccount(accountId),
    sql`exists (select 1 from ${users} where ${users.accountId} = ${accountId} and ${users.permissionsBoundaryArn} = ${managedPolicies.arn})`,
    sql`exists (select 1 from ${roles} where ${roles.accountId} = ${accountId} and ${roles.permissionsBoundaryArn} = ${managedPolicies.arn})`,
  )!;
}

async function policyDetails(
  tx: Queryable,
  accountId: string,
  builtIn: boolean,
  after: string | undefined,
  limit: number,
): Promise<{ items: ManagedPolicyDetail[]; last?: string }> {
  const owner = builtIn ? and(isNull(managedPolicies.accountId), usedInAccount(accountId)) : eq(managedPolicies.accountId, accountId);
  const rows = await tx
    .select()
    .from(managedPolicies)
    .where(and(owner, afterName(sql`lower(${managedPolicies.name})`, after)))
    .orderBy(asc(sql`lower(${managedPolicies.name})`))
    .limit(limit);
  const ids = rows.map((r) => r.id);
  const [versions, usage] = await Promise.all([
    ids.length === 0 ? [] : tx.select().from(policyVersions).where(inArray(policyVersions.policyId, ids)).orderBy(asc(policyVersions.policyId), sql`${policyVersions.versionNumber} desc`),
    policyUsageCounts(tx, accountId, rows),
  ]);
  const versionsOf = new Map<string, (typeof versions)[number][]>();
  for (const v of versions) versionsOf.set(v.policyId, [...(versionsOf.get(v.policyId) ?? []), v]);
  const items = rows.map((p): ManagedPolicyDetail => {
    const list = versionsOf.get(p.id) ?? [];
    const counts = usage.get(p.id);
    return {
      PolicyName: p.name,
      PolicyId: p.id,
      Arn: p.arn,
      Path: p.path,
      DefaultVersionId: list.find((v) => v.isDefault)?.versionId ?? 'v1',
      AttachmentCount: counts?.attachmentCount ?? 0,
      PermissionsBoundaryUsageCount: counts?.permissionsBoundaryUsageCount ?? 0,
      IsAttachable: p.isAttachable,
      ...(p.description === null ? {} : { Description: p.description }),
      CreateDate: awsDate(p.createdAt),
      UpdateDate: awsDate(p.updatedAt),
      PolicyVersionList: list.map((v) => ({ Document: documentJson(v.document), VersionId: v.versionId, IsDefaultVersion: v.isDefault, CreateDate: awsDate(v.createdAt) })),
    };
  });
  return { items, ...(rows.length === 0 ? {} : { last: rows[rows.length - 1]!.name.toLowerCase() }) };
}

/** GetAccountAuthorizationDetails: one page of the account's authorization details. */
export async function getAccountAuthorizationDetails(tx: Queryable, accountId: string, request: AuthorizationDetailsRequest = {}): Promise<AuthorizationDetails> {
  const wanted = new Set<string>(request.filter == null || request.filter.length === 0 ? SECTIONS : request.filter);
  const limit = pageSize(request.maxItems, 'maxItems');
  const cursor = decodeCursor(request.marker, 2, 'marker');
  let section = cursor === undefined ? 0 : Number(cursor[0]);
  if (!Number.isInteger(section) || section < 0 || section >= SECTIONS.length) throw new ValidationError('marker', 'format', 'marker is not one this operation returned');
  let after = cursor?.[1] === '' ? undefined : cursor?.[1];
  const page: AuthorizationDetails = { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [], IsTruncated: false };
  let remaining = limit;
  for (; section < SECTIONS.length; section++, after = undefined) {
    const name = SECTIONS[section]!;
    if (!wanted.has(name)) continue;
    if (remaining === 0) {
      // The page is full and this section is wanted: continue from its start.
      return { ...page, IsTruncated: true, Marker: encodeCursor([String(section), '']) };
    }
    // One more than fits tells whether the section goes on.
    const fetched =
      name === 'User'
        ? await userDetails(tx, accountId, after, remaining + 1)
        : name === 'Group'
          ? await groupDetails(tx, accountId, after, remaining + 1)
          : name === 'Role'
            ? await roleDetails(tx, accountId, after, remaining + 1)
            : await policyDetails(tx, accountId, name === 'AWSManagedPolicy', after, remaining + 1);
    const more = fetched.items.length > remaining;
    const items = more ? fetched.items.slice(0, remaining) : fetched.items;
    const list: unknown[] = name === 'User' ? page.UserDetailList : name === 'Group' ? page.GroupDetailList : name === 'Role' ? page.RoleDetailList : page.Policies;
    list.push(...items);
    remaining -= items.length;
    if (more) {
      const last = items[items.length - 1] as { UserName?: string; GroupName?: string; RoleName?: string; PolicyName?: string };
      const key = (last.UserName ?? last.GroupName ?? last.RoleName ?? last.PolicyName)!.toLowerCase();
      return { ...page, IsTruncated: true, Marker: encodeCursor([String(section), key]) };
    }
  }
  return page;
}
