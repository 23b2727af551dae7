/**
 * SAML 2.0 federation end to end against a real server: SAML providers managed with IAM's operations
 * (create from a samlify IdP's metadata, get, list, update, tags, delete, and the refusals that store
 * nothing), and assumeRoleWithSAML with real signed responses — the role pair, the session attributes,
 * the saml:* keys in trust policies, one use per assertion id, and one audit row per refusal.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { and, eq } from 'drizzle-orm';
import { parse, validate } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteExpiredAuditRows } from '../../src/changes/audit-retention.ts';
import { isAuditOnly, toChangeEvent } from '../../src/changes/change.ts';
import { changeLog, samlAssertionUses, samlProviders, stsSessions } from '../../src/db/schema/index.ts';
import { schema } from '../../src/graphql/schema.ts';
import { TestClock } from '../support/clock.ts';
import type { TestServer } from '../support/server.ts';
import { ACCOUNT, bearer, errorCode, ok, ROOT, send, startIdentityServer } from './support/server.ts';
import { createTestIdp, type TestIdp } from './support/saml-idp.ts';

const RECIPIENT = 'https://portcullis.test/saml';
const AUDIENCE = 'urn:portcullis:webservices';
const PROVIDER = `arn:aws:iam::${ACCOUNT}:saml-provider/Corp`;
const OTHER_PROVIDER = `arn:aws:iam::${ACCOUNT}:saml-provider/Other`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/SamlDev`;
const ROLE_ATTR = 'https://aws.amazon.com/SAML/Attributes/Role';
const NAME_ATTR = 'https://aws.amazon.com/SAML/Attributes/RoleSessionName';

const TRUST = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Federated: PROVIDER },
      Action: ['sts:AssumeRoleWithSAML', 'sts:TagSession'],
      Condition: { StringEquals: { 'SAML:aud': RECIPIENT }, StringNotEquals: { 'saml:sub': 'mallory@example.com' } },
    },
  ],
};

const ASSUME = `mutation($i: AssumeRoleWithSAMLInput!) { assumeRoleWithSAML(input: $i) {
  __typename
  ... on AssumeRoleWithSAMLSuccess { credentials { sessionToken expiration } assumedRoleUser { arn } subject subjectType issuer audience nameQualifier }
  ... on ResultError { message }
} }`;

let server: TestServer;
let clock: TestClock;
let idp: TestIdp;
let otherIdp: TestIdp;

/** Mutation as root; returns its result object. */
async function rootMutation(field: string, input: Record<string, unknown>, selection = ''): Promise<Record<string, any>> {
  const type = `${field[0]!.toUpperCase()}${field.slice(1)}Input`;
  const data = await ok(server, ROOT, `mutation($i: ${type}!) { ${field}(input: $i) { __typename ... on ResultError { message } ... on ValidationError { field rule } ${selection} } }`, { i: input });
  return data[field];
}

/** A valid response for the role pair(s) given, with RoleSessionName `alice`. */
function response(options: { roles?: string[]; nameId?: string; extra?: Record<string, string[]>; from?: TestIdp } = {}): Promise<string> {
  return (options.from ?? idp).response({
    nameId: options.nameId ?? 'alice@example.com',
    attributes: { [ROLE_ATTR]: options.roles ?? [`${ROLE},${PROVIDER}`], [NAME_ATTR]: ['alice'], ...options.extra },
  });
}

const assume = (samlAssertion: string, principalArn = PROVIDER, roleArn = ROLE) => send(server, undefined, ASSUME, { i: { roleArn, principalArn, samlAssertion } });

/** The SAMLAssertionRefused rows written so far. */
async function refusals(): Promise<Array<Record<string, unknown>>> {
  const rows = await server.running.app.database.db.select({ payload: changeLog.payload }).from(changeLog).where(eq(changeLog.kind, 'SAMLAssertionRefused')).orderBy(changeLog.revision);
  return rows.map((r) => r.payload as Record<string, unknown>);
}

