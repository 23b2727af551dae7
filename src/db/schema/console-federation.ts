/**
 * Console sign-in through an identity provider, OIDC or SAML, between the redirects
 * (src/sts/federated-sign-in.ts, src/sts/sign-in-codes.ts): a `pending` row per authorization
 * request (OIDC: keyed by the SHA-256 of its `state`, holding the nonce the ID token must carry;
 * SAML: keyed by the SHA-256 of the AuthnRequest id its response must answer), then a `ready` row
 * per verified sign-in (keyed by the SHA-256 of the one-time code handed to the console, holding
 * the verified claims or assertion, its protocol in `data`, and the roles they may assume). Each
 * row is taken once (delete … returning) and lives a few minutes; no secret is kept in clear: the
 * PKCE verifier stays in the browser's cookie, states, request ids and codes are stored hashed.
 */
import { sql } from 'drizzle-orm';
import { check, index, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { accounts } from './accounts.ts';
import { timestamptz } from './columns.ts';

/** One step of a console sign-in through an identity provider. */
export const federatedSignIns = pgTable(
  'federated_sign_ins',
  {
    /** SHA-256 (hex) of the state (`pending`) or of the one-time code (`ready`). */
    id: text('id').primaryKey(),
    kind: text('kind').$type<'pending' | 'ready'>().notNull(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    /** The identity provider's ARN (an OIDC provider). */
    providerArn: text('provider_arn').notNull(),
    /** pending: `{ nonce, redirectUri }`; ready: `{ claims, audience, sessionName, roleArns }`. */
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    expiresAt: timestamptz('expires_at').notNull(),
  },
  (t) => [check('federated_sign_ins_kind', sql`${t.kind} in ('pending', 'ready')`), index('federated_sign_ins_expires_idx').on(t.expiresAt)],
);
