import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/server.ts';
import { startIssuer } from './support/issuer.ts';
import { ACCOUNT, createRole, ok, ROOT, send, startIdentityServer } from './support/server.ts';

const CLIENT_ID = 'remote-app';
const EXCHANGE = `mutation($i: AssumeRoleWithWebIdentityInput!) { assumeRoleWithWebIdentity(input: $i) {
  __typename ... on AssumeRoleWithWebIdentitySuccess { subjectFromWebIdentityToken provider } ... on ResultError { code message } } }`;
const CREATE = `mutation($i: CreateOpenIDConnectProviderInput!) { createOpenIDConnectProvider(input: $i) {
  __typename ... on CreateOpenIDConnectProviderSuccess { openIDConnectProvider { arn keyIds } } ... on ResultError { message } } }`;

describe('AssumeRoleWithWebIdentity with keys fetched from the issuer', () => {
  let portcullis: TestServer;
  let issuer: Awaited<ReturnType<typeof startIssuer>>;
  let signingKey: CryptoKey;
  let otherKey: CryptoKey;

  const token = (key: CryptoKey, iss = issuer.url) =>
    new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: 'remote-1' }).setIssuer(iss).setAudience(CLIENT_ID).setSubject('remote-user').setExpirationTime('10m').sign(key);
  const exchange = async (webIdentityToken: string, roleName: string) => {
    const response = await send(portcullis, undefined, EXCHANGE, { i: { roleArn: `arn:aws:iam::${ACCOUNT}:role/${roleName}`, roleSessionName: 'remote', webIdentityToken } });
    expect(response.body.errors).toBeUndefined();
    return response.body.data?.['assumeRoleWithWebIdentity'] as Record<string, unknown>;
  };
  const registerWithRole = async (url: string, roleName: string) => {
    const created = await ok(portcullis, ROOT, CREATE, { i: { url, clientIdList: [CLIENT_ID] } });
    const arn = created['createOpenIDConnectProvider'].openIDConnectProvider.arn as string;
    expect(created['createOpenIDConnectProvider']).toMatchObject({ openIDConnectProvider: { keyIds: [] } });
    await createRole(portcullis, roleName, {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Federated: arn }, Action: 'sts:AssumeRoleWithWebIdentity' }],
    });
  };

  beforeAll(async () => {
    portcullis = await startIdentityServer();
    const pair = await generateKeyPair('RS256', { extractable: true });
    signingKey = pair.privateKey;
    ({ privateKey: otherKey } = await generateKeyPair('RS256'));
    issuer = await startIssuer({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'remote-1', alg: 'RS256', use: 'sig' }] });
    await registerWithRole(issuer.url, 'RemoteApp');
  }, 60_000);
  afterAll(async () => {
    issuer.server.close();
    await portcullis.dispose();
  });

  it('verifies a token with the key set found through discovery, and caches it', async () => {
    expect(await exchange(await token(signingKey), 'RemoteApp')).toMatchObject({
      __typename: 'AssumeRoleWithWebIdentitySuccess',
      subjectFromWebIdentityToken: 'remote-user',
      provider: issuer.url,
    });
    expect(issuer.requests).toEqual(['/.well-known/openid-configuration', '/keys']);
    expect(await exchange(await token(signingKey), 'RemoteApp')).toMatchObject({ __typename: 'AssumeRoleWithWebIdentitySuccess' });
    expect(issuer.requests).toHaveLength(2);
  });

  it('refuses a token signed by a key the issuer does not publish as InvalidIdentityToken', async () => {
    expect(await exchange(await token(otherKey), 'RemoteApp')).toMatchObject({ __typename: 'InvalidIdentityToken', code: 'INVALID_IDENTITY_TOKEN' });
  });

  it('answers IDPCommunicationError when the issuer is down', async () => {
    const down = await startIssuer({ keys: [] });
    await registerWithRole(down.url, 'DownApp');
    await new Promise<void>((resolve) => down.server.close(() => resolve()));
    expect(await exchange(await token(signingKey, down.url), 'DownApp')).toMatchObject({ __typename: 'IDPCommunicationError', code: 'IDP_COMMUNICATION_ERROR' });
  });

  it('refuses a plain-http issuer that is not the loopback host', async () => {
    const created = await ok(portcullis, ROOT, CREATE, { i: { url: 'http://issuer.example.com', clientIdList: [CLIENT_ID] } });
    expect(created['createOpenIDConnectProvider'].__typename).toBe('ValidationError');
  });
});
