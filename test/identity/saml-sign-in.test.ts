/**
 * Console sign-in through a SAML 2.0 provider, end to end over HTTP against a samlify IdP on
 * 127.0.0.1 (support/saml-idp-server.ts): the provider on the sign-in page's list, the SP-initiated
 * AuthnRequest by HTTP-Redirect (unsigned, and signed with SAML_SP_PRIVATE_KEY as the IdP checks),
 * the assertion consumer service at /saml, the one-time code exchanged by completeFederatedSignIn,
 * the role chooser, IdP-initiated sign-in, the session's tags, and each refusal typed and audited once.
 */
import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { parse, validate } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeLog } from '../../src/db/schema/change-log.ts';
import { federatedSignIns, stsSessions } from '../../src/db/schema/index.ts';
import { schema } from '../../src/graphql/schema.ts';
import { TestClock } from '../support/clock.ts';
import type { TestServer } from '../support/server.ts';
import { generateSigningKey } from './support/saml-idp.ts';
import { startSamlIdpServer, type SamlIdpServer } from './support/saml-idp-server.ts';
import { ACCOUNT, bearer, createRole, ok, ROOT, send, startIdentityServer } from './support/server.ts';

const RECIPIENT = 'https://portcullis.test/saml';
const AUDIENCE = 'urn:portcullis:webservices';
const AWS = 'https://aws.amazon.com/SAML/Attributes/';
const PROVIDERS = 'query($a: String!) { signInProviders(account: $a) { id displayName protocol } }';
const COMPLETE = `mutation($i: CompleteFederatedSignInInput!) { completeFederatedSignIn(input: $i) { __typename
  ... on SignInSuccess { sessionToken accountId userName arn expiration }
  ... on RoleChoiceRequired { roles { roleArn roleName } }
  ... on FederatedSignInFailed { reason message } ... on ResultError { code } } }`;
const CREATE_PROVIDER = `mutation($i: CreateSAMLProviderInput!) { createSAMLProvider(input: $i) {
  __typename ... on CreateSAMLProviderSuccess { samlProvider { arn } } ... on ResultError { message } } }`;

/** Where a browser following the flow ends: the console URL's fragment, and what the IdP posted. */
interface Landed {
  readonly fragment: URLSearchParams;
  readonly samlResponse: string;
}

/** Posts a SAMLResponse to the ACS as an IdP's auto-submitted form does; returns the console fragment it redirects to. */
async function postToAcs(server: TestServer, samlResponse: string): Promise<URLSearchParams> {
  const answer = await fetch(`${server.url}/saml`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ SAMLResponse: samlResponse }).toString(),
    redirect: 'manual',
  });
  expect(answer.status).toBe(303);
  const location = new URL(answer.headers.get('location')!, server.url);
  expect(location.pathname).toBe('/');
  return new URLSearchParams(location.hash.slice(1));
}

/** The hidden field of an HTML form. */
const field = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1]?.replaceAll('&quot;', '"').replaceAll('&amp;', '&') ?? '';

