/**
 * Seeding: the built-in managed policies (seeds/managed-policies/*.json, ensured on every start)
 * and the demo organisation (seeds/demo-organisation.json, loaded once per account). Both go
 * through the same service functions as the API, so every seeded entity is in the change log.
 *
 * "Once" is recorded as a change-log row (`DemoOrganisationSeeded`) written after the last demo
 * write: an interrupted seeding is finished on the next start (every step skips what exists),
 * and a demo user an operator deletes later does not come back.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { and, asc, eq } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { changeLog, policyVersions, type Tag } from '../db/schema/index.ts';
import { runWrite, type WriteActor } from '../changes/outbox.ts';
import { attachPolicy } from './attachments.ts';
import { putPermissionsBoundary } from './boundaries.ts';
import { rootArn } from './bootstrap.ts';
import { EntityAlreadyExistsError } from '../errors.ts';
import { addUserToGroup } from './group-membership.ts';
import { createGroup } from './groups.ts';
import { putInlinePolicy } from './inline-policies.ts';
import { BUILT_IN_ACCOUNT, createPolicy, getPolicy, policyArnOf } from './policies.ts';
import { createPolicyVersion, deletePolicyVersion } from './policy-versions.ts';
import { quotaLimit } from './quotas.ts';
import { createRole } from './roles.ts';
import { createUser } from './users.ts';

/** The repository's seeds folder. */
export const DEFAULT_SEEDS_DIR = fileURLToPath(new URL('../../seeds/', import.meta.url));

/** Who the change log says wrote the built-in policies: the provider, not any account. */
export const BUILT_IN_ACTOR_ARN = `arn:aws:iam::${BUILT_IN_ACCOUNT}:root`;

/** The change-log kind that marks an account's demo organisation as loaded. */
export const DEMO_SEEDED_KIND = 'DemoOrganisationSeeded';

/** A managed policy in a seed file. */
interface SeedPolicy {
  readonly policyName: string;
  readonly path?: string;
  readonly description?: string;
  readonly policyDocument: unknown;
}

/** An inline policy in a seed file. */
interface SeedInline {
  readonly policyName: string;
  readonly policyDocument: unknown;
}

/**
 * A directory data set (seeds/demo-organisation.json, seeds/authzen-certification.json): policy
 * references are built-in ARNs or names of `policies`; `{{accountId}}` is the target account.
 */
export interface DirectorySeed {
  readonly policies: readonly SeedPolicy[];
  readonly groups: ReadonlyArray<{ groupName: string; path?: string; attachedPolicies?: string[]; inlinePolicies?: SeedInline[] }>;
  readonly users: ReadonlyArray<{
    userName: string;
    path?: string;
    groups?: string[];
    tags?: Tag[];
    permissionsBoundary?: string;
    attachedPolicies?: string[];
    inlinePolicies?: SeedInline[];
  }>;
  readonly roles: ReadonlyArray<{
    roleName: string;
    path?: string;
    description?: string;
    assumeRolePolicyDocument: unknown;
    attachedPolicies?: string[];
    permissionsBoundary?: string;
    inlinePolicies?: SeedInline[];
  }>;
}

/** Policy documents are stored as the indented JSON text AWS documentation shows. */
function documentText(document: unknown): string {
  return JSON.stringify(document, null, 4);
}

