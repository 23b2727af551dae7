/**
 * A migrated directory for the principal service tests (openTestDatabase: PGlite in memory, or a
 * throw-away PostgreSQL database when TEST_DATABASE_URL is set) with two accounts and their root
 * users, so tests can prove that nothing crosses between accounts. `statements` counts SQL sent.
 */
import { accounts, users } from '../../../src/db/schema/index.ts';
import type { Database } from '../../../src/db/client.ts';
import type { WriteActor } from '../../../src/changes/outbox.ts';
import { newUniqueId } from '../../../src/iam/ids.ts';
import { openTestDatabase } from '../../support/database.ts';

/** The accounts the fixture creates. */
export const ACCOUNT = '111122223333';
export const OTHER_ACCOUNT = '444455556666';

/** A fixture database and actors of both accounts' root users. */
export interface PrincipalsFixture {
  readonly database: Database;
  readonly actor: WriteActor;
  readonly otherActor: WriteActor;
  /** SQL statements sent since the list was last emptied (tests set `length = 0`). */
  readonly statements: string[];
  close(): Promise<void>;
}

/** Opens the fixture database and creates two accounts with root users. */
export async function openPrincipalsFixture(): Promise<PrincipalsFixture> {
  const statements: string[] = [];
  const { database, cleanup } = await openTestDatabase({ onQuery: (text) => statements.push(text) });
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
    close: cleanup,
  };
}
