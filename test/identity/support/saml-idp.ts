/**
 * A SAML 2.0 identity provider for tests, built with samlify: its own RSA key and self-signed
 * certificate (made by the system's openssl), its metadata, and real signed login responses
 * (HTTP-POST binding; IdP-initiated, or answering a request's id) with the attributes and time
 * windows a test chooses; and samlify's reading of an AuthnRequest sent by HTTP-Redirect.
 */
import { execFileSync } from 'node:child_process';
import * as xmllint from '@authenio/samlify-node-xmllint';
import * as samlify from 'samlify';

const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';
const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';

// samlify reads incoming messages only with a schema validator (idempotent: the same one each time).
samlify.setSchemaValidator(xmllint);

/** A fresh RSA-2048 key and a self-signed certificate for it, as PEM. */
export function generateSigningKey(commonName = 'test-idp'): { privateKey: string; certificate: string } {
  const pem = execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', '-', '-out', '-', '-subj', `/CN=${commonName}`, '-days', '2'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  }).toString();
  const privateKey = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/.exec(pem)![0];
  const certificate = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)![0];
  return { privateKey, certificate };
}

/** What one response says; every field has a sensible default. */
export interface ResponseOptions {
  readonly nameId?: string;
  readonly nameIdFormat?: string;
  /** Attribute name → values. */
  readonly attributes?: Readonly<Record<string, readonly string[]>>;
  readonly audience?: string;
  readonly recipient?: string;
  readonly issuer?: string;
  /** Start of the validity window (default: now) and its length in seconds (default 300). */
  readonly notBefore?: Date;
  readonly validForSeconds?: number;
  readonly assertionId?: string;
  readonly statusCode?: string;
  /** The AuthnRequest id this response answers (SP-initiated); absent for IdP-initiated. */
  readonly inResponseTo?: string;
}

/** A running test IdP. */
export interface TestIdp {
  readonly entityId: string;
  readonly metadata: string;
  readonly certificate: string;
  /** A signed SAMLResponse (base64) for the SP of `audience` / `recipient`. */
  response(options?: ResponseOptions): Promise<string>;
  /** The same, as XML, for tests that tamper with it. */
  responseXml(options?: ResponseOptions): Promise<string>;
  /**
   * Reads an AuthnRequest received by HTTP-Redirect (`rawQuery` as the browser sent it) with samlify,
   * checking its signature against `spCertificate` when given; returns the request's id and issuer.
   */
  readRedirectRequest(rawQuery: string, spCertificate?: string): Promise<{ id: string; issuer: string }>;
}

const escape = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The AttributeStatement for `attributes`, or nothing. */
function attributeStatement(attributes: Readonly<Record<string, readonly string[]>>): string {
  const entries = Object.entries(attributes);
  if (entries.length === 0) return '';
  const body = entries
    .map(([name, values]) => `<saml:Attribute Name="${escape(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri">${values.map((v) => `<saml:AttributeValue xsi:type="xs:string">${escape(v)}</saml:AttributeValue>`).join('')}</saml:Attribute>`)
    .join('');
  return `<saml:AttributeStatement>${body}</saml:AttributeStatement>`;
}

/**
 * Creates an IdP `entityId` that signs with a new key (or `key`). `audience` and `recipient` are the
 * defaults of the service provider it answers (Portcullis's SAML_AUDIENCE and SAML_RECIPIENT).
 * `signAssertion`: sign the Assertion (default) or the whole Response.
 */
