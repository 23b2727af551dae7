/**
 * The one mapping from domain errors to AuthZEN's HTTP status codes (Authorization API 1.0,
 * "Error Responses": 400, 401, 403, 500). A decision is never an error: a denial is HTTP 200 with
 * `decision: false`. 404 appears only inside a denial's `context.error`, for a subject that names
 * no principal.
 */
import { AccessDeniedError, MalformedPolicyDocumentError, NoSuchEntityError, PasswordResetRequiredError, UnauthenticatedError, ValidationError } from '../errors.ts';

/** The message a 500 carries: unexpected errors are logged, never shown. */
export const INTERNAL_ERROR_MESSAGE = 'internal error';

/** The HTTP status of `error`. */
export function errorStatus(error: unknown): 400 | 401 | 403 | 404 | 500 {
  if (error instanceof ValidationError || error instanceof MalformedPolicyDocumentError) return 400;
  if (error instanceof UnauthenticatedError) return 401;
  if (error instanceof AccessDeniedError || error instanceof PasswordResetRequiredError) return 403;
  if (error instanceof NoSuchEntityError) return 404;
  return 500;
}

/** What an error response's body says: the error's own message, except for unexpected errors. */
export function errorMessage(error: unknown): string {
  return errorStatus(error) === 500 || !(error instanceof Error) ? INTERNAL_ERROR_MESSAGE : error.message;
}
