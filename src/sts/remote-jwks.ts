/**
 * The signing keys of a provider registered without an inline JWKS: OpenID discovery at
 * `<issuer>/.well-known/openid-configuration` names `jwks_uri`, whose key set is fetched and stored
 * on the provider (keys, their `kid`s shown as `keyIds`, `jwks_uri` and the fetch time), each fetch
 * one change-log row. Tokens are verified against the stored set; a token whose `kid` (or, without
 * one, whose algorithm) matches no stored key triggers one refetch, so key rotation at the issuer
 * is picked up. Bounded: at most one fetch per provider per REFETCH_INTERVAL_MS on this instance
 * (and none while a stored set is younger than that), and concurrent misses share one fetch, so
 * tokens with made-up `kid`s cannot make us hammer the issuer.
 * Every network step is bounded in time and size; failures become IdpCommunicationError.
 */
import { and, eq, isNotNull, isNull, or } from 'drizzle-orm';
import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import type { Database } from '../db/client.ts';
import { oidcProviders } from '../db/schema/index.ts';
import { runWrite } from '../changes/outbox.ts';
import { isAllowedIssuerUrl, validateJwks, type OidcProvider } from '../iam/oidc-providers.ts';
import { IdpCommunicationError } from './errors.ts';

/** How long one discovery or key-set request may take. */
const FETCH_TIMEOUT_MS = 5_000;
/** The largest discovery document or key set read. */
const MAX_BODY_BYTES = 256 * 1024;
/** At most one fetch per provider per this interval. */
export const REFETCH_INTERVAL_MS = 60_000;
/** Providers whose last fetch attempt this instance remembers; the oldest is forgotten first. */
const MAX_TRACKED = 1_000;

/** Last fetch attempt (wall ms) and the fetch in flight, per provider ARN, on this instance. */
const attempts = new Map<string, { at: number; pending?: Promise<JSONWebKeySet> }>();

/** Reads a JSON body of at most MAX_BODY_BYTES from `url`. */
async function fetchJson(url: string, what: string): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'error', headers: { accept: 'application/json' } });
  } catch (error) {
    throw new IdpCommunicationError(`could not fetch the issuer's ${what} ${url}: ${(error as Error).name}`);
  }
  if (!response.ok) throw new IdpCommunicationError(`the issuer's ${what} ${url} answered HTTP ${response.status}`);
  const length = Number(response.headers.get('content-length') ?? 0);
  if (length > MAX_BODY_BYTES) throw new IdpCommunicationError(`the issuer's ${what} ${url} is larger than ${MAX_BODY_BYTES} bytes`);
  try {
    const text = await response.text();
    if (text.length > MAX_BODY_BYTES) throw new Error('too large');
    return JSON.parse(text);
  } catch (error) {
    throw new IdpCommunicationError(`the issuer's ${what} ${url} is not JSON of at most ${MAX_BODY_BYTES} bytes: ${(error as Error).name}`);
  }
}

/** Discovery then the key set: the set (public keys only, usable by jose) and where it came from. */
async function discoverKeys(issuer: string): Promise<{ jwks: JSONWebKeySet; jwksUri: string }> {
  const where = `${issuer}/.well-known/openid-configuration`;
  const jwksUri = ((await fetchJson(where, 'discovery document')) as { jwks_uri?: unknown } | null)?.jwks_uri;
  if (typeof jwksUri !== 'string' || !isAllowedIssuerUrl(jwksUri, { allowQuery: true })) {
    throw new IdpCommunicationError(`the issuer's discovery document ${where} has no usable jwks_uri`);
  }
  const body = await fetchJson(jwksUri, 'key set');
  try {
    return { jwks: validateJwks(JSON.stringify(body), 'jwks') as JSONWebKeySet, jwksUri };
  } catch (error) {
    throw new IdpCommunicationError(`the issuer's key set ${jwksUri} is not usable: ${(error as Error).message}`);
  }
}

/** Fetches and stores the provider's keys (one change-log row), unless stored inline meanwhile. */
async function fetchAndStore(database: Database, provider: OidcProvider, now: Date): Promise<JSONWebKeySet> {
  const { jwks, jwksUri } = await discoverKeys(provider.url);
  const keyIds = jwks.keys.map((k) => k.kid).filter((kid): kid is string => typeof kid === 'string');
  await runWrite(database, { arn: provider.arn, accountId: provider.accountId }, async (tx, record) => {
    const stored = await tx
      .update(oidcProviders)
      .set({ jwks: jwks as { keys: Record<string, unknown>[] }, jwksUri, jwksFetchedAt: now })
      // Never replace keys an administrator gave inline.
      .where(and(eq(oidcProviders.arn, provider.arn), or(isNotNull(oidcProviders.jwksUri), isNull(oidcProviders.jwks))))
      .returning({ arn: oidcProviders.arn });
    if (stored.length === 0) return;
    record({ kind: 'OpenIDConnectProviderKeysFetched', entityType: 'oidc-provider', entityArn: provider.arn, affectedPrincipalIds: [], payload: { url: provider.url, jwksUri, keyIds } });
  });
  return jwks;
}

/**
 * A fetch of the provider's keys if one is due, else undefined: none in flight or made within
 * REFETCH_INTERVAL_MS here, and the stored set (if any) older than that. Concurrent callers share
 * the fetch in flight.
 */
function fetchIfDue(database: Database, provider: OidcProvider, now: Date): Promise<JSONWebKeySet> | undefined {
  const last = attempts.get(provider.arn);
  if (last?.pending !== undefined) return last.pending;
  const nowMs = now.getTime();
  if (last !== undefined && nowMs - last.at < REFETCH_INTERVAL_MS) return undefined;
  if (provider.jwksFetchedAt !== null && provider.jwks !== null && nowMs - provider.jwksFetchedAt.getTime() < REFETCH_INTERVAL_MS) return undefined;
  const entry: { at: number; pending?: Promise<JSONWebKeySet> } = { at: nowMs };
  entry.pending = fetchAndStore(database, provider, now).finally(() => delete entry.pending);
  attempts.delete(provider.arn);
  if (attempts.size >= MAX_TRACKED) attempts.delete(attempts.keys().next().value!);
  attempts.set(provider.arn, entry);
  return entry.pending;
}

/** Whether the provider's keys come from its issuer (not given inline). */
export function usesIssuerKeys(provider: OidcProvider): boolean {
  return provider.jwks === null || provider.jwksUri !== null;
}

/**
 * The key resolver jose verifies a token of this provider with: its stored keys, fetched first
 * when there are none, refetched once (when due) when the token names a key they lack.
 */
export function issuerKeySet(database: Database, provider: OidcProvider, now: Date): JWTVerifyGetKey {
  return async (header, token) => {
    let jwks = provider.jwks as JSONWebKeySet | null;
    if (jwks === null) {
      const first = fetchIfDue(database, provider, now);
      if (first === undefined) throw new IdpCommunicationError(`the signing keys of issuer ${provider.url} were fetched less than a minute ago without success`);
      jwks = await first;
    }
    try {
      return await createLocalJWKSet(jwks)(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
      const fresh = fetchIfDue(database, provider, now);
      if (fresh === undefined) throw error;
      return createLocalJWKSet(await fresh)(header, token);
    }
  };
}
