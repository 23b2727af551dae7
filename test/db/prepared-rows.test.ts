import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPrincipalRows } from '../../src/authz/load-principals.ts';
import { bootstrapAccount } from '../../src/iam/bootstrap.ts';
import { selectPreparedRows, selectRows } from '../../src/db/rows.ts';
import { openTestDatabase, type TestDatabase } from '../support/database.ts';

const ACCOUNT = '111122223333';
const ROOT_ARN = `arn:aws:iam::${ACCOUNT}:root`;

/**
 * The principal loader's statement is the one a first touch waits for. Sent unnamed, PostgreSQL
 * planned its common table expressions on every call (about 3 ms, more than running it); sent as
 * a prepared statement, each connection plans it until PostgreSQL settles on the generic plan.
 */
describe.skipIf(!process.env['TEST_DATABASE_URL'])('prepared statements on PostgreSQL', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    // One connection, so the statements below and pg_prepared_statements share a session.
    test = await openTestDatabase({ backend: 'postgres', poolSize: 1 });
    await bootstrapAccount(test.database, { accountId: ACCOUNT });
  });
  afterAll(() => test.cleanup());

  const plans = async () =>
    selectRows<{ generic: number; custom: number }>(
      test.database.db,
      sql`select generic_plans::int as generic, custom_plans::int as custom from pg_prepared_statements where statement like '%json_build_object(%''sessions''%'`,
    );

  it('prepares the principal loader once per connection and reuses a generic plan', async () => {
    expect(await plans()).toEqual([]);
    for (let i = 0; i < 8; i++) {
      const rows = await loadPrincipalRows(test.database, { userArns: [ROOT_ARN], roleArns: [], sessionArns: [], sessionKeyIds: [], knownVersions: [] }, new Date());
      expect(rows.users.map((u) => u.arn)).toEqual([ROOT_ARN]);
    }
    const [prepared, ...others] = await plans();
    expect(others).toEqual([]);
    // Five custom plans, then the generic plan for every later run: no more planning per call.
    expect(prepared).toEqual({ custom: 5, generic: 3 });
  });

  it('answers as the unprepared statement does', async () => {
    const query = sql`select ${'a'}::text as letter, ${2}::int as n`;
    expect(await selectPreparedRows(test.database.db, query)).toEqual(await selectRows(test.database.db, query));
  });
});
