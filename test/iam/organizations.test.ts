/**
 * AWS Organizations commands: the bootstrap organization, member accounts (what CreateAccount puts
 * in them), OUs and their depth, moves and closing, with the change rows the guardrail watchers
 * rely on (management account, no principals enumerated, the payload contract).
 */
import { and, eq, gt } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import * as tables from '../../src/db/schema/index.ts';
import { ConstraintViolationError, DeleteConflictError, EntityAlreadyExistsError, LimitExceededError, NoSuchEntityError, ValidationError } from '../../src/errors.ts';
import { bootstrapAccount, rootArn } from '../../src/iam/bootstrap.ts';
import { closeAccount, createAccount, moveAccount } from '../../src/iam/organizations/accounts.ts';
import { createOrganization, ensureOrganization } from '../../src/iam/organizations/bootstrap.ts';
import { FULL_AWS_ACCESS, RCP_FULL_AWS_ACCESS } from '../../src/iam/organizations/managed-policies.ts';
import { listAccounts, listChildren, listParents } from '../../src/iam/organizations/reads.ts';
import type { Organization } from '../../src/iam/organizations/tree.ts';
import { createOrganizationalUnit, deleteOrganizationalUnit, updateOrganizationalUnit } from '../../src/iam/organizations/units.ts';
import { ensureBuiltInPolicies } from '../../src/iam/seeds.ts';
import { openTestDatabase } from '../support/database.ts';

const M = '111122223333';
const OTHER = '444455556666';
const actor = { accountId: M, arn: rootArn(M) };

let database: Database;
let cleanup: () => Promise<void>;
let organization: Organization;

/** Change rows after `revision`. */
async function changesAfter(revision: string) {
  return database.db.select().from(tables.changeLog).where(gt(tables.changeLog.revision, BigInt(revision))).orderBy(tables.changeLog.revision);
}

/** A row count per table, to prove a refused write changed nothing. */
async function snapshot() {
  const count = async (table: any) => (await database.db.select().from(table)).length;
  return {
    accounts: JSON.stringify(await database.db.select().from(tables.accounts).orderBy(tables.accounts.id)),
    units: JSON.stringify(await database.db.select().from(tables.organizationalUnits).orderBy(tables.organizationalUnits.id)),
    attachments: await count(tables.organizationPolicyAttachments),
    users: await count(tables.users),
    roles: await count(tables.roles),
    changes: await count(tables.changeLog),
  };
}

beforeAll(async () => {
  ({ database, cleanup } = await openTestDatabase());
  await bootstrapAccount(database, { accountId: M });
  await ensureBuiltInPolicies(database, M);
  organization = (await ensureOrganization(database, M)).organization;
});
afterAll(() => cleanup());

