/**
 * Time-based one-time passwords (RFC 6238) over HOTP (RFC 4226), with node:crypto only.
 * Defaults are what virtual MFA apps use with AWS: HMAC-SHA1, 30-second steps, 6 digits.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** HMAC algorithms RFC 6238 allows. */
export type TotpAlgorithm = 'sha1' | 'sha256' | 'sha512';

/** TOTP parameters; every field has the authenticator-app default. */
export interface TotpOptions {
  readonly algorithm?: TotpAlgorithm;
  /** Length of the code, 6 to 8 digits. */
  readonly digits?: number;
  /** Time step X in seconds. */
  readonly periodSeconds?: number;
}

/** The authenticator-app defaults: SHA-1, 6 digits, 30 seconds. */
export const TOTP_DEFAULTS = { algorithm: 'sha1', digits: 6, periodSeconds: 30 } as const satisfies Required<TotpOptions>;

/** The time step T = floor(unix seconds / X) for an instant. */
export function timeStep(at: Date, periodSeconds: number = TOTP_DEFAULTS.periodSeconds): number {
  return Math.floor(at.getTime() / 1000 / periodSeconds);
}

/** HOTP(K, C) (RFC 4226 section 5.3): dynamic truncation of HMAC(K, C), zero-padded to `digits`. */
export function hotp(seed: Uint8Array, counter: number, options: TotpOptions = {}): string {
  const algorithm = options.algorithm ?? TOTP_DEFAULTS.algorithm;
  const digits = options.digits ?? TOTP_DEFAULTS.digits;
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm, seed).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return String(binary).padStart(digits, '0');
}

/** The TOTP code for an instant. */
export function totp(seed: Uint8Array, at: Date, options: TotpOptions = {}): string {
  return hotp(seed, timeStep(at, options.periodSeconds), options);
}

/**
 * Finds the time step at which `code` is valid, looking `window` steps either side of `at` to allow
 * for clock drift (AWS accepts codes from neighbouring steps). Returns undefined when none matches.
 * Compares in constant time per step so timing does not reveal how many digits matched.
 */
export function findTimeStep(
  seed: Uint8Array,
  code: string,
  at: Date,
  window = 1,
  options: TotpOptions = {},
): number | undefined {
  const digits = options.digits ?? TOTP_DEFAULTS.digits;
  if (code.length !== digits || !/^\d+$/.test(code)) return undefined;
  const now = timeStep(at, options.periodSeconds);
  const given = Buffer.from(code);
  let found: number | undefined;
  for (let step = now - window; step <= now + window; step++) {
    if (step < 0) continue;
    if (timingSafeEqual(Buffer.from(hotp(seed, step, options)), given) && found === undefined) found = step;
  }
  return found;
}
