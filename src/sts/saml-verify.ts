/**
 * Verifies an IdP's SAML 2.0 Response (HTTP-POST binding, base64) against a registered SAML provider,
 * for AssumeRoleWithSAML and console sign-in. Signature checking is @node-saml/node-saml's (xml-crypto
 * underneath): it accepts a signed Response or a signed Assertion, refuses more than one assertion
 * (signature wrapping), and hands back only the bytes the signature covers; every field below is read
 * from those verified bytes, never from the document as posted. On top of it this module checks, with
 * the caller's clock: the issuer, the audience, the bearer subject confirmation's Recipient, the
 * time windows (with SAML_CLOCK_SKEW_SECONDS of tolerance), the metadata's validUntil, the response
 * status, and that the document carries no XML comment (the NameID comment truncation attack) and no
 * DOCTYPE. An EncryptedAssertion is decrypted by node-saml (xml-encryption) with the service
 * provider's key (SAML_SP_DECRYPTION_KEY) and its signature checked on the plaintext; without a key
 * it is refused. It stores nothing: replay is the caller's step (saml-replay.ts), once it accepts.
 */
import { SAML } from '@node-saml/node-saml';
import { parseDomFromString, xpath } from '@node-saml/node-saml/lib/xml.js';
import { ExpiredTokenError, IdpRejectedClaimError, InvalidIdentityTokenError } from './errors.ts';

/** Tolerance for the IdP's clock on NotBefore / NotOnOrAfter, as a documented constant (docs/federation.md). */
export const SAML_CLOCK_SKEW_SECONDS = 120;
/** Largest base64 SAMLResponse accepted (AWS's SAMLAssertion allows 100,000 characters). */
export const MAX_SAML_RESPONSE_CHARS = 100_000;

/** What the verifier needs of a registered provider (a `saml_providers` row has these fields). */
export interface SamlProviderRecord {
  readonly arn: string;
  /** The IdP's entityID: the Issuer its assertions must carry. */
  readonly entityId: string;
  /** Base64 DER bodies of its signing certificates. */
  readonly signingCertificates: readonly string[];
  readonly validUntil: Date | null;
}

/** Verifier input. */
export interface VerifySamlResponseInput {
  /** The SAMLResponse form field as posted: base64 of the Response XML. */
  readonly samlResponse: string;
  readonly provider: SamlProviderRecord;
  /** The service provider's entity id the assertion's AudienceRestriction must name. */
  readonly expectedAudience: string;
  /** The endpoint the IdP posted to: the bearer SubjectConfirmationData's Recipient must equal it. */
  readonly expectedRecipient: string;
  /** PEM private key that decrypts an EncryptedAssertion; absent, encrypted assertions are refused. */
  readonly decryptionKey?: string | undefined;
  readonly now: Date;
}

/** The facts of a verified assertion. Attribute values keep their order; an attribute may have several. */
export interface VerifiedSamlAssertion {
  readonly assertionId: string;
  readonly issuer: string;
  readonly nameId: string;
  readonly nameIdFormat: string | null;
  readonly nameQualifier: string | null;
  readonly spNameQualifier: string | null;
  readonly audiences: readonly string[];
  readonly recipient: string;
  /** The Response's (or the confirmation's) InResponseTo, for SP-initiated flows to match against their request; null when IdP-initiated. */
  readonly inResponseTo: string | null;
  readonly sessionIndex: string | null;
  readonly issueInstant: Date;
  /** The earliest NotOnOrAfter of the assertion's conditions and its bearer confirmation: keep the id in the replay store until then plus the skew. */
  readonly notOnOrAfter: Date;
  readonly attributes: ReadonlyMap<string, readonly string[]>;
}

const ASSERTION_NS = "namespace-uri(.)='urn:oasis:names:tc:SAML:2.0:assertion'";
const SAMLP = "namespace-uri(.)='urn:oasis:names:tc:SAML:2.0:protocol'";
const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';
const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
/** Elements an assertion is searched for (bounded by the response size cap). */
const MAX_ATTRIBUTES = 256;
const MAX_VALUES = 256;

const invalid = (message: string) => new InvalidIdentityTokenError(message);

/** The children of `node` named `name` in the SAML assertion namespace. */
function children(node: Node, name: string, ns = ASSERTION_NS): Element[] {
  return xpath.selectElements(node, `./*[local-name(.)='${name}' and ${ns}]`);
}

/** The one child `name` of `node`, or undefined. */
function child(node: Node, name: string): Element | undefined {
  const found = children(node, name);
  if (found.length > 1) throw invalid(`the SAML assertion has more than one ${name}`);
  return found[0];
}

