/**
 * Findings for a policy text as the user types: `validatePolicy` runs the server's own parser
 * and checks, debounced, with stale answers discarded.
 */
import { useEffect, useState } from 'react';
import { graphql } from './generated/gql.ts';
import type { PolicyKind } from './generated/graphql.ts';
import { errorAt, request } from './graphql.ts';
import type { ApiError } from './graphql.ts';
import type { PolicyFinding } from './results.ts';
import { toApiError } from './use-query.ts';

const VALIDATE_POLICY = graphql(`
  query ValidatePolicy($policyDocument: String!, $policyType: PolicyKind) {
    validatePolicy(policyDocument: $policyDocument, policyType: $policyType) {
      ...PolicyFindingFields
    }
  }
`);

/** Findings for `text`, refreshed 250 ms after the last keystroke; `skip` holds off (no document to check). */
export function usePolicyFindings(
  text: string,
  kind: PolicyKind = 'IDENTITY_POLICY',
  options: { skip?: boolean } = {},
): { findings: readonly PolicyFinding[]; checking: boolean; checkedText: string | undefined; error: ApiError | undefined } {
  const [state, setState] = useState<{ findings: readonly PolicyFinding[]; checkedText: string | undefined; error: ApiError | undefined }>({
    findings: [],
    checkedText: undefined,
    error: undefined,
  });
  const skip = options.skip === true;
  useEffect(() => {
    if (skip) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      request(VALIDATE_POLICY, { policyDocument: text, policyType: kind }, { signal: controller.signal }).then(
        ({ data, errors }) =>
          setState(
            data.validatePolicy == null
              ? { findings: [], checkedText: undefined, error: errorAt(errors, 'validatePolicy') ?? errors[0] }
              : { findings: data.validatePolicy, checkedText: text, error: undefined },
          ),
        (error: unknown) => {
          if (!controller.signal.aborted) setState({ findings: [], checkedText: undefined, error: toApiError(error) });
        },
      );
    }, 250);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [text, kind, skip]);
  if (skip) return { findings: [], checking: false, checkedText: undefined, error: undefined };
  return { ...state, checking: state.checkedText !== text && state.error === undefined };
}
