/**
 * The data sets `npm run seed -- <name>` loads (scripts/seed.ts), by name. Each loads through the
 * directory commands, so every entity is in the change log (a running server on PostgreSQL sees
 * it at once), and loading one twice changes nothing.
 */
import type { Database } from '../db/client.ts';
import { currentRevision, type WriteActor } from '../changes/outbox.ts';
import { rootArn } from './bootstrap.ts';
import { applyDirectorySeed, DEFAULT_SEEDS_DIR, readDirectorySeed, seedDemoOrganisation } from './seeds.ts';

/** One named data set. */
export interface NamedSeed {
  /** What it holds, for `npm run seed` without a name. */
  readonly description: string;
  /** Loads it into `accountId` as that account's root user; false when it was already there. */
  load(database: Database, accountId: string, seedsDir?: string): Promise<boolean>;
}

/**
 * The AuthZEN certification fixture (docs/authzen.md, "The certification fixture"). Every step
 * skips what exists, so it needs no marker: it reports whether it wrote anything.
 */
async function seedAuthzenCertification(database: Database, accountId: string, seedsDir = DEFAULT_SEEDS_DIR): Promise<boolean> {
  const actor: WriteActor = { accountId, arn: rootArn(accountId) };
  const fixture = await readDirectorySeed('authzen-certification.json', accountId, seedsDir);
  const before = await currentRevision(database);
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
export function loadNamedSeed(database: Database, accountId: string, name: string, seedsDir?: string): Promise<boolean> {
  const seed = Object.hasOwn(NAMED_SEEDS, name) ? NAMED_SEEDS[name] : undefined;
  if (seed === undefined) throw new Error(`no seed named ${JSON.stringify(name)}; known seeds: ${Object.keys(NAMED_SEEDS).join(', ')}`);
  return seed.load(database, accountId, seedsDir);
}
