/**
 * Organization placements (src/authz/organization-placements.ts): what one account's place in the
 * organization is (path, management flag, SCP and RCP levels root first), loaded for any number of
 * accounts in ONE statement, policies compiled once per (policy, version), level arrays shared by
 * the accounts below a target, and dropped precisely by the organization change rows the bus
 * delivers: a row naming an OU drops every account below it and nothing else, with no list of
 * accounts in the row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompiledPolicyCache } from '../../src/authz/compiled-policies.ts';
import { OrganizationPlacementStore } from '../../src/authz/organization-placements.ts';
import { ChangeBus } from '../../src/changes/bus.ts';
import type { ChangeEvent } from '../../src/changes/change.ts';
import { bootstrapAccount } from '../../src/iam/bootstrap.ts';
import {
  attachOrganizationPolicyRows,
  createMemberAccountRows,
  createOrganizationPolicyRows,
  createOrganizationRows,
  createOuRows,
  type TestOrganization,
} from '../support/organization-rows.ts';
import { openCountingDatabase, type CountingDatabase } from './support/counting-database.ts';
import { ACCOUNT } from './support/server.ts';

const MANAGEMENT = ACCOUNT;
const DEEP = '222233334444';
const SIBLING = '333344445555';
const TOP = '444455556666';
const STANDALONE = '555566667777';

describe('organization placements', () => {
  let testDb: CountingDatabase;
  let org: TestOrganization;
  let prod: string;
  let team: string;
  const bus = new ChangeBus();
  let revision = 0n;

  beforeAll(async () => {
    // The counting database bootstraps the management account (ACCOUNT).
    testDb = await openCountingDatabase();
    const db = testDb.database;
    await bootstrapAccount(db, { accountId: STANDALONE });
    org = await createOrganizationRows(db, MANAGEMENT);
    prod = await createOuRows(db, org, org.rootId, 'Prod');
    team = await createOuRows(db, org, prod, 'Team');
    await createMemberAccountRows(db, org, DEEP, team);
    await createMemberAccountRows(db, org, SIBLING, team);
    await createMemberAccountRows(db, org, TOP, org.rootId);
  }, 120_000);
  afterAll(async () => {
    bus.close();
    await testDb?.close();
  });

  const counted = <T>(work: () => Promise<T>) => testDb.count(work);

  /** Delivers an organization change row, as the listener would after its commit. */
  const deliver = (kind: ChangeEvent['kind'], payload: Record<string, unknown>): void => {
    revision++;
    const event: ChangeEvent = { revision: String(revision), accountId: MANAGEMENT, actorArn: `arn:aws:iam::${MANAGEMENT}:root`, kind, entityType: 'organization-policy', entityArn: 'arn:test', affectedPrincipalIds: [], payload, createdAt: new Date() };
    bus.publish([event], revision);
  };

  it('loads any number of accounts in one statement, with their paths, management flag and levels', async () => {
    const store = new OrganizationPlacementStore(testDb.database, new CompiledPolicyCache(), bus);
    const { result: value, statements: sql } = await counted(() => store.loadMany([DEEP, SIBLING, TOP, MANAGEMENT, STANDALONE]));
    expect(sql).toHaveLength(1);
    const [deep, sibling, top, management, standalone] = value as Exclude<(typeof value)[number], Error>[];
    expect(deep!.organization).toEqual({ organizationId: org.id, path: `${org.id}/${org.rootId}/${prod}/${team}/` });
    expect(top!.organization?.path).toBe(`${org.id}/${org.rootId}/`);
    // Root, Prod, Team, the account: four levels, each with FullAWSAccess.
    expect(deep!.serviceControl?.map((level) => level.map((p) => p.meta.name))).toEqual([['FullAWSAccess'], ['FullAWSAccess'], ['FullAWSAccess'], ['FullAWSAccess']]);
    expect(top!.serviceControl).toHaveLength(2);
    // Accounts below the same targets share those levels' arrays (the engine indexes each array once).
    expect(sibling!.serviceControl![2]).toBe(deep!.serviceControl![2]);
    // Only RCPFullAWSAccess on the way: nothing to scan.
    expect(deep!.resourceControl).toBeUndefined();
    // The management account is bound by neither; a standalone account has no organization.
    expect(management).toMatchObject({ management: true, serviceControl: undefined, resourceControl: undefined, organization: { organizationId: org.id } });
    expect(standalone).toMatchObject({ management: false, serviceControl: undefined, organization: undefined });

    const again = await counted(() => store.loadMany([DEEP, SIBLING, TOP, MANAGEMENT, STANDALONE]));
    expect(again.statements).toEqual([]);
    expect(again.result[0]).toBe(deep);
  });

  it('a change naming an OU drops every account below it, and only those', async () => {
    const compiled = new CompiledPolicyCache();
    const store = new OrganizationPlacementStore(testDb.database, compiled, bus);
    await store.loadMany([DEEP, SIBLING, TOP, MANAGEMENT]);
    const versionsBefore = compiled.versions.size;

    const denyS3 = await createOrganizationPolicyRows(testDb.database, org, 'DenyS3', { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:*', Resource: '*' }] });
    await attachOrganizationPolicyRows(testDb.database, org, denyS3, prod);
    deliver('OrganizationPolicyAttached', { policyId: denyS3, policyType: 'SERVICE_CONTROL_POLICY', targetId: prod });
    expect(store.peek(DEEP)).toBeUndefined();
    expect(store.peek(SIBLING)).toBeUndefined();
    expect(store.peek(TOP)).toBeDefined();
    expect(store.peek(MANAGEMENT)).toBeDefined();

    const { result: value, statements: sql } = await counted(() => store.loadMany([DEEP, SIBLING, TOP]));
    expect(sql).toHaveLength(1);
    const deep = value[0] as Exclude<(typeof value)[number], Error>;
    expect(deep.serviceControl![1]!.map((p) => p.meta.name)).toEqual(['FullAWSAccess', 'DenyS3']);
    // FullAWSAccess came from the cache of compiled versions: only DenyS3 was compiled.
    expect(compiled.versions.size).toBe(versionsBefore + 1);

    // A change to a policy drops the accounts whose chain holds it.
    deliver('OrganizationPolicyUpdated', { policyId: denyS3, policyType: 'SERVICE_CONTROL_POLICY' });
    expect(store.peek(DEEP)).toBeUndefined();
    expect(store.peek(TOP)).toBeDefined();
    // A move names the account.
    deliver('AccountMoved', { accountId: TOP, sourceParentId: org.rootId, destinationParentId: prod });
    expect(store.peek(TOP)).toBeUndefined();
    expect(store.peek(MANAGEMENT)).toBeDefined();
  });
});
