/**
 * Field suggestions ("Cannot query field "usr" on type "Query". Did you mean "user"?") describe
 * the schema as surely as introspection does, so a request that may not introspect gets none:
 * graphql-js 16 cannot switch them off, so they are cut from the validation and execution errors.
 */
import { GraphQLError } from 'graphql';
import type { ExecutionResult } from 'graphql';
import { isAsyncIterable } from 'graphql-yoga';

/** graphql-js's suggestion sentence: ` Did you mean "a", "b", or "c"?`, `Did you mean the enum value "X"?`, … */
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

/** `error` without its suggestion sentences (the same object when it has none). */
export function withoutSuggestions<E extends Error>(error: E): E | GraphQLError {
  if (!(error instanceof GraphQLError) || !error.message.includes('Did you mean')) return error;
  return new GraphQLError(error.message.replace(SUGGESTION, ''), {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: error.extensions,
  });
}

/** An execution result whose errors carry no suggestions; streams are left alone (their errors come from resolvers). */
export function resultWithoutSuggestions<T>(result: T): T {
  if (isAsyncIterable(result)) return result;
  const errors = (result as ExecutionResult).errors;
  if (errors === undefined || !errors.some((error) => error.message.includes('Did you mean'))) return result;
  return { ...(result as ExecutionResult), errors: errors.map(withoutSuggestions) } as T;
}
