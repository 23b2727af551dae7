/**
 * The one interface every condition operator implements. An operator compares ONE request value
 * with ONE policy value in the positive sense; the negated operators (`StringNotEquals`, …), the
 * `IfExists` suffix and the `ForAllValues:`/`ForAnyValue:` set qualifiers are applied around it
 * once, in `compile-condition.ts`, never inside an operator.
 */
import type { PatternPart } from '../match/glob.ts';

/** Longest request value a RequestParser caches (4,096 entries of at most this many characters). */
const MAX_CACHED_LENGTH = 512;

/**
 * Parses request values for one operator family, caching by the value text (bounded), so a
 * value seen before — in this request or an earlier one — is not parsed again.
 */
export class RequestParser<R> {
  private readonly cache = new Map<string, R | null>();
  constructor(private readonly parseText: (value: string) => R | undefined) {}

  /** The parsed value, or `undefined` when it does not parse. */
  parse(value: string): R | undefined {
    // Long values (only ARNs get near this) are parsed each time: the cache stays a few MB at most.
    if (value.length > MAX_CACHED_LENGTH) return this.parseText(value);
    let parsed = this.cache.get(value);
    if (parsed === undefined) {
      parsed = this.parseText(value) ?? null;
      if (this.cache.size >= 4096) this.cache.clear();
      this.cache.set(value, parsed);
    }
    return parsed ?? undefined;
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
