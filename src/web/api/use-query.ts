/**
 * React hooks over `request`: `useQuery` loads on mount and whenever its variables change
 * (cancelling the previous load), `useMutation` tracks one in-flight write.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, request } from './graphql.ts';

/** The state of a query as a page renders it. */
export interface QueryState<TData> {
  readonly data: TData | undefined;
  readonly error: ApiError | undefined;
  readonly loading: boolean;
  /** Loads again with the same variables (after a write). */
  readonly reload: () => void;
}

/**
 * Loads `query` with `variables`; `skip` holds off (e.g. until a form is filled in), and a new
 * `refreshKey` loads again (a parent's way to say "the data changed").
 */
export function useQuery<TData>(
  query: string,
  variables: Record<string, unknown> = {},
  options: { skip?: boolean; refreshKey?: number } = {},
): QueryState<TData> {
  const key = JSON.stringify(variables);
  const [generation, setGeneration] = useState(0);
  const [state, setState] = useState<{ data: TData | undefined; error: ApiError | undefined; loading: boolean }>({
    data: undefined,
    error: undefined,
    loading: options.skip !== true,
  });

  useEffect(() => {
    if (options.skip === true) return;
    const controller = new AbortController();
    setState((previous) => ({ ...previous, loading: true }));
    request<TData>(query, JSON.parse(key) as Record<string, unknown>, { signal: controller.signal }).then(
      (data) => setState({ data, error: undefined, loading: false }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState({ data: undefined, error: toApiError(error), loading: false });
      },
    );
    return () => controller.abort();
  }, [query, key, generation, options.skip, options.refreshKey]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { ...state, reload };
}

/** A write in progress: `run` resolves with the data, or undefined after recording the error. */
export function useMutation<TData>(mutation: string): {
  run: (variables: Record<string, unknown>) => Promise<TData | undefined>;
  running: boolean;
  error: ApiError | undefined;
  clearError: () => void;
} {
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const run = useCallback(
    async (variables: Record<string, unknown>) => {
      setRunning(true);
      setError(undefined);
      try {
        return await request<TData>(mutation, variables);
      } catch (caught) {
        if (mounted.current) setError(toApiError(caught));
        return undefined;
      } finally {
        if (mounted.current) setRunning(false);
      }
    },
    [mutation],
  );
  return { run, running, error, clearError: useCallback(() => setError(undefined), []) };
}

/** Any thrown value as an ApiError. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError('CLIENT', error instanceof Error ? error.message : String(error));
}
