/**
 * GetFederationToken over HTTP: federated-user sessions whose permissions are the calling user's
 * policies cut by the session policies (never wider), usable with Bearer, refused every IAM
 * operation and every STS operation but GetCallerIdentity, bounded in duration, logged, revocable.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeLog } from '../../src/db/schema/change-log.ts';
import { TestClock } from '../support/clock.ts';
import type { TestServer } from '../support/server.ts';
import { accessKeyFor, ACCOUNT, allow, bearer, createUser, errorCode, ok, ROOT, send, startIdentityServer } from './support/server.ts';

const FEDERATE = `mutation($i: GetFederationTokenInput!) { getFederationToken(input: $i) { __typename
  ... on GetFederationTokenSuccess { revision packedPolicySize credentials { sessionToken expiration } federatedUser { arn federatedUserId } }
  ... on ValidationError { field } ... on ResultError { code message } } }`;
const AUTHORIZE = `mutation($i: AuthorizeInput!) { authorize(input: $i) { __typename ... on Decision { decision } ... on ResultError { code } } }`;
const IDENTITY = '{ callerIdentity { account arn userId } }';
const fedArn = (name: string) => `arn:aws:sts::${ACCOUNT}:federated-user/${name}`;
const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const allowing = (actions: string[], resource = '*') => ({ Effect: 'Allow', Action: actions, Resource: resource });

describe('getFederationToken', () => {
  const clock = TestClock.running();
  let server: TestServer;
  let user: string;

  const federate = async (authorization: string, input: Record<string, unknown>) => (await ok(server, authorization, FEDERATE, { i: input }))['getFederationToken'];
  const session = async (input: Record<string, unknown>, authorization = user) => {
    const result = await federate(authorization, input);
    expect(result.__typename, JSON.stringify(result)).toBe('GetFederationTokenSuccess');
    return { header: bearer(result.credentials.sessionToken), ...result };
  };
  const decide = async (authorization: string, action: string, extra: Record<string, unknown> = {}) =>
    (await ok(server, authorization, AUTHORIZE, { i: { action, resourceArn: 'arn:aws:s3:::bucket/key', ...extra } }))['authorize'];

  beforeAll(async () => {
    server = await startIdentityServer({}, clock);
    await createUser(server, 'broker', {
      Version: '2012-10-17',
      Statement: [
        allowing(['sts:GetFederationToken'], `arn:aws:sts::${ACCOUNT}:federated-user/*`),
        allowing(['s3:GetObject', 's3:PutObject', 'iam:ListUsers', 'sts:AssumeRole']),
        allowing(['iam:Authorize'], `arn:aws:sts::${ACCOUNT}:federated-user/*`),
      ],
    });
    user = (await accessKeyFor(server, 'broker')).header;
  }, 60_000);
  afterAll(() => server.dispose());

  it('issues a federated-user session that Bearer authenticates as its federated-user ARN, logged once', async () => {
    const fed = await session({ name: 'alice', policy: policy(allowing(['s3:GetObject'])) });
    expect(fed.federatedUser).toEqual({ arn: fedArn('alice'), federatedUserId: `${ACCOUNT}:alice` });
    expect(fed.packedPolicySize).toBeGreaterThan(0);
    const hours = (Date.parse(fed.credentials.expiration) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(11.9);
    expect(hours).toBeLessThanOrEqual(12);
    expect((await ok(server, fed.header, IDENTITY))['callerIdentity']).toEqual({ account: ACCOUNT, arn: fedArn('alice'), userId: `${ACCOUNT}:alice` });
    const rows = await server.running.app.database.db
      .select({ payload: changeLog.payload })
      .from(changeLog)
      .where(and(eq(changeLog.kind, 'FederationTokenIssued'), eq(changeLog.entityArn, fedArn('alice'))));
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows[0]!.payload)).not.toContain(fed.credentials.sessionToken);
  });

  it("allows the intersection of the user's policies and the session policies, never more", async () => {
    const fed = await session({ name: 'bob', policy: policy(allowing(['s3:GetObject', 'dynamodb:GetItem']), allowing(['iam:Authorize'], fedArn('bob'))) });
    expect(await decide(fed.header, 's3:GetObject')).toEqual({ __typename: 'Decision', decision: 'ALLOWED' });
    // The user may put objects, the session policy does not say so.
    expect(await decide(fed.header, 's3:PutObject')).toEqual({ __typename: 'Decision', decision: 'IMPLICIT_DENY' });
    // The session policy names dynamodb:GetItem, but the user's policies do not: it cannot widen them.
    expect(await decide(fed.header, 'dynamodb:GetItem')).toEqual({ __typename: 'Decision', decision: 'IMPLICIT_DENY' });
  });

  it('without session policies the session may do nothing, except what a resource policy naming its federated-user ARN grants', async () => {
    const bare = await session({ name: 'carol' });
    expect(await decide(bare.header, 's3:GetObject')).toMatchObject({ __typename: 'AccessDenied' });
    const fed = await session({ name: 'dave', policy: policy(allowing(['iam:Authorize'], fedArn('dave'))) });
    expect(await decide(fed.header, 's3:GetObject')).toEqual({ __typename: 'Decision', decision: 'IMPLICIT_DENY' });
    const naming = (aws: string) => policy({ Effect: 'Allow', Principal: { AWS: aws }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/key' });
    expect(await decide(fed.header, 's3:GetObject', { resourcePolicy: naming(fedArn('dave')) })).toEqual({ __typename: 'Decision', decision: 'ALLOWED' });
    // Naming the IAM user that federated grants the session nothing by itself.
    expect(await decide(fed.header, 's3:GetObject', { resourcePolicy: naming(`arn:aws:iam::${ACCOUNT}:user/broker`) })).toEqual({ __typename: 'Decision', decision: 'IMPLICIT_DENY' });
  });

  it('refuses every IAM operation and every STS operation but GetCallerIdentity, even when both policies allow it', async () => {
    const fed = await session({ name: 'erin', policy: policy(allowing(['iam:*', 'sts:*', 's3:*'])) });
    expect(errorCode(await send(server, fed.header, '{ users(first: 1) { edges { node { userName } } } }'))).toBe('ACCESS_DENIED');
    const assume = await send(server, fed.header, 'mutation { assumeRole(input: { roleArn: "arn:aws:iam::111122223333:role/Any", roleSessionName: "fed-session" }) { __typename } }');
    expect(errorCode(assume), JSON.stringify(assume.body)).toBe('ACCESS_DENIED');
    expect((await federate(fed.header, { name: 'nested' })).__typename).toBe('AccessDenied');
    expect(errorCode(await send(server, fed.header, 'mutation { getSessionToken(input: {}) { __typename } }'))).toBe('ACCESS_DENIED');
    // iam:Authorize about another principal is an IAM operation too.
    expect(await decide(fed.header, 's3:GetObject', { principalArn: `arn:aws:iam::${ACCOUNT}:user/broker` })).toMatchObject({ __typename: 'AccessDenied' });
  });

  it('bounds the name, the duration (users 900-129600 s, root 900-3600 s) and the session policies', async () => {
    expect(await federate(user, { name: 'a' })).toMatchObject({ __typename: 'ValidationError', field: 'input.name' });
    expect(await federate(user, { name: 'x'.repeat(33) })).toMatchObject({ __typename: 'ValidationError', field: 'input.name' });
    expect(await federate(user, { name: 'bad name' })).toMatchObject({ __typename: 'ValidationError', field: 'input.name' });
    expect(await federate(user, { name: 'frank', durationSeconds: 899 })).toMatchObject({ __typename: 'ValidationError', field: 'input.durationSeconds' });
    expect(await federate(user, { name: 'frank', durationSeconds: 129_601 })).toMatchObject({ __typename: 'ValidationError', field: 'input.durationSeconds' });
    expect(await federate(user, { name: 'frank', durationSeconds: 129_600 })).toMatchObject({ __typename: 'GetFederationTokenSuccess' });
    expect(await federate(ROOT, { name: 'frank', durationSeconds: 3601 })).toMatchObject({ __typename: 'ValidationError', field: 'input.durationSeconds' });
    expect(await federate(user, { name: 'frank', policy: 'x'.repeat(2049) })).toMatchObject({ __typename: 'ValidationError', field: 'input.policy' });
    expect(await federate(user, { name: 'frank', policy: '{"Statement": 5}' })).toMatchObject({ __typename: 'MalformedPolicyDocument' });
    expect(await federate(user, { name: 'frank', policyArns: [`arn:aws:iam::${ACCOUNT}:policy/Missing`] })).toMatchObject({ __typename: 'NoSuchEntity' });
  });

  it('needs sts:GetFederationToken on the federated-user ARN, and long-term credentials', async () => {
    await createUser(server, 'nobody', allow('s3:GetObject'));
    const nobody = (await accessKeyFor(server, 'nobody')).header;
    expect(await federate(nobody, { name: 'grace' })).toMatchObject({ __typename: 'AccessDenied', code: 'ACCESS_DENIED' });
    const token = (await ok(server, user, 'mutation { getSessionToken(input: { durationSeconds: 900 }) { ... on GetSessionTokenSuccess { credentials { sessionToken } } } }'))['getSessionToken'];
    expect(await federate(bearer(token.credentials.sessionToken), { name: 'grace' })).toMatchObject({ __typename: 'AccessDenied' });
  });

  it("lets the root user federate for an hour, cut by the session policies", async () => {
    const fed = await session({ name: 'rooted', policy: policy(allowing(['s3:GetObject', 'iam:Authorize'])) }, ROOT);
    const hours = (Date.parse(fed.credentials.expiration) - Date.now()) / 3_600_000;
    expect(hours).toBeLessThanOrEqual(1);
    expect(await decide(fed.header, 's3:GetObject')).toEqual({ __typename: 'Decision', decision: 'ALLOWED' });
    expect(await decide(fed.header, 's3:PutObject')).toEqual({ __typename: 'Decision', decision: 'IMPLICIT_DENY' });
  });

  it("ends when a Deny on the user cuts sessions issued before it, and on signOut", async () => {
    const fed = await session({ name: 'heidi', policy: policy(allowing(['s3:GetObject', 'iam:Authorize'])) });
    expect(await decide(fed.header, 's3:GetObject')).toMatchObject({ decision: 'ALLOWED' });
    const revoke = policy({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { DateLessThan: { 'aws:TokenIssueTime': new Date().toISOString() } } });
    const put = await ok(server, ROOT, 'mutation($i: PutUserPolicyInput!) { putUserPolicy(input: $i) { ... on WriteSuccess { revision } } }', {
      i: { userName: 'broker', policyName: 'AWSRevokeOlderSessions', policyDocument: revoke },
    });
    // Denied everything, the session may not even ask about itself.
    expect(await decide(fed.header, 's3:GetObject', { minRevision: put['putUserPolicy'].revision })).toMatchObject({ __typename: 'AccessDenied' });
    await ok(server, ROOT, 'mutation { deleteUserPolicy(input: { userName: "broker", policyName: "AWSRevokeOlderSessions" }) { __typename } }');
    const later = await session({ name: 'heidi', policy: policy(allowing(['iam:Authorize'])) });
    expect((await ok(server, later.header, 'mutation { signOut { __typename } }'))['signOut'].__typename).not.toBe('AccessDenied');
    expect((await send(server, later.header, IDENTITY)).status).toBe(401);
  });

  it('carries session tags as aws:PrincipalTag (over the user tags of the same key), only with sts:TagSession', async () => {
    const tags = [{ key: 'project', value: 'apollo' }, { key: 'team', value: 'red' }];
    // The broker may federate but not tag: sts:TagSession is a second check on the same ARN.
    expect(await federate(user, { name: 'tagged', tags })).toMatchObject({ __typename: 'AccessDenied', code: 'ACCESS_DENIED' });
    await createUser(server, 'tagger', {
      Version: '2012-10-17',
      Statement: [
        allowing(['sts:GetFederationToken', 'iam:Authorize'], `arn:aws:sts::${ACCOUNT}:federated-user/*`),
        { Effect: 'Allow', Action: 'sts:TagSession', Resource: '*', Condition: { StringEquals: { 'aws:RequestTag/project': 'apollo' } } },
        allowing(['s3:GetObject'], 'arn:aws:s3:::${aws:PrincipalTag/project}/*'),
        { Effect: 'Allow', Action: 's3:PutObject', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'red' } } },
      ],
    });
    const tagged = await ok(server, ROOT, 'mutation { tagUser(input: { userName: "tagger", tags: [{ key: "team", value: "blue" }, { key: "site", value: "lyon" }] }) { __typename } }');
    expect(tagged['tagUser'].__typename).toBe('TagUserSuccess');
    const tagger = (await accessKeyFor(server, 'tagger')).header;
    expect(await federate(tagger, { name: 'tagged', tags: [{ key: 'project', value: 'zeus' }] })).toMatchObject({ __typename: 'AccessDenied' });
    expect(await federate(tagger, { name: 'tagged', tags: Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: 'v' })) })).toMatchObject({
      __typename: 'ValidationError',
      field: 'input.tags',
    });
    const fed = await session({ name: 'tagged', tags, policy: policy(allowing(['s3:*'], 'arn:aws:s3:::*'), allowing(['iam:Authorize'], fedArn('tagged'))) }, tagger);
    const on = (bucket: string) => ({ resourceArn: `arn:aws:s3:::${bucket}/key` });
    expect(await decide(fed.header, 's3:GetObject', on('apollo'))).toEqual({ __typename: 'Decision', decision: 'ALLOWED' });
    expect(await decide(fed.header, 's3:GetObject', on('zeus'))).toEqual({ __typename: 'Decision', decision: 'IMPLICIT_DENY' });
    // The session's team=red overrides the user's team=blue.
    expect(await decide(fed.header, 's3:PutObject', on('any'))).toEqual({ __typename: 'Decision', decision: 'ALLOWED' });
    const rows = await server.running.app.database.db
      .select({ payload: changeLog.payload })
      .from(changeLog)
      .where(and(eq(changeLog.kind, 'FederationTokenIssued'), eq(changeLog.entityArn, fedArn('tagged'))));
    expect(rows.map((r) => (r.payload as { tagKeys: string[] }).tagKeys)).toEqual([['project', 'team']]);
  });

  it('answers authorize about a federated-user ARN with that session\'s policies, for a caller allowed iam:Authorize on it', async () => {
    await session({ name: 'judy', policy: policy(allowing(['s3:GetObject'])) });
    const about = { principalArn: fedArn('judy') };
    expect(await decide(user, 's3:GetObject', about)).toEqual({ __typename: 'Decision', decision: 'ALLOWED' });
    expect(await decide(user, 's3:PutObject', about)).toEqual({ __typename: 'Decision', decision: 'IMPLICIT_DENY' });
    expect(await decide(ROOT, 's3:GetObject', about)).toEqual({ __typename: 'Decision', decision: 'ALLOWED' });
    expect(await decide(ROOT, 's3:GetObject', { principalArn: fedArn('nobody-here') })).toMatchObject({ __typename: 'NoSuchEntity' });
    expect(await decide(ROOT, 's3:GetObject', { principalArn: `arn:aws:sts::${ACCOUNT}:federated-user/x` })).toMatchObject({ __typename: 'ValidationError' });
    const outsider = (await accessKeyFor(server, 'nobody')).header;
    expect(await decide(outsider, 's3:GetObject', about)).toMatchObject({ __typename: 'AccessDenied' });
  });

  // Last: it moves the server's clock past every session issued above.
  it('ends with its duration', async () => {
    const fed = await session({ name: 'ivan', durationSeconds: 900, policy: policy(allowing(['iam:Authorize'])) });
    expect((await send(server, fed.header, IDENTITY)).status).toBe(200);
    clock.advance(901_000);
    expect((await send(server, fed.header, IDENTITY)).status).toBe(401);
  });
});