/** A date attribute, or null when absent; refuses one that does not parse. */
function dateAttribute(element: Element | undefined, name: string): Date | null {
  const text = element?.getAttribute(name);
  if (text === undefined || text === null || text === '') return null;
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw invalid(`the SAML assertion's ${name} ${JSON.stringify(text.slice(0, 40))} is not a date`);
  return date;
}

/**
 * Whether `node` or any descendant is an XML comment. Walks the whole document (which the size cap
 * bounds) with an explicit stack, so deep nesting cannot exhaust the call stack.
 */
function hasComment(node: Node): boolean {
  const pending: Node[] = [node];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    for (let c = next.firstChild; c !== null; c = c.nextSibling) {
      if (c.nodeType === 8) return true;
      pending.push(c);
    }
  }
  return false;
}

/** Checks `now` against a NotBefore / NotOnOrAfter pair with the clock skew. */
function checkWindow(now: Date, notBefore: Date | null, notOnOrAfter: Date | null, what: string): void {
  const skew = SAML_CLOCK_SKEW_SECONDS * 1000;
  if (notBefore !== null && now.getTime() + skew < notBefore.getTime()) throw invalid(`the SAML assertion's ${what} is not valid yet (NotBefore ${notBefore.toISOString()})`);
  if (notOnOrAfter !== null && now.getTime() - skew >= notOnOrAfter.getTime()) throw new ExpiredTokenError(`the SAML assertion's ${what} has expired (NotOnOrAfter ${notOnOrAfter.toISOString()})`);
}

/** The posted document, parsed, with the checks that need the document as posted (not only the signed bytes). */
async function parsePosted(samlResponse: string, decryptable = false): Promise<{ xml: string; doc: Document; encrypted: boolean }> {
  if (samlResponse.length === 0 || samlResponse.length > MAX_SAML_RESPONSE_CHARS) {
    throw invalid(`the SAML response must be 1-${MAX_SAML_RESPONSE_CHARS} characters of base64`);
  }
  if (!/^[A-Za-z0-9+/=\s]+$/.test(samlResponse)) throw invalid('the SAML response is not base64');
  const xml = Buffer.from(samlResponse, 'base64').toString('utf8');
  if (/<!DOCTYPE/i.test(xml)) throw invalid('the SAML response must not contain a document type declaration');
  let doc: Document;
  try {
    doc = await parseDomFromString(xml);
  } catch {
    throw invalid('the SAML response is not well-formed XML');
  }
  const root = doc.documentElement;
  if (root === null || root.localName !== 'Response' || root.namespaceURI !== 'urn:oasis:names:tc:SAML:2.0:protocol') {
    throw invalid('the SAML response is not a samlp:Response');
  }
  // Canonicalisation drops comments, so a comment inside a signed NameID keeps the signature valid while
  // splitting the text a careless reader takes: refuse any comment outright (IdPs never send one).
  if (hasComment(doc)) throw invalid('the SAML response contains an XML comment');
  const status = xpath.selectElements(root, `./*[local-name(.)='Status' and ${SAMLP}]/*[local-name(.)='StatusCode' and ${SAMLP}]`)[0];
  if (status?.getAttribute('Value') !== SUCCESS) {
    throw new IdpRejectedClaimError(`the identity provider did not report success (${JSON.stringify((status?.getAttribute('Value') ?? 'no status').slice(0, 100))})`);
  }
  const assertions = xpath.selectElements(doc, `//*[(local-name(.)='Assertion' or local-name(.)='EncryptedAssertion') and ${ASSERTION_NS}]`);
  if (assertions.length !== 1) throw invalid('the SAML response must hold exactly one assertion');
  const encrypted = assertions[0]!.localName === 'EncryptedAssertion';
  if (encrypted && !decryptable) throw invalid('the SAML response holds an encrypted assertion and this service has no decryption key (SAML_SP_DECRYPTION_KEY)');
  return { xml, doc, encrypted };
}

/** What a posted response claims before any check: only to choose the provider and request to verify it against. */
export interface UnverifiedSamlHints {
  /** The Issuer of the response (or of its assertion). */
  readonly issuer: string;
  /** The request it says it answers, from the Response or its bearer confirmation. */
  readonly inResponseTo: string | null;
  /** The provider ARNs its Role attribute names (IdP-initiated sign-in finds the provider by them, as AWS does). */
  readonly roleAttributeValues: readonly string[];
}

/**
 * Reads routing hints from a posted response with the same parsing and document checks as the
 * verifier (size, base64, no DOCTYPE or comment, Success status, one assertion). Nothing returned
 * is trusted: the caller verifies the response against the provider the hints lead to, and
 * compares again with what the verified assertion says.
 */