describe('the bootstrap organization', () => {
  it('makes the bootstrap account the management account, once', async () => {
    expect(organization.id).toMatch(/^o-[a-z0-9]{10}$/);
    expect(organization.rootId).toMatch(/^r-[a-z0-9]{4}$/);
    expect(organization.managementAccountId).toBe(M);
    const again = await ensureOrganization(database, M);
    expect(again).toEqual({ organization, created: false });
    const [account] = await database.db.select().from(tables.accounts).where(eq(tables.accounts.id, M));
    expect(account).toMatchObject({ organizationId: organization.id, parentId: organization.rootId, joinedMethod: 'INVITED', state: 'ACTIVE' });
  });

  it('attaches the AWS managed SCP and RCP, with AWS content, to the root and the management account', async () => {
    const attached = await database.db.select().from(tables.organizationPolicyAttachments).where(eq(tables.organizationPolicyAttachments.organizationId, organization.id));
    for (const target of [organization.rootId, M]) {
      expect(attached.filter((a) => a.targetId === target).map((a) => a.policyId).sort()).toEqual([FULL_AWS_ACCESS.id, RCP_FULL_AWS_ACCESS.id].sort());
    }
    const managed = await database.db.select().from(tables.organizationPolicies).where(eq(tables.organizationPolicies.awsManaged, true));
    expect(managed.map((p) => [p.id, p.organizationId, p.type]).sort()).toEqual([
      ['p-FullAWSAccess', null, 'SERVICE_CONTROL_POLICY'],
      ['p-RCPFullAWSAccess', null, 'RESOURCE_CONTROL_POLICY'],
    ]);
    const [content] = await database.db.select().from(tables.organizationPolicyVersions).where(eq(tables.organizationPolicyVersions.policyId, 'p-FullAWSAccess'));
    expect(JSON.parse(content!.content)).toEqual({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
  });
});

describe('createAccount', () => {
  it('creates the account under the root with a credential-less root user and the access role', async () => {
    const { result, revision } = await createAccount(database, actor, { accountName: 'Dev', email: 'dev@example.com' });
    const id = result.account.id;
    expect(id).toMatch(/^[1-9]\d{11}$/);
    expect(result.account).toMatchObject({ name: 'Dev', email: 'dev@example.com', organizationId: organization.id, parentId: organization.rootId, joinedMethod: 'CREATED', state: 'ACTIVE' });
    const [root] = await database.db.select().from(tables.users).where(eq(tables.users.accountId, id));
    expect(root).toMatchObject({ name: 'root', isRoot: true, passwordHash: null });
    expect(await database.db.select().from(tables.accessKeys).where(eq(tables.accessKeys.userId, root!.id))).toEqual([]);
    const [role] = await database.db.select().from(tables.roles).where(eq(tables.roles.accountId, id));
    expect(role!.name).toBe('OrganizationAccountAccessRole');
    expect(result.roleArn).toBe(`arn:aws:iam::${id}:role/OrganizationAccountAccessRole`);
    expect(JSON.parse(role!.trustPolicy).Statement[0]).toEqual({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${M}:root` }, Action: 'sts:AssumeRole' });
    const attached = await database.db
      .select({ arn: tables.managedPolicies.arn })
      .from(tables.policyAttachments)
      .innerJoin(tables.managedPolicies, eq(tables.managedPolicies.id, tables.policyAttachments.policyId))
      .where(eq(tables.policyAttachments.roleId, role!.id));
    expect(attached).toEqual([{ arn: 'arn:aws:iam::aws:policy/AdministratorAccess' }]);
    const targets = await database.db.select().from(tables.organizationPolicyAttachments).where(eq(tables.organizationPolicyAttachments.targetId, id));
    expect(targets.map((t) => t.policyId).sort()).toEqual(['p-FullAWSAccess', 'p-RCPFullAWSAccess']);

    const rows = await changesAfter(String(BigInt(revision) - 100n));
    const created = rows.find((r) => r.kind === 'OrganizationAccountCreated' && (r.payload as any).accountId === id)!;
    expect(created).toMatchObject({ accountId: M, affectedPrincipalIds: [], payload: { accountId: id, parentId: organization.rootId } });
  });

  it('refuses a taken email (any case) or a bad name, changing nothing', async () => {
    const before = await snapshot();
    await expect(createAccount(database, actor, { accountName: 'Dup', email: 'DEV@example.com' })).rejects.toBeInstanceOf(EntityAlreadyExistsError);
    await expect(createAccount(database, actor, { accountName: 'x'.repeat(51), email: 'other@example.com' })).rejects.toMatchObject({ field: 'input.accountName', rule: 'length' });
    await expect(createAccount(database, actor, { accountName: 'Ok', email: 'not-an-email' })).rejects.toMatchObject({ field: 'input.email', rule: 'pattern' });
    expect(await snapshot()).toEqual(before);
  });

  it('is refused to an account that manages no organization', async () => {
    await expect(createAccount(database, { accountId: '999999999999', arn: rootArn('999999999999') }, { accountName: 'X', email: 'x@example.com' })).rejects.toBeInstanceOf(NoSuchEntityError);
  });
});

describe('organizational units', () => {
  it('nest five levels below the root and no deeper', async () => {
    let parentId = organization.rootId;
    const chain: string[] = [];
    for (let level = 1; level <= 5; level++) {
      const { result } = await createOrganizationalUnit(database, actor, { parentId, name: `Level${level}` });
      expect(result.id).toMatch(new RegExp(`^ou-${organization.rootId.slice(2)}-[a-z0-9]{8}$`));
      chain.push(result.id);
      parentId = result.id;
    }
    const before = await snapshot();
    const sixth = createOrganizationalUnit(database, actor, { parentId, name: 'Level6' });
    await expect(sixth).rejects.toBeInstanceOf(LimitExceededError);
    await expect(sixth).rejects.toMatchObject({ quota: 'OrganizationalUnitDepth', limit: 5 });
    expect(await snapshot()).toEqual(before);
    expect(await listParents(database.db, organization, chain[4]!)).toEqual([{ id: chain[3], type: 'ORGANIZATIONAL_UNIT' }]);
    expect((await listChildren(database.db, organization, chain[0]!, 'ORGANIZATIONAL_UNIT', {})).items).toEqual([{ id: chain[1], type: 'ORGANIZATIONAL_UNIT' }]);
  });

  it('refuses a duplicate name under one parent, a missing parent and a malformed id', async () => {
    await createOrganizationalUnit(database, actor, { parentId: organization.rootId, name: 'Teams' });
    await expect(createOrganizationalUnit(database, actor, { parentId: organization.rootId, name: 'Teams' })).rejects.toBeInstanceOf(EntityAlreadyExistsError);
    await expect(createOrganizationalUnit(database, actor, { parentId: `ou-${organization.rootId.slice(2)}-zzzzzzzz`, name: 'X' })).rejects.toBeInstanceOf(NoSuchEntityError);
    await expect(createOrganizationalUnit(database, actor, { parentId: 'nonsense', name: 'X' })).rejects.toMatchObject({ field: 'input.parentId', rule: 'pattern' });
  });

  it('renames, and deletes only when empty', async () => {
    const { result: ou } = await createOrganizationalUnit(database, actor, { parentId: organization.rootId, name: 'Sandbox' });
    const { result: child } = await createOrganizationalUnit(database, actor, { parentId: ou.id, name: 'Inner' });
    const { result: renamed } = await updateOrganizationalUnit(database, actor, { organizationalUnitId: ou.id, name: 'Playground' });
    expect(renamed.name).toBe('Playground');
    const before = await snapshot();
    await expect(deleteOrganizationalUnit(database, actor, ou.id)).rejects.toBeInstanceOf(DeleteConflictError);
    expect(await snapshot()).toEqual(before);
    const { revision } = await deleteOrganizationalUnit(database, actor, child.id);
    const rows = await changesAfter(String(BigInt(revision) - 1n));
    expect(rows[0]).toMatchObject({ kind: 'OrganizationalUnitDeleted', accountId: M, affectedPrincipalIds: [], payload: { organizationalUnitId: child.id, parentId: ou.id } });
    await deleteOrganizationalUnit(database, actor, ou.id);
    expect(await database.db.select().from(tables.organizationPolicyAttachments).where(eq(tables.organizationPolicyAttachments.targetId, ou.id))).toEqual([]);
  });
});

describe('moveAccount and closeAccount', () => {
  it('moves an account from its parent to an OU of the same organization', async () => {
    const { result: created } = await createAccount(database, actor, { accountName: 'Mover', email: 'mover@example.com' });
    const { result: ou } = await createOrganizationalUnit(database, actor, { parentId: organization.rootId, name: 'Workloads' });
    const before = await snapshot();
    await expect(moveAccount(database, actor, { accountId: created.account.id, sourceParentId: ou.id, destinationParentId: organization.rootId })).rejects.toMatchObject({
      reason: 'SOURCE_PARENT_NOT_FOUND',
    });
    expect(await snapshot()).toEqual(before);
    const { result, revision } = await moveAccount(database, actor, { accountId: created.account.id, sourceParentId: organization.rootId, destinationParentId: ou.id });
    expect(result.parentId).toBe(ou.id);
    const [row] = await changesAfter(String(BigInt(revision) - 1n));
    expect(row).toMatchObject({ kind: 'AccountMoved', accountId: M, affectedPrincipalIds: [], payload: { accountId: created.account.id, sourceParentId: organization.rootId, destinationParentId: ou.id } });
    expect((await listAccounts(database.db, organization, { parentId: ou.id })).items.map((a) => a.id)).toEqual([created.account.id]);
  });

  it("refuses to move an account into another organization's OU", async () => {
    await bootstrapAccount(database, { accountId: OTHER });
    const { result: other } = await createOrganization(database, OTHER);
    const { result: foreignOu } = await createOrganizationalUnit(database, { accountId: OTHER, arn: rootArn(OTHER) }, { parentId: other.rootId, name: 'Foreign' });
    const { result: created } = await createAccount(database, actor, { accountName: 'Stay', email: 'stay@example.com' });
    const before = await snapshot();
    const move = moveAccount(database, actor, { accountId: created.account.id, sourceParentId: organization.rootId, destinationParentId: foreignOu.id });
    await expect(move).rejects.toBeInstanceOf(ConstraintViolationError);
    await expect(move).rejects.toMatchObject({ reason: 'DESTINATION_IN_ANOTHER_ORGANIZATION' });
    expect(await snapshot()).toEqual(before);
    // Nor can the other organization's management account touch this one's accounts.
    await expect(closeAccount(database, { accountId: OTHER, arn: rootArn(OTHER) }, created.account.id)).rejects.toBeInstanceOf(NoSuchEntityError);
  });

  it('closes a member account, keeping its data, and refuses the management account', async () => {
    const before = await snapshot();
    await expect(closeAccount(database, actor, M)).rejects.toMatchObject({ reason: 'MASTER_ACCOUNT_CANNOT_BE_CLOSED' });
    await expect(closeAccount(database, actor, '12345')).rejects.toBeInstanceOf(ValidationError);
    expect(await snapshot()).toEqual(before);
    const { result: created } = await createAccount(database, actor, { accountName: 'Doomed', email: 'doomed@example.com' });
    const { result, revision } = await closeAccount(database, actor, created.account.id);
    expect(result.state).toBe('PENDING_CLOSURE');
    expect(result.closedAt).toBeInstanceOf(Date);
    const [row] = await changesAfter(String(BigInt(revision) - 1n));
    expect(row).toMatchObject({ kind: 'AccountClosed', accountId: M, affectedPrincipalIds: [], payload: { accountId: created.account.id } });
    expect((await database.db.select().from(tables.roles).where(and(eq(tables.roles.accountId, created.account.id)))).length).toBe(1);
    await expect(closeAccount(database, actor, created.account.id)).rejects.toMatchObject({ reason: 'ACCOUNT_ALREADY_CLOSED' });
  });
});
