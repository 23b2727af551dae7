/**
 * AWS-style identifiers. Unique ids are a four-letter prefix naming the entity kind plus random
 * characters from the base32 alphabet (A-Z, 2-7), as AWS's look: AIDA… users, AGPA… groups,
 * AROA… roles, ANPA… managed policies (21 characters), AKIA… access keys and ASIA… temporary
 * access keys (20 characters). All randomness comes from the CSPRNG.
 */
import { randomBytes } from 'node:crypto';

/** The 32 characters unique ids are drawn from. */
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Prefix per kind of id. */
export const ID_PREFIXES = {
  user: 'AIDA',
  group: 'AGPA',
  role: 'AROA',
  policy: 'ANPA',
  accessKey: 'AKIA',
  temporaryAccessKey: 'ASIA',
} as const;

/** What an id identifies. */
export type IdKind = keyof typeof ID_PREFIXES;

/** `length` random base32 characters; 256 is a multiple of 32, so `byte & 31` is unbiased. */
export function randomBase32(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += BASE32[byte & 31];
  return out;
}

/** A fresh unique id of `kind`: 17 random characters for entities, 16 for access key ids. */
export function newUniqueId(kind: IdKind): string {
  const randomLength = kind === 'accessKey' || kind === 'temporaryAccessKey' ? 16 : 17;
  return ID_PREFIXES[kind] + randomBase32(randomLength);
}

/** True when `id` has the shape of an id of `kind` (prefix, alphabet and length). */
export function isUniqueId(kind: IdKind, id: string): boolean {
  const randomLength = kind === 'accessKey' || kind === 'temporaryAccessKey' ? '{16}' : '{16,17}';
  return new RegExp(`^${ID_PREFIXES[kind]}[A-Z2-7]${randomLength}$`).test(id);
}
