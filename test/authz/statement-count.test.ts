/**
 * Batching is proved by counting SQL: a batch of 500 questions over 50 principals costs the same
 * one statement as a batch of 5 over 5 (a principal's whole policy set comes in one statement,
 * whatever the batch size), a repeat costs none (the effective sets are cached), a principal's
 * first touch costs one, and first touches of concurrent requests share statements.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/server/app.ts';
import { rootArn } from '../../src/iam/bootstrap.ts';
import { createUser } from '../../src/iam/users.ts';
import { createGroup } from '../../src/iam/groups.ts';
import { addUserToGroup } from '../../src/iam/group-membership.ts';
import { createPolicy } from '../../src/iam/policies.ts';
import { attachPolicy } from '../../src/iam/attachments.ts';
import { putInlinePolicy } from '../../src/iam/inline-policies.ts';
import { openCountingDatabase, type CountingDatabase } from './support/counting-database.ts';
import { arn, policy } from './support/directory.ts';
import { ACCOUNT, rootAuth } from './support/server.ts';

const BATCH = `mutation ($requests: [AuthorizeInput!]!) { authorizeBatch(requests: $requests) { __typename ... on Decision { decision } } }`;

describe('authorizeBatch statement count', () => {
  let counted: CountingDatabase;
  let app: App;

  const batch = async (users: readonly number[], perUser: number): Promise<{ statements: string[]; decisions: string[] }> => {
    const requests = users.flatMap((u) =>
      Array.from({ length: perUser }, (_, i) => ({ principalArn: arn.user(`u${u}`), action: i % 2 === 0 ? 's3:GetObject' : 's3:PutObject', resourceArn: `arn:aws:s3:::bucket-${u % 5}/k${i}` })),
    );
    const { result: response, statements } = await counted.count(() =>
      app.yoga.fetch('http://yoga/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...rootAuth },
        body: JSON.stringify({ query: BATCH, variables: { requests } }),
      }),
    );
    const body = (await response.json()) as { data: { authorizeBatch: Array<{ __typename: string; decision?: string }> } };
    return { statements, decisions: body.data.authorizeBatch.map((r) => r.decision ?? r.__typename) };
  };

  beforeAll(async () => {
    counted = await openCountingDatabase();
    const database = counted.database;
    const actor = { arn: rootArn(ACCOUNT), accountId: ACCOUNT };
    for (let g = 0; g < 5; g++) {
      await createGroup(database, actor, { groupName: `g${g}` });
      await createPolicy(database, actor, { policyName: `read-${g}`, policyDocument: policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::bucket-${g}/*` }) });
      await attachPolicy(database, actor, 'group', { principalName: `g${g}`, policyArn: arn.policy(`read-${g}`) });
      await putInlinePolicy(database, actor, 'group', { principalName: `g${g}`, policyName: 'NoDelete', policyDocument: policy({ Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*' }) });
    }
    await createPolicy(database, actor, { policyName: 'write-all', policyDocument: policy({ Effect: 'Allow', Action: 's3:PutObject', Resource: '*' }) });
    for (let u = 0; u < 55; u++) {
      await createUser(database, actor, { userName: `u${u}` });
      await addUserToGroup(database, actor, { groupName: `g${u % 5}`, userName: `u${u}` });
      if (u % 2 === 0) await attachPolicy(database, actor, 'user', { principalName: `u${u}`, policyArn: arn.policy('write-all') });
      else await putInlinePolicy(database, actor, 'user', { principalName: `u${u}`, policyName: 'Own', policyDocument: policy({ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' }) });
    }
    app = await counted.startApp();
  }, 120_000);
  afterAll(async () => {
    await counted?.close();
  });

  it('costs the same statements for 500 questions over 50 principals as for 5 over 5', async () => {
    // Warm the caller's credential and policy caches, which any first request fills once.
    await batch([54], 1);
    const small = await batch([0, 1, 2, 3, 4], 1);
    const large = await batch(Array.from({ length: 50 }, (_, i) => i + 5), 10);
    expect(small.decisions).toEqual(['ALLOWED', 'ALLOWED', 'ALLOWED', 'ALLOWED', 'ALLOWED']);
    expect(large.decisions).toHaveLength(500);
    // Users, memberships, attachments with default versions, inline policies: one statement.
    expect(small.statements).toHaveLength(1);
    expect(large.statements.length).toBe(small.statements.length);
    // Even users grant s3:PutObject through an attachment; odd users get only their group's reads.
    expect(large.decisions.slice(0, 2)).toEqual(['ALLOWED', 'IMPLICIT_DENY']);
    expect(large.decisions.slice(10, 12)).toEqual(['ALLOWED', 'ALLOWED']);

    const repeat = await batch(Array.from({ length: 50 }, (_, i) => i + 5), 10);
    expect(repeat.statements).toEqual([]);
    expect(repeat.decisions).toEqual(large.decisions);

    // Aliased authorize fields in one operation share the request's loader: one batch again.
    await createUser(counted.database, { arn: rootArn(ACCOUNT), accountId: ACCOUNT }, { userName: 'late' });
    await app.authz.listener.catchUp();
    const fields = [50, 51, 52, 53, 'late'].map(
      (u, i) => `a${i}: authorize(input: { principalArn: "${arn.user(typeof u === 'number' ? `u${u}` : u)}", action: "s3:GetObject", resourceArn: "*" }) { ... on Decision { decision } }`,
    );
    for (const u of [50, 51, 52, 53]) app.authz.effective.cache.invalidate(arn.user(`u${u}`));
    const { result: aliased, statements } = await counted.count(() =>
      app.yoga.fetch('http://yoga/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...rootAuth },
        body: JSON.stringify({ query: `mutation { ${fields.join('\n')} }` }),
      }),
    );
    const body = (await aliased.json()) as { data: Record<string, { decision: string }> };
    expect(Object.keys(body.data)).toHaveLength(5);
    expect(statements.length).toBe(small.statements.length);
  });

  /** One `authorize` about user `u<n>`, on a key of its group's bucket. */
  const authorize = async (userName: string): Promise<string> => {
    const response = await app.yoga.fetch('http://yoga/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...rootAuth },
      body: JSON.stringify({
        query: 'mutation ($input: AuthorizeInput!) { authorize(input: $input) { __typename ... on Decision { decision } } }',
        variables: { input: { principalArn: arn.user(userName), action: 's3:GetObject', resourceArn: `arn:aws:s3:::bucket-${Number(userName.slice(1)) % 5}/k` } },
      }),
    });
    const body = (await response.json()) as { data: { authorize: { __typename: string; decision?: string } } };
    return body.data.authorize.decision ?? body.data.authorize.__typename;
  };

  it("costs one statement for a principal's first touch: groups, attachments, versions and inline policies together", async () => {
    await batch([54], 1);
    app.authz.effective.cache.invalidate(arn.user('u7'));
    const { result: decision, statements } = await counted.count(() => authorize('u7'));
    expect(decision).toBe('ALLOWED');
    expect(statements).toHaveLength(1);
    // The set has the user's inline policy and its group's attached and inline policies.
    expect(app.authz.effective.peek(arn.user('u7'))?.identity).toHaveLength(3);
  });

  it('shares statements between the first touches of concurrent requests', async () => {
    await batch([54], 1);
    const users = Array.from({ length: 20 }, (_, i) => `u${i + 10}`);
    for (const u of users) app.authz.effective.cache.invalidate(arn.user(u));
    const { result: decisions, statements } = await counted.count(() => Promise.all(users.map((u) => authorize(u))));
    expect(decisions).toEqual(users.map(() => 'ALLOWED'));
    // Twenty requests, each about a principal nobody has loaded: their misses are coalesced into
    // the next unsent batch (at most a few batches out at once), not one statement each.
    expect(statements.length).toBeGreaterThanOrEqual(1);
    expect(statements.length).toBeLessThanOrEqual(4);
  });

  it('shares one compiled policy per managed policy version among all the principals it is attached to', async () => {
    await batch([54], 1);
    const [a, b] = await app.authz.effective.loadMany([arn.user('u0'), arn.user('u5')]);
    if (a instanceof Error || b instanceof Error || a === undefined || b === undefined) throw new Error('load failed');
    // u0 and u5 are both in g0, which has read-0 attached: the very same compiled object.
    const readOf = (set: typeof a) => set.identity.find((p) => p.meta.name === 'read-0');
    expect(readOf(a)).toBeDefined();
    expect(readOf(a)).toBe(readOf(b));
  });
});
