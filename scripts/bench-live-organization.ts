/**
 * The organization scenario of `npm run bench:live` (BENCH_SCENARIO=scp): one OU holding member
 * accounts (50 by default, made with createAccount and moved under it as MoveAccount does) of 100
 * users each, every user in a group of its account whose policy allows `s3:GetObject` and lets
 * the account's users watch decisions about the account's users. The watchers are users of their
 * own accounts (a management-account principal cannot ask about another account's principal),
 * each authenticated with its own access key and watching its own `s3:GetObject` decision. The
 * flipping writes attach, then detach, an SCP denying `s3:GetObject` on the OU.
 *
 * The accounts and their SCP go through the Organizations commands; the directory inside them
 * (users, groups, policies, keys) is seeded with multi-row inserts through the database layer, as
 * scripts/bench-escalation.ts does, since 5,000 createUser transactions would only time the seed.
 */
import type { Database } from '../src/db/client.ts';
import { accessKeys } from '../src/db/schema/credentials.ts';
import { policyAttachments } from '../src/db/schema/attachments.ts';
import { managedPolicies, policyVersions } from '../src/db/schema/policies.ts';
import { groupMemberships, groups, users } from '../src/db/schema/principals.ts';
import { newUniqueId } from '../src/iam/ids.ts';
import { createAccount, moveAccount } from '../src/iam/organizations/accounts.ts';
import { ensureOrganization } from '../src/iam/organizations/bootstrap.ts';
import { attachOrganizationPolicy, detachOrganizationPolicy } from '../src/iam/organizations/policy-attachments.ts';
import { createOrganizationPolicy } from '../src/iam/organizations/policies.ts';
import { createOrganizationalUnit } from '../src/iam/organizations/units.ts';
import { generateSecretAccessKey, hashAccessKeySecret } from '../src/iam/secrets.ts';

/** One watcher: how it authenticates and the check it watches. */
export interface Watcher {
  readonly authorization: string;
  readonly check: { readonly principalArn: string; readonly action: string; readonly resourceArn: string };
}

/** What the organization scenario built: its watchers and the write that flips them all. */
export interface OrganizationScenario {
  readonly watchers: readonly Watcher[];
  /** Attaches the SCP on even writes, detaches it on odd ones. */
  readonly write: (w: number) => Promise<unknown>;
  readonly accounts: number;
  readonly principals: number;
}

const doc = (...statements: unknown[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });

async function insertChunked<T>(rows: readonly T[], size: number, insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

/** Builds the organization under `managementAccountId` and spreads `watcherCount` watchers evenly over its member accounts. */
export async function seedOrganizationScenario(
  database: Database,
  managementAccountId: string,
  options: { readonly accounts: number; readonly usersPerAccount: number; readonly watchers: number },
): Promise<OrganizationScenario> {
  const actor = { arn: `arn:aws:iam::${managementAccountId}:root`, accountId: managementAccountId };
  const { organization } = await ensureOrganization(database, managementAccountId);
  const { result: ou } = await createOrganizationalUnit(database, actor, { parentId: organization.rootId, name: 'bench-workloads' });
  const accountIds: string[] = [];
  for (let a = 0; a < options.accounts; a++) {
    const { result } = await createAccount(database, actor, { accountName: `bench-member-${a}`, email: `bench-member-${a}@example.com` });
    await moveAccount(database, actor, { accountId: result.account.id, sourceParentId: organization.rootId, destinationParentId: ou.id });
    accountIds.push(result.account.id);
  }

  // One secret for every key: the server still verifies each key's hash; hashing 1,000 times here would only slow the seed.
  const secret = generateSecretAccessKey();
  const secretHash = await hashAccessKeySecret(secret);
  const db = database.db;
  const watchers: Watcher[] = [];
  const perAccount = Math.ceil(options.watchers / options.accounts);
  for (const accountId of accountIds) {
    const policyId = newUniqueId('policy');
    await db.insert(managedPolicies).values({ id: policyId, accountId, name: 'bench-readers', lastVersionNumber: 1 });
    await db.insert(policyVersions).values({
      policyId,
      versionNumber: 1,
      isDefault: true,
      document: doc(
        { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
        { Effect: 'Allow', Action: ['iam:DecisionChanged', 'iam:Authorize'], Resource: `arn:aws:iam::${accountId}:user/*` },
      ),
    });
    const groupId = newUniqueId('group');
    await db.insert(groups).values({ id: groupId, accountId, name: 'bench-readers' });
    await db.insert(policyAttachments).values({ principalKind: 'group', groupId, policyId });
    const userRows = Array.from({ length: options.usersPerAccount }, (_, i) => ({ id: newUniqueId('user'), accountId, name: `bench-user-${i}` }));
    await insertChunked(userRows, 500, (c) => db.insert(users).values(c));
    await insertChunked(
      userRows.map((u) => ({ userId: u.id, groupId })),
      1000,
      (c) => db.insert(groupMemberships).values(c),
    );
    // The watchers: users spread over the account's users, each with a key of its own.
    const watching = userRows.filter((_, i) => i % Math.max(1, Math.floor(options.usersPerAccount / perAccount)) === 0).slice(0, perAccount);
    const keys = watching.map((u) => ({ id: newUniqueId('accessKey'), userId: u.id, secretHash }));
    await db.insert(accessKeys).values(keys);
    for (const [i, u] of watching.entries()) {
      watchers.push({
        authorization: `Basic ${Buffer.from(`${keys[i]!.id}:${secret}`).toString('base64')}`,
        check: { principalArn: `arn:aws:iam::${accountId}:user/${u.name}`, action: 's3:GetObject', resourceArn: `arn:aws:s3:::bench/${accountId}/object-${i}` },
      });
    }
  }

  const { result: scp } = await createOrganizationPolicy(database, actor, {
    name: 'bench-deny-get',
    type: 'SERVICE_CONTROL_POLICY',
    content: doc({ Effect: 'Deny', Action: 's3:GetObject', Resource: '*' }),
  });
  const target = { policyId: scp.policy.id, targetId: ou.id };
  return {
    // Interleaved over the accounts, so the two instances (even and odd subscribers) serve every account.
    watchers: interleave(watchers, perAccount).slice(0, options.watchers),
    write: (w) => (w % 2 === 0 ? attachOrganizationPolicy(database, actor, target) : detachOrganizationPolicy(database, actor, target)),
    accounts: accountIds.length,
    principals: accountIds.length * options.usersPerAccount,
  };
}

/** Reorders account-major watchers (`stride` per account) so consecutive ones belong to different accounts. */
function interleave<T>(items: readonly T[], stride: number): T[] {
  const out: T[] = [];
  for (let i = 0; i < stride; i++) for (let j = i; j < items.length; j += stride) out.push(items[j]!);
  return out;
}
