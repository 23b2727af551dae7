/**
 * Issue 13, low: web identity tokens must be verified with the provider's registered keys and the
 * algorithm those keys are for. An unsigned token (`alg: none`) and the classic key-confusion
 * forgery (HS256 with the provider's public key as the HMAC secret) are refused, while a token
 * properly signed by the provider (the control) is accepted. Tokens are built with jose.
 */
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, UnsecuredJWT, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/server.ts';
import { ACCOUNT, createRole, ok, ROOT, send, startIdentityServer } from '../identity/support/server.ts';

const ISSUER = 'https://issuer.example.com/alg';
const PROVIDER_ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/issuer.example.com/alg`;
const EXCHANGE = `mutation($i: AssumeRoleWithWebIdentityInput!) { assumeRoleWithWebIdentity(input: $i) {
  __typename ... on ResultError { code message } } }`;

describe('web identity token algorithms', () => {
  let server: TestServer;
  let privateKey: CryptoKey;
  let publicPem: string;
  let publicJwk: JWK;

  beforeAll(async () => {
    server = await startIdentityServer();
    const pair = await generateKeyPair('RS256', { extractable: true });
    privateKey = pair.privateKey;
    publicPem = await exportSPKI(pair.publicKey);
    publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    const created = await ok(server, ROOT, 'mutation($i: CreateOpenIDConnectProviderInput!) { createOpenIDConnectProvider(input: $i) { __typename } }', {
      i: { url: ISSUER, clientIdList: ['app'], thumbprintList: ['9e99a48a9960b14926bb7f3b02e22da2b0ab7280'], jwks: JSON.stringify({ keys: [publicJwk] }) },
    });
    expect(created['createOpenIDConnectProvider'].__typename).toBe('CreateOpenIDConnectProviderSuccess');
    // Trusts every token of the provider: only the signature check stands between a forger and a session.
    await createRole(server, 'WebAny', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: PROVIDER_ARN }, Action: 'sts:AssumeRoleWithWebIdentity' }] });
  }, 60_000);
  afterAll(async () => {
    await server.dispose();
  });

  const claims = { sub: 'forged-user' };
  const exchange = async (webIdentityToken: string) => {
    const response = await send(server, undefined, EXCHANGE, { i: { roleArn: `arn:aws:iam::${ACCOUNT}:role/WebAny`, roleSessionName: 'alg-test', webIdentityToken } });
    return (response.body.data?.['assumeRoleWithWebIdentity'] ?? { errors: response.body.errors }) as Record<string, unknown>;
  };
  const signed = (alg: string, key: CryptoKey | Uint8Array, kid = 'k1') =>
    new SignJWT(claims).setProtectedHeader({ alg, kid, typ: 'JWT' }).setIssuer(ISSUER).setAudience('app').setIssuedAt().setExpirationTime('10m').sign(key);

  it('accepts the control: RS256 signed by the registered key', async () => {
    expect((await exchange(await signed('RS256', privateKey))).__typename).toBe('AssumeRoleWithWebIdentitySuccess');
  });

  it('refuses an unsigned token (alg: none)', async () => {
    const unsigned = new UnsecuredJWT(claims).setIssuer(ISSUER).setAudience('app').setIssuedAt().setExpirationTime('10m').encode();
    expect(unsigned.split('.')[2]).toBe('');
    expect(await exchange(unsigned)).toMatchObject({ __typename: 'InvalidIdentityToken' });
    // The same with the registered key id in the header.
    const header = Buffer.from(JSON.stringify({ alg: 'none', kid: 'k1', typ: 'JWT' })).toString('base64url');
    expect(await exchange(`${header}.${unsigned.split('.')[1]}.`)).toMatchObject({ __typename: 'InvalidIdentityToken' });
  });

  it('refuses HS256 tokens whose HMAC secret is the provider public key', async () => {
    const secrets = [new TextEncoder().encode(publicPem), new TextEncoder().encode(JSON.stringify(publicJwk)), Buffer.from(publicJwk.n!, 'base64url')];
    for (const secret of secrets) {
      for (const alg of ['HS256', 'HS384', 'HS512']) {
        expect(await exchange(await signed(alg, secret)), alg).toMatchObject({ __typename: 'InvalidIdentityToken' });
      }
    }
  });

  it('refuses an RS256 header with the signature stripped', async () => {
    const [header, payload] = (await signed('RS256', privateKey)).split('.');
    expect(await exchange(`${header}.${payload}.`)).toMatchObject({ __typename: 'InvalidIdentityToken' });
  });
});
