/**
 * Cross-account AssumeRole at the service level (the HTTP server hosts one account): the role's
 * trust policy in account B and the caller's identity policy in account A must BOTH allow, even
 * when the trust policy names the caller exactly (IAM User Guide, cross-account policy evaluation).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserCaller } from '../../src/authz/caller.ts';
import { CompiledPolicyCache } from '../../src/authz/compiled-policies.ts';
import { OrganizationPlacementStore } from '../../src/authz/organization-placements.ts';
import { EffectivePolicyStore } from '../../src/authz/effective-policies.ts';
import { ChangeBus } from '../../src/changes/bus.ts';
import { bootstrapAccount } from '../../src/iam/bootstrap.ts';
import { putInlinePolicy } from '../../src/iam/inline-policies.ts';
import { createSeedCipher } from '../../src/iam/mfa/seed-cipher.ts';
import { createRole } from '../../src/iam/roles.ts';
import { assumeRole } from '../../src/sts/assume-role.ts';
import { AccessDeniedError } from '../../src/errors.ts';
import { createUser } from '../../src/iam/users.ts';
import { openTestDatabase, type TestDatabase } from '../support/database.ts';

const A = '111111111111';
const B = '222222222222';
const rootOf = (account: string) => ({ arn: `arn:aws:iam::${account}:root`, accountId: account });

describe('cross-account AssumeRole', () => {
  let test: TestDatabase;
  let hank: UserCaller;
  const cipher = createSeedCipher(randomBytes(32));

  beforeAll(async () => {
    test = await openTestDatabase();
    await bootstrapAccount(test.database, { accountId: A });
    await bootstrapAccount(test.database, { accountId: B });
    const { result: user } = await createUser(test.database, rootOf(A), { userName: 'hank' });
    hank = {
      kind: 'user',
      accountId: A,
      arn: user.arn,
      userId: user.id,
      userName: 'hank',
      tags: {},
      credential: { type: 'access-key', accessKeyId: 'AKIAAAAAAAAAAAAAAAAA' },
    };
    const trust = (principal: string) =>
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole' }] });
    await createRole(test.database, rootOf(B), { roleName: 'NamesHank', assumeRolePolicyDocument: trust(user.arn) });
    await createRole(test.database, rootOf(B), { roleName: 'TrustsAccountA', assumeRolePolicyDocument: trust(`arn:aws:iam::${A}:root`) });
    await createRole(test.database, rootOf(B), { roleName: 'TrustsNobodyInA', assumeRolePolicyDocument: trust(`arn:aws:iam::${B}:root`) });
  }, 60_000);
  afterAll(async () => {
    await test.cleanup();
  });

  const attempt = (roleName: string) => {
    // A fresh store per attempt: no change bus feeds it here, so it must not serve stale policies.
    const store = new EffectivePolicyStore(test.database, new CompiledPolicyCache(), new ChangeBus());
    return assumeRole(
      test.database,
      {
        caller: hank,
        callerPolicies: async () => {
          const [entry] = await store.loadMany([hank.arn]);
          if (entry === undefined || entry instanceof Error) throw entry ?? new Error('no policies');
          return entry;
        },
        placement: (accountId) => new OrganizationPlacementStore(test.database, new CompiledPolicyCache(), new ChangeBus()).load(accountId),
        facts: { secureTransport: false },
        cipher: async () => cipher,
      },
      { roleArn: `arn:aws:iam::${B}:role/${roleName}`, roleSessionName: 'hank' },
    );
  };

  it('needs the identity policy in the caller\'s account even when the trust policy names the caller', async () => {
    await expect(attempt('NamesHank')).rejects.toBeInstanceOf(AccessDeniedError);
    await expect(attempt('TrustsAccountA')).rejects.toBeInstanceOf(AccessDeniedError);
    await putInlinePolicy(test.database, rootOf(A), 'user', {
      principalName: 'hank',
      policyName: 'AssumeInB',
      policyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${B}:role/*` }] }),
    });
    const named = await attempt('NamesHank');
    expect(named.assumedRoleUser.arn).toBe(`arn:aws:sts::${B}:assumed-role/NamesHank/hank`);
    expect((await attempt('TrustsAccountA')).credentials.accessKeyId).toMatch(/^ASIA/);
  });

  it('needs the trust policy in the role\'s account even when the identity policy allows', async () => {
    await expect(attempt('TrustsNobodyInA')).rejects.toBeInstanceOf(AccessDeniedError);
  });
});
