/** Federation: OpenID Connect and SAML 2.0 identity providers, and the SAML replay store. */
import { sql } from 'drizzle-orm';
import { check, index, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
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

/**
 * A SAML 2.0 identity provider (CreateSAMLProvider); its ARN is
 * `arn:aws:iam::<account>:saml-provider/<name>`. The metadata document is kept as given (GetSAMLProvider
 * returns it); the issuer and signing certificates are what src/iam/saml-metadata.ts read from it.
 */
export const samlProviders = pgTable(
  'saml_providers',
  {
    arn: text('arn').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id),
    name: text('name').notNull(),
    /** The IdP's SAML metadata XML as uploaded. */
    metadataDocument: text('metadata_document').notNull(),
    /** The IdP's `entityID`: the `Issuer` its assertions must carry. */
    entityId: text('entity_id').notNull(),
    /** Base64 DER bodies of the IdP's signing certificates (KeyDescriptor use="signing" or unspecified). */
    signingCertificates: text('signing_certificates').array().notNull(),
    /** The metadata's `validUntil`, if it has one; assertions are refused after it. */
    validUntil: timestamptz('valid_until'),
    tags: tagsColumn(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    check('saml_providers_name', sql`${t.name} ~ '^[A-Za-z0-9._-]{1,128}$'`),
    uniqueIndex('saml_providers_account_name_unique').on(t.accountId, sql`lower(${t.name})`),
  ],
);

/**
 * SAML assertion ids already exchanged (the replay store): each `(issuer, assertion id)` is accepted
 * once, and remembered until the assertion's own expiry, after which it would be refused anyway.
 */
export const samlAssertionUses = pgTable(
  'saml_assertion_uses',
  {
    issuer: text('issuer').notNull(),
    assertionId: text('assertion_id').notNull(),
    expiresAt: timestamptz('expires_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.issuer, t.assertionId] }), index('saml_assertion_uses_expires_idx').on(t.expiresAt)],
);
