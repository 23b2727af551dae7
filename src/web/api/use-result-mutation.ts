/**
 * Runs a directory mutation that returns a result union (`{ <field>: <Name>Success | errors }`)
 * and keeps what a form needs: busy flag, typed errors placed on fields (refusals such as
 * AccessDenied arrive as typed errors too), and a request that failed as a whole (network,
 * UNAUTHENTICATED) or whose field came back null, with the API's explanation.
 */
import { useCallback, useState } from 'react';
import type { TypedDocumentString } from './generated/graphql.ts';
import { ApiError, errorAt, request } from './graphql.ts';
import { isSuccess } from './results.ts';
import type { ResultError, SuccessOf } from './results.ts';
import { toApiError } from './use-query.ts';
import { NO_ERRORS, placeError } from '../components/form-errors.ts';
import type { EntityFields, FormErrors } from '../components/form-errors.ts';

/** Any member of a result union as the console selects it: the Success member or a typed error. */
export type ResultMember = { readonly __typename: `${string}Success` } | ResultError;

/** State and trigger of one result-union mutation. */
export interface ResultMutation<TSuccess, TVariables> {
  /** Runs with `variables`; resolves with the Success member, or undefined after recording errors. */
  readonly submit: (variables: TVariables) => Promise<TSuccess | undefined>;
  readonly busy: boolean;
  readonly errors: FormErrors;
  /** The request itself failed, or its result field came back null. */
  readonly failure: ApiError | undefined;
  readonly reset: () => void;
}

/** A mutation whose result union is at the response key `field`. */
export function useResultMutation<TField extends string, TData extends { readonly [K in TField]?: ResultMember | null }, TVariables>(
  document: TypedDocumentString<TData, TVariables>,
  field: TField,
  fieldNames: readonly string[],
  entityFields: EntityFields = {},
): ResultMutation<SuccessOf<NonNullable<TData[TField]>>, TVariables> {
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [failure, setFailure] = useState<ApiError | undefined>(undefined);
  const fieldKey = fieldNames.join(',');
  const entityKey = JSON.stringify(entityFields);

  const submit = useCallback(
    async (variables: TVariables) => {
      setBusy(true);
      setErrors(NO_ERRORS);
      setFailure(undefined);
      try {
        const answer = await request(document, variables);
        const result: ResultMember | null | undefined = answer.data[field];
        if (result == null) {
          setFailure(errorAt(answer.errors, field) ?? answer.errors[0] ?? new ApiError('CLIENT', `the API answered no ${field} result`));
          return undefined;
        }
        if (isSuccess(result)) return result as SuccessOf<NonNullable<TData[TField]>>;
        setErrors(placeError(result, fieldKey.split(','), JSON.parse(entityKey) as EntityFields));
        return undefined;
      } catch (caught) {
        setFailure(toApiError(caught));
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [document, field, fieldKey, entityKey],
  );
  const reset = useCallback(() => {
    setErrors(NO_ERRORS);
    setFailure(undefined);
  }, []);
  return { submit, busy, errors, failure, reset };
}
