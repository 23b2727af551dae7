/**
 * Issue 13, low: AssumeRole and AssumeRoleWithWebIdentity check trust before anything about the
 * role (its MaxSessionDuration, the session policies' ARNs in its account), and answer "no such
 * role" exactly as "not trusted", so a caller cannot learn which roles exist, nor their limits.
 */
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GqlResponse, TestServer } from '../support/server.ts';
import { ACCOUNT, accessKeyFor, allow, createRole, createUser, ok, ROOT, send, startIdentityServer } from '../identity/support/server.ts';

const ISSUER = 'https://issuer.example.com/oracle';
const PROVIDER_ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/issuer.example.com/oracle`;
const ASSUME = `mutation($i: AssumeRoleInput!) { assumeRole(input: $i) { __typename ... on ResultError { code message } } }`;
const EXCHANGE = `mutation($i: AssumeRoleWithWebIdentityInput!) { assumeRoleWithWebIdentity(input: $i) { __typename ... on ResultError { code message } } }`;
const roleArn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;

/** The answer with the role ARN taken out, so answers about two roles compare. */
function answer(response: GqlResponse, arn: string): string {
  const field = Object.values(response.body.data ?? {})[0] ?? null;
  return JSON.stringify({ field, errors: response.body.errors?.map((e) => ({ message: e.message, code: e.extensions?.['code'] })) }).split(arn).join('<role>');
}

describe('STS answers alike for a role that does not exist and one that does not trust the caller', () => {
  let server: TestServer;
  let mallory: string;
  let key: CryptoKey;

  beforeAll(async () => {
    server = await startIdentityServer();
    await createUser(server, 'mallory', allow('sts:AssumeRole'));
    await createUser(server, 'trusted');
    mallory = (await accessKeyFor(server, 'mallory')).header;
    // Exists, trusts someone else, and has a MaxSessionDuration of one hour.
    await createRole(server, 'Existing', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/trusted` }, Action: 'sts:AssumeRole' }] });
    const pair = await generateKeyPair('RS256', { extractable: true });
    key = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    const created = await ok(server, ROOT, 'mutation($i: CreateOpenIDConnectProviderInput!) { createOpenIDConnectProvider(input: $i) { __typename } }', {
      i: { url: ISSUER, clientIdList: ['app'], thumbprintList: ['9e99a48a9960b14926bb7f3b02e22da2b0ab7280'], jwks: JSON.stringify({ keys: [jwk] }) },
    });
    expect(created['createOpenIDConnectProvider'].__typename).toBe('CreateOpenIDConnectProviderSuccess');
    // Exists and trusts the provider, but only for another subject.
    await createRole(server, 'WebExisting', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Federated: PROVIDER_ARN }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { 'issuer.example.com/oracle:sub': 'someone-else' } } }],
    });
  }, 60_000);
  afterAll(async () => {
    await server.dispose();
  });

  const assume = async (role: string, extra: Record<string, unknown>) =>
    answer(await send(server, mallory, ASSUME, { i: { roleArn: roleArn(role), roleSessionName: 'probe', ...extra } }), roleArn(role));

  it.each([
    ['no extra input', {}],
    ['a duration over the role maximum', { durationSeconds: 43200 }],
    ['a duration under the STS minimum', { durationSeconds: 60 }],
    ['a session policy ARN that does not exist', { policyArns: [`arn:aws:iam::${ACCOUNT}:policy/DoesNotExist`] }],
    ['a malformed session policy', { policy: '{"Version":"2012-10-17","Statement":[' }],
  ])('assumeRole with %s', async (_what, extra) => {
    const existing = await assume('Existing', extra);
    const missing = await assume('NoSuchRol', extra);
    expect(existing).toContain('ACCESS_DENIED');
    expect(missing).toBe(existing);
  });

  const webToken = (issuer: string) =>
    new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer(issuer).setAudience('app').setSubject('user-1').setIssuedAt().setExpirationTime('10m').sign(key);
  const exchange = async (role: string, webIdentityToken: string, extra: Record<string, unknown> = {}) =>
    answer(await send(server, undefined, EXCHANGE, { i: { roleArn: roleArn(role), roleSessionName: 'probe', webIdentityToken, ...extra } }), roleArn(role));

  it('assumeRoleWithWebIdentity, anonymous, with a valid token of a registered issuer', async () => {
    const token = await webToken(ISSUER);
    const existing = await exchange('WebExisting', token, { durationSeconds: 43200 });
    expect(existing).toContain('ACCESS_DENIED');
    expect(await exchange('WebNoSuchRol', token, { durationSeconds: 43200 })).toBe(existing);
    // A role that exists but trusts no web identity answers alike too.
    expect(await exchange('Existing', token)).toBe(await exchange('NoSuchRo', token));
  });

  it('assumeRoleWithWebIdentity with an issuer the account does not know says so whether or not the role exists', async () => {
    const token = await webToken('https://unknown.example.com');
    const existing = await exchange('WebExisting', token);
    expect(existing).toContain('InvalidIdentityToken');
    expect(await exchange('WebNoSuchRol', token)).toBe(existing);
  });
});
