/**
 * Batching is proved by counting SQL: listing N users with their groups, and each group's members,
 * costs the same number of statements for 5 users as for 100. The server runs at LOG_LEVEL=trace,
 * which logs every statement's SQL (src/server/connect.ts) with the request id of the request it
 * serves; background statements (the change-log listener, the batch flushes) carry none and are
 * left out, however the timers fall.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrincipalsServer, type PrincipalsServer } from './support/principals.ts';

let s: PrincipalsServer;
beforeAll(async () => {
  s = await startPrincipalsServer({ LOG_LEVEL: 'trace' });
  const groups = ['alpha', 'beta', 'gamma'];
  const users = [...Array.from({ length: 5 }, (_, i) => ['/small/', `small${i}`]), ...Array.from({ length: 100 }, (_, i) => ['/big/', `big${i}`])];
  // One request per kind of write: aliased mutations run in order.
  await s.root(`mutation { ${groups.map((g) => `${g}: createGroup(input: { groupName: "${g}" }) { __typename }`).join('\n')} }`);
  await s.root(`mutation { ${users.map(([path, name]) => `${name}: createUser(input: { userName: "${name}", path: "${path}" }) { __typename }`).join('\n')} }`);
  const memberships = users.flatMap(([, name], i) => [groups[i % 3], groups[(i + 1) % 3]].map((g) => [g, name] as const));
  await s.root(
    `mutation { ${memberships.map(([g, u], i) => `m${i}: addUserToGroup(input: { groupName: "${g}", userName: "${u}" }) { __typename }`).join('\n')} }`,
  );
}, 120_000);
afterAll(async () => {
  await s?.server.dispose();
});

const QUERY = `query($prefix: String!) {
  users(first: 1000, pathPrefix: $prefix) {
    edges { node { userName groups { edges { node { groupName users(first: 3) { edges { node { userName } } } } } } } }
  }
}`;

/** SQL statements logged for the requests made by `run` (background statements carry no request id). */
async function statementsDuring(run: () => Promise<unknown>): Promise<string[]> {
  const start = s.server.logs.length;
  await run();
  return s.server.logs
    .slice(start)
    .filter((line) => line['msg'] === 'sql' && typeof line['sql'] === 'string' && typeof line['requestId'] === 'string')
    .map((line) => line['sql'] as string);
}

describe('batched nested lists', () => {
  it('costs the same number of statements for 100 users with their groups as for 5', async () => {
    // The set-up writes reach the bus (and drop cached state) before anything is counted; then the caller's caches are warmed.
    const { changes, database } = s.server.running.app;
    expect(await changes.bus.waitForRevision(database.commits.highest, 10_000)).toBe(true);
    await s.root(QUERY, { prefix: '/small/' });

    let small: any;
    let big: any;
    const smallStatements = await statementsDuring(async () => {
      small = await s.root(QUERY, { prefix: '/small/' });
    });
    const bigStatements = await statementsDuring(async () => {
      big = await s.root(QUERY, { prefix: '/big/' });
    });

    expect(small.users.edges).toHaveLength(5);
    expect(big.users.edges).toHaveLength(100);
    // Every user is in two groups, and each group shows its first three members.
    for (const edge of big.users.edges) {
      expect(edge.node.groups.edges).toHaveLength(2);
      for (const group of edge.node.groups.edges) expect(group.node.users.edges).toHaveLength(3);
    }
    expect(smallStatements.length).toBeGreaterThan(0);
    expect(bigStatements).toHaveLength(smallStatements.length);
    // Users, their groups, the groups' members: one statement per level, whatever N is.
    expect(bigStatements.length).toBeLessThanOrEqual(3 + 2);
    console.info(`statements per request: 5 users ${smallStatements.length}, 100 users ${bigStatements.length}`);
  });
});
