/**
 * Console sign-in through a SAML 2.0 provider, as AWS's SAML sign-in to the console works:
 *
 * 1. SP-initiated (begin): for a provider of the account tagged `portcullis:console-sign-in`, an
 *    AuthnRequest built by @node-saml/node-saml (signed when SAML_SP_PRIVATE_KEY is set) goes by
 *    HTTP-Redirect to the single sign-on URL of the provider's metadata; its id is remembered as a
 *    `pending` row (hashed, SAML_PENDING_SECONDS, at most MAX_OPEN_REQUESTS per account).
 * 2. The IdP posts its response to the assertion consumer service (finish). A response that says
 *    it answers a request (InResponseTo) must answer an open one, which it closes; one without is
 *    IdP-initiated and is accepted from a provider offered for console sign-in that its Role
 *    attribute names. The response is verified (saml-verify.ts), its assertion id spent in the
 *    replay store (saml-replay.ts), and the roles offered are the Role attribute's pairs through this
 *    provider whose trust policy allows sts:AssumeRoleWithSAML with the saml:* keys (saml-session.ts).
 *    Closing the request, spending the id and storing the console's one-time code are one transaction.
 * 3. The console exchanges the code with completeFederatedSignIn (federated-sign-in.ts), which calls
 *    openSamlSignInSession here: trust decided again for the chosen role, then a `saml` role session.
 */
import { randomBytes } from 'node:crypto';
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import { and, asc, count, eq, gt, sql } from 'drizzle-orm';
import type { RequestFacts } from '../authz/guard.ts';
import type { Database } from '../db/client.ts';
import { federatedSignIns, samlProviders } from '../db/schema/index.ts';
import { IamError } from '../errors.ts';
import type { Role } from '../iam/roles.ts';
import { samlSingleSignOnRedirectUrl } from '../iam/saml-metadata.ts';
import { findSamlProviderByArn, type SamlProvider } from '../iam/saml-providers.ts';
import { findRoleByArn } from './assume-role.ts';
import { MIN_SESSION_SECONDS } from './duration.ts';
import { ExpiredTokenError } from './errors.ts';
import { startRoleSession, type StartedRoleSession } from './role-session.ts';
import type { SamlServiceProvider } from './saml-assume-role.ts';
import { samlRolePairs } from './saml-claims.ts';
import { consumeSamlAssertion } from './saml-replay.ts';
import { samlSessionAttributes, samlTrustRefusal } from './saml-session.ts';
import { peekSamlResponse, verifySamlResponse, type VerifiedSamlAssertion } from './saml-verify.ts';
import { consoleSamlProvider, offersConsoleSignIn } from './sign-in-providers.ts';
import { digestOf, refuse, storeSignInCode, sweepFederatedSignIns, type ReadySignIn, type RefusalReason, type StoredSamlAssertion } from './sign-in-codes.ts';
import { SIGN_IN_SESSION_SECONDS } from './sign-in.ts';

/** How long a person has at the IdP before an SP-initiated sign-in must start again. */
export const SAML_PENDING_SECONDS = 600;
/** Open AuthnRequests one account may have at once: the pending store stays bounded whatever is asked. */
export const MAX_OPEN_REQUESTS = 1000;
/** Providers an IdP-initiated response may name in its Role attribute that are tried (each is a signature check). */
const MAX_IDP_INITIATED_PROVIDERS = 5;
/** The longest console session a SessionDuration attribute may ask for (AWS: 12 hours). */
const MAX_CONSOLE_SECONDS = 43_200;

/** Where Portcullis stands as a SAML service provider, with the optional AuthnRequest signing key. */
export interface SamlSignInServiceProvider extends SamlServiceProvider {
  /** PEM private key that signs AuthnRequests (SAML_SP_PRIVATE_KEY); unsigned when absent. */
  readonly signingKey?: string | undefined;
}

type Refusal = { reason: RefusalReason; message: string; detail?: string };

