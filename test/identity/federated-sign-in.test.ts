/**
 * Console sign-in through an OpenID Connect provider, end to end over HTTP against a real
 * oidc-provider: the sign-in page's provider list, the authorization-code flow with PKCE, state
 * and nonce, the one-time code in the URL fragment, the role chooser, the role session it buys
 * (Bearer, ended by signOut and revokeRoleSessions), and each refusal typed and audited once.
 */
import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { parse, validate } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeLog } from '../../src/db/schema/change-log.ts';
import { federatedSignIns, stsSessions } from '../../src/db/schema/index.ts';
import { schema } from '../../src/graphql/schema.ts';
import { digestOf } from '../../src/sts/sign-in-codes.ts';
import { TestClock } from '../support/clock.ts';
import type { TestServer } from '../support/server.ts';
import { startOidcIdp, TestBrowser, type TestIdp } from './support/oidc-idp.ts';
import { ACCOUNT, bearer, createRole, ok, ROOT, send, startIdentityServer } from './support/server.ts';

const PROVIDERS = 'query($a: String!) { signInProviders(account: $a) { id displayName protocol } }';
const COMPLETE = `mutation($i: CompleteFederatedSignInInput!) { completeFederatedSignIn(input: $i) { __typename
  ... on SignInSuccess { sessionToken accountId userName arn }
  ... on RoleChoiceRequired { roles { roleArn roleName } }
  ... on FederatedSignInFailed { reason message } ... on ResultError { code } } }`;
const IDENTITY = '{ callerIdentity { arn } }';
const CREATE_PROVIDER = `mutation($i: CreateOpenIDConnectProviderInput!) { createOpenIDConnectProvider(input: $i) {
  __typename ... on CreateOpenIDConnectProviderSuccess { openIDConnectProvider { arn } } ... on ResultError { message } } }`;

