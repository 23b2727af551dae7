/**
 * A page of services with their actions costs the same SQL whatever its size: the list is one
 * statement and the custom services' definitions one more (a per-request DataLoader), and AWS
 * services cost none (the dataset is read in process). Counted from the query logger.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startInProcess, type InProcess } from '../support/in-process.ts';

let app: InProcess;
beforeAll(async () => {
  app = await startInProcess();
  for (const name of ['alpha', 'beta', 'gamma', 'delta', 'epsilon']) {
    await app.asRoot('mutation ($i: PutServiceInput!) { putService(input: $i) { __typename } }', {
      i: { serviceName: name, displayName: name, actions: [{ name: 'Go', accessLevel: 'READ' }, { name: 'Stop', accessLevel: 'WRITE' }] },
    });
  }
}, 120_000);
afterAll(async () => {
  await app?.close();
});

const PAGE = (first: number) => `{ services(origin: CUSTOM, first: ${first}) { edges { node { serviceName actions { edges { node { name } } } conditionKeys { name } } } } }`;

it('costs a fixed number of statements per page of custom services', async () => {
  await app.counted(app.root, PAGE(1)); // warm the caller's caches
  const one = await app.counted(app.root, PAGE(1));
  const five = await app.counted(app.root, PAGE(5));
  expect(one.answer.errors).toBeUndefined();
  expect(five.answer.data.services.edges).toHaveLength(5);
  expect(five.answer.data.services.edges.every((e: any) => e.node.actions.edges.length === 2)).toBe(true);
  expect(five.statements).toBe(one.statements);
});

it('reads AWS services without SQL beyond the list', async () => {
  const query = '{ services(origin: AWS, prefix: "s3", first: 10) { edges { node { serviceName actions(first: 5) { edges { node { name } } } } } } }';
  await app.counted(app.root, query);
  const aws = await app.counted(app.root, query);
  const custom = await app.counted(app.root, '{ services(origin: AWS, prefix: "s3", first: 10) { edges { node { serviceName } } } }');
  expect(aws.answer.data.services.edges.length).toBeGreaterThan(1);
  expect(aws.statements).toBe(custom.statements);
});