/** Reads and parses a JSON seed file, naming the file when it is not JSON. */
export async function readJson(file: string, replace: (text: string) => string = (t) => t): Promise<unknown> {
  const text = replace(await readFile(file, 'utf8'));
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`seed file ${file} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

/** What `ensureBuiltInPolicies` did. */
export interface BuiltInResult {
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
}

/**
 * Creates each built-in policy that is missing, and gives one whose file changed a new default
 * version (pruning its oldest version when five exist). Unchanged policies are not touched.
 */
export async function ensureBuiltInPolicies(database: Database, accountId: string, seedsDir = DEFAULT_SEEDS_DIR): Promise<BuiltInResult> {
  const actor: WriteActor = { accountId, arn: BUILT_IN_ACTOR_ARN };
  const dir = path.join(seedsDir, 'managed-policies');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  const counts = { created: 0, updated: 0, unchanged: 0 };
  for (const file of files) {
    const seed = (await readJson(path.join(dir, file))) as SeedPolicy;
    const text = documentText(seed.policyDocument);
    const arn = policyArnOf(BUILT_IN_ACCOUNT, seed.path ?? '/', seed.policyName);
    const existing = await getPolicy(database.db, accountId, arn).catch(() => undefined);
    if (existing === undefined) {
      // Another instance starting at the same time may create it first; that is as good.
      await ensure(() =>
        createPolicy(database, actor, { policyName: seed.policyName, path: seed.path ?? '/', description: seed.description ?? null, policyDocument: text }, null),
      );
      counts.created++;
      continue;
    }
    const versions = await database.db.select().from(policyVersions).where(eq(policyVersions.policyId, existing.id)).orderBy(asc(policyVersions.versionNumber));
    if (versions.find((v) => v.isDefault)?.document === text) {
      counts.unchanged++;
      continue;
    }
    const oldest = versions.find((v) => !v.isDefault);
    if (versions.length >= quotaLimit('VersionsPerPolicy') && oldest !== undefined) {
      await deletePolicyVersion(database, actor, { policyArn: arn, versionId: oldest.versionId }, { allowBuiltIn: true });
    }
    await createPolicyVersion(database, actor, { policyArn: arn, policyDocument: text, setAsDefault: true }, { allowBuiltIn: true });
    counts.updated++;
  }
  return counts;
}

/** Runs a create, treating "already exists" as done (seeding resumes after an interruption). */
export async function ensure(create: () => Promise<unknown>): Promise<void> {
  try {
    await create();
  } catch (error) {
    if (!(error instanceof EntityAlreadyExistsError)) throw error;
  }
}

/** Whether the account's demo organisation has been loaded. */
export async function isDemoSeeded(database: Database, accountId: string): Promise<boolean> {
  const rows = await database.db
    .select({ revision: changeLog.revision })
    .from(changeLog)
    .where(and(eq(changeLog.accountId, accountId), eq(changeLog.kind, DEMO_SEEDED_KIND)))
    .limit(1);
  return rows.length > 0;
}

/** Reads a directory seed file of the seeds folder for `accountId`. */
export async function readDirectorySeed(file: string, accountId: string, seedsDir = DEFAULT_SEEDS_DIR): Promise<DirectorySeed> {
  return (await readJson(path.join(seedsDir, file), (t) => t.replaceAll('{{accountId}}', accountId))) as DirectorySeed;
}

/**
 * Loads the demo organisation into `accountId` unless it was loaded before: its customer managed
 * policies, groups, users (with memberships, boundaries and attachments) and roles.
 * Returns false when it had already been seeded.
 */
export async function seedDemoOrganisation(database: Database, accountId: string, seedsDir = DEFAULT_SEEDS_DIR): Promise<boolean> {
  if (await isDemoSeeded(database, accountId)) return false;
  const actor: WriteActor = { accountId, arn: rootArn(accountId) };
  const demo = await readDirectorySeed('demo-organisation.json', accountId, seedsDir);
  await applyDirectorySeed(database, actor, demo, 'seeds/demo-organisation.json');
  await runWrite(database, actor, async (_tx, record) => {
    record({ kind: DEMO_SEEDED_KIND, entityType: 'account', entityArn: rootArn(accountId), affectedPrincipalIds: [], payload: { users: demo.users.length } });
  });
  return true;
}

/**
 * Creates what `seed` describes in the actor's account, through the same commands as the API:
 * what exists already is skipped (attachments and memberships are idempotent), so an interrupted
 * load finishes when run again. `source` names the file in errors.
 */
export async function applyDirectorySeed(database: Database, actor: WriteActor, seed: DirectorySeed, source: string): Promise<void> {
  const accountId = actor.accountId;
  const arnOf = (ref: string): string => {
    if (ref.startsWith('arn:')) return ref;
    const policy = seed.policies.find((p) => p.policyName === ref);
    if (policy === undefined) throw new Error(`${source} refers to an unknown policy "${ref}"`);
    return policyArnOf(accountId, policy.path ?? '/', policy.policyName);
  };
  const putInline = async (kind: 'user' | 'group' | 'role', principalName: string, inline: readonly SeedInline[] = []) => {
    for (const p of inline) {
      await putInlinePolicy(database, actor, kind, { principalName, policyName: p.policyName, policyDocument: documentText(p.policyDocument) });
    }
  };

  for (const p of seed.policies) {
    await ensure(() =>
      createPolicy(database, actor, { policyName: p.policyName, path: p.path ?? '/', description: p.description ?? null, policyDocument: documentText(p.policyDocument) }),
    );
  }
  for (const g of seed.groups) {
    await ensure(() => createGroup(database, actor, { groupName: g.groupName, path: g.path ?? '/' }));
    for (const ref of g.attachedPolicies ?? []) await attachPolicy(database, actor, 'group', { principalName: g.groupName, policyArn: arnOf(ref) });
    await putInline('group', g.groupName, g.inlinePolicies);
  }
  for (const u of seed.users) {
    await ensure(() => createUser(database, actor, { userName: u.userName, path: u.path ?? '/', tags: u.tags ?? [] }));
    if (u.permissionsBoundary !== undefined) {
      await putPermissionsBoundary(database, actor, 'user', { principalName: u.userName, permissionsBoundary: arnOf(u.permissionsBoundary) });
    }
    for (const groupName of u.groups ?? []) await addUserToGroup(database, actor, { groupName, userName: u.userName });
    for (const ref of u.attachedPolicies ?? []) await attachPolicy(database, actor, 'user', { principalName: u.userName, policyArn: arnOf(ref) });
    await putInline('user', u.userName, u.inlinePolicies);
  }
  for (const r of seed.roles) {
    await ensure(() =>
      createRole(database, actor, {
        roleName: r.roleName,
        path: r.path ?? '/',
        description: r.description ?? null,
        assumeRolePolicyDocument: documentText(r.assumeRolePolicyDocument),
      }),
    );
    if (r.permissionsBoundary !== undefined) {
      await putPermissionsBoundary(database, actor, 'role', { principalName: r.roleName, permissionsBoundary: arnOf(r.permissionsBoundary) });
    }
    for (const ref of r.attachedPolicies ?? []) await attachPolicy(database, actor, 'role', { principalName: r.roleName, policyArn: arnOf(ref) });
    await putInline('role', r.roleName, r.inlinePolicies);
  }
}
