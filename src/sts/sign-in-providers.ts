/**
 * The identity providers an account offers on the console's sign-in page: its OIDC and SAML
 * providers tagged `portcullis:console-sign-in`, the tag's value being the name shown. Public (the sign-in
 * page has no credential), so it reveals only what a sign-in page shows: a display name and an
 * opaque id to start with, never the issuer, the client id or the ARN; an unknown account and an
 * account without such providers answer alike (an empty list).
 */
import { createHash } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { accounts, oidcProviders, samlProviders } from '../db/schema/index.ts';
import { nameRules, satisfiesRule } from '../db/schema/rules.ts';
import type { OidcProvider } from '../iam/oidc-providers.ts';
import type { SamlProvider } from '../iam/saml-providers.ts';

/** The tag that offers a provider on the sign-in page; its value is the name shown there. */
export const CONSOLE_SIGN_IN_TAG = 'portcullis:console-sign-in';
/** At most this many providers of each protocol are listed (IAM allows 100 of each per account). */
const MAX_LISTED = 100;

/** One provider as the sign-in page shows it. */
export interface SignInProvider {
  /** Opaque, stable id to start the sign-in with. */
  readonly id: string;
  readonly displayName: string;
  readonly protocol: 'OIDC' | 'SAML';
}

/** The opaque id of a provider: a digest of its ARN, so the page never shows the ARN. */
export function signInProviderId(arn: string): string {
  return createHash('sha256').update(arn).digest('base64url').slice(0, 22);
}

/** The account an id or alias names, or undefined (outside the naming rules too). */
async function accountIdOf(database: Database, account: string): Promise<string | undefined> {
  const byId = satisfiesRule(nameRules.accountId, account);
  if (!byId && !satisfiesRule(nameRules.accountAlias, account.toLowerCase())) return undefined;
  const [row] = await database.db
    .select({ id: accounts.id })
    .from(accounts)
    .where(byId ? eq(accounts.id, account) : eq(accounts.alias, account.toLowerCase()));
  return row?.id;
}

/** An offered provider of either protocol, with the name the page shows. */
type Offered = { protocol: 'OIDC'; provider: OidcProvider; displayName: string } | { protocol: 'SAML'; provider: SamlProvider; displayName: string };

const tagged = JSON.stringify([{ key: CONSOLE_SIGN_IN_TAG }]);
const displayNameOf = (tags: readonly { key: string; value: string }[]) => tags.find((t) => t.key === CONSOLE_SIGN_IN_TAG)?.value ?? '';

/** The account's providers offered for console sign-in, by display name. */
async function offeredProviders(database: Database, account: string): Promise<Offered[]> {
  if (account.length > 63) return [];
  const accountId = await accountIdOf(database, account);
  if (accountId === undefined) return [];
  const oidc = await database.db
    .select()
    .from(oidcProviders)
    .where(and(eq(oidcProviders.accountId, accountId), sql`${oidcProviders.tags} @> ${tagged}::text::jsonb`))
    .orderBy(asc(oidcProviders.createdAt))
    .limit(MAX_LISTED);
  const saml = await database.db
    .select()
    .from(samlProviders)
    .where(and(eq(samlProviders.accountId, accountId), sql`${samlProviders.tags} @> ${tagged}::text::jsonb`))
    .orderBy(asc(samlProviders.createdAt))
    .limit(MAX_LISTED);
  const offered: Offered[] = [
    ...oidc.filter((provider) => provider.clientIds.length > 0).map((provider) => ({ protocol: 'OIDC' as const, provider, displayName: displayNameOf(provider.tags) })),
    ...saml.map((provider) => ({ protocol: 'SAML' as const, provider, displayName: displayNameOf(provider.tags) })),
  ];
  return offered.sort((a, b) => a.displayName.localeCompare(b.displayName));
}

/** What the sign-in page lists for an account id or alias. */
export async function listSignInProviders(database: Database, account: string): Promise<SignInProvider[]> {
  return (await offeredProviders(database, account)).map(({ protocol, provider, displayName }) => ({
    id: signInProviderId(provider.arn),
    displayName: displayName === '' ? 'Identity provider' : displayName,
    protocol,
  }));
}

/** The offered OIDC provider with this id in this account, or undefined. */
export async function consoleProvider(database: Database, account: string, providerId: string): Promise<OidcProvider | undefined> {
  const found = (await offeredProviders(database, account)).find((o) => o.protocol === 'OIDC' && signInProviderId(o.provider.arn) === providerId);
  return found?.protocol === 'OIDC' ? found.provider : undefined;
}

/** The offered SAML provider with this id in this account, or undefined. */
export async function consoleSamlProvider(database: Database, account: string, providerId: string): Promise<SamlProvider | undefined> {
  const found = (await offeredProviders(database, account)).find((o) => o.protocol === 'SAML' && signInProviderId(o.provider.arn) === providerId);
  return found?.protocol === 'SAML' ? found.provider : undefined;
}

/** Whether a SAML provider is offered for console sign-in (IdP-initiated responses are accepted only for those). */
export function offersConsoleSignIn(provider: { tags: readonly { key: string }[] }): boolean {
  return provider.tags.some((t) => t.key === CONSOLE_SIGN_IN_TAG);
}
