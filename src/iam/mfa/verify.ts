/**
 * Checking a TOTP code against a stored virtual MFA device, with replay protection: a device
 * remembers the highest time step it accepted (`last_used_counter`), and a code for that step or
 * an earlier one is refused, so an observed code cannot be used twice.
 */
import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { mfaDevices } from '../../db/schema/index.ts';
import type { Tx } from '../../db/client.ts';
import type { SeedCipher } from './seed-cipher.ts';
import { findTimeStep, hotp, timeStep } from './totp.ts';

/** A stored MFA device row. */
export type MfaDevice = typeof mfaDevices.$inferSelect;

/** Steps of clock drift accepted either side of now (30 s each). */
export const DRIFT_STEPS = 1;

/**
 * Verifies `code` for `device` at `now` and, when valid and fresh, records its time step so it
 * can never be accepted again. Returns false for a wrong, stale or replayed code. The update is
 * conditional on the stored step, so two concurrent uses of one code cannot both succeed.
 */
export async function consumeTotpCode(tx: Tx, device: MfaDevice, cipher: SeedCipher, code: string, now: Date): Promise<boolean> {
  const seed = cipher.decrypt(device.encryptedSeed, device.serialNumber);
  const step = findTimeStep(seed, code, now, DRIFT_STEPS);
  if (step === undefined) return false;
  if (device.lastUsedCounter !== null && step <= device.lastUsedCounter) return false;
  const updated = await tx
    .update(mfaDevices)
    .set({ lastUsedCounter: step })
    .where(and(eq(mfaDevices.serialNumber, device.serialNumber), or(isNull(mfaDevices.lastUsedCounter), lt(mfaDevices.lastUsedCounter, step))))
    .returning({ serialNumber: mfaDevices.serialNumber });
  return updated.length === 1;
}

/**
 * EnableMFADevice's proof of possession: two codes for consecutive time steps, the second no
 * later than one step after now (the user typed them one after the other). Returns the second
 * code's step, or undefined when the pair does not match.
 */
export function findConsecutiveCodes(seed: Uint8Array, code1: string, code2: string, now: Date): number | undefined {
  const current = timeStep(now);
  // code1 may be up to a few steps old: people wait for the app to show the next code.
  for (let step = current - 3; step <= current; step++) {
    if (step < 0) continue;
    if (hotp(seed, step) === code1 && hotp(seed, step + 1) === code2) return step + 1;
  }
  return undefined;
}
