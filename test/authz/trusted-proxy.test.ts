/**
 * Behind a reverse proxy named by TRUST_PROXY, the guard judges aws:SourceIp by the client the
 * proxy reports in X-Forwarded-For (IAM's aws:SourceIp is "the requester's IP address", not a
 * proxy's); a server that trusts no proxy ignores the header, so a client cannot pick its address.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourceip
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/server.ts';
import { accessKeyFor, arn, policy, userIdOf, write } from './support/directory.ts';
import { startAuthzServer } from './support/server.ts';

const AUTHORIZE = `mutation ($input: AuthorizeInput!) { authorize(input: $input) { __typename ... on Decision { decision } ... on AccessDenied { message } } }`;
const OFFICE = '203.0.113.0/24';

/** A server with user `erin`, who may ask authorize questions only from the office network. */
async function serverWithErin(env: Record<string, string>): Promise<{ server: TestServer; erin: Record<string, string> }> {
  const server = await startAuthzServer({ env });
  await write(server, 'createUser', { userName: 'erin' });
  const erin = await accessKeyFor(server, await userIdOf(server, 'erin'));
  await write(server, 'putUserPolicy', {
    userName: 'erin',
    policyName: 'FromTheOffice',
    policyDocument: policy({ Effect: 'Allow', Action: 'iam:Authorize', Resource: arn.user('erin'), Condition: { IpAddress: { 'aws:SourceIp': OFFICE } } }),
  });
  return { server, erin };
}

/** ACCESS_DENIED when erin's authorize call with these extra headers is refused, the error code of a failed request, or 'answered'. */
async function outcome(server: TestServer, erin: Record<string, string>, headers: Record<string, string> = {}): Promise<string> {
  const response = await server.gql<{ authorize: { __typename: string } }>(AUTHORIZE, { input: { action: 's3:GetObject', resourceArn: '*' } }, { ...erin, ...headers });
  if (response.body.data?.authorize.__typename === 'AccessDenied') return 'ACCESS_DENIED';
  return (response.body.errors?.[0]?.extensions?.['code'] as string | undefined) ?? 'answered';
}

describe('TRUST_PROXY=127.0.0.1,::1 (the test client connects over loopback, as a proxy would)', () => {
  let server: TestServer;
  let erin: Record<string, string>;
  beforeAll(async () => {
    ({ server, erin } = await serverWithErin({ TRUST_PROXY: '127.0.0.1,::1' }));
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('judges the client named by the proxy', async () => {
    expect(await outcome(server, erin, { 'x-forwarded-for': '203.0.113.9' })).toBe('answered');
    expect(await outcome(server, erin, { 'x-forwarded-for': '198.51.100.1' })).toBe('ACCESS_DENIED');
    expect(await outcome(server, erin)).toBe('ACCESS_DENIED');
  });

  it('believes only the entry the trusted proxy appended, not what the client wrote before it', async () => {
    expect(await outcome(server, erin, { 'x-forwarded-for': '203.0.113.9, 198.51.100.1' })).toBe('ACCESS_DENIED');
  });
});

describe('no TRUST_PROXY', () => {
  it('ignores X-Forwarded-For', async () => {
    const { server, erin } = await serverWithErin({});
    try {
      expect(await outcome(server, erin, { 'x-forwarded-for': '203.0.113.9' })).toBe('ACCESS_DENIED');
    } finally {
      await server.dispose();
    }
  });
});