beforeAll(async () => {
  clock = TestClock.running();
  server = await startIdentityServer({ SAML_RECIPIENT: RECIPIENT }, clock);
  idp = createTestIdp({ entityId: 'https://idp.corp.example', audience: AUDIENCE, recipient: RECIPIENT });
  otherIdp = createTestIdp({ entityId: 'https://idp.other.example', audience: AUDIENCE, recipient: RECIPIENT });
});
afterAll(async () => {
  await server?.dispose();
});

/** docs/federation.md's SAML section (section 2), whose examples these tests run. */
function samlSection(): string {
  const page = readFileSync(new URL('../../docs/federation.md', import.meta.url), 'utf8');
  return page.slice(page.indexOf('## 2. People and programs: SAML 2.0'), page.indexOf('## 3. Workloads'));
}

describe("docs/federation.md's SAML section", () => {
  it('shows operations valid against the schema', () => {
    const doc = samlSection();
    const operations = [...doc.matchAll(/```graphql\n([\s\S]+?)\n```/g)].map((m) => m[1]!);
    expect(operations).toHaveLength(2);
    for (const operation of operations) expect(validate(schema, parse(operation)).map((e) => e.message)).toEqual([]);
  });
});

describe('SAML providers', () => {
  it('are created from metadata, read, listed, tagged and updated with AWS operation names', async () => {
    const created = await rootMutation('createSAMLProvider', { name: 'Corp', samlMetadataDocument: idp.metadata, tags: [{ key: 'team', value: 'id' }] }, '... on CreateSAMLProviderSuccess { samlProvider { arn issuer } }');
    expect(created).toMatchObject({ __typename: 'CreateSAMLProviderSuccess', samlProvider: { arn: PROVIDER, issuer: 'https://idp.corp.example' } });
    expect((await rootMutation('createSAMLProvider', { name: 'Other', samlMetadataDocument: otherIdp.metadata })).__typename).toBe('CreateSAMLProviderSuccess');
    expect((await rootMutation('createSAMLProvider', { name: 'corp', samlMetadataDocument: idp.metadata })).__typename).toBe('EntityAlreadyExists');

    const read = await ok(server, ROOT, `query { samlProvider(samlProviderArn: "${PROVIDER}") { name samlMetadataDocument signingCertificateCount tags { key value } } samlProviders { arn } samlProviderTags(samlProviderArn: "${PROVIDER}") { key } }`);
    expect(read['samlProvider']).toEqual({ name: 'Corp', samlMetadataDocument: idp.metadata, signingCertificateCount: 1, tags: [{ key: 'team', value: 'id' }] });
    expect(read['samlProviders'].map((p: { arn: string }) => p.arn)).toEqual([PROVIDER, OTHER_PROVIDER]);
    expect(read['samlProviderTags']).toEqual([{ key: 'team' }]);

    expect((await rootMutation('tagSAMLProvider', { samlProviderArn: PROVIDER, tags: [{ key: 'env', value: 'prod' }] })).__typename).toBe('TagSAMLProviderSuccess');
    expect((await rootMutation('untagSAMLProvider', { samlProviderArn: PROVIDER, tagKeys: ['TEAM'] })).__typename).toBe('UntagSAMLProviderSuccess');
    const tags = await ok(server, ROOT, `query { samlProviderTags(samlProviderArn: "${PROVIDER}") { key value } }`);
    expect(tags['samlProviderTags']).toEqual([{ key: 'env', value: 'prod' }]);
    expect((await ok(server, ROOT, `query { samlProvider(samlProviderArn: "arn:aws:iam::${ACCOUNT}:saml-provider/Nope") { arn } }`))['samlProvider']).toBeNull();
  });

  it('refuse a bad name, metadata over the size cap or without a certificate, and store nothing; each metadata refusal is audited once', async () => {
    const before = await server.running.app.database.db.select().from(samlProviders);
    const metadataRefusals = async () =>
      (await server.running.app.database.db.select().from(changeLog).where(eq(changeLog.kind, 'SAMLMetadataRefused')).orderBy(changeLog.revision)).map((r) => ({ arn: r.entityArn, ...(r.payload as { operation: string; rule: string; characters: number }) }));
    const badName = await rootMutation('createSAMLProvider', { name: 'has space', samlMetadataDocument: idp.metadata });
    expect(badName).toMatchObject({ __typename: 'ValidationError', field: 'input.name', rule: 'pattern' });
    const huge = idp.metadata.replace(/(<\/(\w+:)?EntityDescriptor>\s*)$/, `<!--${'x'.repeat(300_000)}-->$1`);
    expect(await rootMutation('createSAMLProvider', { name: 'Huge', samlMetadataDocument: huge })).toMatchObject({ __typename: 'ValidationError', field: 'input.samlMetadataDocument', rule: 'length' });
    const noCert = idp.metadata.replace(/<(\w+:)?KeyDescriptor[\s\S]*?<\/(\w+:)?KeyDescriptor>/g, '').padEnd(1200, ' ');
    expect(await rootMutation('createSAMLProvider', { name: 'NoCert', samlMetadataDocument: noCert })).toMatchObject({ __typename: 'ValidationError', rule: 'certificate' });
    expect(await rootMutation('updateSAMLProvider', { samlProviderArn: PROVIDER, samlMetadataDocument: noCert })).toMatchObject({ __typename: 'ValidationError', rule: 'certificate' });
    expect(await server.running.app.database.db.select().from(samlProviders)).toEqual(before);
    const audited = await metadataRefusals();
    expect(audited.map(({ arn, operation, rule }) => ({ arn, operation, rule }))).toEqual([
      { arn: `arn:aws:iam::${ACCOUNT}:saml-provider/Huge`, operation: 'CreateSAMLProvider', rule: 'length' },
      { arn: `arn:aws:iam::${ACCOUNT}:saml-provider/NoCert`, operation: 'CreateSAMLProvider', rule: 'certificate' },
      { arn: PROVIDER, operation: 'UpdateSAMLProvider', rule: 'certificate' },
    ]);
    expect(audited[0]).toMatchObject({ characters: huge.length });
    expect(JSON.stringify(audited)).not.toContain('xxxxxxxxxx');
  });
});

