/**
 * Change-log revisions as they travel outside the database: decimal strings of up to 19 digits
 * (a bigint would lose precision in JSON). Clients send them as `minRevision`/`afterRevision`;
 * instances announce them to each other over Redis.
 */
import { ValidationError } from '../errors.ts';

const REVISION = /^\d{1,19}$/;

/** Whether `value` is a revision string. */
export function isRevision(value: string): boolean {
  return REVISION.test(value);
}

/** Parses a `minRevision`/`afterRevision` string, or throws a ValidationError naming `field`. */
export function parseRevision(value: string, field: string): bigint {
  if (!isRevision(value)) throw new ValidationError(field, 'revision', `${field} must be a string of digits, got "${value.slice(0, 40)}"`);
  return BigInt(value);
}

/** `field` asked for a revision past the change log's latest. */
export function revisionAhead(field: string, revision: bigint, latest: bigint): ValidationError {
  return new ValidationError(field, 'revision-reached', `${field} ${revision} is ahead of the change log (latest revision ${latest})`);
}
