/**
 * Member accounts of the organization: CreateAccount, CloseAccount, MoveAccount. A created account
 * gets its root user with no credentials (as AWS: whoever needs it resets its password) and the
 * role `OrganizationAccountAccessRole` trusting the management account, with AdministratorAccess
 * attached, which is how AWS lets the management account reach it. Change rows of the
 * organization carry the management account; those of the new account's IAM entities carry it.
 */
import { eq, sql } from 'drizzle-orm';
import type { Database, Tx } from '../../db/client.ts';
import { accounts, managedPolicies, organizationArns, policyAttachments, roles, users, type Tag } from '../../db/schema/index.ts';
import { ConstraintViolationError, EntityAlreadyExistsError, NoSuchEntityError, ValidationError } from '../../errors.ts';
import { runWrite, type RecordChange, type WriteActor, type WriteResult } from '../../changes/outbox.ts';
import { rootArn } from '../bootstrap.ts';
import { newUniqueId } from '../ids.ts';
import { rethrowUniqueViolation } from '../unique-violation.ts';
import { validateName, validateTags } from '../validation.ts';
import { attachDefaultPolicies } from './default-policies.ts';
import { enabledPolicyTypesNow } from './policy-types.ts';
import { newAccountId } from './ids.ts';
import { getMemberAccount, getParent, requireManagedOrganization, type AccountRow, type Organization } from './tree.ts';
import { validateAccountName, validateEmail } from './validation.ts';

/** The role AWS creates in every new member account unless told another name. */
export const DEFAULT_ACCESS_ROLE_NAME = 'OrganizationAccountAccessRole';
/** The AWS managed policy that role gets. */
export const ADMINISTRATOR_ACCESS_ARN = 'arn:aws:iam::aws:policy/AdministratorAccess';

/** CreateAccount parameters. */
export interface CreateAccountInput {
  readonly accountName: string;
  readonly email: string;
  /** The role created in the account for the management account; default OrganizationAccountAccessRole. */
  readonly roleName?: string | null;
  readonly tags?: readonly Tag[] | null;
}

/** A created account and the role made for the management account in it. */
export interface CreatedAccount {
  readonly account: AccountRow;
  readonly roleArn: string;
}