describe('console sign-in through an OpenID Connect provider', () => {
  const clock = TestClock.running();
  let server: TestServer;
  let idp: TestIdp;
  let providerArn: string;
  let providerId: string;

  const refusals = async () => (await server.running.app.database.db.select().from(changeLog).where(eq(changeLog.kind, 'FederatedSignInRefused'))).length;
  /** What a refused callback must not add: one-time codes for the console, and sessions. */
  const stored = async () => {
    const db = server.running.app.database.db;
    return { codes: (await db.select().from(federatedSignIns).where(eq(federatedSignIns.kind, 'ready'))).length, sessions: (await db.select().from(stsSessions)).length };
  };
  const startUrl = () => `${server.url}/federation/oidc/start?account=${ACCOUNT}&provider=${providerId}`;
  /** Signs in at the IdP as `login`; returns the console URL's fragment parameters. */
  const throughIdp = async (login: string, browser = new TestBrowser()) => {
    const { final, visited } = await browser.signIn(startUrl(), idp, login);
    return { fragment: new URLSearchParams(final.hash.slice(1)), final, visited, browser };
  };
  const complete = async (input: Record<string, unknown>) => (await ok(server, undefined, COMPLETE, { i: input }))['completeFederatedSignIn'];
  const trustFor = (condition: Record<string, Record<string, string>>) => ({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Federated: providerArn }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: condition }],
  });

  beforeAll(async () => {
    server = await startIdentityServer({}, clock);
    idp = await startOidcIdp(`${server.url}/federation/oidc/callback`);
    const created = await ok(server, ROOT, CREATE_PROVIDER, {
      i: { url: idp.url, clientIdList: [idp.clientId], tags: [{ key: 'portcullis:console-sign-in', value: 'Example SSO' }] },
    });
    providerArn = created['createOpenIDConnectProvider'].openIDConnectProvider.arn;
    const key = providerArn.slice(providerArn.indexOf('/') + 1);
    // alice may be a Developer or a Reader; bob only a Reader; carol nothing.
    await createRole(server, 'Developer', trustFor({ StringEquals: { [`${key}:aud`]: idp.clientId, [`${key}:sub`]: 'alice' } }));
    await createRole(server, 'Reader', trustFor({ StringEquals: { [`${key}:aud`]: idp.clientId }, StringNotEquals: { [`${key}:sub`]: 'carol' } }));
    await createRole(server, 'Unrelated', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }] });
    providerId = (await ok(server, undefined, PROVIDERS, { a: ACCOUNT }))['signInProviders'][0].id;
  }, 60_000);
  afterAll(async () => {
    await idp?.close();
    await server?.dispose();
  });

  it('lists only the tagged providers, by display name, to anyone, and nothing for an unknown account', async () => {
    // A provider for workloads, not tagged for the console: not listed.
    expect((await ok(server, ROOT, CREATE_PROVIDER, { i: { url: 'https://ci.example.com', clientIdList: ['sts.amazonaws.com'] } }))['createOpenIDConnectProvider'].__typename).toMatch(/Success$/);
    const listed = (await ok(server, undefined, PROVIDERS, { a: ACCOUNT }))['signInProviders'];
    expect(listed).toEqual([{ id: providerId, displayName: 'Example SSO', protocol: 'OIDC' }]);
    expect(JSON.stringify(listed)).not.toContain(idp.url.replace('http://', ''));
    expect((await ok(server, undefined, PROVIDERS, { a: '999988887777' }))['signInProviders']).toEqual([]);
    expect((await ok(server, undefined, PROVIDERS, { a: 'x'.repeat(500) }))['signInProviders']).toEqual([]);
  });

  it('sends the browser to the provider with PKCE (S256), state and nonce, and the verifier only in an HttpOnly cookie', async () => {
    const response = await fetch(startUrl(), { redirect: 'manual' });
    expect(response.status).toBe(302);
    const authorize = new URL(response.headers.get('location')!);
    expect(authorize.href.startsWith(idp.url)).toBe(true);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    for (const parameter of ['code_challenge', 'state', 'nonce']) expect(authorize.searchParams.get(parameter)?.length).toBeGreaterThanOrEqual(22);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${server.url}/federation/oidc/callback`);
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('portcullis_oidc_pkce='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    // Only hashes of the state are stored, and never the verifier.
    const rows = await server.running.app.database.db.select().from(federatedSignIns);
    expect(JSON.stringify(rows)).not.toContain(authorize.searchParams.get('state'));
    expect(JSON.stringify(rows)).not.toContain(cookie.split(';')[0]!.split('=')[1]);
  });

  it('signs in with one allowed role straight away: a role session the console uses as Bearer, ended by signOut', async () => {
    const { fragment } = await throughIdp('bob');
    const code = fragment.get('federated-sign-in')!;
    expect(code).toMatch(/^[\w-]{43}$/);
    const session = await complete({ code });
    expect(session).toMatchObject({ __typename: 'SignInSuccess', accountId: ACCOUNT, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Reader/bob@example.com`, userName: 'Reader/bob@example.com' });
    expect((await ok(server, bearer(session.sessionToken), IDENTITY))['callerIdentity'].arn).toBe(session.arn);
    // The code is single-use.
    const before = await refusals();
    expect(await complete({ code })).toMatchObject({ __typename: 'FederatedSignInFailed', reason: 'code' });
    expect(await refusals()).toBe(before + 1);
    await ok(server, bearer(session.sessionToken), 'mutation { signOut { __typename } }');
    expect((await send(server, bearer(session.sessionToken), IDENTITY)).status).toBe(401);
  });

  it('shows the role chooser when several roles allow the identity, then signs in as the chosen one; revokeRoleSessions ends it', async () => {
    const { fragment } = await throughIdp('alice');
    const code = fragment.get('federated-sign-in')!;
    const choice = await complete({ code });
    expect(choice).toMatchObject({ __typename: 'RoleChoiceRequired' });
    expect(choice.roles.map((r: { roleName: string }) => r.roleName)).toEqual(['Developer', 'Reader']);
    const before = await refusals();
    expect(await complete({ code, roleArn: `arn:aws:iam::${ACCOUNT}:role/Unrelated` })).toMatchObject({ __typename: 'FederatedSignInFailed', reason: 'role' });
    expect(await refusals()).toBe(before + 1);
    const session = await complete({ code, roleArn: `arn:aws:iam::${ACCOUNT}:role/Developer` });
    expect(session).toMatchObject({ __typename: 'SignInSuccess', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Developer/alice@example.com` });
    // Allowed before the revocation, so that the denial below is the revocation's doing.
    const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:Authorize', 's3:GetObject'], Resource: '*' }] };
    await ok(server, ROOT, 'mutation($i: PutRolePolicyInput!) { putRolePolicy(input: $i) { __typename } }', { i: { roleName: 'Developer', policyName: 'Decide', policyDocument: JSON.stringify(policy) } });
    const allowed = await send(server, bearer(session.sessionToken), 'mutation { authorize(input: { action: "s3:GetObject", resourceArn: "*" }) { __typename ... on Decision { decision } } }');
    expect(allowed.body.data?.['authorize']).toEqual({ __typename: 'Decision', decision: 'ALLOWED' });
    const revoked = await ok(server, ROOT, 'mutation { revokeRoleSessions(input: { roleName: "Developer" }) { __typename ... on WriteSuccess { revision } } }');
    expect(revoked['revokeRoleSessions'].__typename).toMatch(/Success$/);
    const answer = await send(server, bearer(session.sessionToken), `mutation { authorize(input: { action: "s3:GetObject", resourceArn: "*", minRevision: "${revoked['revokeRoleSessions'].revision}" }) { __typename } }`);
    expect(JSON.stringify(answer.body)).toMatch(/AccessDenied|ACCESS_DENIED/);
  });

  it('refuses an identity no role trusts, audited once, and hands out no code', async () => {
    const before = await refusals();
    const { fragment } = await throughIdp('carol');
    expect(fragment.get('federated-sign-in')).toBeNull();
    expect(fragment.get('federated-sign-in-error')).toBe('no-role');
    expect(await refusals()).toBe(before + 1);
  });

  it('refuses a callback with a wrong state, and a replayed callback, each audited once', async () => {
    const browser = new TestBrowser();
    const { visited } = await throughIdp('bob', browser);
    const callback = visited.find((u) => u.pathname === '/federation/oidc/callback')!;
    // Replayed: the state was taken by the first use.
    let before = await refusals();
    const replay = await browser.fetch(callback);
    expect(replay.headers.get('location')).toBe('/#federated-sign-in-error=state');
    expect(await refusals()).toBe(before + 1);
    // A state this service never issued.
    const forged = new URL(callback);
    forged.searchParams.set('state', 'forged-state-value-forged-state-value');
    before = await refusals();
    const kept = await stored();
    expect((await browser.fetch(forged)).headers.get('location')).toBe('/#federated-sign-in-error=state');
    expect(await refusals()).toBe(before + 1);
    expect(await stored()).toEqual(kept);
  });

  it('refuses a token whose nonce differs from the one sent, audited once', async () => {
    const browser = new TestBrowser();
    const begun = await browser.fetch(new URL(startUrl()));
    // The request's nonce, as stored, no longer matches what the provider will put in the token.
    await server.running.app.database.db.update(federatedSignIns).set({ data: { nonce: 'a-different-nonce-value', redirectUri: `${server.url}/federation/oidc/callback` } });
    const [before, kept] = [await refusals(), await stored()];
    const { final } = await browser.signIn(begun.headers.get('location')!, idp, 'bob');
    expect(final.hash).toBe('#federated-sign-in-error=nonce');
    expect(await refusals()).toBe(before + 1);
    expect(await stored()).toEqual(kept);
  });

  it('refuses a replayed authorization code, even with a valid state and PKCE verifier, audited once, storing nothing', async () => {
    const db = server.running.app.database.db;
    const browser = new TestBrowser();
    const begun = await browser.fetch(new URL(startUrl()));
    const verifier = begun.headers.getSetCookie().find((c) => c.startsWith('portcullis_oidc_pkce='))!.split(';')[0]!;
    const state = new URL(begun.headers.get('location')!).searchParams.get('state')!;
    const [pending] = await db.select().from(federatedSignIns).where(eq(federatedSignIns.id, digestOf(state)));
    const { final, visited } = await browser.signIn(begun.headers.get('location')!, idp, 'bob');
    expect(new URLSearchParams(final.hash.slice(1)).get('federated-sign-in')).toMatch(/^[\w-]{43}$/);
    const callback = visited.find((u) => u.pathname === '/federation/oidc/callback')!;
    expect(callback.searchParams.get('code')).toBeTruthy();
    // As if the state row and the verifier cookie had both leaked: only the provider's one-time code is left to refuse it.
    await db.insert(federatedSignIns).values(pending!);
    const [before, kept] = [await refusals(), await stored()];
    const replay = await fetch(callback, { headers: { cookie: verifier }, redirect: 'manual' });
    expect(replay.headers.get('location')).toBe('/#federated-sign-in-error=code');
    expect(await refusals()).toBe(before + 1);
    expect(await stored()).toEqual(kept);
  });

  it('refuses a callback from a browser without the PKCE verifier cookie (started elsewhere)', async () => {
    const starter = new TestBrowser();
    const begun = await starter.fetch(new URL(startUrl()));
    const other = new TestBrowser();
    const before = await refusals();
    const { final } = await other.signIn(begun.headers.get('location')!, idp, 'bob');
    expect(final.hash).toBe('#federated-sign-in-error=state');
    expect(await refusals()).toBe(before + 1);
  });

  it('refuses malformed and expired codes, audited once each', async () => {
    let before = await refusals();
    expect(await complete({ code: 'short' })).toMatchObject({ __typename: 'FederatedSignInFailed', reason: 'code' });
    expect(await refusals()).toBe(before + 1);
    const { fragment } = await throughIdp('bob');
    clock.advance(121_000);
    before = await refusals();
    expect(await complete({ code: fragment.get('federated-sign-in') })).toMatchObject({ __typename: 'FederatedSignInFailed', reason: 'code' });
    expect(await refusals()).toBe(before + 1);
  });

  it("follows docs/federation.md section 1: its operation is valid, and its exact trust policy signs a person in", async () => {
    const page = readFileSync(new URL('../../docs/federation.md', import.meta.url), 'utf8');
    const section = page.slice(page.indexOf('## 1. People: OpenID Connect'), page.indexOf('## 2. People and programs'));
    // The examples sit in a numbered list, indented by three spaces.
    const blocks = (language: string) => [...section.matchAll(new RegExp(`\\n( *)\`\`\`${language}\\n([\\s\\S]+?)\\n\\1\`\`\``, 'g'))].map((m) => m[2]!.split('\n').map((line) => line.slice(m[1]!.length)).join('\n'));
    const [operation] = blocks('graphql');
    expect(validate(schema, parse(operation!)).map((e) => e.message)).toEqual([]);
    const [trust] = blocks('json');
    const key = providerArn.slice(providerArn.indexOf('/') + 1);
    // The page's issuer, client id and subjects (`00u1bob…`), as this test's provider names them (`bob`).
    await createRole(server, 'DocConsole', JSON.parse(trust!.replaceAll('idp.example.com/oauth2', key).replaceAll('0oa1portcullisconsole', idp.clientId).replaceAll('00u1', '')));
    const code = (await throughIdp('bob')).fragment.get('federated-sign-in')!;
    const choice = await complete({ code });
    expect(choice.roles.map((r: { roleName: string }) => r.roleName)).toEqual(['DocConsole', 'Reader']);
    expect(await complete({ code, roleArn: `arn:aws:iam::${ACCOUNT}:role/DocConsole` })).toMatchObject({ __typename: 'SignInSuccess', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/DocConsole/bob@example.com` });
    // carol matches neither of its subjects.
    expect((await throughIdp('carol')).fragment.get('federated-sign-in-error')).toBe('no-role');
  });
  // Last: it moves the server's clock an hour on.
  it('gives a one-hour session that ends with its duration', async () => {
    const code = (await throughIdp('bob')).fragment.get('federated-sign-in')!;
    const session = await complete({ code, roleArn: `arn:aws:iam::${ACCOUNT}:role/Reader` });
    expect(session).toMatchObject({ __typename: 'SignInSuccess' });
    expect((await send(server, bearer(session.sessionToken), IDENTITY)).status).toBe(200);
    clock.advance(3600_000);
    expect((await send(server, bearer(session.sessionToken), IDENTITY)).status).toBe(401);
  });
});
