/** OpenID Connect identity providers trusted for AssumeRoleWithWebIdentity. */
import { sql } from 'drizzle-orm';
import { check, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { accounts } from './accounts.ts';
import { tagsColumn, timestamptz } from './columns.ts';

/** An OIDC provider; its ARN is `arn:aws:iam::<account>:oidc-provider/<url without https://>`. */
export const oidcProviders = pgTable(
  'oidc_providers',
  {
    arn: text('arn').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id),
    /** Issuer URL, `https://…`, as AWS stores it (or `http://127.0.0.1…` for a local issuer). */
    url: text('url').notNull(),
    clientIds: text('client_ids')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** SHA-1 thumbprints (40 hex digits) of the issuer's certificates. */
    thumbprints: text('thumbprints')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /**
     * The issuer's JSON Web Key Set: given inline at registration (`jwksUri` null), or the last set
     * fetched through discovery from `jwksUri` at `jwksFetchedAt` (src/sts/remote-jwks.ts).
     */
    jwks: jsonb('jwks').$type<{ keys: Record<string, unknown>[] }>(),
    jwksFetchedAt: timestamptz('jwks_fetched_at'),
    /** Where fetched keys came from (the discovery document's `jwks_uri`); null for inline keys. */
    jwksUri: text('jwks_uri'),
    tags: tagsColumn(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    // Plain http only to the loopback host: local issuers in development and tests (the service refuses it in production).
    check('oidc_providers_url_https', sql`${t.url} ~ '^(https://[^[:space:]]+|http://(127\\.0\\.0\\.1|localhost)(:[0-9]{1,5})?(/[^[:space:]]*)?)$' and char_length(${t.url}) <= 255`),
    uniqueIndex('oidc_providers_account_url_unique').on(t.accountId, sql`lower(${t.url})`),
  ],
);
