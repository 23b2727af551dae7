/**
 * Reads a SAML 2.0 identity provider's metadata document (CreateSAMLProvider's
 * SAMLMetadataDocument): its `entityID` (the Issuer its assertions carry), its signing certificates
 * and `validUntil`. Parsing is @node-saml/node-saml's own (xmldom, which resolves no external
 * entity); nothing here touches signatures. Every refusal is a ValidationError on the field.
 */
import { X509Certificate } from 'node:crypto';
import { parseDomFromString, xpath } from '@node-saml/node-saml/lib/xml.js';
import { ValidationError } from '../errors.ts';

/**
 * Largest metadata document accepted, in characters. AWS allows up to 10,000,000; Portcullis keeps the
 * document in a row and reads it on every GetSAMLProvider, so it caps it at 256 KiB, which holds the
 * metadata of real IdPs (a few KiB, or tens with many certificates) with room to spare.
 */
export const MAX_METADATA_CHARS = 262_144;
/** AWS's minimum length of SAMLMetadataDocument. */
const MIN_METADATA_CHARS = 1_000;
/** Signing certificates kept per provider (rollover needs two; more is a sign of a mistake). */
const MAX_SIGNING_CERTIFICATES = 10;

/** What a provider keeps from its metadata. */
export interface SamlMetadata {
  readonly entityId: string;
  /** Base64 DER bodies of the signing certificates. */
  readonly signingCertificates: readonly string[];
  readonly validUntil: Date | null;
}

const MD = "namespace-uri(.)='urn:oasis:names:tc:SAML:2.0:metadata'";
const DS = "namespace-uri(.)='http://www.w3.org/2000/09/xmldsig#'";

/** Parses and checks `document`; `field` names the input in errors. */
export async function parseSamlMetadata(document: string, field = 'input.samlMetadataDocument'): Promise<SamlMetadata> {
  if (document.length < MIN_METADATA_CHARS || document.length > MAX_METADATA_CHARS) {
    throw new ValidationError(field, 'length', `${field} must be ${MIN_METADATA_CHARS}-${MAX_METADATA_CHARS} characters long (it has ${document.length})`);
  }
  if (/<!DOCTYPE/i.test(document)) throw new ValidationError(field, 'doctype', `${field} must not contain a document type declaration`);
  let doc: Document;
  try {
    doc = await parseDomFromString(document);
  } catch {
    throw new ValidationError(field, 'xml', `${field} is not well-formed XML`);
  }
  const root = doc.documentElement;
  if (root === null || root.localName !== 'EntityDescriptor' || root.namespaceURI !== 'urn:oasis:names:tc:SAML:2.0:metadata') {
    throw new ValidationError(field, 'metadata', `${field} must be one SAML 2.0 md:EntityDescriptor`);
  }
  const entityId = root.getAttribute('entityID') ?? '';
  if (entityId.length < 1 || entityId.length > 1024) throw new ValidationError(field, 'entity-id', `${field} must give the IdP's entityID (1-1024 characters)`);
  const idps = xpath.selectElements(root, `./*[local-name(.)='IDPSSODescriptor' and ${MD}]`);
  if (idps.length !== 1) throw new ValidationError(field, 'metadata', `${field} must describe one identity provider (md:IDPSSODescriptor)`);
  const keyDescriptors = xpath
    .selectElements(idps[0]!, `./*[local-name(.)='KeyDescriptor' and ${MD}]`)
    .filter((k) => !k.hasAttribute('use') || k.getAttribute('use') === 'signing');
  const certificates = keyDescriptors.flatMap((k) =>
    xpath.selectElements(k, `./*[local-name(.)='KeyInfo' and ${DS}]/*[local-name(.)='X509Data' and ${DS}]/*[local-name(.)='X509Certificate' and ${DS}]`),
  );
  if (certificates.length === 0) throw new ValidationError(field, 'certificate', `${field} must hold the IdP's signing certificate (md:KeyDescriptor use="signing")`);
  if (certificates.length > MAX_SIGNING_CERTIFICATES) {
    throw new ValidationError(field, 'certificate', `${field} may hold at most ${MAX_SIGNING_CERTIFICATES} signing certificates`);
  }
  const signingCertificates = [...new Set(certificates.map((c) => (c.textContent ?? '').replace(/\s+/g, '')))];
  signingCertificates.forEach((body, i) => {
    try {
      new X509Certificate(Buffer.from(body, 'base64'));
    } catch {
      throw new ValidationError(field, 'certificate', `${field}: signing certificate ${i + 1} is not an X.509 certificate`);
    }
  });
  const validUntilText = root.getAttribute('validUntil');
  let validUntil: Date | null = null;
  if (validUntilText !== null && validUntilText !== '') {
    validUntil = new Date(validUntilText);
    if (Number.isNaN(validUntil.getTime())) throw new ValidationError(field, 'valid-until', `${field}: validUntil ${JSON.stringify(validUntilText.slice(0, 40))} is not a date`);
  }
  return { entityId, signingCertificates, validUntil };
}

const REDIRECT_BINDING = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';

/**
 * The IdP's single sign-on URL for the HTTP-Redirect binding (SP-initiated sign-in sends the
 * AuthnRequest there), from a stored metadata document; undefined when it offers none, or one that
 * is not an http(s) URL.
 */
export async function samlSingleSignOnRedirectUrl(document: string): Promise<string | undefined> {
  let doc: Document;
  try {
    doc = await parseDomFromString(document);
  } catch {
    return undefined;
  }
  const services = xpath.selectElements(doc, `//*[local-name(.)='IDPSSODescriptor' and ${MD}]/*[local-name(.)='SingleSignOnService' and ${MD}]`);
  const location = services.find((s) => s.getAttribute('Binding') === REDIRECT_BINDING)?.getAttribute('Location') ?? '';
  try {
    const url = new URL(location);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
