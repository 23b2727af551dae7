/**
 * `useQuery`, the React hook over `request`: loads on mount and whenever its variables change
 * (cancelling the previous load), typed by the generated document it runs.
 */
import { useCallback, useEffect, useState } from 'react';
import type { TypedDocumentString } from './generated/graphql.ts';
import { ApiError, request } from './graphql.ts';

/** The state of a query as a page renders it. */
export interface QueryState<TData> {
  /** The data, with null where a field was refused or failed (see `errors`). */
  readonly data: TData | undefined;
  /** The whole request failed: nothing to show but this. */
  readonly error: ApiError | undefined;
  /** Fields that were refused or failed while the rest answered; find one with `errorAt`. */
  readonly errors: readonly ApiError[];
  readonly loading: boolean;
  /** Loads again with the same variables (after a write). */
  readonly reload: () => void;
}

/**
 * Loads `document` with `variables`; `skip` holds off (e.g. until a form is filled in), and a new
 * `refreshKey` loads again (a parent's way to say "the data changed").
 */
export function useQuery<TData, TVariables>(
  document: TypedDocumentString<TData, TVariables>,
  variables: TVariables,
  options: { skip?: boolean; refreshKey?: number } = {},
): QueryState<TData> {
  const key = JSON.stringify(variables);
  const [generation, setGeneration] = useState(0);
  const [state, setState] = useState<{ data: TData | undefined; error: ApiError | undefined; errors: readonly ApiError[]; loading: boolean }>({
    data: undefined,
    error: undefined,
    errors: [],
    loading: options.skip !== true,
  });

  useEffect(() => {
    if (options.skip === true) return;
    const controller = new AbortController();
    setState((previous) => ({ ...previous, loading: true }));
    request(document, JSON.parse(key) as TVariables, { signal: controller.signal }).then(
      (answer) => setState({ data: answer.data, error: undefined, errors: answer.errors, loading: false }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState({ data: undefined, error: toApiError(error), errors: [], loading: false });
      },
    );
    return () => controller.abort();
  }, [document, key, generation, options.skip, options.refreshKey]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { ...state, reload };
}

/** Any thrown value as an ApiError. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError('CLIENT', error instanceof Error ? error.message : String(error));
}
