import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode } from '../../src/iam/mfa/base32.ts';
import { findTimeStep, hotp, timeStep, totp, type TotpAlgorithm } from '../../src/iam/mfa/totp.ts';

// RFC 6238 Appendix B: the seeds are the ASCII digits "1234567890" repeated to the hash's key size.
const seeds: Record<TotpAlgorithm, Buffer> = {
  sha1: Buffer.from('12345678901234567890', 'ascii'),
  sha256: Buffer.from('12345678901234567890123456789012', 'ascii'),
  sha512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234', 'ascii'),
};

const vectors: ReadonlyArray<[seconds: number, sha1: string, sha256: string, sha512: string]> = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
];

describe('TOTP (RFC 6238 Appendix B test vectors)', () => {
  for (const [seconds, sha1, sha256, sha512] of vectors) {
    const at = new Date(seconds * 1000);
    it(`T=${seconds}`, () => {
      expect(totp(seeds.sha1, at, { algorithm: 'sha1', digits: 8 })).toBe(sha1);
      expect(totp(seeds.sha256, at, { algorithm: 'sha256', digits: 8 })).toBe(sha256);
      expect(totp(seeds.sha512, at, { algorithm: 'sha512', digits: 8 })).toBe(sha512);
    });
  }

  it('six-digit codes are the low six digits (RFC 4226 Appendix D HOTP values)', () => {
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    expected.forEach((code, counter) => expect(hotp(seeds.sha1, counter)).toBe(code));
  });

  it('finds the step of a code within one step of drift and no further', () => {
    const at = new Date(1234567890 * 1000);
    const step = timeStep(at);
    expect(findTimeStep(seeds.sha1, hotp(seeds.sha1, step), at)).toBe(step);
    expect(findTimeStep(seeds.sha1, hotp(seeds.sha1, step - 1), at)).toBe(step - 1);
    expect(findTimeStep(seeds.sha1, hotp(seeds.sha1, step + 1), at)).toBe(step + 1);
    expect(findTimeStep(seeds.sha1, hotp(seeds.sha1, step - 2), at)).toBeUndefined();
    expect(findTimeStep(seeds.sha1, hotp(seeds.sha1, step + 2), at)).toBeUndefined();
  });

  it('refuses codes of the wrong shape', () => {
    const at = new Date(59_000);
    expect(findTimeStep(seeds.sha1, '28708', at)).toBeUndefined();
    expect(findTimeStep(seeds.sha1, '2870821', at)).toBeUndefined();
    expect(findTimeStep(seeds.sha1, '28708a', at)).toBeUndefined();
  });
});

describe('base32 (RFC 4648 section 10 vectors, unpadded)', () => {
  const cases: Array<[string, string]> = [
    ['', ''],
    ['f', 'MY'],
    ['fo', 'MZXQ'],
    ['foo', 'MZXW6'],
    ['foob', 'MZXW6YQ'],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI'],
  ];
  for (const [plain, encoded] of cases) {
    it(`'${plain}' <-> '${encoded}'`, () => {
      expect(base32Encode(Buffer.from(plain))).toBe(encoded);
      expect(base32Decode(encoded).toString()).toBe(plain);
      expect(base32Decode(`${encoded.toLowerCase()}====`).toString()).toBe(plain);
    });
  }

  it('round-trips random seeds and rejects foreign characters', () => {
    for (let n = 0; n < 50; n++) {
      const bytes = Buffer.from(Array.from({ length: n }, (_, i) => (i * 37 + n * 11) & 255));
      expect(base32Decode(base32Encode(bytes)).equals(bytes)).toBe(true);
    }
    expect(() => base32Decode('MZXW1')).toThrow(/invalid base32 character '1'/);
  });
});
