/**
 * Long-lived credentials of users: access keys and MFA devices. No secret is stored in clear:
 * access-key secrets are scrypt hashes, TOTP seeds are encrypted by the service before insert.
 */
import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgEnum, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { accounts } from './accounts.ts';
import { pathColumn, tagsColumn, timestamptz } from './columns.ts';
import { users } from './principals.ts';
import { nameCheck, nameRules } from './rules.ts';

/** Access key status, spelled as AWS spells it. */
export const accessKeyStatus = pgEnum('access_key_status', ['Active', 'Inactive']);

/** A user's access key (AKIA… when generated). Deleting a user that still has keys is a DeleteConflict. */
export const accessKeys = pgTable(
  'access_keys',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    /** scrypt hash of the 40-character secret access key. */
    secretHash: text('secret_hash').notNull(),
    status: accessKeyStatus('status').notNull().default('Active'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    lastUsedAt: timestamptz('last_used_at'),
    lastUsedService: text('last_used_service'),
    lastUsedAction: text('last_used_action'),
  },
  (t) => [
    // Operators may import existing keys (PORTCULLIS_ROOT_ACCESS_KEY), so the API's rule, not AKIA….
    check('access_keys_id_format', nameCheck(t.id, nameRules.accessKeyId)),
    index('access_keys_user_idx').on(t.userId),
  ],
);

/**
 * A virtual MFA device. Its serial number is its ARN (`arn:aws:iam::<account>:mfa/<path><name>`).
 * A device exists unassigned after CreateVirtualMFADevice and is bound to a user by EnableMFADevice.
 */
export const mfaDevices = pgTable(
  'mfa_devices',
  {
    serialNumber: text('serial_number').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id),
    path: pathColumn(),
    name: text('name').notNull(),
    userId: text('user_id').references(() => users.id, { onDelete: 'restrict' }),
    /** The TOTP seed, encrypted by the service (e.g. AES-GCM, base64); never the raw seed. */
    encryptedSeed: text('encrypted_seed').notNull(),
    enabledAt: timestamptz('enabled_at'),
    /** Highest TOTP time step accepted so far; a code for this step or earlier is a replay. */
    lastUsedCounter: bigint('last_used_counter', { mode: 'number' }),
    /** Wrong codes in a row on any path that checks one (src/iam/mfa/lockout.ts); 0 after a right one. */
    failedCodeCount: integer('failed_code_count').notNull().default(0),
    /** Until then the device refuses every code, right or wrong; null when not locked. */
    lockedUntil: timestamptz('locked_until'),
    tags: tagsColumn(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    check('mfa_devices_name_format', nameCheck(t.name, nameRules.mfaDeviceName)),
    check('mfa_devices_path_format', nameCheck(t.path, nameRules.path)),
    check('mfa_devices_enabled_has_user', sql`${t.enabledAt} is null or ${t.userId} is not null`),
    uniqueIndex('mfa_devices_account_name_unique').on(t.accountId, sql`lower(${t.name})`),
    index('mfa_devices_user_idx').on(t.userId),
  ],
);
