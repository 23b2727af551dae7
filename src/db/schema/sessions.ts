/**
 * Temporary credentials: STS sessions (AssumeRole, AssumeRoleWithWebIdentity, GetSessionToken,
 * GetFederationToken: a user session whose `arn` is the federated-user ARN and `sessionName` its name)
 * and console sign-in sessions. Looked up by access key id (ASIA…) for signed requests and by the
 * hash of the session token for bearer requests. Sessions belong to their principal: deleting the
 * role or user deletes them, which also revokes them.
 */
import { sql } from 'drizzle-orm';
import { boolean, check, index, jsonb, pgEnum, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { accounts } from './accounts.ts';
import { timestamptz, type Tag } from './columns.ts';
import { roles, users } from './principals.ts';
import { nameCheck, nameRules, patternCheck, uniqueIdPatterns } from './rules.ts';

/** How a session was obtained. */
export const sessionKind = pgEnum('session_kind', ['assume_role', 'web_identity', 'session_token', 'sign_in', 'federation_token', 'saml']);

/** One set of temporary credentials. */
export const stsSessions = pgTable(
  'sts_sessions',
  {
    /** Temporary access key id, ASIA…. */
    accessKeyId: text('access_key_id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id),
    kind: sessionKind('kind').notNull(),
    /** SHA-256 (hex) of the session token: tokens are long random strings, so a fast hash suffices. */
    sessionTokenHash: text('session_token_hash').notNull(),
    /** scrypt hash of the temporary secret access key. */
    secretHash: text('secret_hash').notNull(),
    roleId: text('role_id').references(() => roles.id, { onDelete: 'cascade' }),
    userId: text('user_id').references(() => users.id, { onDelete: 'cascade' }),
    /** The session principal's ARN, e.g. `arn:aws:sts::<account>:assumed-role/<role>/<session>`. */
    arn: text('arn').notNull(),
    sessionName: text('session_name'),
    /** Inline session policy JSON, if one was passed. */
    sessionPolicy: text('session_policy'),
    /** Managed policy ARNs passed as session policies. */
    sessionPolicyArns: text('session_policy_arns')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    sessionTags: jsonb('session_tags')
      .$type<Tag[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    transitiveTagKeys: text('transitive_tag_keys')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    sourceIdentity: text('source_identity'),
    /** The caller (user or session ARN) that obtained these credentials. */
    sourceArn: text('source_arn'),
    mfaAuthenticated: boolean('mfa_authenticated').notNull().default(false),
    /**
     * Sign-in sessions of a user who must change the password: until ChangePassword clears it,
     * the session may only change the password, sign out and read its own identity.
     */
    passwordResetRequired: boolean('password_reset_required').notNull().default(false),
    issuedAt: timestamptz('issued_at').notNull().defaultNow(),
    expiresAt: timestamptz('expires_at').notNull(),
    revokedAt: timestamptz('revoked_at'),
  },
  (t) => [
    check('sts_sessions_access_key_format', patternCheck(t.accessKeyId, uniqueIdPatterns.temporaryAccessKey)),
    check('sts_sessions_one_principal', sql`(${t.roleId} is null) <> (${t.userId} is null)`),
    // Compared as text: a migration that adds an enum value may then change this check in the same transaction.
    check('sts_sessions_role_kinds', sql`(${t.roleId} is not null) = (${t.kind}::text in ('assume_role', 'web_identity', 'saml'))`),
    check('sts_sessions_name_format', nameCheck(t.sessionName, nameRules.roleSessionName)),
    check('sts_sessions_expiry_after_issue', sql`${t.expiresAt} > ${t.issuedAt}`),
    uniqueIndex('sts_sessions_token_hash_unique').on(t.sessionTokenHash),
    index('sts_sessions_role_idx').on(t.roleId),
    index('sts_sessions_user_idx').on(t.userId),
    index('sts_sessions_expires_idx').on(t.expiresAt),
  ],
);
