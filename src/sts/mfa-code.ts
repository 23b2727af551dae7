/**
 * The MFA part of an STS request (AssumeRole, GetSessionToken): `SerialNumber` and `TokenCode`
 * go together, and a code is checked against that device of the calling user, where wrong codes
 * count towards the device's lock (src/iam/mfa/lockout.ts).
 */
import type { Database } from '../db/client.ts';
import { ValidationError } from '../errors.ts';
import type { SeedCipher } from '../iam/mfa/seed-cipher.ts';
import { lockedDevices, verifyMfaCode } from '../iam/mfa/lockout.ts';

/** A device and the code read from it. */
export interface MfaCode {
  readonly serialNumber: string;
  readonly tokenCode: string;
}

/** The request's MFA code; undefined when it sends neither field, a ValidationError when only one. */
export function mfaCodeOf(input: { readonly serialNumber?: string | null; readonly tokenCode?: string | null }): MfaCode | undefined {
  const { serialNumber, tokenCode } = input;
  if ((serialNumber ?? null) === null && (tokenCode ?? null) === null) return undefined;
  if (!serialNumber || !tokenCode) {
    throw new ValidationError(serialNumber ? 'input.tokenCode' : 'input.serialNumber', 'required', 'input.serialNumber and input.tokenCode go together');
  }
  return { serialNumber, tokenCode };
}

/**
 * Whether `code` is right for the user's device. Throws MfaDeviceLockedError while the device is
 * locked; `via` names the action in the change log.
 */
export async function userMfaCodeIsValid(
  database: Database,
  user: { readonly arn: string; readonly accountId: string; readonly userId: string },
  code: MfaCode,
  cipher: SeedCipher,
  now: Date,
  via: string,
): Promise<boolean> {
  return verifyMfaCode(database, {
    actor: { arn: user.arn, accountId: user.accountId },
    devices: lockedDevices(user.userId, code.serialNumber),
    cipher,
    code: code.tokenCode,
    now,
    via,
  });
}
