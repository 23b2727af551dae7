import { builder } from './builder.ts';

/** What every error returned as data (inside a result union) carries. */
export interface CodedError {
  /** Stable, machine-readable code, e.g. `NoSuchEntity`. */
  readonly code: string;
  /** Lower-case, human-readable explanation naming the field and quoting the input. */
  readonly message: string;
}

/** The shared GraphQL `Error` interface every error object type implements. */
export const ErrorInterface = builder.interfaceRef<CodedError>('Error').implement({
  description:
    'An expected failure returned as data in a result union. `code` is stable; `message` is for people.',
  fields: (t) => ({
    code: t.exposeString('code', { description: 'Stable, machine-readable error code.' }),
    message: t.exposeString('message', { description: 'Human-readable explanation.' }),
  }),
});

/** Options for `errorObjectType`. */
export interface ErrorObjectTypeOptions {
  /** GraphQL type name, e.g. `NoSuchEntityError`. */
  readonly name: string;
  readonly description: string;
}

/**
 * Registers an error class as a GraphQL object implementing `Error`, so fields can list the
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
  ref.addInterfaces([ErrorInterface]);
  return ref;
}
