/** Typed errors raised while compiling a policy document. */

/** A document element the compiler cannot turn into a matcher (the validator should have caught it). */
export class PolicyCompileError extends Error {
  override readonly name = 'PolicyCompileError';
  constructor(
    /** JSON path of the element, e.g. `$.Statement[0].Condition`. */
    readonly path: string,
    /** The rule broken, e.g. `unknown condition operator "StringEqualz"`. */
    readonly rule: string,
  ) {
    super(`${path}: ${rule}`);
  }
}
