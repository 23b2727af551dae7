/**
 * Registered resources on the decision path, proved by counting SQL: the registry is read in the
 * same batch as the principals, one statement whatever the number of resources asked about; a
 * repeat costs none (present and absent ARNs are cached); ARNs of services with no registered
 * resource cost none even cold. The store's cache is dropped by the change log precisely, and
 * `listForEvaluation` answers a filter in one statement. PGlite, and PostgreSQL with TEST_DATABASE_URL.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { App } from '../../src/server/app.ts';
import { rootArn } from '../../src/iam/bootstrap.ts';
import { createUser } from '../../src/iam/users.ts';
import { createPolicy } from '../../src/iam/policies.ts';
import { attachPolicy } from '../../src/iam/attachments.ts';
import { importResources } from '../../src/iam/resource-import.ts';
import { putResourcePolicy, tagResource } from '../../src/iam/resources.ts';
import { describeStorage } from '../support/storage.ts';
import { openCountingDatabase, type CountingDatabase } from './support/counting-database.ts';
import { arn, policy } from './support/directory.ts';
import { ACCOUNT, rootAuth } from './support/server.ts';

const BATCH = `mutation ($requests: [AuthorizeInput!]!) { authorizeBatch(requests: $requests) { __typename ... on Decision { decision } ... on ResultError { message } } }`;
const RESOURCES = 60;
const bucket = (i: number): string => `arn:aws:s3:::registered-${i}`;

describeStorage('registered resources in decisions', (backend) => {
  let testDb: CountingDatabase;
  let app: App;
  const actor = { arn: rootArn(ACCOUNT), accountId: ACCOUNT };

  const ask = async (requests: ReadonlyArray<Record<string, unknown>>): Promise<{ statements: string[]; decisions: string[] }> => {
    const { result: response, statements } = await testDb.count(() =>
      app.yoga.fetch('http://yoga/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...rootAuth },
        body: JSON.stringify({ query: BATCH, variables: { requests } }),
      }),
    );
    const body = (await response.json()) as { data: { authorizeBatch: Array<{ __typename: string; decision?: string; message?: string }> } };
    return { statements, decisions: body.data.authorizeBatch.map((r) => r.decision ?? `${r.__typename}: ${r.message}`) };
  };
  /** Reading user `u` asks s3:GetObject on resource `i`. */
  const question = (u: number, resourceArn: string) => ({ principalArn: arn.user(`reader${u}`), action: 's3:GetObject', resourceArn });

  beforeAll(async () => {
    testDb = await openCountingDatabase(backend);
    const database = testDb.database;
    // Readers may read objects tagged for their team, and nothing else by themselves.
    await createPolicy(database, actor, {
      policyName: 'team-read',
      policyDocument: policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/team': 'blue' } } }),
    });
    for (let u = 0; u < 5; u++) {
      await createUser(database, actor, { userName: `reader${u}` });
      await attachPolicy(database, actor, 'user', { principalName: `reader${u}`, policyArn: arn.policy('team-read') });
    }
    // Even resources are tagged for the blue team; every third one's policy grants reader0 by name.
    await importResources(database, actor, {
      resources: Array.from({ length: RESOURCES }, (_, i) => ({
        resourceArn: bucket(i),
        ...(i % 2 === 0 ? { tags: [{ key: 'team', value: 'blue' }] } : {}),
        ...(i % 3 === 0 ? { resourcePolicy: policy({ Effect: 'Allow', Principal: { AWS: arn.user('reader0') }, Action: 's3:GetObject', Resource: bucket(i) }) } : {}),
      })),
    });
    app = await testDb.startApp();
    await app.authz.resources.start();
  }, 120_000);
  afterAll(async () => {
    await testDb?.close();
  });

  it('reads the registry once per batch whatever its size, then answers from cache', async () => {
    // Warm the caller's and every reader's policy sets (about an unregistered service: no registry read).
    const warm = await ask([0, 1, 2, 3, 4].map((u) => question(u, 'arn:aws:dynamodb:us-east-1:111122223333:table/t')));
    expect(warm.decisions).toEqual(Array(5).fill('IMPLICIT_DENY'));

    const small = await ask([question(1, bucket(0)), question(1, bucket(1)), question(0, bucket(3)), question(1, bucket(3)), question(1, 'arn:aws:s3:::never-registered')]);
    // Tagged blue; untagged; untagged but its policy names reader0; the same for reader1; not registered.
    expect(small.decisions).toEqual(['ALLOWED', 'IMPLICIT_DENY', 'ALLOWED', 'IMPLICIT_DENY', 'IMPLICIT_DENY']);
    expect(small.statements).toHaveLength(1);
    expect(small.statements[0]).toMatch(/"resources"/);

    const large = await ask(Array.from({ length: 500 }, (_, k) => question(k % 5, k % 7 === 0 ? `arn:aws:s3:::never-${k}` : bucket(5 + (k % 55)))));
    expect(large.statements).toHaveLength(1);
    expect(large.decisions.filter((d) => d === 'ALLOWED').length).toBeGreaterThan(0);

    const repeat = await ask(Array.from({ length: 500 }, (_, k) => question(k % 5, k % 7 === 0 ? `arn:aws:s3:::never-${k}` : bucket(5 + (k % 55)))));
    expect(repeat.statements).toEqual([]);
    expect(repeat.decisions).toEqual(large.decisions);

    // Other services have no registered resource: nothing to look up, even for ARNs never seen.
    const unregistered = await ask(Array.from({ length: 50 }, (_, k) => question(k % 5, `arn:aws:sqs:us-east-1:${ACCOUNT}:q${k}`)));
    expect(unregistered.statements).toEqual([]);
  });

  it('follows the change log: a policy or tag change is seen at its revision, and only that resource is read again', async () => {
    const before = await ask([question(2, bucket(1)), question(2, bucket(9))]);
    expect(before.decisions).toEqual(['IMPLICIT_DENY', 'IMPLICIT_DENY']);
    await tagResource(testDb.database, actor, { resourceArn: bucket(1), tags: [{ key: 'team', value: 'blue' }] });
    const { revision } = await putResourcePolicy(testDb.database, actor, {
      resourceArn: bucket(9),
      policyDocument: policy({ Effect: 'Allow', Principal: { AWS: arn.user('reader2') }, Action: 's3:GetObject', Resource: bucket(9) }),
    });
    const after = await ask([{ ...question(2, bucket(1)), minRevision: revision }, question(2, bucket(9)), question(2, bucket(0))]);
    expect(after.decisions).toEqual(['ALLOWED', 'ALLOWED', 'ALLOWED']);
    // The two changed resources, in one statement; bucket 0 is still cached.
    expect(after.statements.filter((s) => /"resources"/.test(s))).toHaveLength(1);
  });

  it('lists an account’s resources for evaluation in one statement, then from cache until they change', async () => {
    const filter = { serviceName: 's3', resourceType: 'bucket', arnPrefix: 'arn:aws:s3:::registered-1' };
    const { result: [blue, again], statements } = await testDb.count(async () => {
      const first = await app.authz.resources.listForEvaluation(ACCOUNT, filter);
      return [first, await app.authz.resources.listForEvaluation(ACCOUNT, filter)] as const;
    });
    expect(statements).toHaveLength(1);
    expect(again).toBe(blue);
    expect(blue.map((r) => r.arn)).toEqual(['arn:aws:s3:::registered-1', ...Array.from({ length: 10 }, (_, i) => `arn:aws:s3:::registered-1${i}`)].sort());
    expect(blue.find((r) => r.arn === bucket(12))).toMatchObject({ accountId: ACCOUNT, serviceName: 's3', resourceType: 'bucket', tags: [{ key: 'team', value: 'blue' }] });
    expect(blue.find((r) => r.arn === bucket(12))?.policy).toBeDefined();
    expect(blue.find((r) => r.arn === bucket(13))?.policy).toBeUndefined();

    await tagResource(testDb.database, actor, { resourceArn: bucket(13), tags: [{ key: 'team', value: 'red' }] });
    await app.authz.listener.catchUp();
    const changed = await app.authz.resources.listForEvaluation(ACCOUNT, { serviceName: 's3', resourceType: 'bucket', arnPrefix: 'arn:aws:s3:::registered-1' });
    expect(changed).not.toBe(blue);
    expect(changed.find((r) => r.arn === bucket(13))?.tags).toEqual([{ key: 'team', value: 'red' }]);
  });
});
