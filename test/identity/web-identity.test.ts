import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/server.ts';
import { ACCOUNT, bearer, createRole, errorCode, expectNotLogged, ok, putRolePolicy, allow, ROOT, ROOT_SECRET, send, startIdentityServer } from './support/server.ts';

const ISSUER = 'https://issuer.example.com/tenant-1';
const CLIENT_ID = 'portcullis-app';
const PROVIDER_ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/issuer.example.com/tenant-1`;
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/WebApp`;

const EXCHANGE = `mutation($i: AssumeRoleWithWebIdentityInput!) { assumeRoleWithWebIdentity(input: $i) {
  __typename
  ... on AssumeRoleWithWebIdentitySuccess { credentials { sessionToken secretAccessKey } assumedRoleUser { arn } subjectFromWebIdentityToken audience provider }
  ... on ResultError { code message } } }`;

describe('AssumeRoleWithWebIdentity with a registered OIDC provider', () => {
  let server: TestServer;
  let signingKey: CryptoKey;
  let otherKey: CryptoKey;
  const secrets: string[] = [ROOT_SECRET];

  const token = (claims: Record<string, unknown> = {}, options: { key?: CryptoKey; issuer?: string; audience?: string; expiresIn?: string | number } = {}) =>
    new SignJWT({ amr: ['pwd', 'mfa'], ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'key-1' })
      .setIssuer(options.issuer ?? ISSUER)
      .setAudience(options.audience ?? CLIENT_ID)
      .setSubject((claims['sub'] as string | undefined) ?? 'user-123')
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '10m')
      .sign(options.key ?? signingKey);

  const exchange = async (webIdentityToken: string, roleSessionName = 'web') => {
    const response = await send(server, undefined, EXCHANGE, { i: { roleArn: ROLE_ARN, roleSessionName, webIdentityToken } });
    const result = response.body.data?.['assumeRoleWithWebIdentity'] as Record<string, any> | undefined;
    if (result?.['credentials']) secrets.push(result['credentials'].sessionToken, result['credentials'].secretAccessKey);
    return { response, result };
  };

  beforeAll(async () => {
    server = await startIdentityServer();
    const pair = await generateKeyPair('RS256', { extractable: true });
    signingKey = pair.privateKey;
    ({ privateKey: otherKey } = await generateKeyPair('RS256'));
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
    const created = await ok(
      server,
      ROOT,
      'mutation($i: CreateOpenIDConnectProviderInput!) { createOpenIDConnectProvider(input: $i) { __typename ... on CreateOpenIDConnectProviderSuccess { openIDConnectProvider { arn keyIds clientIdList } } ... on ResultError { message } } }',
      { i: { url: ISSUER, clientIdList: [CLIENT_ID], thumbprintList: ['9e99a48a9960b14926bb7f3b02e22da2b0ab7280'], jwks: JSON.stringify({ keys: [jwk] }) } },
    );
    expect(created['createOpenIDConnectProvider']).toMatchObject({ openIDConnectProvider: { arn: PROVIDER_ARN, keyIds: ['key-1'], clientIdList: [CLIENT_ID] } });
    await createRole(server, 'WebApp', {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: PROVIDER_ARN },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: { 'issuer.example.com/tenant-1:aud': CLIENT_ID, 'issuer.example.com/tenant-1:sub': 'user-123' },
            'ForAnyValue:StringEquals': { 'issuer.example.com/tenant-1:amr': 'mfa' },
          },
        },
      ],
    });
    await putRolePolicy(server, 'WebApp', 'Read', allow('iam:GetUser'));
  }, 60_000);
  afterAll(async () => {
    expectNotLogged(server, secrets);
    await server.dispose();
  });

  it('a token signed by the registered key, for the right audience and subject, buys a role session', async () => {
    const { result } = await exchange(await token());
    expect(result).toMatchObject({
      __typename: 'AssumeRoleWithWebIdentitySuccess',
      assumedRoleUser: { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/WebApp/web` },
      subjectFromWebIdentityToken: 'user-123',
      audience: CLIENT_ID,
      provider: ISSUER,
    });
    const who = await ok(server, bearer(result!['credentials'].sessionToken), '{ callerIdentity { arn } }');
    expect(who['callerIdentity'].arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/WebApp/web`);
  });

  it('refuses a wrong audience, issuer or signature as InvalidIdentityToken, and an expired token as ExpiredToken', async () => {
    expect((await exchange(await token({}, { audience: 'someone-else' }))).result).toMatchObject({ __typename: 'InvalidIdentityToken' });
    expect((await exchange(await token({}, { issuer: 'https://evil.example.com' }))).result).toMatchObject({ __typename: 'InvalidIdentityToken' });
    expect((await exchange(await token({}, { key: otherKey }))).result).toMatchObject({ __typename: 'InvalidIdentityToken' });
    expect((await exchange(await token({}, { expiresIn: Math.floor(Date.now() / 1000) - 60 }))).result).toMatchObject({ __typename: 'ExpiredToken' });
    expect((await exchange('not.a.jwt')).result).toMatchObject({ __typename: 'InvalidIdentityToken' });
    // A tampered payload with the original signature.
    const [header, , signature] = (await token()).split('.');
    const forged = Buffer.from(JSON.stringify({ iss: ISSUER, aud: CLIENT_ID, sub: 'user-123', amr: ['mfa'], exp: Math.floor(Date.now() / 1000) + 600 })).toString('base64url');
    expect((await exchange(`${header}.${forged}.${signature}`)).result).toMatchObject({ __typename: 'InvalidIdentityToken' });
  });

  it('the trust policy conditions on :sub and :amr decide', async () => {
    expect(errorCode((await exchange(await token({ sub: 'user-999' }))).response)).toBe('ACCESS_DENIED');
    expect(errorCode((await exchange(await token({ amr: ['pwd'] }))).response)).toBe('ACCESS_DENIED');
  });

  it('lists and deletes providers; a deleted provider no longer verifies tokens', async () => {
    expect((await ok(server, ROOT, '{ openIDConnectProviders { arn } }'))['openIDConnectProviders']).toEqual([{ arn: PROVIDER_ARN }]);
    const dup = await ok(server, ROOT, 'mutation($i: CreateOpenIDConnectProviderInput!) { createOpenIDConnectProvider(input: $i) { __typename } }', {
      i: { url: ISSUER, clientIdList: [CLIENT_ID], jwks: '{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}' },
    });
    expect(dup['createOpenIDConnectProvider'].__typename).toBe('ValidationError');
    const deleted = await ok(server, ROOT, `mutation { deleteOpenIDConnectProvider(input: { openIDConnectProviderArn: "${PROVIDER_ARN}" }) { __typename } }`);
    expect(deleted['deleteOpenIDConnectProvider'].__typename).toBe('DeleteOpenIDConnectProviderSuccess');
    expect((await exchange(await token())).result).toMatchObject({ __typename: 'InvalidIdentityToken' });
  });
});
