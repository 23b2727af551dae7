/**
 * Seeding: built-in policies and the demo organisation load through the service functions (so
 * they are in the change log), seeding twice changes nothing, and a changed built-in file becomes
 * a new default version. PGlite, or PostgreSQL with TEST_DATABASE_URL.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeLog, users } from '../src/db/schema/index.ts';
import { listAttachedPolicies } from '../src/iam/attachments.ts';
import { NoSuchEntityError } from '../src/errors.ts';
import { listGroupsForUser, removeUserFromGroup } from '../src/iam/group-membership.ts';
import { getPolicy, listPolicies } from '../src/iam/policies.ts';
import { listPolicyVersions } from '../src/iam/policy-versions.ts';
import { getRole } from '../src/iam/roles.ts';
import { DEFAULT_SEEDS_DIR, ensureBuiltInPolicies, seedDemoOrganisation } from '../src/iam/seeds.ts';
import { loadNamedSeed } from '../src/iam/named-seeds.ts';
import { deleteUser, getUser } from '../src/iam/users.ts';
import { ACCOUNT, OTHER_ACCOUNT, openPrincipalsFixture, type PrincipalsFixture } from './iam/support/principals.ts';
import { createTestStorage, startTestServer } from './support/server.ts';

let fx: PrincipalsFixture;
beforeAll(async () => {
  fx = await openPrincipalsFixture();
});
afterAll(async () => {
  await fx.close();
});

async function maxRevision(): Promise<bigint> {
  const [row] = await fx.database.db.select({ max: sql<string>`coalesce(max(${changeLog.revision}), 0)::text` }).from(changeLog);
  return BigInt(row?.max ?? '0');
}

describe('seeding', () => {
  it('creates the built-in policies as global aws policies, in the change log', async () => {
    expect(await ensureBuiltInPolicies(fx.database, ACCOUNT)).toEqual({ created: 6, updated: 0, unchanged: 0 });
    const builtIns = await listPolicies(fx.database.db, OTHER_ACCOUNT, { scope: 'AWS' });
    expect(builtIns.items.map((p) => p.name)).toEqual([
      'AdministratorAccess',
      'IAMFullAccess',
      'IAMReadOnlyAccess',
      'IAMUserChangePassword',
      'PowerUserAccess',
      'ReadOnlyAccess',
    ]);
    const created = await fx.database.db.select().from(changeLog).where(eq(changeLog.kind, 'PolicyCreated'));
    expect(created.every((row) => row.accountId === null && row.entityArn.startsWith('arn:aws:iam::aws:policy/'))).toBe(true);
    const versions = await listPolicyVersions(fx.database.db, ACCOUNT, 'arn:aws:iam::aws:policy/IAMUserChangePassword');
    expect(versions[0]?.document).toContain('arn:aws:iam::*:user/${aws:username}');
  });

  it('loads the demo organisation: a dozen users across four groups, two roles, documented policies', async () => {
    expect(await seedDemoOrganisation(fx.database, ACCOUNT)).toBe(true);
    const demoUsers = await fx.database.db
      .select({ name: users.name })
      .from(users)
      .where(and(eq(users.accountId, ACCOUNT), eq(users.isRoot, false)));
    expect(demoUsers).toHaveLength(12);
    const carolGroups = await listGroupsForUser(fx.database.db, ACCOUNT, 'carol');
    expect(carolGroups.items.map((g) => g.name)).toEqual(['Developers']);
    const devPolicies = await listAttachedPolicies(fx.database.db, ACCOUNT, 'group', { principalName: 'Developers' });
    expect(devPolicies.items.map((p) => p.arn)).toContain('arn:aws:iam::aws:policy/PowerUserAccess');
    expect(devPolicies.items.map((p) => p.arn)).toContain(`arn:aws:iam::${ACCOUNT}:policy/S3HomeFolderAccess`);
    const deploy = await getRole(fx.database.db, ACCOUNT, 'DeployRole');
    expect(deploy.permissionsBoundaryArn).toBe(`arn:aws:iam::${ACCOUNT}:policy/boundaries/DeveloperBoundary`);
    expect(deploy.trustPolicy).toContain('codebuild.amazonaws.com');
    const auditor = await getRole(fx.database.db, ACCOUNT, 'ReadOnlyAuditor');
    expect(auditor.trustPolicy).toContain(`arn:aws:iam::${ACCOUNT}:root`);
    const homeFolder = await getPolicy(fx.database.db, ACCOUNT, `arn:aws:iam::${ACCOUNT}:policy/S3HomeFolderAccess`);
    expect(homeFolder.description).toContain('home');
    // Nothing leaked into the other account.
    expect((await listPolicies(fx.database.db, OTHER_ACCOUNT, { scope: 'LOCAL' })).items).toEqual([]);
  });

  it('changes nothing when run again', async () => {
    const before = await maxRevision();
    expect(await ensureBuiltInPolicies(fx.database, ACCOUNT)).toEqual({ created: 0, updated: 0, unchanged: 6 });
    expect(await seedDemoOrganisation(fx.database, ACCOUNT)).toBe(false);
    expect(await maxRevision()).toBe(before);
  });

  it('does not bring back a demo user deleted after seeding', async () => {
    await removeUserFromGroup(fx.database, fx.actor, { groupName: 'Billing', userName: 'ivan' });
    await deleteUser(fx.database, fx.actor, 'ivan');
    expect(await seedDemoOrganisation(fx.database, ACCOUNT)).toBe(false);
    await expect(getUser(fx.database.db, ACCOUNT, 'ivan')).rejects.toBeInstanceOf(NoSuchEntityError);
  });

  it('turns a changed built-in file into a new default version', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'portcullis-seeds-'));
    try {
      await cp(DEFAULT_SEEDS_DIR, dir, { recursive: true });
      const file = path.join(dir, 'managed-policies', 'ReadOnlyAccess.json');
      const seed = JSON.parse(await readFile(file, 'utf8')) as { policyDocument: { Statement: Array<{ Action: string[] }> } };
      seed.policyDocument.Statement[0]!.Action.push('sqs:ListQueues');
      await writeFile(file, JSON.stringify(seed));
      expect(await ensureBuiltInPolicies(fx.database, ACCOUNT, dir)).toEqual({ created: 0, updated: 1, unchanged: 5 });
      const versions = await listPolicyVersions(fx.database.db, ACCOUNT, 'arn:aws:iam::aws:policy/ReadOnlyAccess');
      expect(versions.map((v) => [v.versionId, v.isDefault])).toEqual([
        ['v2', true],
        ['v1', false],
      ]);
      expect(versions[0]?.document).toContain('sqs:ListQueues');
      // The version change names the demo principals the policy is attached to (Auditors and its members, ReadOnlyAuditor).
      const [change] = await fx.database.db.select().from(changeLog).where(eq(changeLog.kind, 'PolicyVersionCreated'));
      expect(change?.accountId).toBeNull();
      expect(change?.affectedPrincipalIds.length).toBeGreaterThanOrEqual(5);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the authzen-certification seed', () => {
  // Another account than the demo's: the demo organisation has an alice and a bob of its own.
  it('loads the fixture through the commands (service, resources, users, group, policies); loading it again writes nothing', async () => {
    expect(await loadNamedSeed(fx.database, OTHER_ACCOUNT, 'authzen-certification')).toBe(true);
    const loaded = await maxRevision();
    const kinds = await fx.database.db.select({ kind: changeLog.kind }).from(changeLog).where(eq(changeLog.accountId, OTHER_ACCOUNT));
    for (const kind of ['ServicePut', 'ResourceRegistered', 'UserCreated', 'GroupCreated', 'PolicyCreated', 'PolicyAttached', 'UserAddedToGroup']) {
      expect(kinds.map((k) => k.kind)).toContain(kind);
    }
    expect((await getUser(fx.database.db, OTHER_ACCOUNT, 'bob')).tags).toEqual([{ key: 'role', value: 'admin' }]);
    expect(await loadNamedSeed(fx.database, OTHER_ACCOUNT, 'authzen-certification')).toBe(false);
    expect(await maxRevision()).toBe(loaded);
  });

  it('names the known seeds when asked for an unknown one', async () => {
    await expect(loadNamedSeed(fx.database, ACCOUNT, 'nope')).rejects.toThrow('known seeds: demo, authzen-certification');
  });
});

/** Runs `npm run seed -- <name>` (scripts/seed.ts) as a process with `env` as its configuration. */
function runSeedScript(name: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const base = { ...process.env };
  for (const variable of ['DATABASE_URL', 'DATA_DIR', 'PORTCULLIS_ACCOUNT_ID', 'PORTCULLIS_ROOT_ACCESS_KEY', 'LOG_LEVEL', 'NODE_ENV']) delete base[variable];
  const root = fileURLToPath(new URL('../', import.meta.url));
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', 'scripts/seed.ts', name], { cwd: root, env: { ...base, ...env } }, (error, stdout, stderr) => {
      if (error !== null && typeof error.code !== 'number') reject(error);
      else resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr });
    });
  });
}

