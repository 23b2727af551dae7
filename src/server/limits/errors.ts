/**
 * The one shape every abuse limit answers with: a GraphQLError whose code names the limit, whose
 * message states the measured value and the limit ("query depth 14 exceeds the limit of 12"),
 * and, over HTTP, the status that suits it.
 */
import { GraphQLError } from 'graphql';
import type { ErrorCode } from '../../graphql/wire-errors.ts';

/** Stable error codes of the abuse limits, values of the GraphQL enum ErrorCode. */
export const LIMIT_CODES = {
  bodySize: 'PAYLOAD_TOO_LARGE',
  depth: 'QUERY_TOO_DEEP',
  aliases: 'TOO_MANY_ALIASES',
  cost: 'QUERY_TOO_COSTLY',
  tokens: 'TOO_MANY_TOKENS',
  introspection: 'INTROSPECTION_DISABLED',
  introspectionCount: 'TOO_MANY_INTROSPECTION_FIELDS',
  rateLimited: 'RATE_LIMITED',
} as const satisfies Record<string, ErrorCode>;

/** One of LIMIT_CODES. */
export type LimitCode = (typeof LIMIT_CODES)[keyof typeof LIMIT_CODES];

/** Options for `limitError`. */
export interface LimitErrorOptions {
  /** The configured ceiling, echoed in `extensions.limit`. */
  readonly limit?: number;
  /** HTTP status when the error ends an HTTP request (400 by default). */
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Extra machine-readable facts (the measured value, retry delay, …). */
  readonly extensions?: Readonly<Record<string, unknown>>;
}

/** A client-facing error for a refused operation; Yoga passes it through unmasked. */
export function limitError(code: LimitCode, message: string, options: LimitErrorOptions = {}): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code,
      ...(options.limit === undefined ? {} : { limit: options.limit }),
      ...options.extensions,
      http: { status: options.status ?? 400, ...(options.headers === undefined ? {} : { headers: { ...options.headers } }) },
    },
  });
}
