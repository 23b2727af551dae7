/**
 * The signing keys of a provider registered without an inline JWKS: OpenID discovery at
 * `<issuer>/.well-known/openid-configuration` names `jwks_uri`, and jose's `createRemoteJWKSet`
 * fetches and caches that key set (its own cache age and cooldown decide when to refetch).
 * Every network step is bounded by FETCH_TIMEOUT_MS; failures become IdpCommunicationError.
 */
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import { isAllowedIssuerUrl } from '../iam/oidc-providers.ts';
import { IdpCommunicationError } from './errors.ts';

/** How long one discovery or key-set request may take. */
const FETCH_TIMEOUT_MS = 5_000;
/** Key sets kept at once; the oldest is dropped first so deleted providers do not pile up. */
const MAX_CACHED = 500;

/** Discovered key sets by provider ARN and issuer URL; a failed discovery is not cached. */
const keySets = new Map<string, Promise<JWTVerifyGetKey>>();

/** Fetches the issuer's discovery document and returns its `jwks_uri`, checked like an issuer URL. */
async function discoverJwksUri(issuer: string): Promise<URL> {
  const where = `${issuer}/.well-known/openid-configuration`;
  let document: unknown;
  try {
    const response = await fetch(where, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'error', headers: { accept: 'application/json' } });
    if (!response.ok) throw new IdpCommunicationError(`the issuer's discovery document ${where} answered HTTP ${response.status}`);
    document = await response.json();
  } catch (error) {
    if (error instanceof IdpCommunicationError) throw error;
    throw new IdpCommunicationError(`could not fetch the issuer's discovery document ${where}: ${(error as Error).name}`);
  }
  const jwksUri = (document as { jwks_uri?: unknown } | null)?.jwks_uri;
  if (typeof jwksUri !== 'string' || !isAllowedIssuerUrl(jwksUri, { allowQuery: true })) {
    throw new IdpCommunicationError(`the issuer's discovery document ${where} has no usable jwks_uri`);
  }
  return new URL(jwksUri);
}

/** The cached remote key set of a provider, discovering it on first use. */
export function remoteKeySet(provider: { readonly arn: string; readonly url: string }): Promise<JWTVerifyGetKey> {
  const cacheKey = `${provider.arn} ${provider.url}`;
  const cached = keySets.get(cacheKey);
  if (cached !== undefined) return cached;
  const pending = discoverJwksUri(provider.url).then((uri) => createRemoteJWKSet(uri, { timeoutDuration: FETCH_TIMEOUT_MS }));
  pending.catch(() => keySets.delete(cacheKey));
  if (keySets.size >= MAX_CACHED) keySets.delete(keySets.keys().next().value!);
  keySets.set(cacheKey, pending);
  return pending;
}
