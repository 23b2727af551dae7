/**
 * A principal load skips the text of managed policy versions the process holds compiled: the
 * statement names them (`knownVersions`) and their rows come without a document. When a version
 * sent so is needed in a kind the cache does not hold it in (attached to one user as an identity
 * policy, then met as another's permissions boundary), the load is repeated once with every text.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectRows } from '../../src/db/rows.ts';
import { loadPrincipalRows } from '../../src/authz/load-principals.ts';
import { attachPolicy } from '../../src/iam/attachments.ts';
import { rootArn } from '../../src/iam/bootstrap.ts';
import { putPermissionsBoundary } from '../../src/iam/boundaries.ts';
import { createPolicy } from '../../src/iam/policies.ts';
import { createUser } from '../../src/iam/users.ts';
import type { App } from '../../src/server/app.ts';
import { openCountingDatabase, type CountingDatabase } from './support/counting-database.ts';
import { arn, policy } from './support/directory.ts';
import { ACCOUNT, rootAuth } from './support/server.ts';

describe('managed policy text sent once per process', () => {
  let counted: CountingDatabase;
  let app: App;
  let readId = '';

  beforeAll(async () => {
    counted = await openCountingDatabase();
    const database = counted.database;
    const actor = { arn: rootArn(ACCOUNT), accountId: ACCOUNT };
    await createPolicy(database, actor, { policyName: 'read', policyDocument: policy({ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: '*' }) });
    await createPolicy(database, actor, { policyName: 'everything', policyDocument: policy({ Effect: 'Allow', Action: 's3:*', Resource: '*' }) });
    // reader: `read` as an identity policy. bounded, bounded-too: everything on S3, within `read`.
    for (const userName of ['reader', 'bounded', 'bounded-too']) await createUser(database, actor, { userName });
    await attachPolicy(database, actor, 'user', { principalName: 'reader', policyArn: arn.policy('read') });
    for (const userName of ['bounded', 'bounded-too']) {
      await attachPolicy(database, actor, 'user', { principalName: userName, policyArn: arn.policy('everything') });
      await putPermissionsBoundary(database, actor, 'user', { principalName: userName, permissionsBoundary: arn.policy('read') });
    }
    readId = (await selectRows<{ id: string }>(database.db, sql`select id from managed_policies where name = 'read'`))[0]!.id;
    app = await counted.startApp();
  }, 120_000);
  afterAll(async () => {
    await counted?.close();
  });

  it('sends no text for a version named as known, and the text for the rest', async () => {
    const query = { userArns: [arn.user('reader'), arn.user('bounded')], roleArns: [], sessionArns: [], sessionKeyIds: [] };
    const documents = async (knownVersions: string[]) =>
      Object.fromEntries((await loadPrincipalRows(counted.database, { ...query, knownVersions }, new Date())).policies.map((p) => [p.name, p.document]));
    const full = await documents([]);
    expect(full['read']).toContain('s3:ListBucket');
    expect(full['everything']).toContain('s3:*');
    expect(await documents([`${readId}:1`])).toEqual({ read: null, everything: full['everything'] });
    // Another version of the same policy is another text.
    expect(await documents([`${readId}:2`])).toEqual(full);
  });

  /** `authorize` of `action` for `userName`, and the statements it cost. */
  const authorize = async (userName: string, action: string): Promise<{ decision: string; statements: number }> => {
    const { result: response, statements } = await counted.count(() =>
      app.yoga.fetch('http://yoga/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...rootAuth },
        body: JSON.stringify({
          query: 'mutation ($input: AuthorizeInput!) { authorize(input: $input) { __typename ... on Decision { decision } } }',
          variables: { input: { principalArn: arn.user(userName), action, resourceArn: 'arn:aws:s3:::bucket/key' } },
        }),
      }),
    );
    const body = (await response.json()) as { data: { authorize: { __typename: string; decision?: string } } };
    return { decision: body.data.authorize.decision ?? body.data.authorize.__typename, statements: statements.length };
  };

  it('loads once more, with the text, a version it holds compiled only in another kind', async () => {
    // Any first request fills the caller's caches; then `read` is compiled as reader's identity policy.
    await authorize('reader', 's3:GetObject');
    expect(app.authz.compiled.knownVersions()).toContain(`${readId}:1`);
    // bounded's load skips `read`, which it needs as a boundary: a second statement brings the text.
    expect(await authorize('bounded', 's3:GetObject')).toEqual({ decision: 'ALLOWED', statements: 2 });
    expect((await authorize('bounded', 's3:PutObject')).decision).toBe('IMPLICIT_DENY');
    // Now held in both kinds: the next bounded user costs one statement, and the boundary holds.
    expect(await authorize('bounded-too', 's3:PutObject')).toEqual({ decision: 'IMPLICIT_DENY', statements: 1 });
    expect((await authorize('bounded-too', 's3:ListBucket')).decision).toBe('ALLOWED');
  });
});
