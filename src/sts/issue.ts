/**
 * Minting temporary credentials: an ASIA… access key id, a 40-character secret (stored as a
 * scrypt hash) and a bearer session token (stored as its SHA-256, which authentication looks up).
 * The secret and token exist in clear only in the returned object, shown once to the caller.
 * Expired sessions are deleted as new ones are issued.
 */
import { sql } from 'drizzle-orm';
import type { Tx } from '../db/client.ts';
import { stsSessions } from '../db/schema/index.ts';
import { newUniqueId } from '../iam/ids.ts';
import { generateSecretAccessKey, generateSessionToken, hashAccessKeySecret, hashToken } from '../iam/secrets.ts';

/** A stored session row. */
export type StsSession = typeof stsSessions.$inferSelect;

/** Temporary credentials as STS returns them. */
export interface TemporaryCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Send as `Authorization: Bearer <sessionToken>`. */
  readonly sessionToken: string;
  readonly expiration: Date;
}

/** Everything about a session except its generated credentials; `issuedAt` is the issuer's now. */
export type SessionValues = Omit<typeof stsSessions.$inferInsert, 'accessKeyId' | 'sessionTokenHash' | 'secretHash' | 'issuedAt'> & { readonly issuedAt: Date };

/**
 * Expired sessions one issue deletes. An expired session is refused like an unknown one and
 * nothing reads its row again (the change log keeps the record of its issue for the audit
 * retention period), so without this every AssumeRole, GetSessionToken and console sign-in would
 * leave a row for ever. Deleting more than one per issue makes a backlog shrink while sessions
 * are issued, at a bounded cost each.
 */
const PRUNE_BATCH = 10;

/**
 * Inserts a session with fresh credentials, first deleting up to PRUNE_BATCH sessions expired by
 * `values.issuedAt`; returns the row and the credentials (shown once).
 */
export async function issueSession(tx: Tx, values: SessionValues): Promise<{ session: StsSession; credentials: TemporaryCredentials }> {
  // Oldest first, through sts_sessions_expires_idx; rows another issuer is deleting are skipped, not waited for.
  await tx.execute(sql`
    delete from sts_sessions where access_key_id in (
      select access_key_id from sts_sessions where expires_at <= ${values.issuedAt.toISOString()}::timestamptz
      order by expires_at limit ${PRUNE_BATCH} for update skip locked)`);
  const accessKeyId = newUniqueId('temporaryAccessKey');
  const secretAccessKey = generateSecretAccessKey();
  const sessionToken = generateSessionToken();
  const [session] = await tx
    .insert(stsSessions)
    .values({ ...values, accessKeyId, secretHash: await hashAccessKeySecret(secretAccessKey), sessionTokenHash: hashToken(sessionToken) })
    .returning();
  return { session: session!, credentials: { accessKeyId, secretAccessKey, sessionToken, expiration: session!.expiresAt } };
}

/** Duration bounds (seconds) for a kind of session request. */
export interface DurationRule {
  readonly min: number;
  readonly max: number;
  readonly fallback: number;
  /** Why the maximum is what it is, for the error message. */
  readonly maxReason: string;
}
