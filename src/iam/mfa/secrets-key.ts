/**
 * Where the key that encrypts TOTP seeds comes from. Production requires PORTCULLIS_SECRETS_KEY
 * (32 bytes, base64 or hex). Development and test generate a random key once and keep it in
 * `DATA_DIR/secrets.key` (mode 0600), so seeds survive restarts without any set-up; losing that
 * file makes every virtual MFA device unusable, so back it up with the data directory.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../../config.ts';
import { createSeedCipher, SEED_KEY_BYTES, type SeedCipher } from './seed-cipher.ts';

/** The file name of the generated development key inside DATA_DIR. */
export const SECRETS_KEY_FILE = 'secrets.key';

/** Decodes a 32-byte key written as 64 hex digits or base64; undefined when it is neither. */
export function decodeSecretsKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) {
    const key = Buffer.from(trimmed, trimmed.includes('-') || trimmed.includes('_') ? 'base64url' : 'base64');
    if (key.length === SEED_KEY_BYTES) return key;
  }
  return undefined;
}

const ciphers = new Map<string, Promise<SeedCipher>>();

/**
 * The seed cipher for this configuration, resolved once per process and key source.
 * Throws when production runs without PORTCULLIS_SECRETS_KEY.
 */
export function seedCipherFor(config: Pick<Config, 'secretsKey' | 'nodeEnv' | 'dataDir'>): Promise<SeedCipher> {
  const source = config.secretsKey !== undefined ? 'env' : `file:${config.dataDir}`;
  let cipher = ciphers.get(source);
  if (cipher === undefined) {
    cipher = resolveKey(config).then(createSeedCipher);
    // A failed resolution is not cached, so fixing the file or environment takes effect on retry.
    cipher.catch(() => ciphers.delete(source));
    ciphers.set(source, cipher);
  }
  return cipher;
}

async function resolveKey(config: Pick<Config, 'secretsKey' | 'nodeEnv' | 'dataDir'>): Promise<Buffer> {
  if (config.secretsKey !== undefined) {
    const key = decodeSecretsKey(config.secretsKey);
    // loadConfig already validated the text; this guards direct callers.
    if (key === undefined) throw new Error('PORTCULLIS_SECRETS_KEY must be 32 bytes as base64 or 64 hex digits');
    return key;
  }
  if (config.nodeEnv === 'production') {
    throw new Error('PORTCULLIS_SECRETS_KEY must be set in production (32 bytes as base64 or 64 hex digits)');
  }
  return readOrCreateKeyFile(path.join(config.dataDir, SECRETS_KEY_FILE));
}

/** Reads the development key file, creating it (mode 0600, never overwriting) when absent. */
async function readOrCreateKeyFile(file: string): Promise<Buffer> {
  try {
    return parseKeyFile(file, await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(path.dirname(file), { recursive: true });
  const key = randomBytes(SEED_KEY_BYTES);
  try {
    // `wx` fails if another process created the file meanwhile; then its key is the one to use.
    await writeFile(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    await chmod(file, 0o600);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return parseKeyFile(file, await readFile(file, 'utf8'));
  }
}

function parseKeyFile(file: string, text: string): Buffer {
  const key = decodeSecretsKey(text);
  if (key === undefined) throw new Error(`${file} does not hold a 32-byte key (base64 or hex)`);
  return key;
}
