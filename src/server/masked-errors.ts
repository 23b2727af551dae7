import { maskError as yogaMaskError } from 'graphql-yoga';
import { GraphQLError } from 'graphql';
import type { Logger } from '../logger.ts';
import { currentRequestScope } from './request-scope.ts';

/** The message clients see in place of any unexpected error. */
export const UNEXPECTED_ERROR_MESSAGE = 'Unexpected error.';

/** True when a GraphQLError was raised on purpose for the client (not wrapping another error). */
function isIntendedForClient(error: unknown): boolean {
  if (!(error instanceof GraphQLError)) return false;
  return error.originalError == null || isIntendedForClient(error.originalError);
}

/**
 * Yoga's `maskError`: errors raised as GraphQLError on purpose pass through; anything else is
 * logged in full with the request id and replaced by "Unexpected error." carrying only the
 * code INTERNAL_SERVER_ERROR and the request id, whatever NODE_ENV says.
 */
export function createErrorMasker(rootLogger: Logger) {
  return (error: unknown, message: string): Error => {
    if (isIntendedForClient(error)) return error as GraphQLError;
    const scope = currentRequestScope();
    const logger = scope?.logger ?? rootLogger;
    const original = error instanceof GraphQLError && error.originalError != null ? error.originalError : error;
    logger.error(
      { err: original, path: error instanceof GraphQLError ? error.path : undefined },
      'unexpected error while serving a GraphQL request',
    );
    // isDev false: never attach the original error (or its stack) to the response.
    const masked = yogaMaskError(error, message, false);
    if (scope !== undefined && masked instanceof GraphQLError) {
      (masked.extensions as Record<string, unknown>)['requestId'] = scope.requestId;
    }
    return masked;
  };
}
