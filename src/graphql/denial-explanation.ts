/**
 * `AccessDenied.explanation`: why the caller was refused, shown only to a caller who may simulate
 * its own policies (src/authz/guard.ts decides). The same data a top-level ACCESS_DENIED carries
 * in `extensions.explanation`, typed, with the field names of `Decision` so a client reads both
 * with the same code.
 */
import type { DenialExplanation, ExplainedStatement } from '../errors.ts';
import type { NearMiss } from '../policy/types.ts';
import { builder } from './builder.ts';
import { EvalDecisionEnum, PolicyLayerEnum, StatementEffectEnum, StatementPartEnum } from './decision.ts';
import { AccessDeniedRef } from './error-types.ts';

type ExplainedNearMiss = DenialExplanation['nearMisses'][number];

const DeniedStatementRef = builder.objectRef<ExplainedStatement>('DenialStatement').implement({
  description: 'A statement that took part in a denial: a matching Deny, or a statement that nearly allowed it.',
  fields: (t) => ({
    sourcePolicyId: t.exposeString('sourcePolicyId', { description: 'The policy: ARN and version for managed policies, `<owner ARN>/inline/<name>` for inline ones.' }),
    policyName: t.string({ nullable: true, resolve: (s) => s.policyName ?? null }),
    statementIndex: t.exposeInt('statementIndex', { description: "0-based index in the policy's Statement list." }),
    sid: t.string({ nullable: true, resolve: (s) => s.sid ?? null }),
    effect: t.field({ type: StatementEffectEnum, resolve: (s) => (s.effect === 'Deny' ? 'DENY' : 'ALLOW') }),
    // Stored upper case (src/authz/denial-explanation.ts), as the enum spells it.
    layer: t.field({ type: PolicyLayerEnum, resolve: (s) => s.layer as typeof PolicyLayerEnum.$inferType }),
  }),
});

const DenialNearMissRef = builder.objectRef<ExplainedNearMiss>('DenialNearMiss').implement({
  description: 'A statement that matched the action but not the rest.',
  fields: (t) => ({
    statement: t.field({ type: DeniedStatementRef, resolve: (m) => m.statement }),
    failedPart: t.field({ type: StatementPartEnum, resolve: (m) => m.failedPart.toUpperCase() as Uppercase<NearMiss['failed']['part']> }),
    conditionOperator: t.string({ nullable: true, resolve: (m) => m.conditionOperator ?? null }),
    conditionKey: t.string({ nullable: true, resolve: (m) => m.conditionKey ?? null }),
  }),
});

const DenialExplanationRef = builder.objectRef<DenialExplanation>('DenialExplanation').implement({
  description: 'Why a self-authorization check was denied: what simulatePrincipalPolicy would have said.',
  fields: (t) => ({
    decision: t.field({ type: EvalDecisionEnum, resolve: (e) => e.decision }),
    matchedStatements: t.field({ type: [DeniedStatementRef], description: 'The Deny statements that decided an explicit deny (none for an implicit deny).', resolve: (e) => [...e.matchedStatements] }),
    nearMisses: t.field({ type: [DenialNearMissRef], description: 'Statements that matched the action but failed on another part.', resolve: (e) => [...e.nearMisses] }),
    missingContextValues: t.stringList({ description: 'Condition keys statements asked for and the request lacked.', resolve: (e) => [...e.missingContextValues] }),
  }),
});

builder.objectFields(AccessDeniedRef, (t) => ({
  explanation: t.field({
    type: DenialExplanationRef,
    nullable: true,
    description: 'Why, when the caller may see it (it may simulate its own policies); null otherwise.',
    resolve: (e) => e.explanation ?? null,
  }),
}));
