/**
 * OpenID Connect identity providers (CreateOpenIDConnectProvider, GetOpenIDConnectProvider,
 * ListOpenIDConnectProviders, DeleteOpenIDConnectProvider). A provider is trusted by role trust
 * policies as `"Principal": {"Federated": "<provider ARN>"}`. The issuer's JSON Web Key Set is either
 * given inline when the provider is registered, or (without `jwks`) fetched through OpenID discovery
 * when a token is verified (src/sts/remote-jwks.ts).
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { createLocalJWKSet } from 'jose';
import type { Database } from '../db/client.ts';
import { oidcProviders, type Tag } from '../db/schema/index.ts';
import { runWrite, type WriteActor, type WriteResult } from '../changes/outbox.ts';
import type { Queryable } from './affected-principals.ts';
import { EntityAlreadyExistsError, LimitExceededError, NoSuchEntityError, ValidationError } from '../errors.ts';
import { rethrowUniqueViolation } from './unique-violation.ts';
import { validateTags } from './validation.ts';

/** A stored provider row. */
export type OidcProvider = typeof oidcProviders.$inferSelect;

/** IAM quotas: 100 client ids and 5 thumbprints per provider, 100 providers per account. */
export const MAX_CLIENT_IDS = 100;
const MAX_THUMBPRINTS = 5;
const MAX_PROVIDERS = 100;

/** The provider ARN for an issuer URL: `arn:aws:iam::<account>:oidc-provider/<host><path>`. */
export function oidcProviderArn(accountId: string, url: string): string {
  return `arn:aws:iam::${accountId}:oidc-provider/${issuerKey(url)}`;
}

/** An issuer URL without `https://` and trailing `/`: the provider's name and its condition-key prefix. */
export function issuerKey(url: string): string {
  return url.replace(/^https?:\/\//i, '').replace(/\/+$/, '');
}

/**
 * Whether Portcullis may trust and fetch from this URL: https, or plain http to 127.0.0.1/localhost
 * outside production (so tests and local issuers can serve keys); no fragment or credentials.
 */
export function isAllowedIssuerUrl(value: string, options: { allowQuery?: boolean } = {}): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  const loopback = url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === 'localhost') && process.env['NODE_ENV'] !== 'production';
  return (url.protocol === 'https:' || loopback) && (options.allowQuery === true || url.search === '') && url.hash === '' && url.username === '' && url.password === '';
}

/** Validates an issuer URL: https, no query or fragment, at most 255 characters; returns it without a trailing `/`. */
export function validateIssuerUrl(value: string, field = 'input.url'): string {
  if (!URL.canParse(value)) throw new ValidationError(field, 'url', `${field} ${JSON.stringify(value.slice(0, 100))} is not a URL`);
  if (!isAllowedIssuerUrl(value) || value.length > 255) {
    throw new ValidationError(field, 'url', `${field} must be an https:// URL of at most 255 characters without query, fragment or credentials`);
  }
  return value.replace(/\/+$/, '');
}

/** Validates an inline JWKS (JSON text with a non-empty `keys` array that jose accepts). */
export function validateJwks(text: string, field = 'input.jwks'): { keys: Record<string, unknown>[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ValidationError(field, 'json', `${field} is not valid JSON`);
  }
  const keys = (parsed as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0 || keys.some((k) => typeof k !== 'object' || k === null || Array.isArray(k))) {
    throw new ValidationError(field, 'jwks', `${field} must be a JSON Web Key Set: {"keys": [ {...}, ... ]}`);
  }
  if (keys.some((k) => 'd' in (k as object) || 'k' in (k as object))) {
    throw new ValidationError(field, 'public-keys-only', `${field} must hold public keys only (no "d" or "k" members)`);
  }
  try {
    createLocalJWKSet({ keys } as Parameters<typeof createLocalJWKSet>[0]);
  } catch (error) {
    throw new ValidationError(field, 'jwks', `${field} is not a usable JSON Web Key Set: ${(error as Error).message}`);
  }
  return { keys: keys as Record<string, unknown>[] };
}

/** Validates one client id (an accepted `aud`): 1-255 characters, as IAM's ClientIDType. */
export function validateClientId(value: string, field: string): string {
  if (value.length < 1 || value.length > 255) throw new ValidationError(field, 'length', `${field} must be 1-255 characters long`);
  return value;
}

/** Validates a client id list: at most 100 ids of 1-255 characters. */
export function validateClientIds(values: readonly string[], field: string): string[] {
  if (values.length > MAX_CLIENT_IDS) throw new ValidationError(field, 'count', `${field} may hold at most ${MAX_CLIENT_IDS} client ids`);
  values.forEach((id, i) => validateClientId(id, `${field}[${i}]`));
  return [...values];
}

/** Validates a thumbprint list: at most 5 SHA-1 thumbprints of 40 hex digits each. */
export function validateThumbprints(values: readonly string[], field: string): string[] {
  if (values.length > MAX_THUMBPRINTS) throw new ValidationError(field, 'count', `${field} may hold at most ${MAX_THUMBPRINTS} thumbprints`);
  values.forEach((t, i) => {
    if (!/^[0-9a-fA-F]{40}$/.test(t)) throw new ValidationError(`${field}[${i}]`, 'pattern', `${field}[${i}] must be 40 hex digits (a SHA-1 certificate thumbprint)`);
  });
  return [...values];
}

