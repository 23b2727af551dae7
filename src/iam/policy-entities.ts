/**
 * ListEntitiesForPolicy, one page at a time (AWS's MaxItems/Marker as `first`/`after`): the
 * groups, roles and users of an account that use a managed policy, by kind then name. The batched
 * form pages many policies at once with at most one statement per principal kind, whatever the
 * number of policies, which is what the GraphQL loader calls.
 */
import { and, asc, eq, inArray, lte, sql, type SQL } from 'drizzle-orm';
import { groups, policyAttachments, roles, users } from '../db/schema/index.ts';
import type { Queryable } from './affected-principals.ts';
import { ValidationError } from '../errors.ts';
import { decodeCursor, encodeCursor, pageSize, pathPrefixFilter, type Page, type PageRequest } from './pagination.ts';
import { getPolicy, type ManagedPolicy } from './policies.ts';
import type { PrincipalKind } from './principal-refs.ts';
import { validatePathPrefix } from './validation.ts';

/** One principal using a policy, as ListEntitiesForPolicy reports it. */
export interface PolicyEntity {
  readonly kind: PrincipalKind;
  readonly id: string;
  readonly name: string;
  readonly arn: string;
}

/** Which principals ListEntitiesForPolicy returns, and through which use of the policy. */
export interface EntitiesFilter {
  readonly entityFilter?: PrincipalKind | null;
  readonly pathPrefix?: string | null;
  /** PermissionsPolicy: attachments (default); PermissionsBoundary: boundary uses. */
  readonly policyUsageFilter?: 'PermissionsPolicy' | 'PermissionsBoundary' | null;
}

/** ListEntitiesForPolicy's parameters for one policy. */
export interface ListEntitiesInput extends EntitiesFilter, PageRequest {
  readonly policyArn: string;
}

/** The order kinds are listed in (AWS lists groups, then roles, then users). */
const KIND_ORDER = ['group', 'role', 'user'] as const;
const TABLES = { user: users, group: groups, role: roles } as const;
const ATTACHMENT_COLUMN = { user: policyAttachments.userId, group: policyAttachments.groupId, role: policyAttachments.roleId } as const;

/** ListEntitiesForPolicy: one page of the account's principals that use the policy. */
export async function listEntitiesForPolicy(tx: Queryable, accountId: string, input: ListEntitiesInput): Promise<Page<PolicyEntity>> {
  const policy = await getPolicy(tx, accountId, input.policyArn);
  return (await entitiesOfPolicies(tx, accountId, [policy], input, input)).get(policy.id)!;
}

/**
 * One page per policy (same filter, `first` and `after` for all) of the principals of `accountId`
 * that use it: a statement per kind still wanted after the cursor, each ranking rows per policy
 * with a window function and keeping `first + 1` of them.
 */
export async function entitiesOfPolicies(
  tx: Queryable,
  accountId: string,
  policies: readonly ManagedPolicy[],
  filter: EntitiesFilter,
  request: PageRequest,
): Promise<Map<string, Page<PolicyEntity>>> {
  const limit = pageSize(request.first);
  const prefix = validatePathPrefix(filter.pathPrefix);
  const cursor = decodeCursor(request.after, 2);
  const afterKind = cursor === undefined ? -1 : KIND_ORDER.indexOf(cursor[0] as PrincipalKind);
  if (cursor !== undefined && afterKind < 0) throw new ValidationError('after', 'cursor', 'after is not a cursor from this list');
  const boundary = filter.policyUsageFilter === 'PermissionsBoundary';
  const rows = new Map<string, PolicyEntity[]>(policies.map((p) => [p.id, []]));
  for (const [rank, kind] of KIND_ORDER.entries()) {
    if (policies.length === 0 || rank < afterKind || (filter.entityFilter != null && filter.entityFilter !== kind)) continue;
    if (boundary && kind === 'group') continue;
    // Within the cursor's own kind, only names after it; later kinds from their start.
    const after = rank === afterKind ? cursor![1] : undefined;
    const found = boundary ? await boundaryUses(tx, accountId, kind, policies, prefix, after, limit + 1) : await attachments(tx, accountId, kind, policies, prefix, after, limit + 1);
    for (const row of found) rows.get(row.policyId)?.push({ kind, id: row.id, name: row.name, arn: row.arn });
  }
  return new Map(
    [...rows].map(([policyId, list]) => {
      const items = list.slice(0, limit);
      const page: Page<PolicyEntity> = { items, cursors: items.map((e) => encodeCursor([e.kind, e.name.toLowerCase()])), hasNextPage: list.length > limit };
      return [policyId, page];
    }),
  );
}

type RankedRow = { policyId: string; id: string; name: string; arn: string };

/** The cursor condition on a lower(name) sort key. */
function nameAfter(column: SQL, after: string | undefined): SQL | undefined {
  return after === undefined ? undefined : sql`${column} > ${after}`;
}

/** Principals of `kind` the policies are attached to: the first `keep` per policy past the cursor. */
async function attachments(
  tx: Queryable,
  accountId: string,
  kind: PrincipalKind,
  policies: readonly ManagedPolicy[],
  prefix: string,
  after: string | undefined,
  keep: number,
): Promise<RankedRow[]> {
  const t = TABLES[kind];
  const ranked = tx
    .select({
      policyId: sql<string>`${policyAttachments.policyId}`.as('policy_key'),
      id: t.id,
      name: t.name,
      arn: t.arn,
      rn: sql<number>`row_number() over (partition by ${policyAttachments.policyId} order by lower(${t.name}))`.as('rn'),
    })
    .from(policyAttachments)
    .innerJoin(t, eq(t.id, ATTACHMENT_COLUMN[kind]))
    .where(
      and(
        inArray(policyAttachments.policyId, policies.map((p) => p.id)),
        eq(t.accountId, accountId),
        pathPrefixFilter(t.path, prefix),
        nameAfter(sql`lower(${t.name})`, after),
      ),
    )
    .as('ranked');
  const rows = await tx.select().from(ranked).where(lte(ranked.rn, keep)).orderBy(asc(ranked.policyId), asc(ranked.rn));
  return rows.map(({ rn: _rn, ...row }) => row);
}

/** Users or roles of `accountId` that use the policies as permissions boundary, as `attachments`. */
async function boundaryUses(
  tx: Queryable,
  accountId: string,
  kind: PrincipalKind,
  policies: readonly ManagedPolicy[],
  prefix: string,
  after: string | undefined,
  keep: number,
): Promise<RankedRow[]> {
  const t = kind === 'user' ? users : roles;
  const ranked = tx
    .select({
      boundaryArn: sql<string>`${t.permissionsBoundaryArn}`.as('boundary_arn'),
      id: t.id,
      name: t.name,
      arn: t.arn,
      rn: sql<number>`row_number() over (partition by ${t.permissionsBoundaryArn} order by lower(${t.name}))`.as('rn'),
    })
    .from(t)
    .where(
      and(
        eq(t.accountId, accountId),
        inArray(t.permissionsBoundaryArn, policies.map((p) => p.arn)),
        pathPrefixFilter(t.path, prefix),
        nameAfter(sql`lower(${t.name})`, after),
      ),
    )
    .as('ranked');
  const rows = await tx.select().from(ranked).where(lte(ranked.rn, keep)).orderBy(asc(ranked.boundaryArn), asc(ranked.rn));
  const idOfArn = new Map(policies.map((p) => [p.arn, p.id]));
  return rows.map(({ rn: _rn, boundaryArn, ...row }) => ({ ...row, policyId: idOfArn.get(boundaryArn) ?? '' }));
}