export function createTestIdp(options: {
  entityId: string;
  audience: string;
  recipient: string;
  key?: { privateKey: string; certificate: string };
  signAssertion?: boolean;
  /** The single sign-on URL its metadata gives for both bindings (default `<entityId>/sso`). */
  ssoUrl?: string;
  /** Whether its metadata asks for signed AuthnRequests (readRedirectRequest then insists on a signature). */
  wantAuthnRequestsSigned?: boolean;
  /** The service provider's certificate (PEM): with it, assertions are signed, then encrypted to it (AES-256-CBC, RSA-OAEP). */
  encryptFor?: string;
}): TestIdp {
  const key = options.key ?? generateSigningKey();
  const ssoUrl = options.ssoUrl ?? `${options.entityId}/sso`;
  const idp = samlify.IdentityProvider({
    entityID: options.entityId,
    signingCert: key.certificate,
    privateKey: key.privateKey,
    singleSignOnService: [
      { Binding: POST, Location: ssoUrl },
      { Binding: REDIRECT, Location: ssoUrl },
    ],
    nameIDFormat: ['urn:oasis:names:tc:SAML:2.0:nameid-format:persistent'],
    wantAuthnRequestsSigned: options.wantAuthnRequestsSigned ?? false,
    ...(options.encryptFor === undefined
      ? {}
      : { isAssertionEncrypted: true, dataEncryptionAlgorithm: 'http://www.w3.org/2001/04/xmlenc#aes256-cbc', keyEncryptionAlgorithm: 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p' }),
  });
  const metadata = idp.getMetadata();
  const build = async (o: ResponseOptions = {}): Promise<string> => {
    const sp = samlify.ServiceProvider({
      entityID: o.audience ?? options.audience,
      assertionConsumerService: [{ Binding: POST, Location: o.recipient ?? options.recipient }],
      wantAssertionsSigned: options.signAssertion ?? true,
      ...(options.encryptFor === undefined ? {} : { encryptCert: options.encryptFor, isAssertionEncrypted: true }),
    });
    const start = o.notBefore ?? new Date();
    const end = new Date(start.getTime() + (o.validForSeconds ?? 300) * 1000);
    const responseId = `_r${Math.random().toString(16).slice(2)}`;
    const values = {
      ID: responseId,
      AssertionID: o.assertionId ?? `_a${Math.random().toString(16).slice(2)}${Date.now()}`,
      Destination: o.recipient ?? options.recipient,
      Audience: o.audience ?? options.audience,
      SubjectRecipient: o.recipient ?? options.recipient,
      Issuer: o.issuer ?? options.entityId,
      IssueInstant: start.toISOString(),
      StatusCode: o.statusCode ?? 'urn:oasis:names:tc:SAML:2.0:status:Success',
      ConditionsNotBefore: start.toISOString(),
      ConditionsNotOnOrAfter: end.toISOString(),
      SubjectConfirmationDataNotOnOrAfter: end.toISOString(),
      NameIDFormat: o.nameIdFormat ?? 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
      NameID: o.nameId ?? 'alice@example.com',
      InResponseTo: o.inResponseTo ?? '',
      AuthnStatement: '',
      AttributeStatement: '',
    };
    const context = await idp.createLoginResponse(sp, {} as never, 'post', {}, {
      customTagReplacement: (template: string) => {
        const filled = samlify.SamlLib.replaceTagsByValue(template, values)
          .replace(' InResponseTo=""', '')
          .replace(' InResponseTo=""', '')
          // The attribute statement is XML, which replaceTagsByValue would escape.
          .replace('</saml:Conditions>', `</saml:Conditions>${attributeStatement(o.attributes ?? {})}`);
        return { id: responseId, context: filled };
      },
    });
    return (context as { context: string }).context;
  };
  return {
    entityId: options.entityId,
    metadata,
    certificate: key.certificate,
    response: build,
    responseXml: async (o) => Buffer.from(await build(o), 'base64').toString('utf8'),
    async readRedirectRequest(rawQuery, spCertificate) {
      const sp = samlify.ServiceProvider({
        entityID: options.audience,
        assertionConsumerService: [{ Binding: POST, Location: options.recipient }],
        ...(spCertificate === undefined ? {} : { signingCert: spCertificate, authnRequestsSigned: true }),
      });
      // The signed octets are the encoded parameters as sent, in the binding's order.
      const raw = new Map(rawQuery.split('&').map((part) => [part.slice(0, part.indexOf('=')), part] as const));
      const octetString = ['SAMLRequest', 'RelayState', 'SigAlg'].flatMap((name) => (raw.has(name) ? [raw.get(name)!] : [])).join('&');
      const query = Object.fromEntries(new URLSearchParams(rawQuery));
      const parsed = await idp.parseLoginRequest(sp, 'redirect', { query, octetString } as never);
      const extract = parsed.extract as { request: { id: string }; issuer: string };
      return { id: extract.request.id, issuer: extract.issuer };
    },
  };
}