describe('the seed start-up step and npm run seed', () => {
  it('starts with the built-ins and no demo organisation; `npm run seed -- demo` loads it once, into the same database', async () => {
    const key = 'AKIASEEDSTESTROOT001:seeds-test-root-secret-0123456789';
    const auth = { authorization: `Basic ${Buffer.from(key).toString('base64')}` };
    // Run as `npm start` would: the demo organisation is loaded only on request.
    const env = { NODE_ENV: 'development', PORTCULLIS_ROOT_ACCESS_KEY: key };
    const storage = await createTestStorage();
    const query = `{ users(first: 100) { edges { node { userName } } } policies(scope: AWS) { edges { node { policyName } } }
      group(groupName: "Developers") { attachedPolicies { policyName } } }`;
    try {
      const first = await startTestServer({ storage, env });
      const fresh = await first.gql<any>('{ users(first: 100) { edges { node { userName } } } policies(scope: AWS) { edges { node { policyName } } } }', undefined, auth);
      await first.close();
      expect(fresh.body.errors).toBeUndefined();
      expect(fresh.body.data.users.edges).toEqual([]);
      expect(fresh.body.data.policies.edges).toHaveLength(6);

      const loaded = await runSeedScript('demo', { ...storage.env, ...env });
      expect(loaded.stdout).toContain('seed demo loaded into account 111122223333');
      expect(loaded.code).toBe(0);
      const second = await startTestServer({ storage, env });
      const seeded = await second.gql<any>(query, undefined, auth);
      await second.close();
      expect(seeded.body.errors).toBeUndefined();
      expect(seeded.body.data.users.edges).toHaveLength(12);
      expect(seeded.body.data.group.attachedPolicies.map((p: { policyName: string }) => p.policyName)).toContain('S3HomeFolderAccess');

      const again = await runSeedScript('demo', { ...storage.env, ...env });
      expect(again.stdout).toContain('seed demo was already loaded');
      const unknown = await runSeedScript('no-such-seed', { ...storage.env, ...env });
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('known seeds: demo, authzen-certification');
    } finally {
      await storage.destroy();
    }
  }, 180_000);
});