/** CreateOpenIDConnectProvider parameters. */
export interface CreateOidcProviderInput {
  readonly url: string;
  readonly clientIdList?: readonly string[] | null;
  readonly thumbprintList?: readonly string[] | null;
  /** The issuer's JSON Web Key Set, as JSON text; absent: fetched from the issuer's discovery document. */
  readonly jwks?: string | null;
  readonly tags?: readonly Tag[] | null;
}

/** CreateOpenIDConnectProvider. */
export async function createOidcProvider(database: Database, actor: WriteActor, input: CreateOidcProviderInput): Promise<WriteResult<OidcProvider>> {
  const url = validateIssuerUrl(input.url);
  const clientIds = validateClientIds(input.clientIdList ?? [], 'input.clientIdList');
  const thumbprints = validateThumbprints(input.thumbprintList ?? [], 'input.thumbprintList');
  const jwks = input.jwks === undefined || input.jwks === null ? null : validateJwks(input.jwks);
  const tags = validateTags(input.tags);
  const arn = oidcProviderArn(actor.accountId, url);
  return runWrite(database, actor, async (tx, record) => {
    const [clash] = await tx
      .select({ arn: oidcProviders.arn })
      .from(oidcProviders)
      .where(and(eq(oidcProviders.accountId, actor.accountId), eq(sql`lower(${oidcProviders.url})`, url.toLowerCase())));
    if (clash !== undefined) throw new EntityAlreadyExistsError('OpenIDConnectProvider', url);
    const [count] = await tx.select({ n: sql<number>`count(*)::int` }).from(oidcProviders).where(eq(oidcProviders.accountId, actor.accountId));
    if ((count?.n ?? 0) >= MAX_PROVIDERS) {
      throw new LimitExceededError('OpenIDConnectProviders', MAX_PROVIDERS, `cannot exceed quota for OpenIDConnectProviders: ${MAX_PROVIDERS} per account`);
    }
    const [row] = await tx
      .insert(oidcProviders)
      .values({ arn, accountId: actor.accountId, url, clientIds, thumbprints, jwks, jwksFetchedAt: jwks === null ? null : new Date(), tags })
      .returning()
      .catch(rethrowUniqueViolation(() => new EntityAlreadyExistsError('OpenIDConnectProvider', url)));
    record({ kind: 'OpenIDConnectProviderCreated', entityType: 'oidc-provider', entityArn: arn, affectedPrincipalIds: [], payload: { url, clientIds } });
    return row!;
  });
}

/** Validates a provider ARN of the expected shape. */
export function validateProviderArn(arn: string, field: string): string {
  if (!/^arn:aws:iam::\d{12}:oidc-provider\/[!-~]{1,255}$/.test(arn)) {
    throw new ValidationError(field, 'pattern', `${field} ${JSON.stringify(arn.slice(0, 100))} is not an OIDC provider ARN`);
  }
  return arn;
}

/** GetOpenIDConnectProvider: the account's provider with this ARN. */
export async function getOidcProvider(tx: Queryable, accountId: string, arn: string, field = 'input.openIDConnectProviderArn'): Promise<OidcProvider> {
  validateProviderArn(arn, field);
  const [row] = await tx.select().from(oidcProviders).where(and(eq(oidcProviders.arn, arn), eq(oidcProviders.accountId, accountId)));
  if (row === undefined) throw new NoSuchEntityError('OpenIDConnectProvider', arn);
  return row;
}

/** The account's providers among `arns` (any order; unknown ones left out): one statement. */
export async function oidcProvidersByArns(tx: Queryable, accountId: string, arns: readonly string[]): Promise<OidcProvider[]> {
  if (arns.length === 0) return [];
  return tx.select().from(oidcProviders).where(and(eq(oidcProviders.accountId, accountId), inArray(oidcProviders.arn, [...arns])));
}

/** ListOpenIDConnectProviders: the account's providers by URL. */
export async function listOidcProviders(tx: Queryable, accountId: string): Promise<OidcProvider[]> {
  return tx.select().from(oidcProviders).where(eq(oidcProviders.accountId, accountId)).orderBy(asc(oidcProviders.url));
}

/** The provider of `accountId` whose issuer is `issuer` (trailing `/` ignored), if registered. */
export async function findOidcProviderByIssuer(tx: Queryable, accountId: string, issuer: string): Promise<OidcProvider | undefined> {
  const url = issuer.replace(/\/+$/, '').toLowerCase();
  const [row] = await tx.select().from(oidcProviders).where(and(eq(oidcProviders.accountId, accountId), eq(sql`lower(${oidcProviders.url})`, url)));
  return row;
}

/** DeleteOpenIDConnectProvider. Roles trusting it keep their trust policies (they just stop matching). */
export async function deleteOidcProvider(database: Database, actor: WriteActor, arn: string): Promise<WriteResult<OidcProvider>> {
  return runWrite(database, actor, async (tx, record) => {
    const provider = await getOidcProvider(tx, actor.accountId, arn);
    await tx.delete(oidcProviders).where(eq(oidcProviders.arn, provider.arn));
    record({ kind: 'OpenIDConnectProviderDeleted', entityType: 'oidc-provider', entityArn: provider.arn, affectedPrincipalIds: [], payload: { url: provider.url } });
    return provider;
  });
}
