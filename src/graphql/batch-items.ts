/**
 * How a batch item's error reaches the wire: `authorizeBatch` returns each question's IamError
 * inside its `AuthorizeResult` union, behind a proxy (errors raised outside a union are mapped by
 * wire-errors.ts).
 */
import type { IamError } from '../errors.ts';

/** The symbol the errors plugin uses to unwrap a returned error before `isTypeOf` (see asItem). */
const UNWRAP = Symbol.for('Pothos.unwrapErrors');
/** Lets a union's resolveType see the wrapped error without unwrapping it. */
const WRAPPED = Symbol('wrapped batch item error');

/**
 * GraphQL executors turn any list item that is `instanceof Error` into a field error, so a
 * per-item error is returned behind a proxy that hides its prototype until the error type's
 * `isTypeOf` unwraps it: the technique @pothos/plugin-errors uses for its result unions. The
 * union must not unwrap it in `resolveType` (use `wrappedError`): graphql-jit checks
 * `instanceof Error` again between resolveType and isTypeOf.
 */
export function asItem<T>(error: IamError): T {
  let wrapped = true;
  return new Proxy(error, {
    getPrototypeOf: (target) => (wrapped ? Object.prototype : Reflect.getPrototypeOf(target)),
    get: (target, key) => {
      if (key === WRAPPED) return target;
      if (key === UNWRAP) {
        return () => {
          wrapped = false;
        };
      }
      return Reflect.get(target, key, target);
    },
  }) as T;
}

/** The error behind a value made by asItem, or undefined for anything else. */
export function wrappedError(value: unknown): IamError | undefined {
  return typeof value === 'object' && value !== null ? (value as { [WRAPPED]?: IamError })[WRAPPED] : undefined;
}
