/**
 * Runs a directory mutation that returns a result union (`{ <field>: <Name>Success | errors }`)
 * and keeps what a form needs: busy flag, typed errors placed on fields, and a refused request
 * (ACCESS_DENIED, network) with the API's explanation.
 */
import { useCallback, useState } from 'react';
import type { ApiError } from './graphql.ts';
import { request } from './graphql.ts';
import type { ResultError } from './results.ts';
import { toApiError } from './use-query.ts';
import { NO_ERRORS, placeError } from '../components/form-errors.ts';
import type { EntityFields, FormErrors } from '../components/form-errors.ts';

/** State and trigger of one result-union mutation. */
export interface ResultMutation<TSuccess> {
  /** Runs with `input`; resolves with the Success member, or undefined after recording errors. */
  readonly submit: (input: Record<string, unknown>) => Promise<TSuccess | undefined>;
  readonly busy: boolean;
  readonly errors: FormErrors;
  /** The request itself was refused or failed. */
  readonly failure: ApiError | undefined;
  readonly reset: () => void;
}

/** A mutation whose root field is `field` and takes `$input`. */
export function useResultMutation<TSuccess extends { __typename: string }>(
  mutation: string,
  field: string,
  fieldNames: readonly string[],
  entityFields: EntityFields = {},
): ResultMutation<TSuccess> {
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [failure, setFailure] = useState<ApiError | undefined>(undefined);
  const fieldKey = fieldNames.join(',');
  const entityKey = JSON.stringify(entityFields);

  const submit = useCallback(
    async (input: Record<string, unknown>) => {
      setBusy(true);
      setErrors(NO_ERRORS);
      setFailure(undefined);
      try {
        const data = await request<Record<string, TSuccess | ResultError>>(mutation, { input });
        const result = data[field]!;
        if (result.__typename.endsWith('Success')) return result as TSuccess;
        setErrors(placeError(result as ResultError, fieldKey.split(','), JSON.parse(entityKey) as EntityFields));
        return undefined;
      } catch (caught) {
        setFailure(toApiError(caught));
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [mutation, field, fieldKey, entityKey],
  );
  const reset = useCallback(() => {
    setErrors(NO_ERRORS);
    setFailure(undefined);
  }, []);
  return { submit, busy, errors, failure, reset };
}
