/**
 * Through which user, group or role an identity policy applies (the access explorer's "through
 * group Auditors", issue 19): inline policies by their owner, a role's policies through the role
 * (also for its sessions), a user's managed policies through the user and each group attaching it.
 */
import { describe, expect, it } from 'vitest';
import type { PolicyHoldersQuery } from '../../src/web/api/generated/graphql.ts';
import { holdersOf, managedHoldersOf } from '../../src/web/api/policy-holders.ts';

const BOB = 'arn:aws:iam::111122223333:user/bob';
const AUDITORS = 'arn:aws:iam::111122223333:group/Auditors';
const ADMINS = 'arn:aws:iam::111122223333:group/Admins';
const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const OWN = 'arn:aws:iam::111122223333:policy/Own';

const bob = {
  user: {
    arn: BOB,
    attachedPolicies: [{ policyArn: OWN }, { policyArn: READ_ONLY }],
    groups: {
      edges: [
        { node: { arn: ADMINS, attachedPolicies: [{ policyArn: ADMIN }] } },
        { node: { arn: AUDITORS, attachedPolicies: [{ policyArn: READ_ONLY }] } },
      ],
    },
  },
} as PolicyHoldersQuery;

const managed = (policyArn: string) => ({ layer: 'IDENTITY' as const, sourcePolicyId: `${policyArn}:v1`, policyArn });

describe('policy holders', () => {
  it("names the group (and the user) through which a user's managed policy applies", () => {
    const holders = managedHoldersOf(bob, BOB);
    expect(holdersOf(managed(ADMIN), BOB, holders)).toEqual([ADMINS]);
    expect(holdersOf(managed(OWN), BOB, holders)).toEqual([BOB]);
    expect(holdersOf(managed(READ_ONLY), BOB, holders)).toEqual([BOB, AUDITORS]);
  });

  it('names the owner of an inline policy, user, group or role', () => {
    expect(holdersOf({ layer: 'IDENTITY', sourcePolicyId: `${AUDITORS}/inline/Extra`, policyArn: null }, BOB, undefined)).toEqual([AUDITORS]);
    const contractor = 'arn:aws:iam::111122223333:user/contractors/mallory';
    expect(holdersOf({ layer: 'IDENTITY', sourcePolicyId: `${contractor}/inline/Own`, policyArn: null }, contractor, undefined)).toEqual([contractor]);
  });

  it("names the role for a role's policies and its sessions' policies", () => {
    const role = 'arn:aws:iam::111122223333:role/ops/Deploy';
    expect(holdersOf(managed(ADMIN), role, undefined)).toEqual([role]);
    expect(holdersOf(managed(ADMIN), 'arn:aws:sts::111122223333:assumed-role/Deploy/ci', undefined)).toEqual(['arn:aws:iam::111122223333:role/Deploy']);
  });

  it('names nobody for other layers, other users or answers not yet loaded', () => {
    expect(holdersOf({ ...managed(ADMIN), layer: 'BOUNDARY' }, BOB, managedHoldersOf(bob, BOB))).toEqual([]);
    expect(holdersOf({ layer: 'RESOURCE', sourcePolicyId: 'arn:aws:s3:::bucket', policyArn: null }, BOB, undefined)).toEqual([]);
    expect(managedHoldersOf(bob, 'arn:aws:iam::444455556666:user/bob')).toBeUndefined();
    expect(holdersOf(managed(ADMIN), BOB, undefined)).toEqual([]);
    expect(holdersOf(managed(ADMIN), 'arn:aws:iam::111122223333:root', undefined)).toEqual([]);
  });
});
