/**
 * SCPs and RCPs: content rules checked by the engine (no Principal in an SCP; RCPs only deny, with
 * Principal "*"), the 5,120-character quota, versions, five policies of a type per target, the
 * warning when the last one is detached, and policies in use or managed by AWS. Account aliases too.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import * as tables from '../../src/db/schema/index.ts';
import { ConstraintViolationError, DeleteConflictError, EntityAlreadyExistsError, MalformedPolicyDocumentError, NoSuchEntityError } from '../../src/errors.ts';
import { createAccountAlias, deleteAccountAlias, listAccountAliases } from '../../src/iam/account-aliases.ts';
import { bootstrapAccount, rootArn } from '../../src/iam/bootstrap.ts';
import { ensureOrganization } from '../../src/iam/organizations/bootstrap.ts';
import { attachOrganizationPolicy, detachOrganizationPolicy, listPoliciesForTarget, listTargetsForPolicy } from '../../src/iam/organizations/policy-attachments.ts';
import { createOrganizationPolicy, deleteOrganizationPolicy, listOrganizationPolicies, updateOrganizationPolicy } from '../../src/iam/organizations/policies.ts';
import type { Organization } from '../../src/iam/organizations/tree.ts';
import { createOrganizationalUnit } from '../../src/iam/organizations/units.ts';
import { openTestDatabase } from '../support/database.ts';

const M = '111122223333';
const actor = { accountId: M, arn: rootArn(M) };
const doc = (statement: object) => JSON.stringify({ Version: '2012-10-17', Statement: [statement] });
const DENY_S3 = doc({ Effect: 'Deny', Action: 's3:*', Resource: '*' });

let database: Database;
let cleanup: () => Promise<void>;
let organization: Organization;

/** Organization policy tables as they are, to prove a refused write changed nothing. */
async function snapshot() {
  return JSON.stringify([
    await database.db.select().from(tables.organizationPolicies).orderBy(tables.organizationPolicies.id),
    await database.db.select().from(tables.organizationPolicyVersions).orderBy(tables.organizationPolicyVersions.policyId, tables.organizationPolicyVersions.versionNumber),
    await database.db.select().from(tables.organizationPolicyAttachments).orderBy(tables.organizationPolicyAttachments.policyId, tables.organizationPolicyAttachments.targetId),
    (await database.db.select().from(tables.changeLog)).length,
  ]);
}

beforeAll(async () => {
  ({ database, cleanup } = await openTestDatabase());
  await bootstrapAccount(database, { accountId: M });
  organization = (await ensureOrganization(database, M)).organization;
});
afterAll(() => cleanup());