/** An SP-initiated sign-in as a browser follows it: start, the IdP's login page as `login`, the form post to /saml. */
async function spInitiated(server: TestServer, idp: SamlIdpServer, providerId: string, login: string): Promise<Landed> {
  const start = await fetch(`${server.url}/federation/saml/start?account=${ACCOUNT}&provider=${providerId}`, { redirect: 'manual' });
  expect(start.status).toBe(302);
  const sso = new URL(start.headers.get('location')!);
  expect(sso.href.startsWith(`${idp.url}/sso?`)).toBe(true);
  const page = await (await fetch(sso)).text();
  const ticket = field(page, 'ticket');
  expect(ticket, page).toMatch(/^[0-9a-f]{32}$/);
  const posted = await (await fetch(`${idp.url}/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ ticket, login }).toString() })).text();
  const samlResponse = field(posted, 'SAMLResponse');
  return { fragment: await postToAcs(server, samlResponse), samlResponse };
}

describe('console sign-in through a SAML provider', () => {
  const clock = TestClock.running();
  let server: TestServer;
  let idp: SamlIdpServer;
  let providerArn: string;
  let providerId: string;

  const complete = async (input: Record<string, unknown>) => (await ok(server, undefined, COMPLETE, { i: input }))['completeFederatedSignIn'];
  const refusals = async () =>
    (await server.running.app.database.db.select({ payload: changeLog.payload }).from(changeLog).where(eq(changeLog.kind, 'FederatedSignInRefused')).orderBy(changeLog.revision)).map(
      (r) => r.payload as { reason: string; detail?: string },
    );
  const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;

  beforeAll(async () => {
    server = await startIdentityServer({ SAML_RECIPIENT: RECIPIENT }, clock);
    providerArn = `arn:aws:iam::${ACCOUNT}:saml-provider/CorpIdP`;
    // alice's IdP offers SamlAdmin and SamlReader; bob's only SamlReader; carol's only SamlAdmin, which does not trust her.
    const offered: Record<string, string[]> = { alice: ['SamlAdmin', 'SamlReader'], bob: ['SamlReader'], carol: ['SamlAdmin'] };
    idp = await startSamlIdpServer({
      audience: AUDIENCE,
      recipient: RECIPIENT,
      acsUrl: `${server.url}/saml`,
      attributes: (login) => ({
        [`${AWS}Role`]: (offered[login] ?? []).map((name) => `${role(name)},${providerArn}`),
        [`${AWS}RoleSessionName`]: [login],
        [`${AWS}PrincipalTag:team`]: ['platform'],
      }),
    });
    const created = await ok(server, ROOT, CREATE_PROVIDER, { i: { name: 'CorpIdP', samlMetadataDocument: idp.idp.metadata, tags: [{ key: 'portcullis:console-sign-in', value: 'Corp SSO' }] } });
    expect(created['createSAMLProvider'].samlProvider.arn).toBe(providerArn);
    const trust = (condition: object) => ({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Federated: providerArn }, Action: ['sts:AssumeRoleWithSAML', 'sts:TagSession'], Condition: condition }],
    });
    await createRole(server, 'SamlAdmin', trust({ StringEquals: { 'saml:aud': RECIPIENT }, StringNotEquals: { 'saml:sub': 'carol@example.com' } }));
    await createRole(server, 'SamlReader', trust({ StringEquals: { 'saml:aud': RECIPIENT, 'aws:RequestTag/team': 'platform' } }));
    providerId = (await ok(server, undefined, PROVIDERS, { a: ACCOUNT }))['signInProviders'][0].id;
  }, 60_000);
  afterAll(async () => {
    await idp?.close();
    await server?.dispose();
  });

  it('lists the tagged SAML provider on the sign-in page as SAML, without its ARN or entity id', async () => {
    const listed = (await ok(server, undefined, PROVIDERS, { a: ACCOUNT }))['signInProviders'];
    expect(listed).toEqual([{ id: providerId, displayName: 'Corp SSO', protocol: 'SAML' }]);
    expect(JSON.stringify(listed)).not.toContain('CorpIdP');
    expect(JSON.stringify(listed)).not.toContain(idp.url);
  });

  it('SP-initiated: an AuthnRequest by HTTP-Redirect that samlify reads, remembered hashed; one role signs in straight away, with the tags', async () => {
    const { fragment } = await spInitiated(server, idp, providerId, 'bob');
    const requestId = idp.requests.at(-1)!;
    expect(requestId).toMatch(/^_[0-9a-f]{40}$/);
    const code = fragment.get('federated-sign-in')!;
    expect(code).toMatch(/^[\w-]{43}$/);
    // Neither the request id nor the code is stored in clear; the request was closed.
    const stored = await server.running.app.database.db.select().from(federatedSignIns);
    expect(stored.map((r) => r.kind)).toEqual(['ready']);
    const rows = JSON.stringify(stored);
    expect(rows).not.toContain(requestId);
    expect(rows).not.toContain(code);
    const session = await complete({ code });
    expect(session).toMatchObject({ __typename: 'SignInSuccess', accountId: ACCOUNT, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/SamlReader/bob`, userName: 'SamlReader/bob' });
    expect((await ok(server, bearer(session.sessionToken), '{ callerIdentity { arn } }'))['callerIdentity'].arn).toBe(session.arn);
    const [row] = await server.running.app.database.db.select().from(stsSessions).where(eq(stsSessions.arn, session.arn));
    expect(row).toMatchObject({ kind: 'saml', sourceArn: providerArn, sessionTags: [{ key: 'team', value: 'platform' }] });
    expect(new Date(session.expiration).getTime() - clock.now()).toBeGreaterThan(3500_000);
    expect(await complete({ code })).toMatchObject({ __typename: 'FederatedSignInFailed', reason: 'code' });
  });

  it('asks which role when the Role attribute offers several that trust the person, then signs in as the chosen one', async () => {
    const { fragment } = await spInitiated(server, idp, providerId, 'alice');
    const code = fragment.get('federated-sign-in')!;
    const choice = await complete({ code });
    expect(choice).toMatchObject({ __typename: 'RoleChoiceRequired' });
    expect(choice.roles.map((r: { roleName: string }) => r.roleName)).toEqual(['SamlAdmin', 'SamlReader']);
    const session = await complete({ code, roleArn: role('SamlAdmin') });
    expect(session).toMatchObject({ __typename: 'SignInSuccess', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/SamlAdmin/alice` });
  });

  it('accepts an IdP-initiated response (no InResponseTo) from a provider offered for console sign-in', async () => {
    const page = await (await fetch(`${idp.url}/idp-initiated?login=bob`)).text();
    const fragment = await postToAcs(server, field(page, 'SAMLResponse'));
    expect(await complete({ code: fragment.get('federated-sign-in')! })).toMatchObject({ __typename: 'SignInSuccess', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/SamlReader/bob` });
  });

  it('refuses, audited once each: a replayed response, a wrong InResponseTo, an expired response, a person no offered role trusts', async () => {
    const { samlResponse } = await spInitiated(server, idp, providerId, 'bob');
    const before = (await refusals()).length;
    expect((await postToAcs(server, samlResponse)).get('federated-sign-in-error')).toBe('request');
    // IdP-initiated, the second use of an assertion id is what refuses it.
    const page = await (await fetch(`${idp.url}/idp-initiated?login=bob`)).text();
    expect((await postToAcs(server, field(page, 'SAMLResponse'))).get('federated-sign-in')).toMatch(/^[\w-]{43}$/);
    expect((await postToAcs(server, field(page, 'SAMLResponse'))).get('federated-sign-in-error')).toBe('replayed');

    idp.tamperNext({ inResponseTo: '_0123456789abcdef0123456789abcdef01234567' });
    expect((await spInitiated(server, idp, providerId, 'bob')).fragment.get('federated-sign-in-error')).toBe('request');
    idp.tamperNext({ notBefore: new Date(clock.now() - 3600_000), validForSeconds: 300 });
    expect((await spInitiated(server, idp, providerId, 'bob')).fragment.get('federated-sign-in-error')).toBe('expired');
    expect((await spInitiated(server, idp, providerId, 'carol')).fragment.get('federated-sign-in-error')).toBe('no-role');
    const added = (await refusals()).slice(before);
    expect(added.map((r) => r.reason)).toEqual(['request', 'replayed', 'request', 'expired', 'no-role']);
    expect(JSON.stringify(added)).not.toContain(samlResponse.slice(0, 40));
  });

  it("follows docs/federation.md 2.6: its operation is valid, and its trust policy lets a person sign in", async () => {
    const page = readFileSync(new URL('../../docs/federation.md', import.meta.url), 'utf8');
    const section = page.slice(page.indexOf('### 2.6 People: console sign-in through SAML'), page.indexOf('## 3. Workloads'));
    // The examples sit in a numbered list, indented by three spaces.
    const blocks = (language: string) => [...section.matchAll(new RegExp(`\\n( *)\`\`\`${language}\\n([\\s\\S]+?)\\n\\1\`\`\``, 'g'))].map((m) => m[2]!.split('\n').map((line) => line.slice(m[1]!.length)).join('\n'));
    const [operation] = blocks('graphql');
    expect(validate(schema, parse(operation!)).map((e) => e.message)).toEqual([]);
    const [trust] = blocks('json');
    const document = JSON.parse(trust!.replace('saml-provider/Corp"', 'saml-provider/CorpIdP"').replace('https://iam.example.com/saml', RECIPIENT));
    await createRole(server, 'SamlConsole', document);
    const response = await idp.idp.response({ nameId: 'gus@example.com', attributes: { [`${AWS}Role`]: [`${role('SamlConsole')},${providerArn}`], [`${AWS}RoleSessionName`]: ['gus'] } });
    const fragment = await postToAcs(server, response);
    expect(await complete({ code: fragment.get('federated-sign-in') })).toMatchObject({ __typename: 'SignInSuccess', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/SamlConsole/gus` });
  });

  it('sends the browser back with reason provider for a provider id the account does not offer', async () => {
    const start = await fetch(`${server.url}/federation/saml/start?account=${ACCOUNT}&provider=nope`, { redirect: 'manual' });
    expect(start.status).toBe(302);
    expect(start.headers.get('location')).toBe('/#federated-sign-in-error=provider');
  });

  // Last in this group: it moves the server's clock an hour on.
  it('gives a role session ended by signOut, by revokeRoleSessions and by its duration', async () => {
    const signIn = async () => {
      const page = await (await fetch(`${idp.url}/idp-initiated?login=bob`)).text();
      const session = await complete({ code: (await postToAcs(server, field(page, 'SAMLResponse'))).get('federated-sign-in') });
      expect(session).toMatchObject({ __typename: 'SignInSuccess', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/SamlReader/bob` });
      return bearer(session.sessionToken as string);
    };
    const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:Authorize', 's3:GetObject'], Resource: '*' }] };
    await ok(server, ROOT, 'mutation($i: PutRolePolicyInput!) { putRolePolicy(input: $i) { __typename } }', { i: { roleName: 'SamlReader', policyName: 'Decide', policyDocument: JSON.stringify(policy) } });
    const decide = async (authorization: string, minRevision?: string) =>
      JSON.stringify(
        (await send(server, authorization, 'mutation($i: AuthorizeInput!) { authorize(input: $i) { __typename ... on Decision { decision } } }', {
          i: { action: 's3:GetObject', resourceArn: 'arn:aws:s3:::bucket/key', ...(minRevision === undefined ? {} : { minRevision }) },
        })).body,
      );
    const identity = '{ callerIdentity { arn } }';

    const signedOut = await signIn();
    expect((await send(server, signedOut, identity)).status).toBe(200);
    await ok(server, signedOut, 'mutation { signOut { __typename } }');
    expect((await send(server, signedOut, identity)).status).toBe(401);

    const revoked = await signIn();
    expect(await decide(revoked)).toContain('"decision":"ALLOWED"');
    const revision = (await ok(server, ROOT, 'mutation { revokeRoleSessions(input: { roleName: "SamlReader" }) { ... on WriteSuccess { revision } } }'))['revokeRoleSessions'].revision as string;
    expect(await decide(revoked, revision)).toMatch(/AccessDenied|ACCESS_DENIED/);

    clock.advance(1000);
    const lasting = await signIn();
    expect(await decide(lasting)).toContain('"decision":"ALLOWED"');
    // No SessionDuration attribute: one hour.
    clock.advance(3600_000);
    expect((await send(server, lasting, identity)).status).toBe(401);
  });
});

