/**
 * authorize and authorizeBatch over real HTTP about registered resources: a question that brings
 * no resource policy is decided with the registered resource's stored policy (its statements are
 * the deciding ones), its tags as aws:ResourceTag/* (unless the question's context sets the key)
 * and its account as the resource owner (unless the question names one); a question that brings
 * its own policy ignores the stored one. Changes are seen at the revision their write returned.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accounts } from '../../src/db/schema/index.ts';
import { registerResource } from '../../src/iam/resources.ts';
import type { TestServer } from '../support/server.ts';
import { arn, policy, userWithPolicy, write } from '../authz/support/directory.ts';
import { ACCOUNT, dataOf, rootAuth, startAuthzServer } from '../authz/support/server.ts';

const AUTHORIZE = `mutation ($input: AuthorizeInput!) { authorize(input: $input) { __typename
  ... on Decision { decision matchedStatements { sourcePolicyId sourcePolicyType layer sid } }
  ... on ResultError { code message } } }`;
const BATCH = `mutation ($requests: [AuthorizeInput!]!) { authorizeBatch(requests: $requests) { __typename ... on Decision { decision } } }`;
const OTHER = '444455556666';
const DOCS = 'arn:aws:s3:::rd-docs';
const FOREIGN = 'arn:aws:s3:::rd-foreign';

interface Answer {
  __typename: string;
  decision?: string;
  matchedStatements?: Array<{ sourcePolicyId: string; sourcePolicyType: string; layer: string; sid: string | null }>;
  message?: string;
}

describe('decisions about registered resources', () => {
  let server: TestServer;
  const ask = async (input: Record<string, unknown>): Promise<Answer> =>
    dataOf(await server.gql<{ authorize: Answer }>(AUTHORIZE, { input }, rootAuth)).authorize;

  beforeAll(async () => {
    server = await startAuthzServer();
    // bob may read objects of buckets tagged for his team; carol has no policy of her own.
    await userWithPolicy(server, 'rd-bob', { Sid: 'TeamRead', Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/team': 'blue' } } });
    await write(server, 'createUser', { userName: 'rd-carol' });
    await write(server, 'registerResource', {
      resourceArn: DOCS,
      tags: [{ key: 'team', value: 'blue' }],
      resourcePolicy: policy({ Sid: 'CarolLists', Effect: 'Allow', Principal: { AWS: arn.user('rd-carol') }, Action: 's3:ListBucket', Resource: DOCS }),
    });
    // A bucket of another account, tagged for bob's team: bob's own policy cannot reach across accounts.
    const database = server.running.app.database;
    await database.db.insert(accounts).values({ id: OTHER });
    await registerResource(database, { accountId: OTHER, arn: `arn:aws:iam::${OTHER}:root` }, { resourceArn: FOREIGN, tags: [{ key: 'team', value: 'blue' }] });
  }, 60_000);
  afterAll(async () => {
    await server?.dispose();
  });

  it('uses the stored resource policy, naming its statement', async () => {
    const answer = await ask({ principalArn: arn.user('rd-carol'), action: 's3:ListBucket', resourceArn: DOCS });
    expect(answer.decision).toBe('ALLOWED');
    expect(answer.matchedStatements).toEqual([expect.objectContaining({ layer: 'RESOURCE', sid: 'CarolLists' })]);
    // Not for anyone else, and not for other actions.
    expect((await ask({ principalArn: arn.user('rd-bob'), action: 's3:ListBucket', resourceArn: DOCS })).decision).toBe('IMPLICIT_DENY');
    expect((await ask({ principalArn: arn.user('rd-carol'), action: 's3:DeleteBucket', resourceArn: DOCS })).decision).toBe('IMPLICIT_DENY');
  });

  it('gives the tags as aws:ResourceTag/*, unless the question sets the key', async () => {
    expect((await ask({ principalArn: arn.user('rd-bob'), action: 's3:GetObject', resourceArn: DOCS })).decision).toBe('ALLOWED');
    const overridden = await ask({
      principalArn: arn.user('rd-bob'),
      action: 's3:GetObject',
      resourceArn: DOCS,
      contextEntries: [{ contextKeyName: 'aws:resourcetag/TEAM', contextKeyValues: ['red'], contextKeyType: 'STRING' }],
    });
    expect(overridden.decision).toBe('IMPLICIT_DENY');
  });

  it("takes the registering account as the resource owner unless the question names one", async () => {
    // Cross-account: bob's identity policy alone is not enough, and the bucket's (absent) policy does not grant.
    expect((await ask({ principalArn: arn.user('rd-bob'), action: 's3:GetObject', resourceArn: FOREIGN })).decision).toBe('IMPLICIT_DENY');
    expect((await ask({ principalArn: arn.user('rd-bob'), action: 's3:GetObject', resourceArn: FOREIGN, resourceOwner: ACCOUNT })).decision).toBe('ALLOWED');
  });

  it('ignores the stored policy and owner when the question brings its own policy', async () => {
    const own = policy({ Sid: 'Nobody', Effect: 'Allow', Principal: { AWS: arn.user('rd-bob') }, Action: 's3:PutObject', Resource: DOCS });
    const carol = await ask({ principalArn: arn.user('rd-carol'), action: 's3:ListBucket', resourceArn: DOCS, resourcePolicy: own });
    expect(carol.decision).toBe('IMPLICIT_DENY');
  });

  it('sees a policy change, a tag change and deregistration at the revision each write returned, in authorizeBatch too', async () => {
    const questions = [
      { principalArn: arn.user('rd-carol'), action: 's3:ListBucket', resourceArn: DOCS },
      { principalArn: arn.user('rd-bob'), action: 's3:GetObject', resourceArn: DOCS },
    ];
    const batch = async (minRevision?: string): Promise<string[]> =>
      dataOf(await server.gql<{ authorizeBatch: Answer[] }>(BATCH, { requests: questions.map((q) => ({ ...q, minRevision })) }, rootAuth)).authorizeBatch.map((a) => a.decision!);
    expect(await batch()).toEqual(['ALLOWED', 'ALLOWED']);
    let revision = await write(server, 'deleteResourcePolicy', { resourceArn: DOCS });
    expect(await batch(revision)).toEqual(['IMPLICIT_DENY', 'ALLOWED']);
    revision = await write(server, 'untagResource', { resourceArn: DOCS, tagKeys: ['team'] });
    expect(await batch(revision)).toEqual(['IMPLICIT_DENY', 'IMPLICIT_DENY']);
    revision = await write(server, 'tagResource', { resourceArn: DOCS, tags: [{ key: 'team', value: 'blue' }] });
    expect(await batch(revision)).toEqual(['IMPLICIT_DENY', 'ALLOWED']);
    revision = await write(server, 'deregisterResource', { resourceArn: DOCS });
    expect(await batch(revision)).toEqual(['IMPLICIT_DENY', 'IMPLICIT_DENY']);
  });
});
