/**
 * The wire errors of authentication and self-authorization, raised as GraphQLErrors with
 * stable codes: UNAUTHENTICATED (HTTP 401), ACCESS_DENIED and PASSWORD_RESET_REQUIRED. Messages are lower-case and never
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

/**
 * A sign-in session whose password must be changed asked for something else: code
 * PASSWORD_RESET_REQUIRED, saying what to do.
 */
export function passwordResetRequired(what: string): GraphQLError {
  return new GraphQLError(
    `${what} is not available until the password is changed: call changePassword (or signOut) with this session`,
    { extensions: { code: 'PASSWORD_RESET_REQUIRED', allowed: ['changePassword', 'signOut', 'callerIdentity'] } },
  );
}

/** Whether `error` is an ACCESS_DENIED from `accessDenied`. */
export function isAccessDenied(error: unknown): error is GraphQLError {
  return error instanceof GraphQLError && error.extensions['code'] === 'ACCESS_DENIED';
}

/** A statement in an explanation, with the field names of the GraphQL `MatchedStatement`. */
interface ExplainedStatement {
  readonly sourcePolicyId: string;
  readonly policyName?: string;
  readonly statementIndex: number;
  readonly sid?: string;
  readonly effect: string;
  /** Upper case, as the `PolicyLayer` enum spells it. */
  readonly layer: string;
}

/**
 * Why a self-authorization check was denied: what `simulatePrincipalPolicy` would have said, in
 * the shape of the GraphQL `Decision` (matchedStatements, nearMisses, missingContextValues), so a
 * client reads both with the same code.
 */
export interface DenialExplanation {
  readonly decision: Decision['decision'];
  /** The Deny statements that decided an explicit deny (none for an implicit deny). */
  readonly matchedStatements: readonly ExplainedStatement[];
  /** Statements that matched the action but failed on another part: "why was I denied?". */
  readonly nearMisses: ReadonlyArray<{ statement: ExplainedStatement; failedPart: string; conditionOperator?: string; conditionKey?: string }>;
  readonly missingContextValues: readonly string[];
}

function explainStatement(s: MatchedStatement): ExplainedStatement {
  return {
    sourcePolicyId: s.policyId,
    ...(s.policyName === undefined ? {} : { policyName: s.policyName }),
    statementIndex: s.statementIndex,
    ...(s.sid === undefined ? {} : { sid: s.sid }),
    effect: s.effect,
    layer: s.layer.toUpperCase(),
  };
}

/** The explanation of a denial, in plain data for the error's extensions. */
export function explainDenial(decision: Decision): DenialExplanation {
  return {
    decision: decision.decision,
    matchedStatements: decision.matchedStatements.map(explainStatement),
    nearMisses: decision.nearMisses.map(({ statement, failed }) => ({
      statement: explainStatement(statement),
      failedPart: failed.part,
      ...(failed.part === 'condition' ? { conditionOperator: failed.operator, conditionKey: failed.key } : {}),
    })),
    missingContextValues: decision.missingContextValues,
  };
}
