/**
 * Encryption of TOTP seeds at rest with AES-256-GCM. The key comes from configuration
 * (PORTCULLIS_SECRETS_KEY, see secrets-key.ts); the device's serial number is bound in as
 * additional authenticated data, so a ciphertext copied to another device row fails to decrypt.
 *
 * Stored format: `v1:` + base64(iv[12] ‖ tag[16] ‖ ciphertext).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** AES-256 key length in bytes. */
export const SEED_KEY_BYTES = 32;

/** A stored seed could not be decrypted: wrong key, tampered text or wrong device. */
export class SeedDecryptionError extends Error {
  override readonly name = 'SeedDecryptionError';
}

/** Encrypts and decrypts TOTP seeds with one key. */
export interface SeedCipher {
  /** Encrypts `seed` for the device `serialNumber`. */
  encrypt(seed: Uint8Array, serialNumber: string): string;
  /** Decrypts what `encrypt` produced for the same device; throws SeedDecryptionError otherwise. */
  decrypt(stored: string, serialNumber: string): Buffer;
}

/** Creates a cipher over a 32-byte key. */
export function createSeedCipher(key: Uint8Array): SeedCipher {
  if (key.length !== SEED_KEY_BYTES) throw new Error(`seed key must be ${SEED_KEY_BYTES} bytes, got ${key.length}`);
  const keyCopy = Buffer.from(key);
  return {
    encrypt(seed, serialNumber) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', keyCopy, iv);
      cipher.setAAD(Buffer.from(serialNumber, 'utf8'));
      const body = Buffer.concat([cipher.update(seed), cipher.final()]);
      return VERSION + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    },
    decrypt(stored, serialNumber) {
      if (!stored.startsWith(VERSION)) throw new SeedDecryptionError('unknown seed encryption format');
      const raw = Buffer.from(stored.slice(VERSION.length), 'base64');
      if (raw.length <= IV_BYTES + TAG_BYTES) throw new SeedDecryptionError('encrypted seed is truncated');
      try {
        const decipher = createDecipheriv('aes-256-gcm', keyCopy, raw.subarray(0, IV_BYTES));
        decipher.setAAD(Buffer.from(serialNumber, 'utf8'));
        decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
        return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
      } catch {
        // GCM authentication failed; the cause (key, text or device) is deliberately not told apart.
        throw new SeedDecryptionError('encrypted seed failed authentication');
      }
    },
  };
}
