/**
 * The data sets `npm run seed -- <name>` loads (scripts/seed.ts), by name. Each loads through the
 * directory commands, so every entity is in the change log (a running server on PostgreSQL sees
 * it at once), and loading one twice changes nothing.
 */
import type { Database } from '../db/client.ts';
import { currentRevision, type WriteActor } from '../changes/outbox.ts';
import { rootArn } from './bootstrap.ts';
import { NoSuchEntityError } from '../errors.ts';
import type { ResourceInput } from './resource-input.ts';
import { registerResource } from './resources.ts';
import { putService } from './services/service-commands.ts';
import type { PutServiceInput } from './services/service-definition.ts';
import { getService } from './services/service-reads.ts';
import { applyDirectorySeed, DEFAULT_SEEDS_DIR, ensure, readDirectorySeed, seedDemoOrganisation, type DirectorySeed } from './seeds.ts';

/** One named data set. */
export interface NamedSeed {
  /** What it holds, for `npm run seed` without a name. */
  readonly description: string;
  /** Loads it into `accountId` as that account's root user; false when it was already there. */
  load(database: Database, accountId: string, seedsDir?: string): Promise<boolean>;
}

/** seeds/authzen-certification.json: a directory seed plus custom services and registered resources. */
interface CertificationSeed extends DirectorySeed {
  readonly services: readonly PutServiceInput[];
  readonly resources: readonly ResourceInput[];
}

/**
 * The AuthZEN certification fixture (docs/authzen.md, "The certification fixture"): the custom
 * service `authzen` (unless the account defines it already), the records as registered resources,
 * then users, group and policies. Every step skips what exists, so it needs no marker: it reports
 * whether it wrote anything.
 */
async function seedAuthzenCertification(database: Database, accountId: string, seedsDir = DEFAULT_SEEDS_DIR): Promise<boolean> {
  const actor: WriteActor = { accountId, arn: rootArn(accountId) };
  const fixture = (await readDirectorySeed('authzen-certification.json', accountId, seedsDir)) as CertificationSeed;
  const before = await currentRevision(database);
  for (const service of fixture.services) {
    const existing = await getService(database, accountId, service.serviceName).catch((error: unknown) => {
      if (error instanceof NoSuchEntityError) return undefined;
      throw error;
    });
    // Every put is a new version: an existing definition (perhaps the operator's own) is left alone.
    if (existing === undefined) await putService(database, actor, service);
  }
  for (const resource of fixture.resources) await ensure(() => registerResource(database, actor, resource));
  await applyDirectorySeed(database, actor, fixture, 'seeds/authzen-certification.json');
  return (await currentRevision(database)) !== before;
}

/** Every named seed. */
export const NAMED_SEEDS: Readonly<Record<string, NamedSeed>> = {
  demo: {
    description: 'the demo organisation: twelve users in four groups, two roles, policies from the AWS documentation (seeds/demo-organisation.json)',
    load: seedDemoOrganisation,
  },
  'authzen-certification': {
    description: 'the AuthZEN Authorization API 1.0 certification fixture: users alice and bob, records record-1 and record-2 (seeds/authzen-certification.json)',
    load: seedAuthzenCertification,
  },
};

/** Loads the seed called `name` into `accountId`; throws naming the known seeds for an unknown name. */
export async function loadNamedSeed(database: Database, accountId: string, name: string, seedsDir?: string): Promise<boolean> {
  const seed = Object.hasOwn(NAMED_SEEDS, name) ? NAMED_SEEDS[name] : undefined;
  if (seed === undefined) throw new Error(`no seed named ${JSON.stringify(name)}; known seeds: ${Object.keys(NAMED_SEEDS).join(', ')}`);
  return seed.load(database, accountId, seedsDir);
}
