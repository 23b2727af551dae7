/**
 * The one interface every condition operator implements. An operator compares ONE request value
 * with ONE policy value in the positive sense; the negated operators (`StringNotEquals`, …), the
 * `IfExists` suffix and the `ForAllValues:`/`ForAnyValue:` set qualifiers are applied around it
 * once, in `compile-condition.ts`, never inside an operator.
 */
import type { PatternPart } from '../match/glob.ts';
import type { ContextValue } from '../types.ts';

/** Parses request values once per context value object, shared by operators of one family. */
export class RequestParser<R> {
  private readonly cache = new WeakMap<ContextValue, readonly (R | undefined)[]>();
  constructor(private readonly parse: (value: string) => R | undefined) {}

  /** Parsed values of `cv` (undefined where a value does not parse), cached per context value. */
  values(cv: ContextValue): readonly (R | undefined)[] {
    let parsed = this.cache.get(cv);
    if (parsed === undefined) {
      parsed = cv.values.map(this.parse);
      this.cache.set(cv, parsed);
    }
    return parsed;
  }
}

/** A comparison operator: policy value of type P against request value of type R. */
export interface ValueOperator<P = unknown, R = unknown> {
  /** Canonical name, e.g. `StringLike`. */
  readonly name: string;
  /** Whether policy variables are substituted in this operator's values (Condition operators page). */
  readonly variables: boolean;
  /** Prepare one policy value; `undefined` means it can never match (e.g. not a number). */
  preparePolicy(parts: readonly PatternPart[]): P | undefined;
  /** How request values are parsed; absent means the raw string is used. */
  readonly request?: RequestParser<R>;
  /** Does the request value satisfy the policy value (positive sense)? */
  matches(request: R, policy: P): boolean;
}

/** Build a typed operator (helps inference in operator modules). */
export function defineOperator<P, R>(op: ValueOperator<P, R>): ValueOperator<P, R> {
  return op;
}
