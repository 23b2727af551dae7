/**
 * Reads of the organization's tree: DescribeAccount, ListAccounts, ListAccountsForParent,
 * DescribeOrganizationalUnit, ListOrganizationalUnitsForParent, ListParents and ListChildren.
 * Lists are keyset pages by id (src/iam/pagination.ts), at most 1,000 items each.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import { accounts, organizationalUnits } from '../../db/schema/index.ts';
import { isAccountId } from '../../db/schema/rules.ts';
import { ValidationError } from '../../errors.ts';
import type { Queryable } from '../affected-principals.ts';
import { afterFilter, decodeCursor, pageSize, toPage, type Page, type PageRequest } from '../pagination.ts';
import { getMemberAccount, getOrganizationalUnit, getParent, type AccountRow, type Organization, type OrganizationalUnit, type ParentType } from './tree.ts';

/** DescribeAccount: an account of the organization; NoSuchEntity for any other. */
export function describeAccount(tx: Queryable, organization: Organization, accountId: string): Promise<AccountRow> {
  return getMemberAccount(tx, organization, accountId, 'accountId');
}

/** ListAccounts (no parent) or ListAccountsForParent (`parentId`, which must be the root or an OU of the organization). */
export async function listAccounts(tx: Queryable, organization: Organization, input: PageRequest & { readonly parentId?: string | null }): Promise<Page<AccountRow>> {
  const limit = pageSize(input.first);
  const after = decodeCursor(input.after);
  const parentId = input.parentId === undefined || input.parentId === null ? undefined : (await getParent(tx, organization, input.parentId, 'parentId')).id;
  const rows = await tx
    .select()
    .from(accounts)
    .where(and(eq(accounts.organizationId, organization.id), parentId === undefined ? undefined : eq(accounts.parentId, parentId), afterFilter([sql`${accounts.id}`], after)))
    .orderBy(asc(accounts.id))
    .limit(limit + 1);
  return toPage(rows, limit, (row) => [row.id]);
}

/** DescribeOrganizationalUnit. */
export function describeOrganizationalUnit(tx: Queryable, organization: Organization, id: string): Promise<OrganizationalUnit> {
  return getOrganizationalUnit(tx, organization, id, 'organizationalUnitId');
}

/** ListOrganizationalUnitsForParent: the OUs directly under the root or an OU. */
export async function listOrganizationalUnitsForParent(tx: Queryable, organization: Organization, parentId: string, input: PageRequest): Promise<Page<OrganizationalUnit>> {
  const limit = pageSize(input.first);
  const after = decodeCursor(input.after);
  const parent = await getParent(tx, organization, parentId, 'parentId');
  const rows = await tx
    .select()
    .from(organizationalUnits)
    .where(and(eq(organizationalUnits.parentId, parent.id), afterFilter([sql`${organizationalUnits.id}`], after)))
    .orderBy(asc(organizationalUnits.id))
    .limit(limit + 1);
  return toPage(rows, limit, (row) => [row.id]);
}

/** A parent as ListParents gives it. */
export interface ParentRef {
  readonly id: string;
  readonly type: ParentType;
}

/** The type of a parent id (the root's `r-…` or an OU's `ou-…`). */
export function parentType(id: string): ParentType {
  return id.startsWith('ou-') ? 'ORGANIZATIONAL_UNIT' : 'ROOT';
}

/** ListParents: the one parent of an account or an OU (AWS returns a list of one). */
export async function listParents(tx: Queryable, organization: Organization, childId: string): Promise<ParentRef[]> {
  if (isAccountId(childId)) {
    const account = await getMemberAccount(tx, organization, childId, 'childId');
    return [{ id: account.parentId!, type: parentType(account.parentId!) }];
  }
  if (childId.startsWith('ou-')) {
    const ou = await getOrganizationalUnit(tx, organization, childId, 'childId');
    return [{ id: ou.parentId, type: parentType(ou.parentId) }];
  }
  throw new ValidationError('childId', 'pattern', `childId must be an account id (12 digits) or an OU id (ou-…), got ${JSON.stringify(childId.slice(0, 80))}`);
}

/** What ListChildren lists. */
export type ChildType = 'ACCOUNT' | 'ORGANIZATIONAL_UNIT';

/** A child as ListChildren gives it. */
export interface ChildRef {
  readonly id: string;
  readonly type: ChildType;
}

/** ListChildren: the accounts or the OUs directly under a parent. */
export async function listChildren(tx: Queryable, organization: Organization, parentId: string, childType: ChildType, input: PageRequest): Promise<Page<ChildRef>> {
  if (childType === 'ORGANIZATIONAL_UNIT') {
    const page = await listOrganizationalUnitsForParent(tx, organization, parentId, input);
    return { ...page, items: page.items.map((ou) => ({ id: ou.id, type: childType })) };
  }
  const page = await listAccounts(tx, organization, { ...input, parentId });
  return { ...page, items: page.items.map((account) => ({ id: account.id, type: childType })) };
}

