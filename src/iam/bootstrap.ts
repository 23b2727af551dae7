/**
 * First start: an empty database gets its account, the account's root user (reserved name
 * `root`, ARN `arn:aws:iam::<account>:root`), a root access key and a sign-in password. Values
 * not supplied are generated and returned once so the server can show them on standard error;
 * only scrypt hashes are stored. Runs through `runWrite`, so it is in the change log.
 */
import { eq } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { accounts } from '../db/schema/accounts.ts';
import { accessKeys } from '../db/schema/credentials.ts';
import { users } from '../db/schema/principals.ts';
import { nameRules, satisfiesRule } from '../db/schema/rules.ts';
import { runWrite } from '../changes/outbox.ts';
import { newUniqueId } from './ids.ts';
import { generatePassword, generateSecretAccessKey, hashAccessKeySecret, hashPassword } from './secrets.ts';

/** What to create; see `bootstrapAccount`. */
export interface BootstrapOptions {
  /** 12-digit account id. */
  accountId: string;
  /** Root access key to install; generated when absent. */
  rootAccessKey?: { accessKeyId: string; secret: string };
  /** Root sign-in password; generated when absent. */
  rootPassword?: string;
}

/** What bootstrapping did; `generated` holds only values that were generated (show them once). */
export interface BootstrapResult {
  created: boolean;
  generated: { accessKeyId?: string; secret?: string; password?: string };
}

/** The root user's ARN for an account. */
export function rootArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:root`;
}

/** Throws an Error naming the option and the rule when an explicit value is unusable. */
function checkOptions(options: BootstrapOptions): void {
  if (!satisfiesRule(nameRules.accountId, options.accountId)) {
    throw new Error(`accountId must be exactly 12 digits, got "${options.accountId}"`);
  }
  const key = options.rootAccessKey;
  if (key !== undefined) {
    if (!satisfiesRule(nameRules.accessKeyId, key.accessKeyId)) {
      throw new Error(`rootAccessKey.accessKeyId must be 16 to 128 letters, digits or underscores, got "${key.accessKeyId}"`);
    }
    if (key.secret.length < 16 || key.secret.length > 128) {
      throw new Error(`rootAccessKey.secret must be 16 to 128 characters (value hidden, ${key.secret.length} given)`);
    }
  }
  if (options.rootPassword !== undefined && (options.rootPassword.length < 8 || options.rootPassword.length > 128)) {
    throw new Error(`rootPassword must be 8 to 128 characters (value hidden, ${options.rootPassword.length} given)`);
  }
}

/**
 * Create the account and its root credentials unless the account already exists. Idempotent and
 * safe against a concurrent start: a second call (or a second instance) reports `created: false`
 * and generates nothing.
 */
export async function bootstrapAccount(database: Database, options: BootstrapOptions): Promise<BootstrapResult> {
  checkOptions(options);
  const { accountId } = options;
  const existing = await database.db.select({ id: accounts.id }).from(accounts).where(eq(accounts.id, accountId));
  if (existing.length > 0) return { created: false, generated: {} };

  const accessKeyId = options.rootAccessKey?.accessKeyId ?? newUniqueId('accessKey');
  const secret = options.rootAccessKey?.secret ?? generateSecretAccessKey();
  const password = options.rootPassword ?? generatePassword();
  // Hash before the transaction: scrypt is slow and needs no lock.
  const [secretHash, passwordHash] = await Promise.all([hashAccessKeySecret(secret), hashPassword(password)]);
  const arn = rootArn(accountId);

  const { result: created } = await runWrite(database, { arn, accountId }, async (tx, record) => {
    const inserted = await tx
      .insert(accounts)
      .values({ id: accountId })
      .onConflictDoNothing()
      .returning({ id: accounts.id });
    // Another instance created it between our check and this insert: leave everything as is.
    if (inserted.length === 0) return false;
    const rootId = newUniqueId('user');
    const now = new Date();
    await tx.insert(users).values({
      id: rootId,
      accountId,
      name: 'root',
      isRoot: true,
      passwordHash,
      passwordChangedAt: now,
    });
    await tx.insert(accessKeys).values({ id: accessKeyId, userId: rootId, secretHash });
    record({
      kind: 'AccountCreated',
      entityType: 'account',
      entityArn: arn,
      affectedPrincipalIds: [rootId],
      payload: { accountId, rootUserId: rootId, accessKeyId },
    });
    return true;
  });
  if (!created) return { created: false, generated: {} };

  const generated: BootstrapResult['generated'] = {};
  if (options.rootAccessKey === undefined) {
    generated.accessKeyId = accessKeyId;
    generated.secret = secret;
  }
  if (options.rootPassword === undefined) generated.password = password;
  return { created: true, generated };
}