/**
 * SP-initiated sign-in with the provider `providerId` of `account` (id or alias): remembers a new
 * AuthnRequest id and returns the IdP's URL carrying the request (HTTP-Redirect binding).
 */
export async function beginSamlSignIn(
  database: Database,
  request: { account: string; providerId: string; sp: SamlSignInServiceProvider; facts: RequestFacts; now: Date },
): Promise<string> {
  const { now } = request;
  const provider = await consoleSamlProvider(database, request.account, request.providerId);
  if (provider === undefined) {
    throw await refuse(database, { reason: 'provider', message: 'the account offers no such identity provider for console sign-in', clientAddress: request.facts.sourceIp });
  }
  const refused = (r: Refusal) => refuse(database, { ...r, accountId: provider.accountId, providerArn: provider.arn, clientAddress: request.facts.sourceIp });
  const entryPoint = await samlSingleSignOnRedirectUrl(provider.metadataDocument);
  if (entryPoint === undefined) throw await refused({ reason: 'idp', message: "the SAML provider's metadata offers no HTTP-Redirect single sign-on service" });
  await sweepFederatedSignIns(database, now);
  const [open] = await database.db
    .select({ n: count() })
    .from(federatedSignIns)
    .where(and(eq(federatedSignIns.accountId, provider.accountId), eq(federatedSignIns.kind, 'pending'), gt(federatedSignIns.expiresAt, now)));
  if ((open?.n ?? 0) >= MAX_OPEN_REQUESTS) throw await refused({ reason: 'busy', message: `the account has ${MAX_OPEN_REQUESTS} sign-ins open; try again in a few minutes` });

  const requestId = `_${randomBytes(20).toString('hex')}`;
  const saml = new SAML({
    entryPoint,
    issuer: request.sp.audience,
    callbackUrl: request.sp.recipient,
    idpCert: [...provider.signingCertificates],
    generateUniqueId: () => requestId,
    // InResponseTo is checked against the database below, on whichever instance the response arrives.
    validateInResponseTo: ValidateInResponseTo.never,
    identifierFormat: null,
    disableRequestedAuthnContext: true,
    ...(request.sp.signingKey === undefined ? {} : { privateKey: request.sp.signingKey, signatureAlgorithm: 'sha256' as const }),
  });
  const url = await saml.getAuthorizeUrlAsync('', undefined, {});
  await database.db.insert(federatedSignIns).values({
    id: digestOf(requestId),
    kind: 'pending',
    accountId: provider.accountId,
    providerArn: provider.arn,
    data: { protocol: 'SAML' },
    expiresAt: new Date(now.getTime() + SAML_PENDING_SECONDS * 1000),
  });
  return url;
}

/** The pending SAML request `requestId` names, if open. */
function openRequest(requestId: string, now: Date) {
  return and(eq(federatedSignIns.id, digestOf(requestId)), eq(federatedSignIns.kind, 'pending'), sql`${federatedSignIns.data}->>'protocol' = 'SAML'`, gt(federatedSignIns.expiresAt, now));
}

/**
 * For an IdP-initiated response: the provider offered for console sign-in that issued it and that its
 * Role attribute names; for an encrypted assertion (whose attributes cannot be read before
 * decryption), the oldest offered provider whose entityID is the response's Issuer.
 */
async function idpInitiatedProvider(database: Database, hints: { issuer: string; roleAttributeValues: readonly string[] }): Promise<SamlProvider | undefined> {
  const arns = [...new Set(hints.roleAttributeValues.flatMap((v) => v.split(',').map((p) => p.trim())).filter((p) => /^arn:aws:iam::\d{12}:saml-provider\//.test(p)))];
  if (arns.length === 0 && hints.issuer !== '' && hints.issuer.length <= 1024) {
    const byIssuer = await database.db.select().from(samlProviders).where(eq(samlProviders.entityId, hints.issuer)).orderBy(asc(samlProviders.createdAt)).limit(MAX_IDP_INITIATED_PROVIDERS);
    return byIssuer.find(offersConsoleSignIn);
  }
  for (const arn of arns.slice(0, MAX_IDP_INITIATED_PROVIDERS)) {
    const provider = await findSamlProviderByArn(database.db, arn).catch(() => undefined);
    if (provider !== undefined && provider.entityId === hints.issuer && offersConsoleSignIn(provider)) return provider;
  }
  return undefined;
}

/** Why the verifier refused, as the sign-in names it. */
function verifierRefusal(error: IamError): Refusal {
  return { reason: error instanceof ExpiredTokenError ? 'expired' : 'assertion', message: 'the SAML response was refused', detail: `${error.code}: ${error.message}` };
}

/** Raised inside the closing transaction, turned into an audited refusal once it has rolled back. */
class ClosingRefused extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.message);
  }
}

