import type { Database } from '../db/client.ts';
import { migrateDatabase } from '../db/migrate.ts';
import { bootstrapAccount } from '../iam/bootstrap.ts';
import { ensureOrganization, firstManagementAccountId } from '../iam/organizations/bootstrap.ts';
import { organizationManagedBy } from '../iam/organizations/tree.ts';
import { seedCipherFor } from '../iam/mfa/secrets-key.ts';
import { ensureBuiltInPolicies } from '../iam/seeds.ts';
import type { Config } from '../config.ts';
import type { Readiness } from './health.ts';
import type { Logger } from '../logger.ts';
import { StartupError } from './startup-error.ts';

/** What each start-up step may use. */
export interface StartupContext {
  readonly config: Config;
  readonly database: Database;
  readonly logger: Logger;
  readonly readiness: Readiness;
  /**
   * Shows text to the operator once, on standard error and never through the logger (the
   * generated root credentials go here, and logs are often shipped elsewhere).
   */
  readonly announce: (text: string) => void;
}

/** One thing done, in order, after the database opens and before GraphQL is served. */
export interface StartupStep {
  /** Short name used in logs and in the error when the step fails. */
  readonly name: string;
  readonly run: (context: StartupContext) => Promise<void>;
}

/**
 * The start-up sequence. Every step must be idempotent: it runs on every start, against a
 * fresh database or one that has been running for months.
 */
export const startupSteps: readonly StartupStep[] = [
  {
    name: 'migrate',
    run: async ({ database, readiness }) => {
      await migrateDatabase(database);
      readiness.migrationsApplied = true;
    },
  },
  { name: 'bootstrap', run: bootstrap },
  // Production refuses to start without PORTCULLIS_SECRETS_KEY; elsewhere this creates DATA_DIR/secrets.key.
  { name: 'secrets-key', run: async ({ config }) => void (await seedCipherFor(config)) },
  { name: 'seed', run: seed },
];

/** Runs the steps in order; a failing step stops start-up with its name in the error. */
export async function runStartupSteps(
  context: StartupContext,
  steps: readonly StartupStep[] = startupSteps,
): Promise<void> {
  for (const step of steps) {
    const started = performance.now();
    try {
      await step.run(context);
    } catch (error) {
      if (error instanceof StartupError) throw error;
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      throw new StartupError(`start-up step '${step.name}' failed: ${reason}`, { cause: error });
    }
    context.logger.info({ step: step.name, durationMs: Math.round(performance.now() - started) }, 'start-up step done');
  }
}

/**
 * Creates the account and root user on an empty database and shows generated credentials once;
 * the account becomes (or already is) the management account of the organization. A database
 * whose organization another account manages is refused before anything is written: starting
 * it with the wrong PORTCULLIS_ACCOUNT_ID used to bootstrap a second, unrelated account.
 */
async function bootstrap({ config, database, logger, announce }: StartupContext): Promise<void> {
  const management = await firstManagementAccountId(database);
  // A database may hold several organizations (CreateOrganization by a standalone account); any one it manages will do.
  if (management !== undefined && management !== config.accountId && (await organizationManagedBy(database.db, config.accountId)) === undefined) {
    throw new StartupError(
      `PORTCULLIS_ACCOUNT_ID is ${config.accountId} but this database's organization is managed by account ${management}: ` +
        `start with PORTCULLIS_ACCOUNT_ID=${management}, or point DATABASE_URL / DATA_DIR at another database`,
    );
  }
  const result = await bootstrapAccount(database, {
    accountId: config.accountId,
    ...(config.rootAccessKey === undefined ? {} : { rootAccessKey: { ...config.rootAccessKey } }),
    ...(config.rootPassword === undefined ? {} : { rootPassword: config.rootPassword }),
  });
  logger.info({ accountId: config.accountId, created: result.created }, result.created ? 'account bootstrapped' : 'account already exists');
  const { organization, created } = await ensureOrganization(database, config.accountId);
  logger.info({ organizationId: organization.id, rootId: organization.rootId, created }, created ? 'organization created' : 'organization already exists');
  const text = formatGeneratedCredentials(config.accountId, result.generated);
  if (text !== undefined) announce(text);
}

/**
 * Ensures the built-in managed policies (every start). Data sets such as the demo organisation
 * are loaded only on request, with `npm run seed -- <name>` (scripts/seed.ts).
 */
async function seed({ config, database, logger }: StartupContext): Promise<void> {
  const builtIns = await ensureBuiltInPolicies(database, config.accountId);
  logger.info({ builtIns }, 'built-in policies ensured');
}

/** The banner that shows generated root credentials, or undefined when nothing was generated. */
export function formatGeneratedCredentials(
  accountId: string,
  generated: { accessKeyId?: string; secret?: string; password?: string },
): string | undefined {
  const lines: string[] = [];
  if (generated.accessKeyId !== undefined) lines.push(`  access key id:     ${generated.accessKeyId}`);
  if (generated.secret !== undefined) lines.push(`  secret access key: ${generated.secret}`);
  if (generated.password !== undefined) lines.push(`  sign-in password:  ${generated.password}`);
  if (lines.length === 0) return undefined;
  return [
    '',
    '================ Portcullis root credentials (shown once) ================',
    `  account id:        ${accountId}`,
    '  user name:         root',
    ...lines,
    'Store them now: they are not stored in clear and will not be shown again.',
    '==========================================================================',
    '',
  ].join('\n');
}
