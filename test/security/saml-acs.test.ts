/**
 * The SAML endpoints of console sign-in are anonymous, so each refuses what it must without storing
 * anything: the assertion consumer service (/saml) refuses an unsigned, tampered, wrong-audience,
 * wrong-recipient or replayed response (typed reason, one audit row, no code), a body over
 * MAX_ACS_BODY_BYTES (413, declared or streamed), another method or content type; the start route
 * keeps at most MAX_OPEN_REQUESTS open requests per account and is rate limited per client.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { changeLog } from '../../src/db/schema/change-log.ts';
import { federatedSignIns, samlAssertionUses } from '../../src/db/schema/index.ts';
import { MAX_ACS_BODY_BYTES } from '../../src/server/federation-routes.ts';
import { MAX_OPEN_REQUESTS } from '../../src/sts/saml-sign-in.ts';
import { TestClock } from '../support/clock.ts';
import type { TestServer } from '../support/server.ts';
import { createTestIdp, type TestIdp } from '../identity/support/saml-idp.ts';
import { ACCOUNT, createRole, ok, ROOT, startIdentityServer } from '../identity/support/server.ts';

const RECIPIENT = 'https://portcullis.test/saml';
const AUDIENCE = 'urn:portcullis:webservices';
const PROVIDER = `arn:aws:iam::${ACCOUNT}:saml-provider/Acs`;
const ATTRIBUTES = {
  'https://aws.amazon.com/SAML/Attributes/Role': [`arn:aws:iam::${ACCOUNT}:role/AcsRole,${PROVIDER}`],
  'https://aws.amazon.com/SAML/Attributes/RoleSessionName': ['alice'],
};

describe('the SAML assertion consumer service and start route refuse what they must', () => {
  let server: TestServer;
  let idp: TestIdp;
  let providerId: string;
  // The system's time (assertions carry real timestamps), held still for the rate limit's test.
  const clock = TestClock.running();

  /** What a refusal must leave as it was: the console's one-time codes and the spent assertion ids. */
  const readyRows = async () => {
    const db = server.running.app.database.db;
    return { codes: (await db.select().from(federatedSignIns).where(eq(federatedSignIns.kind, 'ready'))).length, spent: (await db.select().from(samlAssertionUses)).length };
  };
  const refusals = async () =>
    (await server.running.app.database.db.select({ payload: changeLog.payload }).from(changeLog).where(eq(changeLog.kind, 'FederatedSignInRefused')).orderBy(changeLog.revision)).map((r) => r.payload as { reason: string; detail?: string });
  const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' }) =>
    fetch(`${server.url}/saml`, { method: 'POST', headers, body, redirect: 'manual' });
  /** Posts a response; returns the reason the console is sent back with (or `code` when it got one). */
  const outcome = async (samlResponse: string): Promise<string> => {
    const answer = await post(new URLSearchParams({ SAMLResponse: samlResponse }).toString());
    expect(answer.status).toBe(303);
    const fragment = new URLSearchParams(new URL(answer.headers.get('location')!, server.url).hash.slice(1));
    return fragment.has('federated-sign-in') ? 'code' : fragment.get('federated-sign-in-error')!;
  };
  /** Expects `samlResponse` refused with `reason`, audited once, nothing stored. */
  const refused = async (samlResponse: string, reason: string, detail?: RegExp) => {
    const [rows, audited] = [await readyRows(), (await refusals()).length];
    expect(await outcome(samlResponse)).toBe(reason);
    expect(await readyRows()).toEqual(rows);
    const added = (await refusals()).slice(audited);
    expect(added.map((r) => r.reason)).toEqual([reason]);
    if (detail !== undefined) expect(added[0]!.detail).toMatch(detail);
    expect(JSON.stringify(added)).not.toContain(samlResponse.slice(0, 60));
  };
  const base64 = (xml: string) => Buffer.from(xml, 'utf8').toString('base64');

  beforeAll(async () => {
    server = await startIdentityServer({ SAML_RECIPIENT: RECIPIENT, RATE_LIMIT_PER_SECOND: '1', RATE_LIMIT_BURST: '400' }, clock);
    idp = createTestIdp({ entityId: 'https://idp.acs.example', audience: AUDIENCE, recipient: RECIPIENT });
    await ok(server, ROOT, 'mutation($i: CreateSAMLProviderInput!) { createSAMLProvider(input: $i) { __typename } }', {
      i: { name: 'Acs', samlMetadataDocument: idp.metadata, tags: [{ key: 'portcullis:console-sign-in', value: 'ACS' }] },
    });
    await createRole(server, 'AcsRole', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: PROVIDER }, Action: 'sts:AssumeRoleWithSAML' }] });
    providerId = (await ok(server, undefined, 'query($a: String!) { signInProviders(account: $a) { id } }', { a: ACCOUNT }))['signInProviders'][0].id;
  }, 60_000);
  afterAll(async () => {
    await server?.dispose();
  });

  it('accepts a good IdP-initiated response once, and refuses its replay', async () => {
    const response = await idp.response({ attributes: ATTRIBUTES });
    expect(await outcome(response)).toBe('code');
    await refused(response, 'replayed', /already used/);
  });

  it('refuses an unsigned response, a tampered one, and one with a comment in the NameID', async () => {
    const xml = await idp.responseXml({ attributes: ATTRIBUTES });
    const unsigned = xml.replace(/<ds:Signature[\s\S]*?<\/ds:Signature>/, '');
    expect(unsigned).not.toContain('Signature>');
    await refused(base64(unsigned), 'assertion', /signature/);
    const signed = await idp.responseXml({ attributes: ATTRIBUTES });
    await refused(base64(signed.replace('alice@example.com', 'admin@example.com')), 'assertion', /signature/);
    const other = await idp.responseXml({ attributes: ATTRIBUTES, nameId: 'alice@example.com' });
    await refused(base64(other.replace('alice@example.com', 'alice@example.com<!---->.evil')), 'assertion', /comment/);
  });

  it('refuses a response for another audience or recipient, and one from an IdP that is not registered', async () => {
    await refused(await idp.response({ attributes: ATTRIBUTES, audience: 'urn:someone:else' }), 'assertion', /audience/);
    await refused(await idp.response({ attributes: ATTRIBUTES, recipient: 'https://elsewhere.test/saml' }), 'assertion', /Recipient/);
    const stranger = createTestIdp({ entityId: 'https://idp.stranger.example', audience: AUDIENCE, recipient: RECIPIENT });
    await refused(await stranger.response({ attributes: ATTRIBUTES }), 'provider');
    // The registered issuer's name with another key: the signature decides.
    const impostor = createTestIdp({ entityId: 'https://idp.acs.example', audience: AUDIENCE, recipient: RECIPIENT });
    await refused(await impostor.response({ attributes: ATTRIBUTES }), 'assertion', /signature/);
  });

  it('refuses signature wrapping, an expired or not-yet-valid response, and a role pair naming another provider', async () => {
    const xml = await idp.responseXml({ attributes: ATTRIBUTES });
    const signed = /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(xml)![0];
    const evil = signed.replace(/<ds:Signature[\s\S]*?<\/ds:Signature>/, '').replace(/ID="[^"]+"/, 'ID="_evil"').replace('alice@example.com', 'admin@example.com');
    await refused(base64(xml.replace(signed, evil + signed)), 'assertion', /one assertion/);
    await refused(base64(xml.replace(signed, `<samlp:Extensions>${signed}</samlp:Extensions>${evil}`)), 'assertion');
    await refused(await idp.response({ attributes: ATTRIBUTES, notBefore: new Date(Date.now() - 3600_000) }), 'expired', /expired/);
    await refused(await idp.response({ attributes: ATTRIBUTES, notBefore: new Date(Date.now() + 3600_000) }), 'assertion', /not valid yet/);
    // AcsRole trusts Acs, but the assertion offers it only through another provider: no role is offered.
    const elsewhere = {
      ...ATTRIBUTES,
      'https://aws.amazon.com/SAML/Attributes/Role': [`arn:aws:iam::${ACCOUNT}:role/AcsRole,arn:aws:iam::${ACCOUNT}:saml-provider/Other`, `arn:aws:iam::${ACCOUNT}:role/Absent,${PROVIDER}`],
    };
    await refused(await idp.response({ attributes: elsewhere }), 'no-role');
  });

  it('refuses a body over MAX_ACS_BODY_BYTES with 413, declared or streamed, and reads no more of it', async () => {
    const big = `SAMLResponse=${'A'.repeat(MAX_ACS_BODY_BYTES)}`;
    expect((await post(big)).status).toBe(413);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 40; i++) controller.enqueue(new TextEncoder().encode('A'.repeat(10_000)));
        controller.close();
      },
    });
    const streamed = await fetch(`${server.url}/saml`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: stream, duplex: 'half', redirect: 'manual' } as RequestInit);
    expect(streamed.status).toBe(413);
    // Under the cap but over the SAMLResponse limit: a typed refusal, not a parse of 300 KB.
    await refused('A'.repeat(200_000), 'assertion', /1-100000 characters/);
  });

  it('takes only POST, only a form, and only one with a SAMLResponse', async () => {
    const get = await fetch(`${server.url}/saml`, { redirect: 'manual' });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect((await post(JSON.stringify({ SAMLResponse: 'x' }), { 'content-type': 'application/json' })).status).toBe(415);
    expect((await post('RelayState=x')).status).toBe(400);
  });

  it(`keeps at most ${MAX_OPEN_REQUESTS} open requests per account, and the start route takes only GET`, async () => {
    const start = () => fetch(`${server.url}/federation/saml/start?account=${ACCOUNT}&provider=${providerId}`, { redirect: 'manual' });
    const first = await start();
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toMatch(/^https:\/\/idp\.acs\.example\/sso\?SAMLRequest=/);
    const db = server.running.app.database.db;
    const expiresAt = new Date(Date.now() + 600_000);
    const filler = Array.from({ length: MAX_OPEN_REQUESTS }, (_, i) => ({ id: `filler-${i}`, kind: 'pending' as const, accountId: ACCOUNT, providerArn: PROVIDER, data: { protocol: 'SAML' }, expiresAt }));
    await db.insert(federatedSignIns).values(filler);
    const before = (await db.select().from(federatedSignIns)).length;
    const busy = await start();
    expect(busy.headers.get('location')).toBe('/#federated-sign-in-error=busy');
    expect((await db.select().from(federatedSignIns)).length).toBe(before);
    expect((await fetch(`${server.url}/federation/saml/start`, { method: 'POST', redirect: 'manual' })).status).toBe(405);
    // An account id of any length is refused as an unknown provider, with nothing stored.
    const long = await fetch(`${server.url}/federation/saml/start?account=${'9'.repeat(5000)}&provider=${providerId}`, { redirect: 'manual' });
    expect(long.headers.get('location')).toBe('/#federated-sign-in-error=provider');
    await db.delete(federatedSignIns);
  });

  it('rate limits both routes per client address, as anonymous GraphQL is', async () => {
    // Held, so no token refills between the refusal and the start route's request, however slow the machine.
    clock.hold();
    onTestFinished(() => clock.release());
    let limited: Response | undefined;
    for (let i = 0; i < 450 && limited === undefined; i++) {
      const answer = await post('{}', { 'content-type': 'application/json' });
      if (answer.status === 429) limited = answer;
    }
    expect(limited?.status).toBe(429);
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await fetch(`${server.url}/federation/saml/start?account=${ACCOUNT}&provider=${providerId}`, { redirect: 'manual' })).status).toBe(429);
  });
});
