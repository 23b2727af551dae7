/**
 * Guessing protection for MFA codes. A six-digit code is one in a million per guess; with a stolen
 * password or access key an attacker could otherwise try codes as fast as the API answers. Every
 * path that checks a code (sign-in, GetSessionToken, AssumeRole, EnableMFADevice) counts wrong
 * codes per device in the device's own row, so the count holds across instances and restarts.
 * After `maxFailures` in a row the device refuses every code, right or wrong, for `lockSeconds`;
 * a right code resets the count. Locking writes one `MFADeviceLocked` change-log row carrying the
 * count, instead of one row per guess.
 */
import { and, eq, isNotNull } from 'drizzle-orm';
import type { Database, Tx } from '../../db/client.ts';
import { mfaDevices } from '../../db/schema/index.ts';
import { runWrite, type RecordChange, type WriteActor } from '../../changes/outbox.ts';
import { IamError } from '../../errors.ts';
import type { SeedCipher } from './seed-cipher.ts';
import { consumeTotpCode, type MfaDevice } from './verify.ts';

/** How many wrong codes in a row lock a device, and for how long. */
export interface MfaLockoutRule {
  readonly maxFailures: number;
  readonly lockSeconds: number;
}

/** Five wrong codes in a row lock a device for 15 minutes. */
export const MFA_LOCKOUT: MfaLockoutRule = { maxFailures: 5, lockSeconds: 15 * 60 };

/** The device refuses codes until `lockedUntil` after too many wrong ones; even a right code is refused meanwhile. */
export class MfaDeviceLockedError extends IamError {
  readonly code = 'MFADeviceLocked';
  readonly retryAfterSeconds: number;
  constructor(
    readonly serialNumber: string,
    readonly lockedUntil: Date,
    now: Date,
  ) {
    super(`MFA device ${serialNumber} refuses codes after too many wrong ones in a row; try again after ${lockedUntil.toISOString()}`);
    this.retryAfterSeconds = Math.max(1, Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000));
  }
}

/** Whether `device` is locked at `now`. */
export function isLocked(device: MfaDevice, now: Date): boolean {
  return device.lockedUntil !== null && device.lockedUntil.getTime() > now.getTime();
}

/** Throws MfaDeviceLockedError when `device` is locked at `now`. */
export function assertNotLocked(device: MfaDevice, now: Date): void {
  if (isLocked(device, now)) throw new MfaDeviceLockedError(device.serialNumber, device.lockedUntil!, now);
}

/**
 * Counts one wrong code against `device`, whose row `tx` holds FOR UPDATE (so concurrent guesses
 * serialise and none is lost). Returns the lock's end when this failure locks the device.
 */
export async function countWrongCode(
  tx: Tx,
  record: RecordChange,
  device: MfaDevice,
  now: Date,
  via: string,
  rule: MfaLockoutRule = MFA_LOCKOUT,
): Promise<Date | undefined> {
  const failures = device.failedCodeCount + 1;
  if (failures < rule.maxFailures) {
    await tx.update(mfaDevices).set({ failedCodeCount: failures }).where(eq(mfaDevices.serialNumber, device.serialNumber));
    return undefined;
  }
  const lockedUntil = new Date(now.getTime() + rule.lockSeconds * 1000);
  await tx.update(mfaDevices).set({ failedCodeCount: 0, lockedUntil }).where(eq(mfaDevices.serialNumber, device.serialNumber));
  record({
    kind: 'MFADeviceLocked',
    entityType: 'mfa-device',
    entityArn: device.serialNumber,
    affectedPrincipalIds: [],
    accountId: device.accountId,
    payload: { serialNumber: device.serialNumber, failedAttempts: failures, lockedUntil: lockedUntil.toISOString(), via },
  });
  return lockedUntil;
}

/** Clears the wrong-code count after a right code (no write when there is nothing to clear). */
export async function clearWrongCodes(tx: Tx, device: MfaDevice): Promise<void> {
  if (device.failedCodeCount === 0 && device.lockedUntil === null) return;
  await tx.update(mfaDevices).set({ failedCodeCount: 0, lockedUntil: null }).where(eq(mfaDevices.serialNumber, device.serialNumber));
}

/** What `verifyMfaCode` checks a code against. */
export interface MfaCodeCheck {
  /** Who is asking, for the change log. */
  readonly actor: WriteActor;
  /** The candidate devices, read FOR UPDATE inside the given transaction (see `lockedDevices`). */
  readonly devices: (tx: Tx) => Promise<MfaDevice[]>;
  readonly cipher: SeedCipher;
  readonly code: string;
  readonly now: Date;
  /** The action that checked the code (`sts:GetSessionToken`, `signin:SignIn`, …), for the change log. */
  readonly via: string;
  readonly rule?: MfaLockoutRule;
}

/**
 * Checks a TOTP code against the candidate devices with replay protection and failure counting.
 * True when an unlocked device accepted it; false when there was no device or the code was wrong.
 * Throws MfaDeviceLockedError when every candidate is locked (before or by this attempt).
 * Counting commits even though the caller then refuses the request: the check runs in its own
 * transaction, and the error is thrown only after it has committed.
 */
export async function verifyMfaCode(database: Database, check: MfaCodeCheck): Promise<boolean> {
  const { now } = check;
  const { result } = await runWrite(database, check.actor, async (tx, record) => {
    const devices = await check.devices(tx);
    const open = devices.filter((device) => !isLocked(device, now));
    for (const device of open) {
      if (await consumeTotpCode(tx, device, check.cipher, check.code, now)) {
        await clearWrongCodes(tx, device);
        return { ok: true as const };
      }
    }
    // Locked devices and when each opens again, counting this attempt's wrong code against the open ones.
    const locked = new Map<string, Date>();
    for (const device of devices) if (isLocked(device, now)) locked.set(device.serialNumber, device.lockedUntil!);
    for (const device of open) {
      const until = await countWrongCode(tx, record, device, now, check.via, check.rule);
      if (until !== undefined) locked.set(device.serialNumber, until);
    }
    // While any device still takes codes, a wrong code is just wrong; the lock is the answer only when none does.
    if (devices.length === 0 || locked.size < devices.length) return { ok: false as const, locked: undefined };
    const [serialNumber, until] = [...locked].reduce((soonest, entry) => (entry[1] < soonest[1] ? entry : soonest));
    return { ok: false as const, locked: { serialNumber, until } };
  });
  if (result.ok) return true;
  if (result.locked !== undefined) throw new MfaDeviceLockedError(result.locked.serialNumber, result.locked.until, now);
  return false;
}

/** The enabled device `serialNumber` of `userId`, FOR UPDATE, as a candidate list (empty when it is not theirs). */
export function lockedDevices(userId: string, serialNumber?: string): (tx: Tx) => Promise<MfaDevice[]> {
  return (tx) =>
    tx
      .select()
      .from(mfaDevices)
      .where(
        and(
          eq(mfaDevices.userId, userId),
          isNotNull(mfaDevices.enabledAt),
          serialNumber === undefined ? undefined : eq(mfaDevices.serialNumber, serialNumber),
        ),
      )
      .orderBy(mfaDevices.serialNumber)
      .for('update');
}
