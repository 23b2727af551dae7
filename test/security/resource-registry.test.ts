/**
 * The registry cannot be used to reach past one's permissions or account: registry writes are
 * authorized on each resource ARN (an import on every one, and a refusal imports nothing), an
 * account registers only ARNs that name no account or its own, and another account's resources are
 * invisible (null) and untouchable (NoSuchEntity) even to the root user. A registered resource's
 * policy is used only for decisions about its own ARN.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { accounts, resources } from '../../src/db/schema/index.ts';
import { registerResource } from '../../src/iam/resources.ts';
import type { TestServer } from '../support/server.ts';
import { accessKeyFor, arn, policy, userIdOf, userWithPolicy } from '../authz/support/directory.ts';
import { ACCOUNT, dataOf, rootAuth, startAuthzServer } from '../authz/support/server.ts';

const OTHER = '444455556666';
const THEIRS = 'arn:aws:s3:::sec-theirs';
const ANSWER = '__typename ... on ResultError { code } ... on AccessDenied { action resource } ... on ValidationError { field rule }';

type Result = Record<string, any>;

describe('registry self-authorization and isolation', () => {
  let server: TestServer;
  let teamA: Record<string, string>;
  const call = async (query: string, variables: Record<string, unknown>, headers: Record<string, string>): Promise<Result> =>
    Object.values(dataOf(await server.gql<Record<string, Result>>(query, variables, headers)))[0]!;
  const register = (input: Record<string, unknown>, headers: Record<string, string>) =>
    call(`mutation ($input: RegisterResourceInput!) { registerResource(input: $input) { ${ANSWER} } }`, { input }, headers);
  /** Whether the registry holds `resourceArn` in any account (read from the database: the API shows only the caller's). */
  const stored = async (resourceArn: string): Promise<boolean> =>
    (await server.running.app.database.db.select().from(resources).where(eq(resources.arn, resourceArn))).length > 0;

  beforeAll(async () => {
    server = await startAuthzServer();
    // team-a may manage resources named team-a-* and nothing else.
    await userWithPolicy(server, 'sec-team-a', {
      Effect: 'Allow',
      Action: ['iam:RegisterResource', 'iam:ImportResources', 'iam:PutResourcePolicy', 'iam:TagResource', 'iam:GetResource'],
      Resource: 'arn:aws:s3:::team-a-*',
    });
    teamA = await accessKeyFor(server, await userIdOf(server, 'sec-team-a'));
    const database = server.running.app.database;
    await database.db.insert(accounts).values({ id: OTHER });
    await registerResource(database, { accountId: OTHER, arn: `arn:aws:iam::${OTHER}:root` }, {
      resourceArn: THEIRS,
      resourcePolicy: policy({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:*', Resource: [THEIRS, `${THEIRS}/*`] }),
    });
  }, 60_000);
  afterAll(async () => {
    await server?.dispose();
  });

  it('authorizes each write on the resource ARN', async () => {
    expect(await register({ resourceArn: 'arn:aws:s3:::team-a-logs' }, teamA)).toEqual({ __typename: 'RegisterResourceSuccess' });
    expect(await register({ resourceArn: 'arn:aws:s3:::team-b-logs' }, teamA)).toEqual({
      __typename: 'AccessDenied',
      code: 'ACCESS_DENIED',
      action: 'iam:RegisterResource',
      resource: 'arn:aws:s3:::team-b-logs',
    });
    expect(await stored('arn:aws:s3:::team-b-logs')).toBe(false);
    await register({ resourceArn: 'arn:aws:s3:::team-b-data' }, rootAuth);
    const put = await call(
      `mutation ($input: PutResourcePolicyInput!) { putResourcePolicy(input: $input) { ${ANSWER} } }`,
      { input: { resourceArn: 'arn:aws:s3:::team-b-data', policyDocument: policy({ Effect: 'Allow', Principal: { AWS: arn.user('sec-team-a') }, Action: 's3:*', Resource: '*' }) } },
      teamA,
    );
    expect(put).toMatchObject({ __typename: 'AccessDenied', action: 'iam:PutResourcePolicy' });
  });

  it('refuses a whole import when one ARN is not allowed, importing nothing', async () => {
    const answer = await call(
      `mutation ($input: ImportResourcesInput!) { importResources(input: $input) { ${ANSWER} } }`,
      { input: { resources: [{ resourceArn: 'arn:aws:s3:::team-a-1' }, { resourceArn: 'arn:aws:s3:::team-b-1' }, { resourceArn: 'arn:aws:s3:::team-a-2' }] } },
      teamA,
    );
    expect(answer).toMatchObject({ __typename: 'AccessDenied', action: 'iam:ImportResources', resource: 'arn:aws:s3:::team-b-1' });
    expect(await stored('arn:aws:s3:::team-a-1')).toBe(false);
  });

  it("keeps other accounts' resources out of reach, and their ARNs out of the caller's registry", async () => {
    // Another account's bucket: not shown, not writable, not registrable again, even by the root user.
    expect(await call('query ($a: String!) { resource(resourceArn: $a) { resourceArn } }', { a: THEIRS }, rootAuth)).toBeNull();
    const tagged = await call(`mutation ($input: TagResourceInput!) { tagResource(input: $input) { ${ANSWER} } }`, { input: { resourceArn: THEIRS, tags: [{ key: 'x', value: 'y' }] } }, rootAuth);
    expect(tagged).toMatchObject({ __typename: 'NoSuchEntity' });
    expect(await register({ resourceArn: THEIRS }, rootAuth)).toMatchObject({ __typename: 'EntityAlreadyExists' });
    const list = await call('{ resources(arnPrefix: "arn:aws:s3:::sec-") { edges { node { resourceArn } } } }', {}, rootAuth);
    expect(list.edges).toEqual([]);
    // An ARN naming another account is refused before anything is stored (by the guard: it is that account's resource).
    const foreign = await register({ resourceArn: `arn:aws:sqs:us-east-1:${OTHER}:their-queue` }, rootAuth);
    expect(foreign.__typename).toMatch(/^(AccessDenied|ValidationError)$/);
    expect(await stored(`arn:aws:sqs:us-east-1:${OTHER}:their-queue`)).toBe(false);
  });

  it("uses a resource's policy only for its own ARN, and another account's only with the caller's own grant", async () => {
    const open = 'arn:aws:s3:::sec-open';
    await register({ resourceArn: open, resourcePolicy: policy({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:GetObject', Resource: open }) }, rootAuth);
    const ask = async (resourceArn: string): Promise<string> =>
      (await call('mutation ($i: AuthorizeInput!) { authorize(input: $i) { ... on Decision { decision } } }', { i: { principalArn: arn.user('sec-team-a'), action: 's3:GetObject', resourceArn } }, rootAuth))['decision'];
    expect(await ask(open)).toBe('ALLOWED');
    expect(await ask(`${open}/file`)).toBe('IMPLICIT_DENY');
    expect(await ask('arn:aws:s3:::sec-open-too')).toBe('IMPLICIT_DENY');
    // THEIRS grants everyone s3:*, but it belongs to another account: team-a's own policies grant no s3 action.
    expect(await ask(THEIRS)).toBe('IMPLICIT_DENY');
  });
});
