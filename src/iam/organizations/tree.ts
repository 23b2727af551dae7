/**
 * Reading the organization's tree: the organization an account manages or belongs to, parents
 * (the root or an OU) and targets (root, OU or account) by id, and an OU's depth. Commands use
 * these inside their transactions; GraphQL reads use them through loaders.
 *
 * Invariant: the tree has no cycle. OUs are created under an existing parent and never moved
 * (AWS Organizations has no MoveOrganizationalUnit), and an OU id is generated, so no OU can be
 * its own ancestor; the depth walk below is bounded all the same.
 */
import { and, eq, sql } from 'drizzle-orm';
import { accounts, organizationalUnits, organizations, organizationArns, organizationLimits } from '../../db/schema/index.ts';
import { isAccountId, organizationIdPatterns } from '../../db/schema/rules.ts';
import { selectRows } from '../../db/rows.ts';
import { ConstraintViolationError, NoSuchEntityError, ValidationError } from '../../errors.ts';
import type { Queryable } from '../affected-principals.ts';

/** An organization row. */
export type Organization = typeof organizations.$inferSelect;
/** An OU row. */
export type OrganizationalUnit = typeof organizationalUnits.$inferSelect;
/** An account row (with its place in the organization). */
export type AccountRow = typeof accounts.$inferSelect;

/** What a parent or child is, with AWS's enum names. */
export type ParentType = 'ROOT' | 'ORGANIZATIONAL_UNIT';
export type TargetType = ParentType | 'ACCOUNT';

/** A root, OU or account of an organization: what a policy can be attached to. */
export interface Target {
  readonly type: TargetType;
  readonly id: string;
  readonly name: string;
  readonly arn: string;
  /** OUs: how many levels below the root (1 for a child of the root); 0 for the root and accounts. */
  readonly depth?: number;
}

const ROOT = new RegExp(organizationIdPatterns.root);
const OU = new RegExp(organizationIdPatterns.organizationalUnit);

/** The organization `accountId` manages, its row locked for update when asked; undefined when it manages none. */
export async function organizationManagedBy(tx: Queryable, accountId: string, lock = false): Promise<Organization | undefined> {
  const query = tx.select().from(organizations).where(eq(organizations.managementAccountId, accountId));
  const [row] = lock ? await query.for('update') : await query;
  return row;
}

/** The organization `accountId` manages (locked when asked); NoSuchEntity (AWS AWSOrganizationsNotInUseException) otherwise. */
export async function requireManagedOrganization(tx: Queryable, accountId: string, lock = false): Promise<Organization> {
  const organization = await organizationManagedBy(tx, accountId, lock);
  if (organization === undefined) throw new NoSuchEntityError('Organization', `managed by ${accountId}`);
  return organization;
}

/**
 * The organization `accountId` manages, its row locked for update, whose root is `rootId`:
 * ValidationError on `field` for an id not shaped like a root's (an OU's included), NoSuchEntity
 * for another root (AWS RootNotFoundException).
 */
export async function lockManagedRoot(tx: Queryable, accountId: string, rootId: string, field: string): Promise<Organization> {
  if (!ROOT.test(rootId)) throw new ValidationError(field, 'pattern', `${field} must be a root id (r-…), got ${JSON.stringify(rootId.slice(0, 80))}`);
  const organization = await requireManagedOrganization(tx, accountId, true);
  if (organization.rootId !== rootId) throw new NoSuchEntityError('Root', rootId);
  return organization;
}

/** The organization `accountId` belongs to (as management or member), or undefined for a standalone account. */
export async function organizationOfAccount(tx: Queryable, accountId: string): Promise<Organization | undefined> {
  const [row] = await tx
    .select({ organization: organizations })
    .from(accounts)
    .innerJoin(organizations, eq(organizations.id, accounts.organizationId))
    .where(eq(accounts.id, accountId));
  return row?.organization;
}

/** The root as a target. */
export function rootTarget(organization: Organization): Target {
  return { type: 'ROOT', id: organization.rootId, name: 'Root', arn: organizationArns.root(organization.managementAccountId, organization.id, organization.rootId), depth: 0 };
}

/** An OU as a target (depth unknown). */
export function ouTarget(organization: Organization, ou: OrganizationalUnit): Target {
  return { type: 'ORGANIZATIONAL_UNIT', id: ou.id, name: ou.name, arn: organizationArns.ou(organization.managementAccountId, organization.id, ou.id) };
}