/**
 * The assertion consumer service's work: verifies a posted SAMLResponse and returns the console's
 * one-time code. Every refusal is a FederatedSignInFailedError, audited once.
 */
export async function finishSamlSignIn(
  database: Database,
  request: { samlResponse: string; sp: SamlServiceProvider; facts: RequestFacts; now: Date },
): Promise<string> {
  const { samlResponse, sp, facts, now } = request;
  const clientAddress = facts.sourceIp;
  let hints: Awaited<ReturnType<typeof peekSamlResponse>>;
  try {
    hints = await peekSamlResponse(samlResponse, sp.decryptionKey !== undefined);
  } catch (error) {
    if (!(error instanceof IamError)) throw error;
    throw await refuse(database, { ...verifierRefusal(error), clientAddress });
  }
  const requestId = hints.inResponseTo;
  let provider: SamlProvider | undefined;
  if (requestId !== null) {
    const [pending] = requestId.length > 256 ? [] : await database.db.select().from(federatedSignIns).where(openRequest(requestId, now));
    if (pending === undefined) {
      throw await refuse(database, { reason: 'request', message: 'the SAML response answers no sign-in request this service has open (InResponseTo), or one already answered', clientAddress });
    }
    [provider] = await database.db.select().from(samlProviders).where(eq(samlProviders.arn, pending.providerArn));
    if (provider === undefined) throw await refuse(database, { reason: 'provider', message: 'the identity provider was deleted during the sign-in', accountId: pending.accountId, providerArn: pending.providerArn, clientAddress });
  } else {
    provider = await idpInitiatedProvider(database, hints);
    if (provider === undefined) throw await refuse(database, { reason: 'provider', message: 'no SAML provider offered for console sign-in issued this response', clientAddress });
  }
  const found = provider;
  const refused = (r: Refusal) => refuse(database, { ...r, accountId: found.accountId, providerArn: found.arn, clientAddress });

  let assertion: VerifiedSamlAssertion;
  let attributes: ReturnType<typeof samlSessionAttributes>;
  try {
    assertion = await verifySamlResponse({ samlResponse, provider, expectedAudience: sp.audience, expectedRecipient: sp.recipient, decryptionKey: sp.decryptionKey, now });
    attributes = samlSessionAttributes(assertion);
  } catch (error) {
    if (!(error instanceof IamError)) throw error;
    throw await refused(verifierRefusal(error));
  }
  if (assertion.inResponseTo !== requestId) throw await refused({ reason: 'request', message: 'the signed assertion answers another request than the response says' });

  const offered: Role[] = [];
  for (const pair of samlRolePairs(assertion).filter((p) => p.providerArn === found.arn)) {
    const role = await findRoleByArn(database, pair.roleArn);
    if (role !== undefined && (await samlTrustRefusal(database, { assertion, provider, attributes }, role, facts, now)) === undefined) offered.push(role);
  }
  if (offered.length === 0) {
    throw await refused({ reason: 'no-role', message: "no role of the assertion's Role attribute trusts this SAML provider for this person (sts:AssumeRoleWithSAML)" });
  }
  const data: ReadySignIn = {
    protocol: 'SAML',
    assertion: storedAssertion(assertion),
    sessionName: attributes.sessionName,
    roles: offered.map((r) => ({ roleArn: r.arn, roleName: r.name, accountId: r.accountId })),
  };
  try {
    return await database.db.transaction(async (tx) => {
      // The id is spent first, so a replayed response is named as such whichever way it came.
      try {
        await consumeSamlAssertion(tx, assertion, now);
      } catch (error) {
        if (error instanceof IamError) throw new ClosingRefused({ reason: 'replayed', message: 'the SAML assertion was already used', detail: error.message });
        throw error;
      }
      if (requestId !== null) {
        const closed = await tx.delete(federatedSignIns).where(openRequest(requestId, now)).returning({ id: federatedSignIns.id });
        if (closed.length === 0) throw new ClosingRefused({ reason: 'request', message: 'the sign-in request was answered already' });
      }
      return storeSignInCode(tx, { accountId: found.accountId, providerArn: found.arn, data, now });
    });
  } catch (error) {
    if (error instanceof ClosingRefused) throw await refused(error.refusal);
    throw error;
  }
}

