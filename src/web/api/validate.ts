/**
 * Findings for a policy text as the user types: `validatePolicy` runs the server's own parser
 * and checks, debounced, with stale answers discarded.
 */
import { useEffect, useState } from 'react';
import type { ApiError } from './graphql.ts';
import { request } from './graphql.ts';
import type { PolicyFinding } from './results.ts';
import { toApiError } from './use-query.ts';

const VALIDATE_POLICY = /* GraphQL */ `
  query ValidatePolicy($policyDocument: String!, $policyType: PolicyKind) {
    validatePolicy(policyDocument: $policyDocument, policyType: $policyType) {
      findingType
      issueCode
      message
      path
      line
      column
    }
  }
`;

/** Which grammar to check a document against (the API's PolicyKind). */
export type PolicyKind = 'IDENTITY_POLICY' | 'RESOURCE_POLICY' | 'TRUST_POLICY' | 'PERMISSIONS_BOUNDARY' | 'SESSION_POLICY' | 'GUARDRAIL_POLICY';

/** Findings for `text`, refreshed 250 ms after the last keystroke. */
export function usePolicyFindings(
  text: string,
  kind: PolicyKind = 'IDENTITY_POLICY',
): { findings: readonly PolicyFinding[]; checking: boolean; checkedText: string | undefined; error: ApiError | undefined } {
  const [state, setState] = useState<{ findings: readonly PolicyFinding[]; checkedText: string | undefined; error: ApiError | undefined }>({
    findings: [],
    checkedText: undefined,
    error: undefined,
  });
  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      request<{ validatePolicy: PolicyFinding[] }>(VALIDATE_POLICY, { policyDocument: text, policyType: kind }, { signal: controller.signal }).then(
        (data) => setState({ findings: data.validatePolicy, checkedText: text, error: undefined }),
        (error: unknown) => {
          if (!controller.signal.aborted) setState({ findings: [], checkedText: undefined, error: toApiError(error) });
        },
      );
    }, 250);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [text, kind]);
  return { ...state, checking: state.checkedText !== text && state.error === undefined };
}
