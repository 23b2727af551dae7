/**
 * AWS Organizations identifiers, drawn from the CSPRNG in AWS's shapes (rules.ts
 * `organizationIdPatterns`): `o-` and 10 lowercase letters or digits, `r-` and 4, OUs
 * `ou-<the root's 4>-<8>`, policies `p-` and 8, and 12-digit account ids.
 */
import { randomBytes, randomInt } from 'node:crypto';

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** `length` random characters of `[a-z0-9]`; rejection sampling keeps every character equally likely. */
function randomLowerAlnum(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // 252 = 7 × 36: bytes above it would favour the first characters.
      if (byte < 252 && out.length < length) out += LOWER_ALNUM[byte % 36];
    }
  }
  return out;
}

/** A new organization id, `o-` and 10 characters. */
export function newOrganizationId(): string {
  return `o-${randomLowerAlnum(10)}`;
}

/** A new root id, `r-` and 4 characters. */
export function newRootId(): string {
  return `r-${randomLowerAlnum(4)}`;
}

/** A new OU id under the root `rootId`: `ou-<root suffix>-<8 characters>`, as AWS forms them. */
export function newOrganizationalUnitId(rootId: string): string {
  return `ou-${rootId.slice(2)}-${randomLowerAlnum(8)}`;
}

/** A new customer policy id, `p-` and 8 characters. */
export function newOrganizationPolicyId(): string {
  return `p-${randomLowerAlnum(8)}`;
}

/** A new 12-digit account id (never starting with 0, so it reads the same as a number). */
export function newAccountId(): string {
  return String(randomInt(100_000_000_000, 1_000_000_000_000));
}
