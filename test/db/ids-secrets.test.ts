/** Unique ids and secret handling (src/iam/ids.ts, src/iam/secrets.ts). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { uniqueIdPatterns } from '../../src/db/schema/rules.ts';
import { ID_PREFIXES, isUniqueId, newUniqueId, type IdKind } from '../../src/iam/ids.ts';
import {
  generatePassword,
  generateSecretAccessKey,
  generateSessionToken,
  hashAccessKeySecret,
  hashPassword,
  hashToken,
  verifySecret,
} from '../../src/iam/secrets.ts';

describe('unique ids', () => {
  it.each(Object.keys(ID_PREFIXES) as IdKind[])('%s ids have the AWS shape the schema checks', (kind) => {
    const ids = Array.from({ length: 200 }, () => newUniqueId(kind));
    for (const id of ids) {
      expect(isUniqueId(kind, id)).toBe(true);
      expect(id).toMatch(new RegExp(uniqueIdPatterns[kind]));
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]?.length).toBe(kind === 'accessKey' || kind === 'temporaryAccessKey' ? 20 : 21);
  });

  it('does not mistake one kind for another', () => {
    expect(isUniqueId('user', newUniqueId('role'))).toBe(false);
    expect(isUniqueId('accessKey', newUniqueId('temporaryAccessKey'))).toBe(false);
  });
});

describe('secrets', () => {
  it('generates 40-character secret keys, distinct each time', () => {
    const secrets = Array.from({ length: 50 }, generateSecretAccessKey);
    for (const secret of secrets) expect(secret).toMatch(/^[A-Za-z0-9+/]{40}$/);
    expect(new Set(secrets).size).toBe(secrets.length);
  });

  it('generates passwords with every character class', () => {
    for (let i = 0; i < 50; i++) {
      const password = generatePassword();
      expect(password).toHaveLength(24);
      expect(password).toMatch(/[a-z]/);
      expect(password).toMatch(/[A-Z]/);
      expect(password).toMatch(/[0-9]/);
      expect(password).toMatch(/[^A-Za-z0-9]/);
    }
  });

  it('generates passwords a shell takes literally', () => {
    for (let i = 0; i < 200; i++) {
      const password = generatePassword();
      // Characters that no shell (bash, zsh, sh) expands, globs, splits or quotes.
      expect(password).toMatch(/^[A-Za-z0-9%+=@_-]+$/);
    }
  });

  it('verifies a secret against its own hash only', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 64 }), fc.string({ minLength: 1, maxLength: 64 }), async (a, b) => {
        const stored = await hashAccessKeySecret(a);
        expect(stored).toMatch(/^scrypt\$10\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]{44}$/);
        expect(await verifySecret(a, stored)).toBe(true);
        expect(await verifySecret(b, stored)).toBe(a === b);
      }),
      { numRuns: 40 },
    );
  });

  it('salts hashes, so equal passwords store differently', async () => {
    const [first, second] = await Promise.all([hashPassword('hunter2hunter2'), hashPassword('hunter2hunter2')]);
    expect(first).not.toBe(second);
    expect(await verifySecret('hunter2hunter2', first)).toBe(true);
    expect(await verifySecret('hunter2hunter2', second)).toBe(true);
    expect(first.startsWith('scrypt$15$')).toBe(true);
  });

  it('treats malformed or hostile stored values as a mismatch', async () => {
    const good = await hashAccessKeySecret('s3cret');
    const parts = good.split('$');
    for (const stored of ['', 'plain', good.replace('scrypt', 'bcrypt'), [...parts.slice(0, 1), '40', ...parts.slice(2)].join('$'), `${good}$extra`]) {
      expect(await verifySecret('s3cret', stored)).toBe(false);
    }
  });

  it('hashes session tokens with SHA-256, hex', () => {
    const token = generateSessionToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
