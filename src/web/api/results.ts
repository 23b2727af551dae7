/**
 * Mutation result unions: a `<Name>Success` member or a typed error implementing `ResultError` (a
 * refusal too: `AccessDenied`, `PasswordResetRequired`). Every result-union selection spreads
 * `...ResultErrorFields`; `isSuccess` tells the Success member from the errors, and `fieldOf`
 * which form field an error concerns.
 */
import { graphql } from './generated/gql.ts';
import type { PolicyFindingFieldsFragment, ResultErrorFieldsFragment } from './generated/graphql.ts';

// Fragments are found by graphql-codegen where they are written here; operations spread them by
// name, and each generated operation string carries the fragments it uses.

/** What the dashboard shows of any typed error of a result union. */
export const RESULT_ERROR_FIELDS = graphql(`
  fragment ResultErrorFields on ResultError {
    __typename
    code
    message
    # Nested under ResultError so the fragment stays valid in unions that lack these members.
    ... on ValidationError {
      field
      rule
    }
    ... on NoSuchEntity {
      entityType
      entityName
    }
    # The permission a refusal lacked, so it can be named (a watched question's refusal, issue 19).
    ... on AccessDenied {
      action
    }
    ... on EntityAlreadyExists {
      entityType
      entityName
    }
    ... on DeleteConflict {
      entityType
      entityName
      dependents
    }
    ... on MalformedPolicyDocument {
      field
      findings {
        ...PolicyFindingFields
      }
    }
  }
`);

/** What the dashboard shows of a policy finding (validation, result errors). */
export const POLICY_FINDING_FIELDS = graphql(`
  fragment PolicyFindingFields on PolicyFinding {
    findingType
    issueCode
    message
    path
    line
    column
  }
`);

/** One policy finding as the API reports it. */
export type PolicyFinding = PolicyFindingFieldsFragment;

/** A typed error member of a result union. */
export type ResultError = ResultErrorFieldsFragment;

/** The Success member of a result union (`<Name>Success`). */
export type SuccessOf<TResult> = Extract<TResult, { readonly __typename: `${string}Success` }>;

/** Whether a result-union member is the Success member. */
export function isSuccess<TResult extends { readonly __typename?: string }>(result: TResult): result is SuccessOf<TResult> {
  return result.__typename?.endsWith('Success') === true;
}

/** The form field an error concerns (its input path without `input.`), when it names one. */
export function fieldOf(error: ResultError): string | undefined {
  const path = 'field' in error ? error.field : undefined;
  return path?.replace(/^input\./, '').split(/[.[]/)[0];
}
