/** `npm run db:migrate`: apply pending migrations to DATABASE_URL, or to the PGlite store in DATA_DIR (default ./.data). */
import { openDatabase } from '../src/db/open.ts';
import { migrateDatabase } from '../src/db/migrate.ts';

const databaseUrl = process.env.DATABASE_URL;
const database = await openDatabase({
  ...(databaseUrl ? { databaseUrl } : {}),
  dataDir: process.env.DATA_DIR ?? './.data',
});
try {
  await migrateDatabase(database);
  process.stderr.write(`migrations applied (${database.kind})\n`);
} finally {
  await database.close();
}
