/**
 * OpenID Connect for people (console sign-in): the authorization-code flow with PKCE, `state` and
 * `nonce` (RFC 9700, OpenID Connect Core 3.1), through openid-client 6, a certified relying-party
 * library, so no protocol step is written by hand here.
 *
 * 1. begin: a random state, nonce and PKCE verifier; the state's hash and the nonce are stored
 *    (`pending`, PENDING_SECONDS); the verifier goes to the browser's cookie (the caller sets it),
 *    binding the flow to the browser that started it; the answer is the provider's authorize URL.
 * 2. finish: the callback's state takes its pending row once (wrong or replayed: refused); the code
 *    is redeemed with the verifier, the ID token's nonce checked by openid-client, and the ID token
 *    verified again against the provider's registered keys (verifyWebIdentityToken, the same as
 *    AssumeRoleWithWebIdentity); then grantSignIn hands the console a one-time code.
 * Which providers: an account's OIDC providers tagged `portcullis:console-sign-in` (the tag's value
 * is the name shown on the sign-in page); the client is the provider's first client id, public
 * (no secret: PKCE protects the code).
 */
import { and, eq, gt } from 'drizzle-orm';
import * as client from 'openid-client';
import type { RequestFacts } from '../authz/guard.ts';
import type { Database } from '../db/client.ts';
import { federatedSignIns, oidcProviders } from '../db/schema/index.ts';
import type { OidcProvider } from '../iam/oidc-providers.ts';
import { grantSignIn } from './federated-sign-in.ts';
import { digestOf, refuse, sweepFederatedSignIns } from './sign-in-codes.ts';
import { consoleProvider } from './sign-in-providers.ts';
import { verifyWebIdentityToken } from './web-identity.ts';

/** How long a person has at the identity provider before the sign-in must start again. */
export const PENDING_SECONDS = 600;
/** What the console asks the provider for. */
const SCOPE = 'openid email profile';

/** Discovered client configurations by issuer and client id (discovery is a fetch; providers change rarely). */
const configurations = new Map<string, Promise<client.Configuration>>();
const MAX_CONFIGURATIONS = 100;

/** The provider's discovered configuration for its console client (public, PKCE). */
function clientConfiguration(provider: OidcProvider): Promise<client.Configuration> {
  const clientId = provider.clientIds[0] ?? '';
  const key = `${provider.url}\n${clientId}`;
  let found = configurations.get(key);
  if (found === undefined) {
    if (configurations.size >= MAX_CONFIGURATIONS) configurations.clear();
    // Plain http reaches only a loopback issuer outside production (isAllowedIssuerUrl).
    const insecure = provider.url.startsWith('http:') ? { execute: [client.allowInsecureRequests] } : {};
    found = client.discovery(new URL(provider.url), clientId, undefined, client.None(), { timeout: 5, ...insecure });
    found.catch(() => configurations.delete(key));
    configurations.set(key, found);
  }
  return found;
}

/** Where the person's browser goes next, and the PKCE verifier for its cookie. */
export interface BegunSignIn {
  readonly authorizationUrl: string;
  readonly codeVerifier: string;
}