describe('assumeRoleWithSAML', () => {
  beforeAll(async () => {
    const role = await rootMutation('createRole', { roleName: 'SamlDev', assumeRolePolicyDocument: JSON.stringify(TRUST), maxSessionDuration: 7200 });
    expect(role.__typename).toBe('CreateRoleSuccess');
  });

  it('issues a role session for a signed assertion, usable with Bearer, with AWS answer fields', async () => {
    const result = await assume(await response({ extra: { 'https://aws.amazon.com/SAML/Attributes/PrincipalTag:team': ['blue'], 'https://aws.amazon.com/SAML/Attributes/SessionDuration': ['5400'] } }));
    const answer = result.body.data?.['assumeRoleWithSAML'] as Record<string, any>;
    expect(answer, JSON.stringify(result.body)).toMatchObject({
      __typename: 'AssumeRoleWithSAMLSuccess',
      assumedRoleUser: { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/SamlDev/alice` },
      subject: 'alice@example.com',
      subjectType: 'persistent',
      issuer: 'https://idp.corp.example',
      audience: RECIPIENT,
    });
    // SessionDuration attribute: 5400 s.
    expect(Date.parse(answer['credentials'].expiration) - clock.now()).toBeGreaterThan(5_000_000);
    const me = await ok(server, bearer(answer['credentials'].sessionToken), 'query { callerIdentity { arn } }');
    expect(me['callerIdentity'].arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/SamlDev/alice`);
    const rows = await server.running.app.database.db.select().from(changeLog).where(eq(changeLog.kind, 'RoleAssumedWithSAML'));
    expect(rows).toHaveLength(1);
  });

  it("accepts the trust policy docs/federation.md gives for SAML, and its exchange", async () => {
    const doc = samlSection();
    const trust = /```json\n([\s\S]+?)\n```/.exec(doc)![1]!;
    expect(JSON.parse(trust).Statement[0].Principal.Federated).toBe(PROVIDER);
    expect((await rootMutation('createRole', { roleName: 'SamlDoc', assumeRolePolicyDocument: trust })).__typename).toBe('CreateRoleSuccess');
    const saml = await response({ roles: [`arn:aws:iam::${ACCOUNT}:role/SamlDoc,${PROVIDER}`] });
    const answer = await assume(saml, PROVIDER, `arn:aws:iam::${ACCOUNT}:role/SamlDoc`);
    expect(answer.body.data?.['assumeRoleWithSAML']).toMatchObject({ __typename: 'AssumeRoleWithSAMLSuccess', assumedRoleUser: { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/SamlDoc/alice` } });
  });

  it('accepts each assertion id once, and audits the replay once', async () => {
    const saml = await response();
    const first = await assume(saml);
    expect((first.body.data?.['assumeRoleWithSAML'] as { __typename: string }).__typename).toBe('AssumeRoleWithSAMLSuccess');
    const before = (await refusals()).length;
    const replay = await assume(saml);
    expect(replay.body.data?.['assumeRoleWithSAML']).toMatchObject({ __typename: 'InvalidIdentityToken', message: expect.stringContaining('already used') });
    expect((await refusals()).length).toBe(before + 1);
  });

  it('lets one of two concurrent exchanges of one assertion through', async () => {
    const saml = await response();
    const answers = await Promise.all([assume(saml), assume(saml)]);
    const kinds = answers.map((a) => (a.body.data?.['assumeRoleWithSAML'] as { __typename: string }).__typename).sort();
    expect(kinds).toEqual(['AssumeRoleWithSAMLSuccess', 'InvalidIdentityToken']);
  });

  /** Rows a refused exchange must leave as they were: sessions and spent assertion ids. */
  async function stored(): Promise<{ sessions: number; uses: number }> {
    const db = server.running.app.database.db;
    return { sessions: (await db.select().from(stsSessions)).length, uses: (await db.select().from(samlAssertionUses)).length };
  }

  it("refuses each bad input of issue 16 with a typed error, storing nothing and auditing it once", async () => {
    const attributes = { [ROLE_ATTR]: [`${ROLE},${PROVIDER}`], [NAME_ATTR]: ['alice'] };
    const now = () => new Date(clock.now());
    const b64 = (xml: string) => Buffer.from(xml, 'utf8').toString('base64');
    const xml = () => idp.responseXml({ attributes, notBefore: now() });
    const signed = (doc: string) => /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(doc)![0];
    const impostor = createTestIdp({ entityId: 'https://idp.corp.example', audience: AUDIENCE, recipient: RECIPIENT });
    const replayed = await idp.response({ attributes, notBefore: now() });
    expect((await assume(replayed)).body.data?.['assumeRoleWithSAML']).toMatchObject({ __typename: 'AssumeRoleWithSAMLSuccess' });
    const wrapped = await xml();
    const evil = signed(wrapped).replace(/<ds:Signature[\s\S]*?<\/ds:Signature>/, '').replace(/ID="[^"]+"/, 'ID="_evil"').replace('alice@example.com', 'admin@example.com');
    const cases: Array<[string, () => Promise<string>, string, string]> = [
      ['tampered', async () => b64((await xml()).replace('alice@example.com', 'admin@example.com')), 'InvalidIdentityToken', 'signature'],
      ['unsigned', async () => b64((await xml()).replace(/<ds:Signature[\s\S]*?<\/ds:Signature>/g, '')), 'InvalidIdentityToken', 'signature'],
      ['signed by another key', () => impostor.response({ attributes, notBefore: now() }), 'InvalidIdentityToken', 'signature'],
      ['signature wrapping', async () => b64(wrapped.replace(signed(wrapped), evil + signed(wrapped))), 'InvalidIdentityToken', 'one assertion'],
      ['comment in the NameID', async () => b64((await xml()).replace('alice@example.com', 'alice@example.com<!---->.evil')), 'InvalidIdentityToken', 'comment'],
      ['wrong audience', () => idp.response({ attributes, notBefore: now(), audience: 'urn:other:sp' }), 'InvalidIdentityToken', 'audience'],
      ['wrong recipient', () => idp.response({ attributes, notBefore: now(), recipient: 'https://other.test/saml' }), 'InvalidIdentityToken', 'Recipient'],
      ['expired', () => idp.response({ attributes, notBefore: new Date(clock.now() - 3600_000) }), 'ExpiredToken', 'expired'],
      ['not yet valid', () => idp.response({ attributes, notBefore: new Date(clock.now() + 3600_000) }), 'InvalidIdentityToken', 'not valid yet'],
      ['replayed assertion id', async () => replayed, 'InvalidIdentityToken', 'already used'],
    ];
    for (const [name, make, typename, words] of cases) {
      const samlAssertion = await make();
      const [before, audited] = [await stored(), (await refusals()).length];
      const answer = (await assume(samlAssertion)).body.data?.['assumeRoleWithSAML'] as { __typename: string; message: string };
      expect(answer, name).toMatchObject({ __typename: typename });
      expect(answer.message, name).toContain(words);
      expect(await stored(), name).toEqual(before);
      const added = (await refusals()).slice(audited);
      expect(added.map((r) => r['code']), name).toEqual([typename]);
      expect(JSON.stringify(added), name).not.toContain(samlAssertion.slice(0, 60));
    }
    // A pair naming another provider: refused by the role pair check, before any id is spent.
    const [before, audited] = [await stored(), (await refusals()).length];
    expect(errorCode(await assume(await idp.response({ attributes: { ...attributes, [ROLE_ATTR]: [`${ROLE},${OTHER_PROVIDER}`] }, notBefore: now() })))).toBe('ACCESS_DENIED');
    expect(await stored()).toEqual(before);
    expect((await refusals()).slice(audited).map((r) => r['code'])).toEqual(['AccessDenied']);
  });

  it('audits a malformed request once too (role ARN, provider ARN, assertion length), storing nothing', async () => {
    const saml = await response();
    const [before, audited] = [await stored(), (await refusals()).length];
    for (const [roleArn, principalArn, samlAssertion, field] of [
      ['not-a-role', PROVIDER, saml, 'input.roleArn'],
      [ROLE, 'arn:aws:iam::111122223333:oidc-provider/x', saml, 'input.principalArn'],
      [ROLE, PROVIDER, 'abc', 'input.samlAssertion'],
    ] as const) {
      const answer = await send(server, undefined, `mutation($i: AssumeRoleWithSAMLInput!) { assumeRoleWithSAML(input: $i) { __typename ... on ValidationError { field } } }`, { i: { roleArn, principalArn, samlAssertion } });
      expect(answer.body.data?.['assumeRoleWithSAML'], field).toEqual({ __typename: 'ValidationError', field });
    }
    expect(await stored()).toEqual(before);
    const added = (await refusals()).slice(audited);
    expect(added.map((r) => r['code'])).toEqual(['ValidationError', 'ValidationError', 'ValidationError']);
    // The assertion itself still works: a malformed request spent nothing.
    expect((await assume(saml)).body.data?.['assumeRoleWithSAML']).toMatchObject({ __typename: 'AssumeRoleWithSAMLSuccess' });
  });

  it('gives trust policies the saml:* keys: saml:iss, saml:sub, saml:sub_type, saml:namequalifier, saml:doc, saml:aud and attribute keys', async () => {
    const issuer = 'https://idp.corp.example';
    // AWS's documented value: BASE64(SHA1(issuer + account id + "/" + provider name)).
    const nameQualifier = createHash('sha1').update(`${issuer}${ACCOUNT}/Corp`).digest('base64');
    const keys = (qualifier: string) => ({
      StringEquals: {
        'saml:iss': issuer,
        'saml:sub': 'alice@example.com',
        'saml:sub_type': 'persistent',
        'saml:namequalifier': qualifier,
        'saml:doc': `${ACCOUNT}/Corp`,
        'saml:aud': RECIPIENT,
      },
      'ForAnyValue:StringEquals': { 'saml:eduPersonAffiliation': 'staff' },
    });
    const trust = (condition: object) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: PROVIDER }, Action: 'sts:AssumeRoleWithSAML', Condition: condition }] });
    expect((await rootMutation('createRole', { roleName: 'SamlKeys', assumeRolePolicyDocument: trust(keys(nameQualifier)) })).__typename).toBe('CreateRoleSuccess');
    expect((await rootMutation('createRole', { roleName: 'SamlKeysOther', assumeRolePolicyDocument: trust(keys(createHash('sha1').update(`${issuer}${ACCOUNT}/Other`).digest('base64'))) })).__typename).toBe('CreateRoleSuccess');
    const offer = (role: string, nameId = 'alice@example.com') =>
      response({ nameId, roles: [`arn:aws:iam::${ACCOUNT}:role/${role},${PROVIDER}`], extra: { 'urn:oid:1.3.6.1.4.1.5923.1.1.1.1': ['member', 'staff'] } });
    const answer = await assume(await offer('SamlKeys'), PROVIDER, `arn:aws:iam::${ACCOUNT}:role/SamlKeys`);
    expect(answer.body.data?.['assumeRoleWithSAML']).toMatchObject({ __typename: 'AssumeRoleWithSAMLSuccess', nameQualifier, subjectType: 'persistent', issuer });
    // The same keys with another provider's name qualifier, or another subject, do not match.
    expect(errorCode(await assume(await offer('SamlKeysOther'), PROVIDER, `arn:aws:iam::${ACCOUNT}:role/SamlKeysOther`))).toBe('ACCESS_DENIED');
    expect(errorCode(await assume(await offer('SamlKeys', 'bob@example.com'), PROVIDER, `arn:aws:iam::${ACCOUNT}:role/SamlKeys`))).toBe('ACCESS_DENIED');
  });

  it("follows updateSAMLProvider: after a key rollover only the new key's signatures verify", async () => {
    const rolled = createTestIdp({ entityId: 'https://idp.other.example', audience: AUDIENCE, recipient: RECIPIENT });
    expect((await rootMutation('updateSAMLProvider', { samlProviderArn: OTHER_PROVIDER, samlMetadataDocument: rolled.metadata })).__typename).toBe('UpdateSAMLProviderSuccess');
    const old = await assume(await response({ from: otherIdp, roles: [`${ROLE},${OTHER_PROVIDER}`] }), OTHER_PROVIDER);
    expect(old.body.data?.['assumeRoleWithSAML']).toMatchObject({ __typename: 'InvalidIdentityToken', message: expect.stringContaining('signature') });
    // The new key verifies; the role still trusts only Corp, so trust refuses.
    const fresh = await assume(await response({ from: rolled, roles: [`${ROLE},${OTHER_PROVIDER}`] }), OTHER_PROVIDER);
    expect(errorCode(fresh)).toBe('ACCESS_DENIED');
    otherIdp = rolled;
  });

  it('refuses a role pair naming another provider, a role not offered, and a subject the trust policy excludes', async () => {
    const before = (await refusals()).length;
    // The Other provider's IdP offers the role through the Other provider, but the role trusts only Corp.
    const viaOther = await assume(await response({ from: otherIdp, roles: [`${ROLE},${OTHER_PROVIDER}`] }), OTHER_PROVIDER);
    expect(errorCode(viaOther)).toBe('ACCESS_DENIED');
    // Corp's assertion offers the role only through Other: the pair asked for is not offered.
    const mismatched = await assume(await response({ roles: [`${ROLE},${OTHER_PROVIDER}`] }));
    expect(errorCode(mismatched)).toBe('ACCESS_DENIED');
    // A Corp assertion presented as Other's: its signature does not verify with Other's certificate.
    const wrongProvider = await assume(await response({ roles: [`${ROLE},${OTHER_PROVIDER}`] }), OTHER_PROVIDER);
    expect(wrongProvider.body.data?.['assumeRoleWithSAML']).toMatchObject({ __typename: 'InvalidIdentityToken' });
    const excluded = await assume(await response({ nameId: 'mallory@example.com' }));
    expect(errorCode(excluded)).toBe('ACCESS_DENIED');
    const rows = await refusals();
    expect(rows.length).toBe(before + 4);
    expect(rows.slice(-4).map((r) => r['code'])).toEqual(['AccessDenied', 'AccessDenied', 'InvalidIdentityToken', 'AccessDenied']);
  });

  it('refuses a tampered, wrongly addressed or expired assertion with a typed error, audited once each', async () => {
    const before = (await refusals()).length;
    const xml = Buffer.from(await response(), 'base64').toString('utf8');
    const tampered = Buffer.from(xml.replace('alice@example.com', 'admin@example.com')).toString('base64');
    expect((await assume(tampered)).body.data?.['assumeRoleWithSAML']).toMatchObject({ __typename: 'InvalidIdentityToken' });
    const elsewhere = await idp.response({ recipient: 'https://other.test/saml', attributes: { [ROLE_ATTR]: [`${ROLE},${PROVIDER}`], [NAME_ATTR]: ['alice'] } });
    expect((await assume(elsewhere)).body.data?.['assumeRoleWithSAML']).toMatchObject({ __typename: 'InvalidIdentityToken' });
    const later = await response();
    clock.advance(10 * 60 * 1000);
    expect((await assume(later)).body.data?.['assumeRoleWithSAML']).toMatchObject({ __typename: 'ExpiredToken' });
    expect((await refusals()).length).toBe(before + 3);
  });

  it('stops accepting a provider once it is deleted', async () => {
    const saml = await idp.response({ notBefore: new Date(clock.now()), attributes: { [ROLE_ATTR]: [`${ROLE},${PROVIDER}`], [NAME_ATTR]: ['alice'] } });
    expect((await rootMutation('deleteSAMLProvider', { samlProviderArn: PROVIDER })).__typename).toBe('DeleteSAMLProviderSuccess');
    expect((await assume(saml)).body.data?.['assumeRoleWithSAML']).toMatchObject({ __typename: 'InvalidIdentityToken' });
    const left = await server.running.app.database.db.select().from(samlProviders).where(and(eq(samlProviders.accountId, ACCOUNT), eq(samlProviders.name, 'Corp')));
    expect(left).toEqual([]);
  });
  // Last: the retention sweep deletes the refusal rows the tests above count.
  it('records refusals as audit-only rows: out of the directory changes, aged out by the retention sweep with the session records', async () => {
    const db = server.running.app.database.db;
    const kinds = async () => (await db.select().from(changeLog).where(eq(changeLog.entityType, 'saml-provider'))).map(toChangeEvent);
    const refusal = (e: { kind: string }) => e.kind === 'SAMLAssertionRefused' || e.kind === 'SAMLMetadataRefused';
    const before = await kinds();
    const refused = before.filter(refusal);
    expect(refused.filter((e) => e.kind === 'SAMLAssertionRefused').length).toBeGreaterThan(10);
    expect(refused.filter((e) => e.kind === 'SAMLMetadataRefused')).toHaveLength(3);
    expect(refused.every(isAuditOnly)).toBe(true);
    expect(before.filter((e) => !refusal(e)).some(isAuditOnly)).toBe(false);
    expect((await db.select().from(changeLog).where(eq(changeLog.kind, 'RoleAssumedWithSAML'))).length).toBeGreaterThan(0);
    expect(await deleteExpiredAuditRows(server.running.app.database, new Date(clock.now() + 60_000))).toBeGreaterThanOrEqual(refused.length);
    const after = await kinds();
    expect(after.filter(refusal)).toEqual([]);
    // The providers' own history stays; the records of sessions issued age out with the refusals.
    expect(after.map((e) => e.kind)).toEqual(before.filter((e) => !refusal(e)).map((e) => e.kind));
    expect(after.some((e) => e.kind === 'SAMLProviderCreated')).toBe(true);
    expect(await db.select().from(changeLog).where(eq(changeLog.kind, 'RoleAssumedWithSAML'))).toEqual([]);
  });
});