/** A verified assertion as a ready row keeps it (without the request id, which is spent). */
function storedAssertion(a: VerifiedSamlAssertion): StoredSamlAssertion {
  return { ...a, inResponseTo: null, issueInstant: a.issueInstant.toISOString(), notOnOrAfter: a.notOnOrAfter.toISOString(), attributes: [...a.attributes] };
}

/** The verified assertion a ready row kept. */
function restoredAssertion(s: StoredSamlAssertion): VerifiedSamlAssertion {
  return { ...s, issueInstant: new Date(s.issueInstant), notOnOrAfter: new Date(s.notOnOrAfter), attributes: new Map(s.attributes) };
}

/**
 * The SAML half of completeFederatedSignIn, once the code is taken: the provider still there, the
 * chosen role's trust decided again with the assertion's keys, then a `saml` role session with the
 * assertion's tags and source identity, as long as its SessionDuration attribute asks (default one
 * hour), kept within 15 minutes, 12 hours and the role's MaxSessionDuration.
 */
export async function openSamlSignInSession(
  database: Database,
  taken: { row: { accountId: string; providerArn: string }; data: Extract<ReadySignIn, { protocol: 'SAML' }>; role: Role; facts: RequestFacts; now: Date },
): Promise<StartedRoleSession> {
  const { row, data, role, facts, now } = taken;
  const refused = (reason: RefusalReason, message: string) => refuse(database, { reason, message, ...row, clientAddress: facts.sourceIp });
  const provider = await findSamlProviderByArn(database.db, row.providerArn);
  if (provider === undefined) throw await refused('provider', 'the identity provider was deleted during the sign-in');
  const assertion = restoredAssertion(data.assertion);
  const attributes = samlSessionAttributes(assertion);
  if ((await samlTrustRefusal(database, { assertion, provider, attributes }, role, facts, now)) !== undefined) {
    throw await refused('role', `the role ${role.arn} no longer trusts this SAML provider for this person`);
  }
  const asked = attributes.durationSeconds ?? SIGN_IN_SESSION_SECONDS;
  const durationSeconds = Math.max(MIN_SESSION_SECONDS, Math.min(asked, MAX_CONSOLE_SECONDS, role.maxSessionDuration));
  return startRoleSession(database, {
    actor: { arn: provider.arn, accountId: role.accountId },
    role,
    sessionName: attributes.sessionName,
    durationSeconds,
    now,
    values: {
      kind: 'saml',
      sessionTags: attributes.tagging.tags,
      transitiveTagKeys: attributes.tagging.transitiveTagKeys,
      sourceIdentity: attributes.sourceIdentity ?? null,
      sourceArn: provider.arn,
    },
    audit: {
      kind: 'FederatedSignInSucceeded',
      payload: {
        protocol: 'SAML',
        provider: provider.arn,
        subject: assertion.nameId,
        assertionId: assertion.assertionId,
        durationSeconds,
        tagKeys: attributes.tagging.tags.map((t) => t.key),
        clientAddress: facts.sourceIp ?? null,
      },
    },
  });
}