/** An account as a target. */
export function accountTarget(organization: Organization, account: AccountRow): Target {
  return { type: 'ACCOUNT', id: account.id, name: account.name ?? account.id, arn: organizationArns.account(organization.managementAccountId, organization.id, account.id) };
}

/** The ARN a target id has in `organization`, whether or not it exists (for authorization before lookup). */
export function targetArn(organization: Organization, id: string): string {
  const { managementAccountId: m, id: o } = organization;
  if (OU.test(id)) return organizationArns.ou(m, o, id);
  if (isAccountId(id)) return organizationArns.account(m, o, id);
  return organizationArns.root(m, o, id);
}

/**
 * The OU `id` of `organization`, locked when asked. An OU of another organization is a
 * ConstraintViolation (reason `OU_IN_ANOTHER_ORGANIZATION`); none is NoSuchEntity.
 */
export async function getOrganizationalUnit(tx: Queryable, organization: Organization, id: string, field: string, lock = false): Promise<OrganizationalUnit> {
  if (!OU.test(id)) throw new ValidationError(field, 'pattern', `${field} must be an OU id (ou-…), got ${JSON.stringify(id.slice(0, 80))}`);
  const query = tx.select().from(organizationalUnits).where(eq(organizationalUnits.id, id));
  const [row] = lock ? await query.for('update') : await query;
  if (row === undefined) throw new NoSuchEntityError('OrganizationalUnit', id);
  if (row.organizationId !== organization.id) {
    throw new ConstraintViolationError('OU_IN_ANOTHER_ORGANIZATION', `${field} '${id}' belongs to another organization`);
  }
  return row;
}

/** The account `id` of `organization`, locked when asked; NoSuchEntity for an account outside it (AWS AccountNotFoundException). */
export async function getMemberAccount(tx: Queryable, organization: Organization, id: string, field: string, lock = false): Promise<AccountRow> {
  if (!isAccountId(id)) throw new ValidationError(field, 'pattern', `${field} must be a 12-digit account id, got ${JSON.stringify(id.slice(0, 80))}`);
  const query = tx.select().from(accounts).where(and(eq(accounts.id, id), eq(accounts.organizationId, organization.id)));
  const [row] = lock ? await query.for('update') : await query;
  if (row === undefined) throw new NoSuchEntityError('Account', id);
  return row;
}

/**
 * The parent `id` (the root or an OU) of `organization`, with its depth. The organization row (for
 * the root) or the OU row is locked when asked, so writers under one parent queue.
 */
export async function getParent(tx: Queryable, organization: Organization, id: string, field: string, lock = false): Promise<Target> {
  if (ROOT.test(id)) {
    if (id !== organization.rootId) throw new NoSuchEntityError('Root', id);
    if (lock) await tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, organization.id)).for('update');
    return rootTarget(organization);
  }
  if (!OU.test(id)) throw new ValidationError(field, 'pattern', `${field} must be a root id (r-…) or an OU id (ou-…), got ${JSON.stringify(id.slice(0, 80))}`);
  const ou = await getOrganizationalUnit(tx, organization, id, field, lock);
  return { ...ouTarget(organization, ou), depth: await depthOf(tx, ou) };
}

/** A target (root, OU or account) of `organization`, locked when asked (AWS TargetNotFoundException: NoSuchEntity). */
export async function getTarget(tx: Queryable, organization: Organization, id: string, field: string, lock = false): Promise<Target> {
  if (isAccountId(id)) return accountTarget(organization, await getMemberAccount(tx, organization, id, field, lock));
  if (!ROOT.test(id) && !OU.test(id)) {
    throw new ValidationError(field, 'pattern', `${field} must be a root id (r-…), an OU id (ou-…) or a 12-digit account id, got ${JSON.stringify(id.slice(0, 80))}`);
  }
  return getParent(tx, organization, id, field, lock);
}

/**
 * How many levels below the root `ou` is (1 for a child of the root), by one recursive statement
 * that stops past the quota, so a corrupt tree cannot make it loop.
 */
export async function depthOf(tx: Queryable, ou: OrganizationalUnit): Promise<number> {
  const limit = organizationLimits.ouMaxDepth + 1;
  const rows = await selectRows<{ depth: number }>(tx, sql`
    with recursive chain(id, parent_id, depth) as (
      select id, parent_id, 1 from ${organizationalUnits} where id = ${ou.id}
      union all
      select o.id, o.parent_id, c.depth + 1 from ${organizationalUnits} o join chain c on o.id = c.parent_id where c.depth <= ${limit}
    )
    select max(depth)::int as depth from chain`);
  return Number(rows[0]?.depth ?? 1);
}
