import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSeedCipher, SeedDecryptionError } from '../../src/iam/mfa/seed-cipher.ts';
import { decodeSecretsKey, SECRETS_KEY_FILE, seedCipherFor } from '../../src/iam/mfa/secrets-key.ts';

const serial = 'arn:aws:iam::111122223333:mfa/alice';

describe('seed cipher (AES-256-GCM)', () => {
  const seed = randomBytes(20);
  const cipher = createSeedCipher(randomBytes(32));

  it('round-trips and never stores the seed in clear', () => {
    const stored = cipher.encrypt(seed, serial);
    expect(stored.startsWith('v1:')).toBe(true);
    expect(stored).not.toContain(seed.toString('base64'));
    expect(Buffer.from(stored.slice(3), 'base64').includes(seed)).toBe(false);
    expect(cipher.decrypt(stored, serial).equals(seed)).toBe(true);
  });

  it('uses a fresh IV each time', () => {
    expect(cipher.encrypt(seed, serial)).not.toBe(cipher.encrypt(seed, serial));
  });

  it('refuses another key, another device and tampered text', () => {
    const stored = cipher.encrypt(seed, serial);
    expect(() => createSeedCipher(randomBytes(32)).decrypt(stored, serial)).toThrow(SeedDecryptionError);
    expect(() => cipher.decrypt(stored, 'arn:aws:iam::111122223333:mfa/bob')).toThrow(SeedDecryptionError);
    const raw = Buffer.from(stored.slice(3), 'base64');
    raw[raw.length - 1] = raw[raw.length - 1]! ^ 1;
    expect(() => cipher.decrypt(`v1:${raw.toString('base64')}`, serial)).toThrow(SeedDecryptionError);
    expect(() => cipher.decrypt('v0:abc', serial)).toThrow(SeedDecryptionError);
    expect(() => cipher.decrypt('v1:AAAA', serial)).toThrow(SeedDecryptionError);
  });

  it('requires a 32-byte key', () => {
    expect(() => createSeedCipher(randomBytes(16))).toThrow(/32 bytes/);
  });
});

describe('secrets key resolution', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });
  const tempDir = async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'portcullis-key-'));
    dirs.push(dir);
    return dir;
  };

  it('decodes hex and base64, and nothing else', () => {
    const key = randomBytes(32);
    expect(decodeSecretsKey(key.toString('hex'))?.equals(key)).toBe(true);
    expect(decodeSecretsKey(key.toString('base64'))?.equals(key)).toBe(true);
    expect(decodeSecretsKey(key.toString('base64url'))?.equals(key)).toBe(true);
    expect(decodeSecretsKey(randomBytes(16).toString('hex'))).toBeUndefined();
    expect(decodeSecretsKey('not a key')).toBeUndefined();
  });

  it('generates a 0600 key file in development and reuses it', async () => {
    const dataDir = await tempDir();
    const cipher = await seedCipherFor({ secretsKey: undefined, nodeEnv: 'development', dataDir });
    const file = path.join(dataDir, SECRETS_KEY_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const stored = cipher.encrypt(Buffer.from('seed'), serial);
    // A different config object over the same directory sees the same key.
    const again = await seedCipherFor({ secretsKey: undefined, nodeEnv: 'test', dataDir });
    expect(again.decrypt(stored, serial).toString()).toBe('seed');
    expect(decodeSecretsKey(await readFile(file, 'utf8'))).toBeDefined();
  });

  it('uses PORTCULLIS_SECRETS_KEY when given and requires it in production', async () => {
    const dataDir = await tempDir();
    const key = randomBytes(32);
    const fromEnv = await seedCipherFor({ secretsKey: key.toString('hex'), nodeEnv: 'production', dataDir });
    expect(createSeedCipher(key).decrypt(fromEnv.encrypt(Buffer.from('x'), serial), serial).toString()).toBe('x');
    await expect(seedCipherFor({ secretsKey: undefined, nodeEnv: 'production', dataDir })).rejects.toThrow(
      /PORTCULLIS_SECRETS_KEY must be set in production/,
    );
  });

  it('refuses a corrupt key file instead of replacing it', async () => {
    const dataDir = await tempDir();
    await writeFile(path.join(dataDir, SECRETS_KEY_FILE), 'garbage\n');
    await expect(seedCipherFor({ secretsKey: undefined, nodeEnv: 'development', dataDir })).rejects.toThrow(/does not hold a 32-byte key/);
  });
});