describe('policy content', () => {
  it('accepts the full IAM language in an SCP: Allow and Deny, NotAction, conditions', async () => {
    const content = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'DenyOutsideRegions', Effect: 'Deny', NotAction: ['iam:*', 'sts:*'], Resource: '*', Condition: { StringNotEquals: { 'aws:RequestedRegion': ['eu-west-1'] } } },
        { Effect: 'Allow', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::secret/*' },
      ],
    });
    const { result } = await createOrganizationPolicy(database, actor, { name: 'Regions', type: 'SERVICE_CONTROL_POLICY', content, description: 'regions' });
    expect(result.policy).toMatchObject({ id: expect.stringMatching(/^p-[a-z0-9]{8}$/), organizationId: organization.id, awsManaged: false, currentVersion: 1 });
  });

  it("returns the catalog's warnings, as managed policies do", async () => {
    const { result } = await createOrganizationPolicy(database, actor, { name: 'Typo', type: 'SERVICE_CONTROL_POLICY', content: doc({ Effect: 'Deny', Action: 's3:GetObjekt', Resource: '*' }) });
    expect(result.findings.length).toBeGreaterThan(0);
    expect(result.findings.every((f) => f.findingType !== 'ERROR')).toBe(true);
    expect(result.findings.map((f) => f.message).join(' ')).toContain('GetObjekt');
  });

  it('refuses an SCP with a Principal or NotPrincipal, by the engine finding', async () => {
    const before = await snapshot();
    for (const statement of [
      { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' },
      { Effect: 'Deny', NotPrincipal: { AWS: `arn:aws:iam::${M}:root` }, Action: 's3:*', Resource: '*' },
    ]) {
      const write = createOrganizationPolicy(database, actor, { name: 'WithPrincipal', type: 'SERVICE_CONTROL_POLICY', content: doc(statement) });
      await expect(write).rejects.toBeInstanceOf(MalformedPolicyDocumentError);
      await write.catch((error: MalformedPolicyDocumentError) => {
        expect(error.field).toBe('input.content');
        expect(error.findings.map((f) => f.issueCode)).toContain('UNSUPPORTED_PRINCIPAL');
      });
    }
    expect(await snapshot()).toEqual(before);
  });

  it('accepts a deny-only RCP with Principal "*" and refuses Allow, a named Principal and NotPrincipal', async () => {
    const ok = doc({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': organization.id } } });
    await createOrganizationPolicy(database, actor, { name: 'OrgOnly', type: 'RESOURCE_CONTROL_POLICY', content: ok });
    const before = await snapshot();
    const cases: Array<[object, string]> = [
      [{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }, 'RCP_ALLOW_NOT_SUPPORTED'],
      [{ Effect: 'Deny', Principal: { AWS: `arn:aws:iam::${M}:root` }, Action: 's3:*', Resource: '*' }, 'RCP_PRINCIPAL_MUST_BE_WILDCARD'],
      [{ Effect: 'Deny', NotPrincipal: { AWS: `arn:aws:iam::${M}:root` }, Action: 's3:*', Resource: '*' }, 'RCP_NOT_PRINCIPAL_NOT_SUPPORTED'],
    ];
    for (const [statement, code] of cases) {
      const error = await createOrganizationPolicy(database, actor, { name: 'Bad', type: 'RESOURCE_CONTROL_POLICY', content: doc(statement) }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MalformedPolicyDocumentError);
      expect((error as MalformedPolicyDocumentError).findings.map((f) => f.issueCode)).toContain(code);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('counts every character against the 5,120 quota', async () => {
    const padded = JSON.stringify(JSON.parse(DENY_S3), null, 2).replace('{', `{${' '.repeat(5200)}`);
    const before = await snapshot();
    await expect(createOrganizationPolicy(database, actor, { name: 'Huge', type: 'SERVICE_CONTROL_POLICY', content: padded })).rejects.toMatchObject({ quota: 'PolicyContentSize', limit: 5120 });
    expect(await snapshot()).toEqual(before);
  });
});

describe('versions, attachments and deletion', () => {
  it('stores new content as the next version', async () => {
    const { result } = await createOrganizationPolicy(database, actor, { name: 'Versioned', type: 'SERVICE_CONTROL_POLICY', content: DENY_S3 });
    const next = doc({ Effect: 'Deny', Action: 'ec2:*', Resource: '*' });
    const { result: updated, revision } = await updateOrganizationPolicy(database, actor, { policyId: result.policy.id, content: next, description: 'no ec2' });
    expect(updated.policy).toMatchObject({ currentVersion: 2, description: 'no ec2' });
    const versions = await database.db.select().from(tables.organizationPolicyVersions).where(eq(tables.organizationPolicyVersions.policyId, result.policy.id));
    expect(versions.map((v) => [v.versionNumber, v.content]).sort()).toEqual([
      [1, DENY_S3],
      [2, next],
    ]);
    const [row] = await database.db.select().from(tables.changeLog).where(eq(tables.changeLog.revision, BigInt(revision)));
    expect(row).toMatchObject({ kind: 'OrganizationPolicyUpdated', accountId: M, affectedPrincipalIds: [], payload: { policyId: result.policy.id, policyType: 'SERVICE_CONTROL_POLICY' } });
  });

  it('allows five policies of a type per target, refuses a sixth and a duplicate, and warns when the last is detached', async () => {
    const { result: ou } = await createOrganizationalUnit(database, actor, { parentId: organization.rootId, name: 'Quota' });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await createOrganizationPolicy(database, actor, { name: `Deny${i}`, type: 'SERVICE_CONTROL_POLICY', content: doc({ Effect: 'Deny', Action: `s3:Get${i}`, Resource: '*' }) })).result.policy.id);
    }
    // FullAWSAccess is already there: four more make five.
    for (const id of ids.slice(0, 4)) {
      const { result, revision } = await attachOrganizationPolicy(database, actor, { policyId: id, targetId: ou.id });
      expect(result.warnings).toEqual([]);
      const [row] = await database.db.select().from(tables.changeLog).where(eq(tables.changeLog.revision, BigInt(revision)));
      expect(row).toMatchObject({ kind: 'OrganizationPolicyAttached', accountId: M, affectedPrincipalIds: [], payload: { policyId: id, policyType: 'SERVICE_CONTROL_POLICY', targetId: ou.id } });
    }
    const before = await snapshot();
    await expect(attachOrganizationPolicy(database, actor, { policyId: ids[4]!, targetId: ou.id })).rejects.toMatchObject({ quota: 'PoliciesPerTarget', limit: 5 });
    await expect(attachOrganizationPolicy(database, actor, { policyId: ids[0]!, targetId: ou.id })).rejects.toBeInstanceOf(EntityAlreadyExistsError);
    await expect(attachOrganizationPolicy(database, actor, { policyId: ids[4]!, targetId: '999999999999' })).rejects.toBeInstanceOf(NoSuchEntityError);
    expect(await snapshot()).toEqual(before);
    expect((await listPoliciesForTarget(database.db, organization, ou.id, 'SERVICE_CONTROL_POLICY', {})).items).toHaveLength(5);
    expect((await listTargetsForPolicy(database.db, organization, ids[0]!, {})).items).toEqual([
      { type: 'ORGANIZATIONAL_UNIT', id: ou.id, name: 'Quota', arn: `arn:aws:organizations::${M}:ou/${organization.id}/${ou.id}` },
    ]);

    await expect(deleteOrganizationPolicy(database, actor, ids[0]!)).rejects.toBeInstanceOf(DeleteConflictError);
    for (const id of ids.slice(0, 4)) expect((await detachOrganizationPolicy(database, actor, { policyId: id, targetId: ou.id })).result.warnings).toEqual([]);
    const last = await detachOrganizationPolicy(database, actor, { policyId: 'p-FullAWSAccess', targetId: ou.id });
    expect(last.result.warnings).toHaveLength(1);
    expect(last.result.warnings[0]).toContain('now denied');
    await expect(detachOrganizationPolicy(database, actor, { policyId: 'p-FullAWSAccess', targetId: ou.id })).rejects.toBeInstanceOf(NoSuchEntityError);
    await deleteOrganizationPolicy(database, actor, ids[0]!);
  });

  it('keeps RCPFullAWSAccess attached and AWS managed policies unchanged', async () => {
    const before = await snapshot();
    await expect(detachOrganizationPolicy(database, actor, { policyId: 'p-RCPFullAWSAccess', targetId: organization.rootId })).rejects.toBeInstanceOf(ConstraintViolationError);
    await expect(updateOrganizationPolicy(database, actor, { policyId: 'p-FullAWSAccess', description: 'mine' })).rejects.toMatchObject({ reason: 'AWS_MANAGED_POLICY' });
    await expect(deleteOrganizationPolicy(database, actor, 'p-FullAWSAccess')).rejects.toBeInstanceOf(ConstraintViolationError);
    expect(await snapshot()).toEqual(before);
    const scps = await listOrganizationPolicies(database.db, organization, 'SERVICE_CONTROL_POLICY', { first: 1000 });
    expect(scps.items.map((p) => p.id)).toContain('p-FullAWSAccess');
    expect(scps.items.every((p) => p.type === 'SERVICE_CONTROL_POLICY')).toBe(true);
  });
});

describe('account aliases', () => {
  it('sets, replaces, lists and deletes the one alias of an account', async () => {
    expect(await listAccountAliases(database.db, M)).toEqual([]);
    await createAccountAlias(database, actor, 'example-corp');
    await createAccountAlias(database, actor, 'example-two');
    expect(await listAccountAliases(database.db, M)).toEqual(['example-two']);
    await expect(deleteAccountAlias(database, actor, 'example-corp')).rejects.toBeInstanceOf(NoSuchEntityError);
    await expect(createAccountAlias(database, actor, 'Bad_Alias')).rejects.toMatchObject({ field: 'input.accountAlias', rule: 'pattern' });
    await bootstrapAccount(database, { accountId: '777788889999' });
    await expect(createAccountAlias(database, { accountId: '777788889999', arn: rootArn('777788889999') }, 'example-two')).rejects.toBeInstanceOf(EntityAlreadyExistsError);
    await deleteAccountAlias(database, actor, 'example-two');
    expect(await listAccountAliases(database.db, M)).toEqual([]);
  });
});

