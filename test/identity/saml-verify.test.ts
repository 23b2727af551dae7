/**
 * The SAML response verifier (src/sts/saml-verify.ts) against real signed responses from a samlify
 * identity provider: what it accepts and reads, and each refusal of issue 16's bad-input list that
 * needs no database (replay is tested through assumeRoleWithSAML).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseSamlMetadata } from '../../src/iam/saml-metadata.ts';
import { samlConditionContext, samlRolePairs, samlSessionRequest } from '../../src/sts/saml-claims.ts';
import { SAML_CLOCK_SKEW_SECONDS, verifySamlResponse, type SamlProviderRecord } from '../../src/sts/saml-verify.ts';
import { createTestIdp, generateSigningKey, type TestIdp } from './support/saml-idp.ts';

const AUDIENCE = 'urn:portcullis:webservices';
const RECIPIENT = 'https://portcullis.test/saml';
const PROVIDER_ARN = 'arn:aws:iam::111122223333:saml-provider/Corp';
const ROLE_ARN = 'arn:aws:iam::111122223333:role/Dev';

let idp: TestIdp;
let responseSignedIdp: TestIdp;
let otherKeyIdp: TestIdp;
let provider: SamlProviderRecord;

beforeAll(async () => {
  const key = generateSigningKey();
  idp = createTestIdp({ entityId: 'https://idp.example.com', audience: AUDIENCE, recipient: RECIPIENT, key });
  responseSignedIdp = createTestIdp({ entityId: 'https://idp.example.com', audience: AUDIENCE, recipient: RECIPIENT, key, signAssertion: false });
  otherKeyIdp = createTestIdp({ entityId: 'https://idp.example.com', audience: AUDIENCE, recipient: RECIPIENT });
  const metadata = await parseSamlMetadata(idp.metadata);
  provider = { arn: PROVIDER_ARN, ...metadata };
});

const verify = (samlResponse: string, now = new Date(), overrides: Partial<{ audience: string; recipient: string }> = {}) =>
  verifySamlResponse({ samlResponse, provider, expectedAudience: overrides.audience ?? AUDIENCE, expectedRecipient: overrides.recipient ?? RECIPIENT, now });
const b64 = (xml: string) => Buffer.from(xml, 'utf8').toString('base64');
const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e as { code: string; message: string },
  );
  expect(error, 'the response was accepted').toBeDefined();
  return { code: error!.code, message: error!.message };
};

describe('the SAML metadata of a samlify IdP', () => {
  it('gives its entity id and signing certificate', async () => {
    const metadata = await parseSamlMetadata(idp.metadata);
    expect(metadata.entityId).toBe('https://idp.example.com');
    expect(metadata.signingCertificates).toHaveLength(1);
    expect(idp.certificate.replace(/-----[A-Z ]+-----|\s/g, '')).toBe(metadata.signingCertificates[0]);
  });

  it('is refused over the size cap, without a certificate, or when it is not metadata', async () => {
    const padded = idp.metadata.replace(/(<\/(\w+:)?EntityDescriptor>\s*)$/, `<!--${'x'.repeat(300_000)}-->$1`);
    expect(padded.length).toBeGreaterThan(300_000);
    await expect(parseSamlMetadata(padded)).rejects.toMatchObject({ code: 'ValidationError', field: 'input.samlMetadataDocument', rule: 'length' });
    const noCert = idp.metadata.replace(/<(\w+:)?KeyDescriptor[\s\S]*?<\/(\w+:)?KeyDescriptor>/g, '').padEnd(1200, ' ');
    await expect(parseSamlMetadata(noCert)).rejects.toMatchObject({ rule: 'certificate' });
    await expect(parseSamlMetadata(`<html>${'x'.repeat(1200)}</html>`)).rejects.toMatchObject({ rule: 'metadata' });
    await expect(parseSamlMetadata(`<a>${'x'.repeat(1200)}`)).rejects.toMatchObject({ code: 'ValidationError' });
  });
});

describe('verifySamlResponse', () => {
  it('accepts a signed assertion and reads it', async () => {
    const attributes = {
      'https://aws.amazon.com/SAML/Attributes/Role': [`${ROLE_ARN},${PROVIDER_ARN}`, `${PROVIDER_ARN},arn:aws:iam::111122223333:role/Ops`],
      'https://aws.amazon.com/SAML/Attributes/RoleSessionName': ['alice'],
      'https://aws.amazon.com/SAML/Attributes/PrincipalTag:team': ['blue'],
      'urn:oid:1.3.6.1.4.1.5923.1.1.1.1': ['member', 'staff'],
    };
    const assertion = await verify(await idp.response({ nameId: 'alice@example.com', attributes, assertionId: '_fixed1' }));
    expect(assertion).toMatchObject({ assertionId: '_fixed1', issuer: 'https://idp.example.com', nameId: 'alice@example.com', recipient: RECIPIENT, audiences: [AUDIENCE], inResponseTo: null });
    expect(samlRolePairs(assertion)).toEqual([
      { roleArn: ROLE_ARN, providerArn: PROVIDER_ARN },
      { roleArn: 'arn:aws:iam::111122223333:role/Ops', providerArn: PROVIDER_ARN },
    ]);
    expect(samlSessionRequest(assertion)).toMatchObject({ roleSessionName: 'alice', tags: [{ key: 'team', value: 'blue' }] });
    const context = samlConditionContext(assertion, '111122223333', 'Corp');
    expect(context['saml:sub']?.values).toEqual(['alice@example.com']);
    expect(context['saml:sub_type']?.values).toEqual(['persistent']);
    expect(context['saml:aud']?.values).toEqual([RECIPIENT]);
    expect(context['saml:iss']?.values).toEqual(['https://idp.example.com']);
    expect(context['saml:doc']?.values).toEqual(['111122223333/Corp']);
    expect(context['saml:eduPersonAffiliation']?.values).toEqual(['member', 'staff']);
    // AWS's documented hash: BASE64(SHA1(issuer + account + "/" + provider name)).
    expect(context['saml:namequalifier']?.values[0]).toMatch(/^[A-Za-z0-9+/]{27}=$/);
  });

  it('accepts a response signed as a whole', async () => {
    const assertion = await verify(await responseSignedIdp.response({ nameId: 'bob' }));
    expect(assertion.nameId).toBe('bob');
  });

  it('refuses a tampered assertion', async () => {
    const xml = await idp.responseXml({ nameId: 'alice@example.com' });
    const tampered = xml.replace('alice@example.com', 'admin@example.com');
    expect(tampered).not.toBe(xml);
    expect(await refusal(verify(b64(tampered)))).toMatchObject({ code: 'InvalidIdentityToken', message: expect.stringContaining('signature') });
  });

  it('refuses an unsigned assertion', async () => {
    const xml = await idp.responseXml();
    const unsigned = xml.replace(/<ds:Signature[\s\S]*?<\/ds:Signature>/g, '');
    expect(unsigned).not.toBe(xml);
    expect(await refusal(verify(b64(unsigned)))).toMatchObject({ code: 'InvalidIdentityToken', message: expect.stringContaining('signature') });
  });

  it('refuses a signature by another key', async () => {
    expect(await refusal(verify(await otherKeyIdp.response()))).toMatchObject({ code: 'InvalidIdentityToken', message: expect.stringContaining('signature') });
  });

  it('refuses XML signature wrapping: an unsigned assertion beside the signed one', async () => {
    const xml = await idp.responseXml({ nameId: 'alice@example.com' });
    const signed = /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(xml)![0];
    const evil = signed.replace(/<ds:Signature[\s\S]*?<\/ds:Signature>/, '').replace(/ID="[^"]+"/, 'ID="_evil"').replace('alice@example.com', 'admin@example.com');
    for (const wrapped of [xml.replace(signed, evil + signed), xml.replace(signed, signed + evil)]) {
      expect(await refusal(verify(b64(wrapped)))).toMatchObject({ code: 'InvalidIdentityToken' });
    }
    // The signed assertion hidden in an extension, the unsigned one in its place.
    const hidden = xml.replace(signed, `<samlp:Extensions>${signed}</samlp:Extensions>${evil}`);
    expect(await refusal(verify(b64(hidden)))).toMatchObject({ code: 'InvalidIdentityToken' });
  });

  it('refuses a comment inserted in the NameID (the signature still verifies without it)', async () => {
    const xml = await idp.responseXml({ nameId: 'admin@example.com.evil.test' });
    const commented = xml.replace('admin@example.com.evil.test', 'admin@example.com<!---->.evil.test');
    expect(await refusal(verify(b64(commented)))).toMatchObject({ code: 'InvalidIdentityToken', message: expect.stringContaining('comment') });
  });

  it('refuses a wrong audience or recipient', async () => {
    expect(await refusal(verify(await idp.response({ audience: 'urn:other:sp' })))).toMatchObject({ code: 'InvalidIdentityToken', message: expect.stringContaining('audience') });
    expect(await refusal(verify(await idp.response({ recipient: 'https://other.test/saml' })))).toMatchObject({ code: 'InvalidIdentityToken', message: expect.stringContaining('Recipient') });
  });

  it('refuses an expired or not-yet-valid assertion, with the documented skew', async () => {
    const start = new Date();
    const response = await idp.response({ notBefore: start, validForSeconds: 300 });
    const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);
    expect(await refusal(verify(response, at(300 + SAML_CLOCK_SKEW_SECONDS)))).toMatchObject({ code: 'ExpiredToken' });
    expect((await verify(response, at(300 + SAML_CLOCK_SKEW_SECONDS - 1))).nameId).toBe('alice@example.com');
    expect(await refusal(verify(response, at(-SAML_CLOCK_SKEW_SECONDS - 1)))).toMatchObject({ code: 'InvalidIdentityToken', message: expect.stringContaining('not valid yet') });
    expect((await verify(response, at(-SAML_CLOCK_SKEW_SECONDS))).nameId).toBe('alice@example.com');
  });

  it('refuses an assertion of another issuer, a failed status, and garbage', async () => {
    expect(await refusal(verify(await idp.response({ issuer: 'https://evil.example.com' })))).toMatchObject({ code: 'InvalidIdentityToken' });
    expect(await refusal(verify(await idp.response({ statusCode: 'urn:oasis:names:tc:SAML:2.0:status:Requester' })))).toMatchObject({ code: 'IDPRejectedClaim' });
    expect(await refusal(verify('not base64 at all!'))).toMatchObject({ code: 'InvalidIdentityToken' });
    expect(await refusal(verify(b64('<x/>')))).toMatchObject({ code: 'InvalidIdentityToken' });
    expect(await refusal(verify('A'.repeat(200_000)))).toMatchObject({ code: 'InvalidIdentityToken' });
  });
});
