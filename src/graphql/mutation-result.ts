/**
 * Mutation result plumbing: each directory mutation returns `<Name>Result`, a union of
 * `<Name>Success` (the entity and the `revision` the write committed) and the typed errors it
 * can raise, which the errors plugin catches by class.
 */
import type { ObjectRef } from '@pothos/core';
import type { WriteResult } from '../changes/outbox.ts';
import { builder } from './builder.ts';

/** An IamError subclass registered in error-types.ts. */
type ErrorClass = new (...args: any[]) => Error;

/** The `errors` option of a mutation field named `name` (PascalCase) that can raise `types`. */
export function resultErrors(name: string, types: ErrorClass[]) {
  return { types, directResult: true as const, union: { name: `${name}Result` } };
}

/**
 * `<Name>Success { <key>: <entity>, revision }` for mutations whose success carries one entity.
 * Its shape is the service's WriteResult, so resolvers return what the service returned.
 */
export function entitySuccess<T>(name: string, key: string, entity: ObjectRef<any, T>, description: string) {
  return builder.objectRef<WriteResult<T>>(`${name}Success`).implement({
    description,
    fields: (t) => ({
      // `never`: Pothos cannot relate a generic T to the shape it infers for `entity`.
      [key]: t.field({ type: entity, resolve: (s) => s.result as never }),
      revision: t.exposeString('revision', {
        description: 'The change-log revision that includes this write; pass it as `minRevision` to read your own write.',
      }),
    }),
  });
}
