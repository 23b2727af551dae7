/**
 * The explanation an ACCESS_DENIED carries when the caller may see it: the engine's Decision in
 * plain data, shaped like the GraphQL `Decision` (see DenialExplanation in src/errors.ts).
 */
import type { DenialExplanation, ExplainedStatement } from '../errors.ts';
import type { Decision, MatchedStatement } from '../policy/types.ts';

function explainStatement(s: MatchedStatement): ExplainedStatement {
  return {
    sourcePolicyId: s.policyId,
    ...(s.policyName === undefined ? {} : { policyName: s.policyName }),
    statementIndex: s.statementIndex,
    ...(s.sid === undefined ? {} : { sid: s.sid }),
    effect: s.effect,
    // The GraphQL PolicyLayer spelling: resourceGuardrail → RESOURCE_GUARDRAIL.
    layer: s.layer.replace(/[A-Z]/g, '_$&').toUpperCase(),
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
