/**
 * The retention sweep reads old audit-only rows and session records through the partial index
 * change_log_audit_created_idx: its predicate names every expiring kind, so the sweep's
 * condition implies it. A kind added to AUDIT_ONLY_KINDS without the index left the sweep
 * scanning the whole change log.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { oldestAuditRows } from '../../src/changes/audit-retention.ts';
import { EXPIRING_KINDS } from '../../src/changes/change.ts';
import { selectRows } from '../../src/db/rows.ts';
import { openTestDatabase, type TestDatabase } from '../support/database.ts';
import { describeStorage } from '../support/storage.ts';

describeStorage('audit retention index', (backend) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabase({ backend });
  });
  afterAll(() => test.cleanup());

  it('names every expiring kind (audit-only rows, session records) in its predicate', async () => {
    const [index] = await selectRows<{ indexdef: string }>(test.database.db, sql`select indexdef from pg_indexes where indexname = 'change_log_audit_created_idx'`);
    expect(index).toBeDefined();
    for (const kind of EXPIRING_KINDS) expect(index!.indexdef).toContain(`'${kind}'`);
  });

  it("serves the sweep's read, with sequential scans off so the plan shows whether the index can", async () => {
    const plan = await test.database.db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      return selectRows<{ 'QUERY PLAN': string }>(tx, sql`explain ${oldestAuditRows(test.database, new Date(), 1_000)}`);
    });
    expect(plan.map((row) => row['QUERY PLAN']).join('\n')).toContain('change_log_audit_created_idx');
  });
});
