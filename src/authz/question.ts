/**
 * One authorization question, as `authorize`, `authorizeBatch`, AuthZEN evaluations, the live
 * watches and the reverse queries ask it, and the rules it must satisfy before it is decided:
 * each malformed field is a ValidationError naming it. Whose policies answer it (`questionRef`)
 * and how a resource policy passed with it is compiled are decided here too, once for all of them.
 */
import { createHash } from 'node:crypto';
import { isAccountId } from '../db/schema/rules.ts';
import { MalformedPolicyDocumentError, ValidationError } from '../errors.ts';
import type { CompiledPolicy } from '../policy/types.ts';
import type { Caller } from './caller.ts';
import { PolicyCompileFailure, type CompiledPolicyCache } from './compiled-policies.ts';
import type { ContextEntry } from './context-entries.ts';
import { callerRef } from './guard.ts';
import { checkDocumentLength, MAX_QUESTION_KEY_LENGTH } from './input-caps.ts';
import { parsePrincipalArn, type PrincipalRef } from './principal-ref.ts';

/** One authorization question, as `AuthorizeInput` carries it. */
export interface AuthorizeQuestion {
  readonly principalArn?: string | null;
  readonly action: string;
  readonly resourceArn: string;
  readonly resourceOwner?: string | null;
  readonly resourcePolicy?: string | null;
  readonly contextEntries?: readonly ContextEntry[] | null;
  readonly minRevision?: string | null;
  /** The client's opaque key for the question, echoed beside its results by decisionChanged; never interpreted. */
  readonly key?: string | null;
}


/** An IAM action as a question names it: `service:Action`, wildcards allowed in the action part. */
export const ACTION_NAME = /^[A-Za-z0-9_-]{1,64}:[A-Za-z0-9_.*?-]{1,128}$/;
const MAX_ARN_LENGTH = 2048;

/**
 * Whether `q` passes validateQuestion, without building a field name: the test a batch runs per
 * question, validateQuestion then only for the rare one that fails (to say which field, and why).
 * The two test the same rules.
 */
export function isWellFormedQuestion(q: AuthorizeQuestion): boolean {
  return (
    ACTION_NAME.test(q.action) &&
    q.resourceArn !== '' &&
    q.resourceArn.length <= MAX_ARN_LENGTH &&
    (q.principalArn == null || parsePrincipalArn(q.principalArn) !== undefined) &&
    (q.key == null || q.key.length <= MAX_QUESTION_KEY_LENGTH) &&
    (q.resourceOwner == null || isAccountId(q.resourceOwner))
  );
}

/** Checks the fields every question shares; throws ValidationError naming the field. */
export function validateQuestion(q: AuthorizeQuestion, field: string): void {
  if (!ACTION_NAME.test(q.action)) {
    throw new ValidationError(`${field}.action`, 'pattern', `${field}.action must look like "service:Action", got "${q.action.slice(0, 80)}"`);
  }
  if (q.resourceArn === '' || q.resourceArn.length > MAX_ARN_LENGTH) {
    throw new ValidationError(`${field}.resourceArn`, 'length', `${field}.resourceArn must be 1 to ${MAX_ARN_LENGTH} characters`);
  }
  if (q.principalArn != null && parsePrincipalArn(q.principalArn) === undefined) {
    throw new ValidationError(
      `${field}.principalArn`,
      'principal-arn',
      `${field}.principalArn must be a user, role, assumed-role session, federated user or root ARN, got "${q.principalArn.slice(0, 120)}"`,
    );
  }
  if (q.key != null && q.key.length > MAX_QUESTION_KEY_LENGTH) {
    throw new ValidationError(`${field}.key`, 'max-length', `${field}.key may be at most ${MAX_QUESTION_KEY_LENGTH} characters, got ${q.key.length}`);
  }
  if (q.resourceOwner != null && !isAccountId(q.resourceOwner)) {
    throw new ValidationError(`${field}.resourceOwner`, 'pattern', `${field}.resourceOwner must be a 12-digit account id, got "${q.resourceOwner.slice(0, 40)}"`);
  }
}

/**
 * Compiles a resource policy passed with a question, cached by its text's hash among caller
 * documents; it must fit MAX_DOCUMENT_LENGTH and the resource-policy quota (20,480 characters).
 */
export function compileResourcePolicy(compiled: CompiledPolicyCache, text: string, field: string): CompiledPolicy {
  checkDocumentLength(text, field);
  const digest = createHash('sha256').update(text).digest('base64');
  try {
    return compiled.callerDocument(digest, 'resource', text, { id: 'ResourcePolicy', name: 'ResourcePolicy' });
  } catch (error) {
    if (error instanceof PolicyCompileFailure) throw new MalformedPolicyDocumentError(field, error.findings);
    throw error;
  }
}

/**
 * Whose policies answer `q` for `caller`: the principal it names, or the caller's own session
 * (and so its session policies) when it names none or the caller itself.
 */
export function questionRef(q: AuthorizeQuestion, caller: Caller): PrincipalRef {
  return q.principalArn == null || q.principalArn === caller.arn ? callerRef(caller) : q.principalArn;
}