export async function peekSamlResponse(samlResponse: string, decryptable = false): Promise<UnverifiedSamlHints> {
  const { doc } = await parsePosted(samlResponse, decryptable);
  const root = doc.documentElement!;
  // Undefined when the assertion is encrypted: then only the Response's own elements are read.
  const assertion = xpath.selectElements(doc, `//*[local-name(.)='Assertion' and ${ASSERTION_NS}]`)[0];
  const issuer = (children(root, 'Issuer')[0]?.textContent ?? (assertion === undefined ? undefined : children(assertion, 'Issuer')[0]?.textContent) ?? '').trim();
  const confirmation =
    assertion === undefined ? undefined : xpath.selectElements(assertion, `./*[local-name(.)='Subject']/*[local-name(.)='SubjectConfirmation']/*[local-name(.)='SubjectConfirmationData']`)[0];
  const inResponseTo = root.getAttribute('InResponseTo') || confirmation?.getAttribute('InResponseTo') || null;
  const roleAttributeValues = (
    assertion === undefined
      ? []
      : xpath.selectElements(assertion, `./*[local-name(.)='AttributeStatement']/*[local-name(.)='Attribute' and @Name='https://aws.amazon.com/SAML/Attributes/Role']/*[local-name(.)='AttributeValue']`)
  )
    .slice(0, MAX_VALUES)
    .map((v) => (v.textContent ?? '').trim());
  return { issuer, inResponseTo, roleAttributeValues };
}

/** Verifies the signature with node-saml and returns the assertion as the signature covers it. */
async function signedAssertion(
  samlResponse: string,
  provider: SamlProviderRecord,
  expected: { audience: string; recipient: string },
  decryptionKey: string | undefined,
  encrypted: boolean,
): Promise<Element> {
  const { audience: expectedAudience, recipient: expectedRecipient } = expected;
  if (provider.signingCertificates.length === 0) throw invalid('the SAML provider has no signing certificate');
  const saml = new SAML({
    idpCert: [...provider.signingCertificates],
    idpIssuer: provider.entityId,
    issuer: expectedAudience,
    audience: expectedAudience,
    callbackUrl: expectedRecipient,
    // Either the Response or the Assertion must carry a valid signature (node-saml's rule when both are false).
    wantAssertionsSigned: false,
    wantAuthnResponseSigned: false,
    // Time windows are checked below with the caller's clock, not node-saml's.
    acceptedClockSkewMs: -1,
    ...(decryptionKey === undefined ? {} : { decryptionPvk: decryptionKey }),
  });
  let assertionXml: string;
  try {
    const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: samlResponse });
    if (profile === null) throw new Error('no assertion');
    assertionXml = profile.getAssertionXml?.() ?? '';
  } catch (error) {
    const message = (error as Error).message ?? '';
    if (/audience/i.test(message)) throw invalid(`the SAML assertion's audience is not ${JSON.stringify(expectedAudience)}`);
    if (/issuer/i.test(message)) throw invalid('the SAML assertion was not issued by the provider');
    // Any other failure of an encrypted assertion happened before its signature could be checked: the decryption.
    if (decryptionKey !== undefined && encrypted && !/signature/i.test(message)) throw invalid("the SAML assertion does not decrypt with this service provider's key");
    throw invalid('the SAML response signature does not verify with the provider certificates');
  }
  const verified = (await parseDomFromString(assertionXml)).documentElement;
  if (verified === null || verified.localName !== 'Assertion') throw invalid('the signed content is not a SAML assertion');
  // A decrypted assertion was not part of the posted document's comment check.
  if (hasComment(verified)) throw invalid('the SAML assertion contains an XML comment');
  return verified;
}

/** The assertion's attributes by Name, each with its values' text. */
function readAttributes(assertion: Element): Map<string, string[]> {
  const attributes = new Map<string, string[]>();
  const elements = children(assertion, 'AttributeStatement').flatMap((s) => children(s, 'Attribute'));
  if (elements.length > MAX_ATTRIBUTES) throw invalid(`the SAML assertion has more than ${MAX_ATTRIBUTES} attributes`);
  for (const attribute of elements) {
    const name = attribute.getAttribute('Name') ?? '';
    const values = children(attribute, 'AttributeValue').map((v) => (v.textContent ?? '').trim());
    if (values.length > MAX_VALUES) throw invalid(`the SAML attribute ${JSON.stringify(name.slice(0, 100))} has more than ${MAX_VALUES} values`);
    attributes.set(name, [...(attributes.get(name) ?? []), ...values]);
  }
  return attributes;
}

/**
 * Verifies a posted SAML Response for `provider`. Throws InvalidIdentityTokenError (bad document,
 * signature, issuer, audience, recipient, not yet valid), ExpiredTokenError (a window has passed, or
 * the provider's metadata has) or IdpRejectedClaimError (a non-Success status); each names the rule.
 */
