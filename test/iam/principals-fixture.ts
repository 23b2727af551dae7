/**
 * A migrated, empty directory for the principal service tests: in-memory PGlite, or a fresh
 * PostgreSQL database on TEST_DATABASE_URL's server (dropped on close). Two accounts exist, so
 * tests can prove that nothing crosses between them. `statements` counts SQL sent.
 */
import postgres from 'postgres';
import { openDatabase, type Database } from '../../src/db/client.ts';
import { migrateDatabase } from '../../src/db/migrate.ts';
import { accounts, users } from '../../src/db/schema/index.ts';
import type { WriteActor } from '../../src/events/outbox.ts';
import { newUniqueId } from '../../src/iam/ids.ts';

/** The accounts the fixture creates. */
export const ACCOUNT = '111122223333';
export const OTHER_ACCOUNT = '444455556666';

/** A fixture database and actors of both accounts' root users. */
export interface PrincipalsFixture {
  readonly database: Database;
  readonly actor: WriteActor;
  readonly otherActor: WriteActor;
  /** SQL statements sent since the last `resetStatements`. */
  readonly statements: string[];
  close(): Promise<void>;
}

/** Opens the fixture database, migrates it and creates two accounts with root users. */
export async function openPrincipalsFixture(): Promise<PrincipalsFixture> {
  const statements: string[] = [];
  const adminUrl = process.env['TEST_DATABASE_URL'];
  let dropDatabase: () => Promise<void> = async () => {};
  let databaseUrl: string | undefined;
  if (adminUrl !== undefined && adminUrl !== '') {
    const name = `portcullis_principals_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dropDatabase = async () => {
      const dropper = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await dropper.unsafe(`drop database if exists ${name} with (force)`);
      await dropper.end();
    };
  }
  const database = await openDatabase({
    ...(databaseUrl === undefined ? {} : { databaseUrl }),
    dataDir: 'memory://',
    onQuery: (text) => statements.push(text),
  });
  await migrateDatabase(database);
  await database.db.insert(accounts).values([{ id: ACCOUNT }, { id: OTHER_ACCOUNT }]);
  await database.db.insert(users).values([
    { id: newUniqueId('user'), accountId: ACCOUNT, name: 'root', isRoot: true },
    { id: newUniqueId('user'), accountId: OTHER_ACCOUNT, name: 'root', isRoot: true },
  ]);
  statements.length = 0;
  return {
    database,
    actor: { accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root` },
    otherActor: { accountId: OTHER_ACCOUNT, arn: `arn:aws:iam::${OTHER_ACCOUNT}:root` },
    statements,
    async close() {
      await database.close();
      await dropDatabase();
    },
  };
}
