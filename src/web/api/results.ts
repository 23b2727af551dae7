/**
 * Mutation result unions: a `<Name>Success` member or a typed error implementing `Error`.
 * `ERROR_FIELDS` selects what the dashboard shows of any error; `outcomeOf` splits a result
 * into success or a displayable error that knows which form field it concerns.
 */

/** Goes inside every result-union selection: what the dashboard shows of any typed error. */
export const ERROR_FIELDS = /* GraphQL */ `
  ... on Error {
    __typename
    code
    message
    # Nested under Error so the selection stays valid in unions that lack these members.
    ... on ValidationError {
      field
      rule
    }
    ... on NoSuchEntity {
      entityType
      entityName
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
        findingType
        issueCode
        message
        path
        line
        column
      }
    }
  }
`;

/** One policy finding as the API reports it. */
export interface PolicyFinding {
  readonly findingType: 'ERROR' | 'SECURITY_WARNING' | 'WARNING' | 'SUGGESTION';
  readonly issueCode: string;
  readonly message: string;
  readonly path: string;
  readonly line: number;
  readonly column: number;
}

/** A typed error member of a result union. */
export interface ResultError {
  readonly __typename: string;
  readonly code: string;
  readonly message: string;
  /** Input path such as `input.userName` (ValidationError, MalformedPolicyDocument). */
  readonly field?: string;
  readonly rule?: string;
  /** The kind of entity named (NoSuchEntity, EntityAlreadyExists, DeleteConflict). */
  readonly entityType?: string;
  readonly entityName?: string;
  readonly findings?: readonly PolicyFinding[] | null;
}

/** A result the dashboard can act on. */
export type Outcome<TSuccess> =
  | { readonly ok: true; readonly value: TSuccess }
  | { readonly ok: false; readonly error: ResultError; /** The form field it concerns, without `input.`. */ readonly field: string | undefined };

/** Splits a result-union value into success or error. */
export function outcomeOf<TSuccess extends { __typename: string }>(result: TSuccess | ResultError): Outcome<TSuccess> {
  if (result.__typename.endsWith('Success')) return { ok: true, value: result as TSuccess };
  const error = result as ResultError;
  const field = error.field?.replace(/^input\./, '').split(/[.[]/)[0];
  return { ok: false, error, field };
}
