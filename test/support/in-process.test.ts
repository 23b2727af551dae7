import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcess, type InProcess } from './in-process.ts';

describe('startInProcess counts', () => {
  let app: InProcess;
  beforeAll(async () => {
    app = await startInProcess();
  });
  afterAll(async () => {
    await app?.close();
  });

  it("a request's own statements, not one another caller sends meanwhile", async () => {
    const query = '{ users { edges { node { userName } } } }';
    await app.gql(app.root, query);
    const alone = await app.counted(app.root, query);
    expect(alone.answer.errors).toBeUndefined();
    expect(alone.statements).toBeGreaterThan(0);
    // Statements from outside the request (as a usage flush or health ping timer sends them)
    // overlap the count and are left out.
    const [overlapped] = await Promise.all([
      app.counted(app.root, query),
      ...Array.from({ length: 3 }, () => app.database.db.execute(sql`select 1`)),
    ]);
    expect(overlapped.statements).toBe(alone.statements);
  });

  it("a mutation's writes", async () => {
    const read = await app.counted(app.root, '{ user(userName: "counted") { userName } }');
    const write = await app.counted(app.root, 'mutation { createUser(input: { userName: "counted" }) { __typename } }');
    expect(write.answer.errors).toBeUndefined();
    expect(write.statements).toBeGreaterThan(read.statements);
  });
});
