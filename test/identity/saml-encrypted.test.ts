/**
 * Encrypted SAML assertions: a samlify IdP signs the assertion and encrypts it to the service
 * provider's certificate; with SAML_SP_DECRYPTION_KEY set, node-saml decrypts it and the signature is
 * checked on the plaintext, for assumeRoleWithSAML and for console sign-in (IdP-initiated, where the
 * provider is found by the Response's Issuer since the Role attribute is encrypted). Without the key,
 * or encrypted to another key, it is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/server.ts';
import { createTestIdp, generateSigningKey, type TestIdp } from './support/saml-idp.ts';
import { ACCOUNT, createRole, ok, ROOT, send, startIdentityServer } from './support/server.ts';

const RECIPIENT = 'https://portcullis.test/saml';
const AUDIENCE = 'urn:portcullis:webservices';
const PROVIDER = `arn:aws:iam::${ACCOUNT}:saml-provider/Sealed`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/SealedRole`;
const ATTRIBUTES = {
  'https://aws.amazon.com/SAML/Attributes/Role': [`${ROLE},${PROVIDER}`],
  'https://aws.amazon.com/SAML/Attributes/RoleSessionName': ['alice'],
};
const ASSUME = `mutation($i: AssumeRoleWithSAMLInput!) { assumeRoleWithSAML(input: $i) { __typename
  ... on AssumeRoleWithSAMLSuccess { assumedRoleUser { arn } subject } ... on ResultError { code message } } }`;
const COMPLETE = 'mutation($i: CompleteFederatedSignInInput!) { completeFederatedSignIn(input: $i) { __typename ... on SignInSuccess { arn } } }';

describe('encrypted SAML assertions', () => {
  const spKey = generateSigningKey('portcullis-sp-encryption');
  let server: TestServer;
  let keyless: TestServer;
  let idp: TestIdp;
  let signingKey: ReturnType<typeof generateSigningKey>;

  /** Registers the IdP and a role trusting it on `target`. */
  const register = async (target: TestServer) => {
    await ok(target, ROOT, 'mutation($i: CreateSAMLProviderInput!) { createSAMLProvider(input: $i) { __typename } }', {
      i: { name: 'Sealed', samlMetadataDocument: idp.metadata, tags: [{ key: 'portcullis:console-sign-in', value: 'Sealed' }] },
    });
    await createRole(target, 'SealedRole', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: PROVIDER }, Action: 'sts:AssumeRoleWithSAML' }] });
  };
  const assume = (target: TestServer, samlAssertion: string) => send(target, undefined, ASSUME, { i: { roleArn: ROLE, principalArn: PROVIDER, samlAssertion } });

  beforeAll(async () => {
    signingKey = generateSigningKey('sealed-idp');
    idp = createTestIdp({ entityId: 'https://idp.sealed.example', audience: AUDIENCE, recipient: RECIPIENT, key: signingKey, encryptFor: spKey.certificate });
    server = await startIdentityServer({ SAML_RECIPIENT: RECIPIENT, SAML_SP_DECRYPTION_KEY: spKey.privateKey });
    keyless = await startIdentityServer({ SAML_RECIPIENT: RECIPIENT });
    await register(server);
    await register(keyless);
  }, 60_000);
  afterAll(async () => {
    await server?.dispose();
    await keyless?.dispose();
  });

  it('the IdP really encrypts: no assertion, NameID or role in clear in the response', async () => {
    const xml = await idp.responseXml({ attributes: ATTRIBUTES });
    expect(xml).toContain('EncryptedAssertion');
    expect(xml).not.toContain('alice@example.com');
    expect(xml).not.toContain('SealedRole');
  });

  it('assumeRoleWithSAML decrypts with SAML_SP_DECRYPTION_KEY and checks the signature on the plaintext', async () => {
    const answer = (await assume(server, await idp.response({ attributes: ATTRIBUTES }))).body.data?.['assumeRoleWithSAML'];
    expect(answer).toMatchObject({ __typename: 'AssumeRoleWithSAMLSuccess', subject: 'alice@example.com', assumedRoleUser: { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/SealedRole/alice` } });
  });

  it('refuses an encrypted assertion without a decryption key, encrypted to another key, or signed by another key', async () => {
    const refused = async (target: TestServer, response: string, pattern: RegExp) => {
      const answer = (await assume(target, response)).body.data?.['assumeRoleWithSAML'] as { message: string };
      expect(answer).toMatchObject({ __typename: 'InvalidIdentityToken' });
      expect(answer.message).toMatch(pattern);
    };
    await refused(keyless, await idp.response({ attributes: ATTRIBUTES }), /no decryption key/);
    const otherSp = generateSigningKey('another-sp');
    const toOther = createTestIdp({ entityId: 'https://idp.sealed.example', audience: AUDIENCE, recipient: RECIPIENT, key: signingKey, encryptFor: otherSp.certificate });
    await refused(server, await toOther.response({ attributes: ATTRIBUTES }), /does not decrypt/);
    const impostor = createTestIdp({ entityId: 'https://idp.sealed.example', audience: AUDIENCE, recipient: RECIPIENT, encryptFor: spKey.certificate });
    await refused(server, await impostor.response({ attributes: ATTRIBUTES }), /signature/);
  });

  it('console sign-in accepts an encrypted IdP-initiated response, finding the provider by its Issuer', async () => {
    const posted = await fetch(`${server.url}/saml`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ SAMLResponse: await idp.response({ attributes: ATTRIBUTES }) }).toString(),
      redirect: 'manual',
    });
    const fragment = new URLSearchParams(new URL(posted.headers.get('location')!, server.url).hash.slice(1));
    const code = fragment.get('federated-sign-in');
    expect(code, fragment.toString()).toMatch(/^[\w-]{43}$/);
    expect((await ok(server, undefined, COMPLETE, { i: { code } }))['completeFederatedSignIn']).toEqual({ __typename: 'SignInSuccess', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/SealedRole/alice` });
  });
});
