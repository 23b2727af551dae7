/**
 * Secrets: generation, and one-way storage with constant-time verification.
 *
 * Stored form: `scrypt$<log2 N>$<r>$<p>$<salt base64>$<hash base64>`, self-describing so costs
 * can change without invalidating old hashes. Passwords get a slow hash (people choose guessable
 * ones); access-key secrets are 240 random bits and are checked on every signed request, so they
 * get a cheap scrypt: stretching adds nothing against a search of 2^240.
 * Session tokens are looked up by hash, so they use plain SHA-256 (`hashToken`).
 */
import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** scrypt cost for one class of secret. */
interface ScryptCost {
  readonly log2N: number;
  readonly r: number;
  readonly p: number;
}

/** Cost for human-chosen passwords (N=2^15: 32 MiB, tens of milliseconds). */
export const PASSWORD_COST: ScryptCost = { log2N: 15, r: 8, p: 1 };
/** Cost for high-entropy machine secrets (N=2^10: about a millisecond). */
export const KEY_SECRET_COST: ScryptCost = { log2N: 10, r: 8, p: 1 };

const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

/** Promise wrapper for crypto.scrypt with explicit options (util.promisify drops the overload). */
function scryptAsync(secret: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** scrypt options with room for the memory the cost needs (128·N·r bytes). */
function scryptOptions(cost: ScryptCost): ScryptOptions {
  const N = 2 ** cost.log2N;
  return { N, r: cost.r, p: cost.p, maxmem: 256 * N * cost.r };
}

/** Hash `secret` with a fresh salt at `cost`; the result is what gets stored. */
export async function hashSecret(secret: string, cost: ScryptCost): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const hash = await scryptAsync(secret, salt, scryptOptions(cost));
  return ['scrypt', cost.log2N, cost.r, cost.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

/** Hash a sign-in password for storage. */
export function hashPassword(password: string): Promise<string> {
  return hashSecret(password, PASSWORD_COST);
}

/** Hash a secret access key (long-lived or temporary) for storage. */
export function hashAccessKeySecret(secret: string): Promise<string> {
  return hashSecret(secret, KEY_SECRET_COST);
}

/** Bounds on stored parameters, so a corrupt or hostile row cannot make verification hang. */
function isSaneCost(log2N: number, r: number, p: number): boolean {
  return Number.isInteger(log2N) && log2N >= 1 && log2N <= 20 && r >= 1 && r <= 32 && p >= 1 && p <= 16;
}

/**
 * Does `secret` match the `stored` hash? Compares in constant time; a malformed stored value
 * is simply a mismatch.
 */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, log2NText, rText, pText, saltText, hashText] = parts as [string, string, string, string, string, string];
  const log2N = Number(log2NText);
  const r = Number(rText);
  const p = Number(pText);
  if (!isSaneCost(log2N, r, p)) return false;
  const expected = Buffer.from(hashText, 'base64');
  if (expected.length !== KEY_LENGTH) return false;
  const actual = await scryptAsync(secret, Buffer.from(saltText, 'base64'), scryptOptions({ log2N, r, p }));
  return timingSafeEqual(actual, expected);
}

/** A new 40-character secret access key (30 random bytes in base64, AWS's alphabet and length). */
export function generateSecretAccessKey(): string {
  return randomBytes(30).toString('base64');
}

/** A new bearer session token: 48 random bytes, base64url (64 characters). */
export function generateSessionToken(): string {
  return randomBytes(48).toString('base64url');
}

/** SHA-256 hex of a session token, the form in which tokens are stored and looked up. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';
/**
 * Symbols from AWS's password-policy set that no shell treats specially, so a generated password
 * pastes into a shell command line unquoted (no `!` history expansion, `$` expansion, globs,
 * pipes or brackets).
 */
const SYMBOLS = '%+-=@_';

/** Pick one character of `alphabet` uniformly (rejection sampling over random bytes). */
function pick(alphabet: string): string {
  const limit = 256 - (256 % alphabet.length);
  for (;;) {
    const byte = randomBytes(1)[0] as number;
    if (byte < limit) return alphabet[byte % alphabet.length] as string;
  }
}

/**
 * A new random password of `length` (default 24) with at least one lowercase letter, uppercase
 * letter, digit and symbol, so it satisfies any password policy AWS lets an account set, and
 * that is safe to paste into a shell (see SYMBOLS).
 */
export function generatePassword(length = 24): string {
  const all = LOWER + UPPER + DIGITS + SYMBOLS;
  const chars = [pick(LOWER), pick(UPPER), pick(DIGITS), pick(SYMBOLS)];
  while (chars.length < length) chars.push(pick(all));
  // Fisher-Yates with CSPRNG indices, so the required classes are not always in front.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomIndex(i + 1);
    [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
  }
  return chars.join('');
}

/** Uniform integer in [0, bound) for bound ≤ 256. */
function randomIndex(bound: number): number {
  const limit = 256 - (256 % bound);
  for (;;) {
    const byte = randomBytes(1)[0] as number;
    if (byte < limit) return byte % bound;
  }
}
