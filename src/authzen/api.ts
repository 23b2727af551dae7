/**
 * The AuthZEN endpoints as functions of a parsed JSON body and the request's authorization
 * scope, independent of the HTTP server (src/server/authzen-routes.ts carries them over HTTP:
 * credentials, rate limit, body limits, X-Request-ID). Each returns the 200 response body or
 * throws a domain error that status.ts maps to the HTTP status.
 */
import type { RequestAuthz } from '../authz/runtime.ts';
import { UnauthenticatedError, ValidationError } from '../errors.ts';
import { describe, isObject, type JsonObject } from './entities.ts';
import { evaluate, evaluateMany } from './evaluation.ts';
import { AUTHZEN_PATHS } from './metadata.ts';
import { searchActions, searchResources, searchSubjects } from './search.ts';

/** An endpoint: the response body for a request body (or a promise of it; a cached decision is answered synchronously). */
export type AuthzenEndpoint = (body: JsonObject, authz: RequestAuthz) => unknown;

/** The POST endpoints by path. */
export const AUTHZEN_ENDPOINTS: ReadonlyMap<string, AuthzenEndpoint> = new Map<string, AuthzenEndpoint>([
  [AUTHZEN_PATHS.evaluation, (body, authz) => evaluate(body, scopeOf(authz))],
  [AUTHZEN_PATHS.evaluations, (body, authz) => evaluateMany(body, scopeOf(authz))],
  [AUTHZEN_PATHS.searchSubject, searchSubjects],
  [AUTHZEN_PATHS.searchResource, searchResources],
  [AUTHZEN_PATHS.searchAction, searchActions],
]);

/** The request body as a JSON object: 400 for an empty body, text that is not JSON, or JSON that is not an object. */
export function parseBody(text: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Tested only on failure: trimming a large body would copy it.
    if (/^\s*$/.test(text)) throw new ValidationError('body', 'required', 'the request body is empty; send a JSON object');
    throw new ValidationError('body', 'json', 'the request body is not valid JSON');
  }
  if (!isObject(value)) throw new ValidationError('body', 'type', `the request body must be a JSON object, got ${describe(value)}`);
  return value;
}

/** The Decider and account of an authenticated request (anonymous requests are refused before). */
function scopeOf(authz: RequestAuthz) {
  const caller = authz.guard.caller;
  if (caller === undefined) throw UnauthenticatedError.needsCredential();
  return { decider: authz.decider, accountId: caller.accountId };
}