/** The trust policy of the access role: the management account's root, i.e. whom its own policies allow. */
function accessRoleTrustPolicy(managementAccountId: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${managementAccountId}:root` }, Action: 'sts:AssumeRole' }],
  });
}

/**
 * Inserts the account under a fresh id. Ids are 12 random digits, so a clash is a one in 10^11
 * event per existing account; the unique indexes still decide, and a clash (id, or an email a
 * concurrent CreateAccount took) is reported as the email being taken, which the retry then shows.
 */
async function insertAccount(tx: Tx, values: Omit<typeof accounts.$inferInsert, 'id'>, email: string): Promise<AccountRow> {
  const [row] = await tx
    .insert(accounts)
    .values({ id: newAccountId(), ...values })
    .returning()
    .catch(rethrowUniqueViolation(() => new EntityAlreadyExistsError('Account', email)));
  return row!;
}

/** CreateAccount: a new member account under the root of the actor's organization. */
export async function createAccount(database: Database, actor: WriteActor, input: CreateAccountInput): Promise<WriteResult<CreatedAccount>> {
  const name = validateAccountName(input.accountName);
  const email = validateEmail(input.email);
  const roleName = validateName('roleName', input.roleName ?? DEFAULT_ACCESS_ROLE_NAME);
  const tags = validateTags(input.tags);
  return runWrite(database, actor, async (tx, record) => {
    const organization = await requireManagedOrganization(tx, actor.accountId);
    const [taken] = await tx.select({ id: accounts.id }).from(accounts).where(eq(sql`lower(${accounts.email})`, email.toLowerCase()));
    if (taken !== undefined) throw new EntityAlreadyExistsError('Account', email);
    const [administrator] = await tx.select({ id: managedPolicies.id }).from(managedPolicies).where(eq(managedPolicies.arn, ADMINISTRATOR_ACCESS_ARN));
    if (administrator === undefined) throw new NoSuchEntityError('Policy', ADMINISTRATOR_ACCESS_ARN);
    const account = await insertAccount(
      tx,
      { name, email, tags, organizationId: organization.id, parentId: organization.rootId, joinedMethod: 'CREATED', joinedAt: new Date() },
      email,
    );
    const roleArn = await createAccountContents(tx, record, organization, account.id, roleName, administrator.id);
    record({
      kind: 'OrganizationAccountCreated',
      entityType: 'account',
      entityArn: organizationArns.account(organization.managementAccountId, organization.id, account.id),
      affectedPrincipalIds: [],
      payload: { accountId: account.id, parentId: organization.rootId },
    });
    await attachDefaultPolicies(tx, record, organization, [account.id], await enabledPolicyTypesNow(tx, organization));
    return { account, roleArn };
  });
}

/** The new account's root user (no password, no keys) and its access role with AdministratorAccess. */
async function createAccountContents(tx: Tx, record: RecordChange, organization: Organization, accountId: string, roleName: string, administratorId: string): Promise<string> {
  const rootUserId = newUniqueId('user');
  await tx.insert(users).values({ id: rootUserId, accountId, name: 'root', isRoot: true });
  record({
    kind: 'AccountCreated',
    entityType: 'account',
    entityArn: rootArn(accountId),
    affectedPrincipalIds: [rootUserId],
    accountId,
    payload: { accountId, rootUserId },
  });
  const roleId = newUniqueId('role');
  const [role] = await tx
    .insert(roles)
    .values({ id: roleId, accountId, path: '/', name: roleName, trustPolicy: accessRoleTrustPolicy(organization.managementAccountId), trustPrincipalIds: {} })
    .returning({ arn: roles.arn });
  await tx.insert(policyAttachments).values({ policyId: administratorId, principalKind: 'role', roleId });
  record({ kind: 'RoleCreated', entityType: 'role', entityArn: role!.arn, affectedPrincipalIds: [roleId], accountId, payload: { roleName, path: '/' } });
  record({ kind: 'PolicyAttached', entityType: 'role', entityArn: role!.arn, affectedPrincipalIds: [roleId], accountId, payload: { policyArn: ADMINISTRATOR_ACCESS_ARN } });
  return role!.arn;
}

/** CloseAccount: the account stops authenticating at once (PENDING_CLOSURE); its data is kept. */
export async function closeAccount(database: Database, actor: WriteActor, accountId: string): Promise<WriteResult<AccountRow>> {
  return runWrite(database, actor, async (tx, record) => {
    const organization = await requireManagedOrganization(tx, actor.accountId);
    const account = await getMemberAccount(tx, organization, accountId, 'input.accountId', true);
    if (account.id === organization.managementAccountId) {
      throw new ConstraintViolationError('MASTER_ACCOUNT_CANNOT_BE_CLOSED', `account '${account.id}' is the management account of the organization and cannot be closed`);
    }
    if (account.state !== 'ACTIVE') throw new ConstraintViolationError('ACCOUNT_ALREADY_CLOSED', `account '${account.id}' is already ${account.state}`);
    const [closed] = await tx.update(accounts).set({ state: 'PENDING_CLOSURE', closedAt: new Date() }).where(eq(accounts.id, account.id)).returning();
    record({
      kind: 'AccountClosed',
      entityType: 'account',
      entityArn: organizationArns.account(organization.managementAccountId, organization.id, account.id),
      affectedPrincipalIds: [],
      payload: { accountId: account.id },
    });
    return closed!;
  });
}

/** MoveAccount parameters. */
export interface MoveAccountInput {
  readonly accountId: string;
  readonly sourceParentId: string;
  readonly destinationParentId: string;
}

/** MoveAccount: from its current parent (which `sourceParentId` must name) to another of the same organization. */
export async function moveAccount(database: Database, actor: WriteActor, input: MoveAccountInput): Promise<WriteResult<AccountRow>> {
  return runWrite(database, actor, async (tx, record) => {
    const organization = await requireManagedOrganization(tx, actor.accountId);
    const account = await getMemberAccount(tx, organization, input.accountId, 'input.accountId', true);
    if (account.parentId !== input.sourceParentId) {
      throw new ConstraintViolationError('SOURCE_PARENT_NOT_FOUND', `input.sourceParentId '${input.sourceParentId}' is not the parent of account '${account.id}'`);
    }
    let destination;
    try {
      destination = await getParent(tx, organization, input.destinationParentId, 'input.destinationParentId', true);
    } catch (error) {
      if (error instanceof ConstraintViolationError) {
        throw new ConstraintViolationError('DESTINATION_IN_ANOTHER_ORGANIZATION', `input.destinationParentId '${input.destinationParentId}' belongs to another organization; an account moves only within its own`);
      }
      throw error;
    }
    if (destination.id === account.parentId) {
      throw new ValidationError('input.destinationParentId', 'different', `input.destinationParentId must differ from the account's current parent '${account.parentId}'`);
    }
    const [moved] = await tx.update(accounts).set({ parentId: destination.id }).where(eq(accounts.id, account.id)).returning();
    record({
      kind: 'AccountMoved',
      entityType: 'account',
      entityArn: organizationArns.account(organization.managementAccountId, organization.id, account.id),
      affectedPrincipalIds: [],
      payload: { accountId: account.id, sourceParentId: input.sourceParentId, destinationParentId: destination.id },
    });
    return moved!;
  });
}
