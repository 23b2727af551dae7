/**
 * `npm run seed -- <name>`: loads a named data set (src/iam/named-seeds.ts: `demo`,
 * `authzen-certification`) into the database the server's own variables name (`DATABASE_URL`, else
 * PGlite in `DATA_DIR`), into the account `PORTCULLIS_ACCOUNT_ID`. An empty database is first
 * prepared exactly as `npm start` prepares it (migrations, the account and its root user, whose
 * generated credentials are shown once on standard error, the built-in policies). Everything goes
 * through the directory commands and the change log, so a running server on PostgreSQL sees it at
 * once; PGlite admits one process, so there run it before `npm start`. Loading twice changes nothing.
 * Without a name it lists the seeds.
 */
import { loadConfig } from '../src/config.ts';
import { loadNamedSeed, NAMED_SEEDS } from '../src/iam/named-seeds.ts';
import { createLogger } from '../src/logger.ts';
import { connectDatabase } from '../src/server/connect.ts';
import { Readiness } from '../src/server/health.ts';
import { runStartupSteps } from '../src/server/startup.ts';

async function main(): Promise<number> {
  const name = process.argv[2];
  if (name === undefined || name === '--help') {
    console.log('usage: npm run seed -- <name>\n\nseeds:');
    for (const [seedName, seed] of Object.entries(NAMED_SEEDS)) console.log(`  ${seedName.padEnd(24)} ${seed.description}`);
    return name === undefined ? 1 : 0;
  }
  if (!Object.hasOwn(NAMED_SEEDS, name)) {
    console.error(`no seed named ${JSON.stringify(name)}; known seeds: ${Object.keys(NAMED_SEEDS).join(', ')}`);
    return 1;
  }
  const config = loadConfig(process.env);
  // Start-up steps log at info; a seed run reports in one line of its own.
  const logger = createLogger(process.env['LOG_LEVEL'] === undefined ? 'warn' : config.logLevel);
  const database = await connectDatabase(config, logger);
  try {
    await runStartupSteps({ config, database, logger, readiness: new Readiness(), announce: (text) => void process.stderr.write(`${text}\n`) });
    const loaded = await loadNamedSeed(database, config.accountId, name);
    console.log(loaded ? `seed ${name} loaded into account ${config.accountId} (${database.kind})` : `seed ${name} was already loaded into account ${config.accountId}`);
    return 0;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`seed failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