/** Starts a sign-in with the provider `providerId` of `account` (id or alias). */
export async function beginOidcSignIn(
  database: Database,
  request: { account: string; providerId: string; redirectUri: string; facts: RequestFacts; now: Date },
): Promise<BegunSignIn> {
  const provider = await consoleProvider(database, request.account, request.providerId);
  if (provider === undefined) {
    throw await refuse(database, { reason: 'provider', message: 'no identity provider with that id signs people in to this account', clientAddress: request.facts.sourceIp });
  }
  let configuration: client.Configuration;
  try {
    configuration = await clientConfiguration(provider);
  } catch {
    throw await refuse(database, { reason: 'idp', message: `could not read the OpenID configuration of ${provider.url}`, accountId: provider.accountId, providerArn: provider.arn, clientAddress: request.facts.sourceIp });
  }
  await sweepFederatedSignIns(database, request.now);
  const state = client.randomState();
  const nonce = client.randomNonce();
  const codeVerifier = client.randomPKCECodeVerifier();
  await database.db.insert(federatedSignIns).values({
    id: digestOf(state),
    kind: 'pending',
    accountId: provider.accountId,
    providerArn: provider.arn,
    data: { nonce, redirectUri: request.redirectUri },
    expiresAt: new Date(request.now.getTime() + PENDING_SECONDS * 1000),
  });
  const url = client.buildAuthorizationUrl(configuration, {
    redirect_uri: request.redirectUri,
    scope: SCOPE,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  return { authorizationUrl: url.href, codeVerifier };
}

/** Why openid-client refused the authorization response or the token response (its errors wrap the cause). */
function reasonOf(error: unknown): 'nonce' | 'code' | 'idp' | 'token' {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 4; depth++) {
    const layer = e as { message?: unknown; error?: unknown; claim?: unknown; cause?: unknown };
    parts.push(String(layer.message ?? ''), String(layer.error ?? ''), String(layer.claim ?? ''));
    e = layer.cause;
  }
  const text = parts.join(' ');
  if (/nonce/i.test(text)) return 'nonce';
  if (/invalid_grant/.test(text)) return 'code';
  if (error instanceof TypeError || /fetch failed|timeout|abort/i.test(text)) return 'idp';
  return 'token';
}

/**
 * The callback: `callbackQuery` is the query string the provider redirected with, `codeVerifier`
 * the browser's cookie. Returns the one-time code for the console; every refusal is audited once.
 */
export async function finishOidcSignIn(
  database: Database,
  request: { callbackQuery: URLSearchParams; codeVerifier: string | undefined; facts: RequestFacts; now: Date },
): Promise<string> {
  const { callbackQuery: query, facts, now } = request;
  const state = query.get('state');
  const [pending] =
    state === null || state.length > 512
      ? []
      : await database.db
          .delete(federatedSignIns)
          .where(and(eq(federatedSignIns.id, digestOf(state)), eq(federatedSignIns.kind, 'pending'), gt(federatedSignIns.expiresAt, now)))
          .returning();
  if (pending === undefined) {
    throw await refuse(database, { reason: 'state', message: 'the state does not match a sign-in this service started, or was already used', clientAddress: facts.sourceIp });
  }
  const row = { accountId: pending.accountId, providerArn: pending.providerArn, clientAddress: facts.sourceIp };
  const { nonce, redirectUri } = pending.data as { nonce: string; redirectUri: string };
  if (query.has('error')) {
    throw await refuse(database, { ...row, reason: 'idp', message: `the identity provider refused the sign-in: ${String(query.get('error')).slice(0, 64)}` });
  }
  if (request.codeVerifier === undefined) {
    throw await refuse(database, { ...row, reason: 'state', message: 'the sign-in was started in another browser (no PKCE verifier cookie)' });
  }
  const provider = await consoleProviderByArn(database, pending.providerArn);
  if (provider === undefined) throw await refuse(database, { ...row, reason: 'provider', message: 'the identity provider was deleted during the sign-in' });

  let idToken: string | undefined;
  try {
    const configuration = await clientConfiguration(provider);
    const currentUrl = new URL(redirectUri);
    currentUrl.search = query.toString();
    const tokens = await client.authorizationCodeGrant(configuration, currentUrl, {
      pkceCodeVerifier: request.codeVerifier,
      expectedState: state!,
      expectedNonce: nonce,
      idTokenExpected: true,
    });
    idToken = tokens.id_token;
  } catch (error) {
    const reason = reasonOf(error);
    throw await refuse(database, { ...row, reason, message: `the identity provider's answer was refused (${reason}): ${String((error as Error)?.message ?? error).slice(0, 160)}` });
  }
  let verified: Awaited<ReturnType<typeof verifyWebIdentityToken>>;
  try {
    verified = await verifyWebIdentityToken(database, provider, idToken ?? '', now);
  } catch (error) {
    throw await refuse(database, { ...row, reason: 'token', message: `the ID token does not verify with the provider's keys: ${(error as Error).message}` });
  }
  // openid-client compared it already; a second look costs nothing.
  if (verified.payload['nonce'] !== nonce) throw await refuse(database, { ...row, reason: 'nonce', message: 'the ID token nonce differs from the one this sign-in sent' });
  return grantSignIn(database, { provider, claims: verified.payload, audience: verified.audience }, facts, now);
}

/** The provider row by ARN (the pending row names it). */
async function consoleProviderByArn(database: Database, arn: string): Promise<OidcProvider | undefined> {
  const [provider] = await database.db.select().from(oidcProviders).where(eq(oidcProviders.arn, arn));
  return provider;
}
