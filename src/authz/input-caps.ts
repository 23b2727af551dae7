/**
 * Caps on what a caller may put into one decision (`authorize`, `authorizeBatch`,
 * `decisionChanged`, the simulators), in the spirit of AWS's quotas: matching is linear in these
 * sizes (src/policy/match), so the caps are what bound the work and memory one question can cost.
 * Exceeding one is a ValidationError naming the field and the cap, before anything is compiled
 * or cached. Documented in README.md (Decisions) and docs/operations.md (Abuse limits).
 */
import { ValidationError } from '../errors.ts';

/** Context entries per question (AWS documents no number; 100 is well above any real request). */
export const MAX_CONTEXT_ENTRIES = 100;
/** Values in one context entry (AWS allows 50 tags on a resource; `aws:TagKeys` holds at most that). */
export const MAX_CONTEXT_VALUES = 100;
/** Characters in one context value (an ARN is at most 2,048; an S3 key 1,024 bytes). */
export const MAX_CONTEXT_VALUE_LENGTH = 4_096;
/** Characters across every value of one question's context. */
export const MAX_CONTEXT_CHARACTERS = 65_536;
/**
 * Characters of a policy document passed with a question, white space included. The engine also
 * applies AWS's quota without white space per kind (20,480 for a resource policy, as for an S3
 * bucket policy; 6,144 for identity and boundary documents); this cap stops white space or text
 * the parser must still read from growing past it.
 */
export const MAX_DOCUMENT_LENGTH = 65_536;
/** Characters of a question's client `key` (decisionChanged echoes it with every result, so it is kept short). */
export const MAX_QUESTION_KEY_LENGTH = 256;
/** Documents in `policyInputList` and `permissionsBoundaryPolicyInputList`, each. */
export const MAX_DOCUMENTS = 20;

/** Throws a ValidationError when a caller-supplied document is longer than MAX_DOCUMENT_LENGTH. */
export function checkDocumentLength(text: string, field: string): void {
  if (text.length > MAX_DOCUMENT_LENGTH) {
    throw new ValidationError(field, 'max-length', `${field} may be at most ${MAX_DOCUMENT_LENGTH} characters, got ${text.length}`);
  }
}

/** Throws a ValidationError when a list of caller-supplied documents is too long or holds a long one. */
export function checkDocumentList(texts: readonly string[] | null | undefined, field: string): void {
  if (texts == null) return;
  if (texts.length > MAX_DOCUMENTS) {
    throw new ValidationError(field, 'max-items', `${field} may hold at most ${MAX_DOCUMENTS} documents, got ${texts.length}`);
  }
  texts.forEach((text, i) => checkDocumentLength(text, `${field}[${i}]`));
}
