/**
 * Keys fetched through discovery are stored on the provider (keyIds, fetch time, one change-log
 * row per fetch) and refetched when a token names an unknown `kid`, at most once a minute per
 * provider, so tokens with made-up key ids cannot make Portcullis hammer the issuer.
 */
import { eq } from 'drizzle-orm';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeLog } from '../../src/db/schema/change-log.ts';
import { TestClock } from '../support/clock.ts';
import type { TestServer } from '../support/server.ts';
import { startIssuer, type LocalIssuer } from './support/issuer.ts';
import { ACCOUNT, createRole, ok, ROOT, send, startIdentityServer } from './support/server.ts';

const CLIENT_ID = 'rotating-app';
const EXCHANGE = `mutation($i: AssumeRoleWithWebIdentityInput!) { assumeRoleWithWebIdentity(input: $i) { __typename ... on ResultError { code } } }`;
const READ = `query($arn: String!) { openIDConnectProvider(openIDConnectProviderArn: $arn) { keyIds keysFetchDate } }`;

describe('keys fetched from the issuer', () => {
  const clock = TestClock.running();
  let portcullis: TestServer;
  let issuer: LocalIssuer;
  let providerArn: string;
  const jwks: { keys: object[] } = { keys: [] };
  const pairs: Record<string, CryptoKey> = {};

  const addKey = async (kid: string) => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    pairs[kid] = pair.privateKey;
    jwks.keys.push({ ...(await exportJWK(pair.publicKey)), kid, alg: 'RS256', use: 'sig' });
  };
  const token = (kid: string, key = pairs[kid]!) =>
    new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid }).setIssuer(issuer.url).setAudience(CLIENT_ID).setSubject('worker').setExpirationTime('10m').sign(key);
  const exchange = async (webIdentityToken: string) =>
    (await ok(portcullis, undefined, EXCHANGE, { i: { roleArn: `arn:aws:iam::${ACCOUNT}:role/Rotating`, roleSessionName: 'rotating', webIdentityToken } }))['assumeRoleWithWebIdentity'].__typename;
  const provider = async () => (await ok(portcullis, ROOT, READ, { arn: providerArn }))['openIDConnectProvider'];
  const keyFetches = () => issuer.requests.filter((path) => path === '/keys').length;

  beforeAll(async () => {
    portcullis = await startIdentityServer({}, clock);
    await addKey('key-1');
    issuer = await startIssuer(jwks);
    const created = await ok(portcullis, ROOT, 'mutation($i: CreateOpenIDConnectProviderInput!) { createOpenIDConnectProvider(input: $i) { ... on CreateOpenIDConnectProviderSuccess { openIDConnectProvider { arn } } } }', {
      i: { url: issuer.url, clientIdList: [CLIENT_ID] },
    });
    providerArn = created['createOpenIDConnectProvider'].openIDConnectProvider.arn;
    await createRole(portcullis, 'Rotating', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Federated: providerArn }, Action: 'sts:AssumeRoleWithWebIdentity' }],
    });
  }, 60_000);
  afterAll(async () => {
    issuer.server.close();
    await portcullis.dispose();
  });

  it('records the fetched key ids and the fetch time on the provider, with one change-log row', async () => {
    expect(await provider()).toEqual({ keyIds: [], keysFetchDate: null });
    expect(await exchange(await token('key-1'))).toBe('AssumeRoleWithWebIdentitySuccess');
    const fetched = await provider();
    expect(fetched.keyIds).toEqual(['key-1']);
    expect(Math.abs(Date.parse(fetched.keysFetchDate) - clock.now())).toBeLessThan(60_000);
    const rows = await portcullis.running.app.database.db.select({ kind: changeLog.kind, payload: changeLog.payload }).from(changeLog).where(eq(changeLog.entityArn, providerArn));
    expect(rows.filter((r) => r.kind === 'OpenIDConnectProviderKeysFetched').map((r) => (r.payload as { keyIds: string[] }).keyIds)).toEqual([['key-1']]);
    // Stored keys serve later tokens without asking the issuer again.
    expect(await exchange(await token('key-1'))).toBe('AssumeRoleWithWebIdentitySuccess');
    expect(keyFetches()).toBe(1);
  });

  it('refetches once a minute at most when tokens name unknown key ids', async () => {
    await addKey('key-2');
    // Within a minute of the last fetch, an unknown kid is refused without asking the issuer.
    expect(await exchange(await token('key-2'))).toBe('InvalidIdentityToken');
    expect(keyFetches()).toBe(1);
    clock.advance(61_000);
    expect(await exchange(await token('key-2'))).toBe('AssumeRoleWithWebIdentitySuccess');
    expect(keyFetches()).toBe(2);
    expect((await provider()).keyIds).toEqual(['key-1', 'key-2']);
    // A flood of made-up kids, even after the interval, costs the issuer one request.
    clock.advance(61_000);
    const forged = await Promise.all(Array.from({ length: 20 }, (_, i) => token(`random-${i}`, pairs['key-1'])));
    const answers = await Promise.all(forged.map((t) => send(portcullis, undefined, EXCHANGE, { i: { roleArn: `arn:aws:iam::${ACCOUNT}:role/Rotating`, roleSessionName: 'forged', webIdentityToken: t } })));
    expect(new Set(answers.map((a) => (a.body.data?.['assumeRoleWithWebIdentity'] as { __typename: string }).__typename))).toEqual(new Set(['InvalidIdentityToken']));
    expect(keyFetches()).toBe(3);
  });

  it('keeps keys given inline: shown at once, never fetched', async () => {
    const inline = await ok(portcullis, ROOT, 'mutation($i: CreateOpenIDConnectProviderInput!) { createOpenIDConnectProvider(input: $i) { ... on CreateOpenIDConnectProviderSuccess { openIDConnectProvider { keyIds keysFetchDate } } } }', {
      i: { url: `${issuer.url}/inline`, clientIdList: [CLIENT_ID], jwks: JSON.stringify({ keys: [jwks.keys[0]] }) },
    });
    expect(inline['createOpenIDConnectProvider'].openIDConnectProvider).toEqual({ keyIds: ['key-1'], keysFetchDate: null });
    expect(issuer.requests.filter((path) => path.startsWith('/inline'))).toEqual([]);
  });
});
