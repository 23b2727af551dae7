/**
 * The shapes every error and every write success shares on the wire: the `ErrorCode` enum (built
 * from the one table in wire-errors.ts), the `ResultError` interface every error object
 * implements, and the `WriteSuccess` interface every mutation's success implements.
 */
import { builder } from './builder.ts';
import { ERROR_CODES, errorCodeOf } from './wire-errors.ts';

/** What every error returned as data (inside a result union) carries. */
export interface CodedError {
  /** The domain error's code, e.g. `NoSuchEntity`; the wire shows its ErrorCode. */
  readonly code: string;
  /** Lower-case, human-readable explanation naming the field and quoting the input. */
  readonly message: string;
}

/** Every code the API answers with, as data (`ResultError.code`) and in `extensions.code`. */
export const ErrorCodeEnum = builder.enumType('ErrorCode', {
  description:
    'Every error code the API answers with: the `code` of an error returned in a result union, and `extensions.code` of a top-level error. ' +
    "GraphQL's own request errors (a document that does not parse or validate, variables that do not coerce) keep graphql-yoga's codes " +
    '(`GRAPHQL_PARSE_FAILED`, `GRAPHQL_VALIDATION_FAILED`, `BAD_USER_INPUT`) instead.',
  values: Object.fromEntries(Object.entries(ERROR_CODES).map(([value, entry]) => [value, { description: entry.description }])) as Record<
    keyof typeof ERROR_CODES,
    { description: string }
  >,
});

/** The interface every error object type implements (named so generated TypeScript does not shadow `Error`). */
export const ResultErrorInterface = builder.interfaceRef<CodedError>('ResultError').implement({
  description: 'An expected failure returned as data in a result union. `code` is stable; `message` is for people.',
  fields: (t) => ({
    code: t.field({ type: ErrorCodeEnum, description: 'Stable, machine-readable error code.', resolve: (e) => errorCodeOf(e) }),
    message: t.exposeString('message', { description: 'Human-readable explanation.' }),
  }),
});

/** What every mutation's success carries. */
export const WriteSuccessInterface = builder.interfaceRef<{ readonly revision: string }>('WriteSuccess').implement({
  description: 'The success of a write: every `<Name>Success` carries the change-log `revision` it committed.',
  fields: (t) => ({
    revision: t.exposeString('revision', {
      description: 'The change-log revision that includes this write; pass it as `minRevision` to read your own write.',
    }),
  }),
});

/** Options for `errorObjectType`. */
export interface ErrorObjectTypeOptions {
  /** GraphQL type name, e.g. `NoSuchEntity`; its ErrorCode is the name in UPPER_SNAKE. */
  readonly name: string;
  readonly description: string;
}

/**
 * Registers an error class as a GraphQL object implementing `ResultError`, so fields can list the
 * class in `errors: { types: [...] }` and the errors plugin returns it inside the result union.
 * Add fields beyond `code` and `message` with `builder.objectFields(ref, (t) => ({ ... }))`.
 */
export function errorObjectType<T extends CodedError>(
  // Error classes take whatever constructor arguments they need.
  errorClass: new (...args: any[]) => T,
  options: ErrorObjectTypeOptions,
) {
  const ref = builder.objectType(errorClass, {
    name: options.name,
    description: options.description,
    isTypeOf: (value) => value instanceof errorClass,
  });
  // Added after the fact: Pothos cannot check a generic class shape against the interface.
  ref.addInterfaces([ResultErrorInterface]);
  return ref;
}