export async function verifySamlResponse(input: VerifySamlResponseInput): Promise<VerifiedSamlAssertion> {
  const { provider, now } = input;
  if (provider.validUntil !== null && now.getTime() >= provider.validUntil.getTime()) {
    throw new ExpiredTokenError(`the SAML provider's metadata expired at ${provider.validUntil.toISOString()}; update it with updateSAMLProvider`);
  }
  const { doc, encrypted } = await parsePosted(input.samlResponse, input.decryptionKey !== undefined);
  const expected = { audience: input.expectedAudience, recipient: input.expectedRecipient };
  const assertion = await signedAssertion(input.samlResponse, provider, expected, input.decryptionKey, encrypted);

  const assertionId = assertion.getAttribute('ID') ?? '';
  if (assertionId === '' || assertionId.length > 256) throw invalid('the SAML assertion has no ID');
  const issuer = (child(assertion, 'Issuer')?.textContent ?? '').trim();
  if (issuer !== provider.entityId) throw invalid('the SAML assertion was not issued by the provider');
  const issueInstant = dateAttribute(assertion, 'IssueInstant');
  if (issueInstant === null) throw invalid('the SAML assertion has no IssueInstant');

  const conditions = child(assertion, 'Conditions');
  const conditionsNotOnOrAfter = dateAttribute(conditions, 'NotOnOrAfter');
  checkWindow(now, dateAttribute(conditions, 'NotBefore'), conditionsNotOnOrAfter, 'Conditions');
  const restrictions = conditions === undefined ? [] : children(conditions, 'AudienceRestriction');
  const audienceLists = restrictions.map((r) => children(r, 'Audience').map((a) => (a.textContent ?? '').trim()));
  // Every AudienceRestriction must be satisfied (SAML Core 2.5.1.4), and there must be one.
  if (audienceLists.length === 0 || audienceLists.some((list) => !list.includes(input.expectedAudience))) {
    throw invalid(`the SAML assertion's audience is not ${JSON.stringify(input.expectedAudience)}`);
  }

  const subject = child(assertion, 'Subject');
  const nameIdElement = subject === undefined ? undefined : child(subject, 'NameID');
  const nameId = (nameIdElement?.textContent ?? '').trim();
  if (nameId === '') throw invalid('the SAML assertion has no Subject NameID');
  const bearer = (subject === undefined ? [] : children(subject, 'SubjectConfirmation')).filter((c) => c.getAttribute('Method') === BEARER);
  const data = bearer.map((c) => children(c, 'SubjectConfirmationData')[0]).filter((d): d is Element => d !== undefined);
  const confirmation = data.find((d) => d.getAttribute('Recipient') === input.expectedRecipient);
  if (confirmation === undefined) throw invalid(`the SAML assertion's bearer SubjectConfirmationData Recipient is not ${JSON.stringify(input.expectedRecipient)}`);
  const confirmationNotOnOrAfter = dateAttribute(confirmation, 'NotOnOrAfter');
  checkWindow(now, dateAttribute(confirmation, 'NotBefore'), confirmationNotOnOrAfter, 'SubjectConfirmationData');
  const ends = [conditionsNotOnOrAfter, confirmationNotOnOrAfter].filter((d): d is Date => d !== null);
  if (ends.length === 0) throw invalid('the SAML assertion has no NotOnOrAfter, so it could be replayed forever');

  const responseInResponseTo = doc.documentElement?.getAttribute('InResponseTo') || null;
  const confirmationInResponseTo = confirmation.getAttribute('InResponseTo') || null;
  if (responseInResponseTo !== null && confirmationInResponseTo !== null && responseInResponseTo !== confirmationInResponseTo) {
    throw invalid('the SAML response and its subject confirmation answer different requests (InResponseTo)');
  }
  const authn = child(assertion, 'AuthnStatement');
  return {
    assertionId,
    issuer,
    nameId,
    nameIdFormat: nameIdElement?.getAttribute('Format') || null,
    nameQualifier: nameIdElement?.getAttribute('NameQualifier') || null,
    spNameQualifier: nameIdElement?.getAttribute('SPNameQualifier') || null,
    audiences: audienceLists.flat(),
    recipient: input.expectedRecipient,
    // The signed confirmation's InResponseTo wins; the Response's is used only when the assertion has none.
    inResponseTo: confirmationInResponseTo ?? responseInResponseTo,
    sessionIndex: authn?.getAttribute('SessionIndex') || null,
    issueInstant,
    notOnOrAfter: new Date(Math.min(...ends.map((d) => d.getTime()))),
    attributes: readAttributes(assertion),
  };
}
