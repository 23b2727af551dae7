/**
 * Minting temporary credentials: an ASIA… access key id, a 40-character secret (stored as a
 * scrypt hash) and a bearer session token (stored as its SHA-256, which authentication looks up).
 * The secret and token exist in clear only in the returned object, shown once to the caller.
 */
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

/** Everything about a session except its generated credentials. */
export type SessionValues = Omit<typeof stsSessions.$inferInsert, 'accessKeyId' | 'sessionTokenHash' | 'secretHash'>;

/** Inserts a session with fresh credentials; returns the row and the credentials (shown once). */
export async function issueSession(tx: Tx, values: SessionValues): Promise<{ session: StsSession; credentials: TemporaryCredentials }> {
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
