/**
 * Mutation result plumbing: each mutation returns `<Name>Result`, a union of `<Name>Success`
 * (implementing WriteSuccess: the entity and the `revision` the write committed) and the typed
 * errors it can raise, which the errors plugin catches by class. Every union also carries
 * AccessDenied and PasswordResetRequired, so a refused mutation is data and costs only itself:
 * the other fields of the document keep their results (and their revisions).
 */
import type { ObjectRef } from '@pothos/core';
import type { WriteResult } from '../changes/outbox.ts';
import { AccessDeniedError, PasswordResetRequiredError } from '../errors.ts';
import { builder } from './builder.ts';
import { WriteSuccessInterface } from './errors.ts';
// Registers AccessDenied and PasswordResetRequired, which every union below lists.
import './error-types.ts';

/** An IamError subclass registered as an error object (error-types.ts, sts.ts, sign-in.ts, mfa.ts). */
type ErrorClass = new (...args: any[]) => Error;

/** The refusals every mutation can meet, whatever it does. */
const REFUSALS: ErrorClass[] = [AccessDeniedError, PasswordResetRequiredError];

/** The `errors` option of a mutation field named `name` (PascalCase) that can raise `types`. */
export function resultErrors(name: string, types: ErrorClass[]) {
  const field = name.charAt(0).toLowerCase() + name.slice(1);
  const description =
    `What \`${field}\` returns: \`${name}Success\` with the revision the write committed, or the typed error that ` +
    'stopped it (every error member implements ResultError; AccessDenied and PasswordResetRequired are refusals, ' +
    'and a refusal costs only this field).';
  return { types: [...types, ...REFUSALS], directResult: true as const, union: { name: `${name}Result`, description } };
}

/**
 * `<Name>Success { <key>: <entity>, revision }` for mutations whose success carries one entity.
 * Its shape is the service's WriteResult, so resolvers return what the service returned.
 */
export function entitySuccess<T>(name: string, key: string, entity: ObjectRef<any, T>, description: string) {
  return builder.objectRef<WriteResult<T>>(`${name}Success`).implement({
    description,
    interfaces: [WriteSuccessInterface],
    fields: (t) => ({
      // `never`: Pothos cannot relate a generic T to the shape it infers for `entity`.
      [key]: t.field({ type: entity, resolve: (s) => s.result as never }),
    }),
  });
}
