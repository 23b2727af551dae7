/**
 * The two wire errors of authentication and self-authorization, raised as GraphQLErrors with
 * stable codes: UNAUTHENTICATED (HTTP 401) and ACCESS_DENIED. Messages are lower-case and never
 * quote a credential. A denial carries its explanation when the caller may simulate its own policies.
 */
import type { Decision, MatchedStatement } from '../policy/types.ts';
import { GraphQLError } from 'graphql';

/** No credential, or a credential that does not verify: HTTP 401, code UNAUTHENTICATED. */
export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: { 'www-authenticate': 'Basic realm="portcullis", Bearer' } } },
  });
}

/** The engine did not allow `action` on `resourceArn` for the caller: code ACCESS_DENIED. */
export function accessDenied(callerArn: string, action: string, resourceArn: string, kind: string, explanation?: DenialExplanation): GraphQLError {
  return new GraphQLError(`${kind} ${callerArn} is not authorized to perform ${action} on resource ${resourceArn}`, {
    extensions: { code: 'ACCESS_DENIED', action, resource: resourceArn, ...(explanation === undefined ? {} : { explanation }) },
  });
}

/** Why a self-authorization check was denied: what `simulatePrincipalPolicy` would have said. */
export interface DenialExplanation {
  readonly decision: Decision['decision'];
  /** The Deny statements that decided an explicit deny (none for an implicit deny). */
  readonly matchedStatements: ReadonlyArray<{ policyId: string; policyName?: string; statementIndex: number; sid?: string; effect: string; layer: string }>;
  /** Statements that matched the action but failed on another part: "why was I denied?". */
  readonly nearMisses: ReadonlyArray<{ policyId: string; statementIndex: number; sid?: string; layer: string; failed: string }>;
  readonly missingContextValues: readonly string[];
}

/** The explanation of a denial, in plain data for the error's extensions. */
export function explainDenial(decision: Decision): DenialExplanation {
  const statement = (s: MatchedStatement) => ({
    policyId: s.policyId,
    ...(s.policyName === undefined ? {} : { policyName: s.policyName }),
    statementIndex: s.statementIndex,
    ...(s.sid === undefined ? {} : { sid: s.sid }),
    effect: s.effect,
    layer: s.layer,
  });
  return {
    decision: decision.decision,
    matchedStatements: decision.matchedStatements.map(statement),
    nearMisses: decision.nearMisses.map((miss) => {
      const { effect: _effect, ...rest } = statement(miss.statement);
      const failed = miss.failed.part === 'condition' ? `condition ${miss.failed.operator} ${miss.failed.key}` : miss.failed.part;
      return { ...rest, failed };
    }),
    missingContextValues: decision.missingContextValues,
  };
}