describe('console sign-in through a SAML provider with signed AuthnRequests (SAML_SP_PRIVATE_KEY)', () => {
  const spKey = generateSigningKey('portcullis-sp');
  let server: TestServer;
  let idp: SamlIdpServer;
  let providerId: string;

  beforeAll(async () => {
    server = await startIdentityServer({ SAML_RECIPIENT: RECIPIENT, SAML_SP_PRIVATE_KEY: spKey.privateKey });
    const providerArn = `arn:aws:iam::${ACCOUNT}:saml-provider/SignedIdP`;
    idp = await startSamlIdpServer({
      audience: AUDIENCE,
      recipient: RECIPIENT,
      acsUrl: `${server.url}/saml`,
      spCertificate: spKey.certificate,
      attributes: (login) => ({ [`${AWS}Role`]: [`arn:aws:iam::${ACCOUNT}:role/Signed,${providerArn}`], [`${AWS}RoleSessionName`]: [login] }),
    });
    await ok(server, ROOT, CREATE_PROVIDER, { i: { name: 'SignedIdP', samlMetadataDocument: idp.idp.metadata, tags: [{ key: 'portcullis:console-sign-in', value: 'Signed' }] } });
    await createRole(server, 'Signed', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: providerArn }, Action: 'sts:AssumeRoleWithSAML' }] });
    providerId = (await ok(server, undefined, PROVIDERS, { a: ACCOUNT }))['signInProviders'][0].id;
  }, 60_000);
  afterAll(async () => {
    await idp?.close();
    await server?.dispose();
  });

  it('signs the redirect (SigAlg RSA-SHA256, Signature) so that an IdP wanting signed requests accepts it', async () => {
    const start = await fetch(`${server.url}/federation/saml/start?account=${ACCOUNT}&provider=${providerId}`, { redirect: 'manual' });
    const sso = new URL(start.headers.get('location')!);
    expect(sso.searchParams.get('SigAlg')).toBe('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
    expect(sso.searchParams.get('Signature')?.length).toBeGreaterThan(300);
    // A request whose signature is gone is what the IdP refuses.
    const unsigned = new URL(sso);
    unsigned.searchParams.delete('Signature');
    expect(await (await fetch(unsigned)).text()).toContain('ERR_MISSING_SIG_ALG');
    const { fragment } = await spInitiated(server, idp, providerId, 'dana');
    expect(await (await ok(server, undefined, COMPLETE, { i: { code: fragment.get('federated-sign-in') } }))['completeFederatedSignIn']).toMatchObject({
      __typename: 'SignInSuccess',
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Signed/dana`,
    });
  });
});
