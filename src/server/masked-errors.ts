/**
 * Errors on their way out of Yoga: domain errors become their coded GraphQL errors
 * (src/graphql/wire-errors.ts) and anything unexpected is masked.
 */
import { handleStreamOrSingleExecutionResult, maskError as yogaMaskError, type Plugin } from 'graphql-yoga';
import { GraphQLError, type ExecutionResult } from 'graphql';
import { domainErrorOf, mapResultError, toGraphQLError } from '../graphql/wire-errors.ts';
import type { Logger } from '../logger.ts';
import { currentRequestScope } from './request-scope.ts';

/** The message clients see in place of any unexpected error. */
export const UNEXPECTED_ERROR_MESSAGE = 'Unexpected error.';

/** True when a GraphQLError was raised on purpose for the client (not wrapping another error). */
function isIntendedForClient(error: unknown): boolean {
  if (!(error instanceof GraphQLError)) return false;
  return error.originalError == null || isIntendedForClient(error.originalError);
}

/** `error` mapped to its coded GraphQL error when it is (or wraps) a domain error; else undefined. */
function mapped(error: unknown): GraphQLError | undefined {
  const domain = domainErrorOf(error);
  if (domain === undefined) return undefined;
  return error instanceof GraphQLError ? mapResultError(error) : toGraphQLError(domain);
}

/**
 * Maps the domain errors of every execution and subscription result (each event of a stream too),
 * over HTTP and graphql-ws, before Yoga's masking sees them: a mapped error is intended for the
 * client, so the masker passes it through without logging it as unexpected. Install it before the
 * plugins that stop execution early, so their results pass through it as well.
 */
export function useDomainErrors(): Plugin {
  const mapErrors = ({ result, setResult }: { result: ExecutionResult; setResult: (result: ExecutionResult) => void }): void => {
    if (result.errors === undefined) return;
    if (!('data' in result)) {
      // The operation never ran: its variables did not coerce (graphql-js and graphql-jit give
      // those errors no code), the one request error that reaches execution.
      if (result.errors.some(isUncoded)) setResult({ ...result, errors: result.errors.map(withBadUserInput) });
      return;
    }
    if (!result.errors.some((error) => domainErrorOf(error) !== undefined)) return;
    setResult({ ...result, errors: result.errors.map(mapResultError) });
  };
  return {
    onExecute: () => ({ onExecuteDone: (payload) => handleStreamOrSingleExecutionResult(payload, mapErrors) }),
    onSubscribe: () => ({
      onSubscribeResult: (payload) => handleStreamOrSingleExecutionResult(payload, mapErrors),
      onSubscribeError: ({ error, setError }) => {
        const wire = mapped(error);
        if (wire !== undefined) setError(wire);
      },
    }),
  };
}

function isUncoded(error: GraphQLError): boolean {
  return error.extensions?.['code'] === undefined && domainErrorOf(error) === undefined;
}

/** A request error without a code, coded BAD_USER_INPUT as graphql-yoga codes its other input errors. */
function withBadUserInput(error: GraphQLError): GraphQLError {
  if (!isUncoded(error)) return error;
  const coded = new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, extensions: { ...error.extensions, code: 'BAD_USER_INPUT' } });
  // graphql-jit's errors carry locations without nodes; keep them as the client saw them before.
  if (coded.locations === undefined && error.locations !== undefined) Object.assign(coded, { locations: error.locations });
  return coded;
}

/**
 * Yoga's `maskError`: errors raised as GraphQLError on purpose pass through, domain errors that
 * reach it (raised before execution) become their coded errors, and anything else is logged in
 * full with the request id and replaced by "Unexpected error." carrying only the code
 * INTERNAL_SERVER_ERROR and the request id, whatever NODE_ENV says.
 */
export function createErrorMasker(rootLogger: Logger) {
  return (error: unknown, message: string): Error => {
    if (isIntendedForClient(error)) return error as GraphQLError;
    const wire = mapped(error);
    if (wire !== undefined) return wire;
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
