/**
 * A policy document as parsed and validated: the AWS grammar with every single-or-array element
 * normalised to an array and every statement located in the source text. `parsePolicy` produces
 * it (only when there is no ERROR finding); `compile` consumes it.
 *
 * Grammar: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 */
import type { TextSpan } from './types.ts';

/** The two policy language versions AWS accepts. A missing Version means `2008-10-17`. */
export type PolicyVersion = '2012-10-17' | '2008-10-17';

/** A validated policy document. */
export interface PolicyDocument {
  readonly version: PolicyVersion;
  /** Whether `Version` was written out (AWS warns when it is missing). */
  readonly versionGiven: boolean;
  readonly id?: string;
  readonly statements: readonly StatementDocument[];
}

/**
 * `Principal` / `NotPrincipal`: either the bare wildcard `"*"` (everyone, including anonymous),
 * or a map of principal type to values. Values are kept as written.
 */
export type PrincipalDocument =
  | { readonly kind: 'any' }
  | {
      readonly kind: 'map';
      readonly AWS?: readonly string[];
      readonly Service?: readonly string[];
      readonly Federated?: readonly string[];
      readonly CanonicalUser?: readonly string[];
    };

/** One `operator: { key: values }` entry of a Condition block. */
export interface ConditionDocument {
  /** The operator as written, e.g. `ForAnyValue:StringLikeIfExists`. */
  readonly operator: string;
  /** The condition key as written, e.g. `aws:PrincipalTag/team`. */
  readonly key: string;
  /** Values as strings: JSON numbers and booleans are stringified as AWS does. */
  readonly values: readonly string[];
}

/** One statement, with exactly one of each mutually exclusive pair present (or neither). */
export interface StatementDocument {
  /** Position in the `Statement` array (0 when `Statement` is a single object). */
  readonly index: number;
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  readonly principal?: PrincipalDocument;
  readonly notPrincipal?: PrincipalDocument;
  readonly action?: readonly string[];
  readonly notAction?: readonly string[];
  readonly resource?: readonly string[];
  readonly notResource?: readonly string[];
  readonly condition: readonly ConditionDocument[];
  readonly span: TextSpan;
}
