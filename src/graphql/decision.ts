/**
 * Decisions on the wire: `authorize` and `authorizeBatch` (mutations, because they record
 * last-accessed data), the Decision type with its explanation, and the shared input and output
 * shapes simulation reuses (ContextEntryInput, EvalDecision, MatchedStatement). Resolvers are thin:
 * src/authz/decide.ts answers.
 */
import { Kind, getArgumentValues, type FieldNode, type GraphQLResolveInfo, type SelectionNode } from 'graphql';
import { isQuestionError, type Answer, type QuestionResult, type RevisionedDecision } from '../authz/decide.ts';
import type { AuthorizeQuestion } from '../authz/question.ts';
import { CONTEXT_KEY_TYPES } from '../authz/context-entries.ts';
import { AccessDeniedError, MalformedPolicyDocumentError, NoSuchEntityError, ValidationError } from '../errors.ts';
import type { Decision, LayerOutcome, MatchedStatement, NearMiss, PolicyLayer } from '../policy/types.ts';
import { builder } from './builder.ts';
import { asItem, wrappedError } from './batch-items.ts';
import { selects } from './selection.ts';
import { SourcePolicyTypeEnum, sourcePolicyType } from './source-policy-type.ts';
import { AccessDeniedRef, MalformedPolicyDocumentRef, NoSuchEntityRef, ValidationErrorRef } from './error-types.ts';

/** Questions one authorizeBatch may ask. */
export const MAX_BATCH = 1_000;

/** AWS's three simulation outcomes. */
export const EvalDecisionEnum = builder.enumType('EvalDecision', {
  description: 'The outcome of a decision, as AWS policy simulation reports it.',
  values: {
    ALLOWED: { description: 'An Allow applied and no Deny did.' },
    EXPLICIT_DENY: { description: 'A Deny statement matched (in any policy).' },
    IMPLICIT_DENY: { description: 'Nothing allowed it (or a limiting layer did not).' },
  } as const,
});

/** Evaluation layers, as in the AWS evaluation flowchart. */
export const PolicyLayerEnum = builder.enumType('PolicyLayer', {
  description: 'Which kind of policy a statement or outcome belongs to.',
  values: {
    GUARDRAIL: { description: 'Service control policies (SCPs) of the principal\'s account, every level from the root down.' },
    RESOURCE_GUARDRAIL: { description: 'Resource control policies (RCPs) of the resource\'s account, every level from the root down.' },
    RESOURCE: {},
    IDENTITY: {},
    BOUNDARY: {},
    SESSION: {},
  } as const,
});

/** How one layer judged a request. */
export const LayerOutcomeEnum = builder.enumType('LayerOutcome', {
  description: 'How one layer judged the request: NOT_APPLICABLE when the layer is absent.',
  values: { ALLOW: {}, DENY: {}, NO_MATCH: {}, NOT_APPLICABLE: {} } as const,
});

/** AWS's ContextKeyTypeEnum. */
export const ContextKeyTypeEnum = builder.enumType('ContextKeyType', {
  description: 'The type of a context value; `_LIST` types are multivalued keys.',
  values: CONTEXT_KEY_TYPES,
});

/** AWS's ContextEntry. */
export const ContextEntryInputRef = builder.inputType('ContextEntryInput', {
  description: 'One request context value, e.g. `aws:SourceIp` or `s3:prefix`, typed as AWS types it.',
  fields: (t) => ({
    contextKeyName: t.string({ required: true, description: 'The condition key, e.g. `aws:SourceIp`.' }),
    contextKeyValues: t.stringList({ required: true, description: 'The value(s); exactly one for non-list types.' }),
    contextKeyType: t.field({ type: ContextKeyTypeEnum, required: true }),
  }),
});

/** One question for `authorize`. */
export const AuthorizeInputRef = builder.inputType('AuthorizeInput', {
  description: 'May `principalArn` perform `action` on `resourceArn`, in this context?',
  fields: (t) => ({
    principalArn: t.string({ description: 'User, role, assumed-role session, federated user (getFederationToken) or root ARN; default: the caller.' }),
    action: t.string({ required: true, description: '`service:Action`, e.g. `s3:GetObject`.' }),
    resourceArn: t.string({ required: true, description: 'The resource ARN, or `*`.' }),
    resourceOwner: t.string({ description: 'Account owning the resource; default: the account in `resourceArn`, else the principal\'s.' }),
    resourcePolicy: t.string({ description: "The resource's resource-based policy, JSON text." }),
    contextEntries: t.field({ type: [ContextEntryInputRef], description: 'Request context values.' }),
    minRevision: t.string({
      description: 'Answer only from state that reflects at least this revision (as returned by a write).',
    }),
    key: t.string({
      description:
        'Your own opaque key for a `decisionChanged` check, echoed as `DecisionChange.key` beside each of its results. ' +
        '`authorize` and `authorizeBatch` do not echo it: `authorizeBatch` answers by position, in the order asked. ' +
        'Not interpreted; at most 256 characters.',
    }),
  }),
});

/** A line and column in a policy document. */
const PositionRef = builder.objectRef<{ line: number; column: number }>('Position').implement({
  description: 'A 1-based line and column in a policy document.',
  fields: (t) => ({ line: t.exposeInt('line'), column: t.exposeInt('column') }),
});

/** A policy statement's `Effect`. */
export const StatementEffectEnum = builder.enumType('StatementEffect', {
  description: "A statement's `Effect`.",
  values: { ALLOW: { description: '`"Effect": "Allow"`.' }, DENY: { description: '`"Effect": "Deny"`.' } } as const,
});

/** Which part of a statement kept it from matching a request. */
export const StatementPartEnum = builder.enumType('StatementPart', {
  description: 'The part of a statement that did not match the request.',
  values: {
    ACTION: { description: '`Action` / `NotAction`.' },
    RESOURCE: { description: '`Resource` / `NotResource`.' },
    PRINCIPAL: { description: '`Principal` / `NotPrincipal` (resource-based policies).' },
    CONDITION: { description: 'A `Condition` operator; `conditionOperator` and `conditionKey` name it.' },
  } as const,
});

/** A statement that took part in a decision. */
export const MatchedStatementRef = builder.objectRef<MatchedStatement>('MatchedStatement').implement({
  description: 'A statement that decided: every matching Deny for EXPLICIT_DENY, the granting Allows for ALLOWED.',
  fields: (t) => ({
    sourcePolicyId: t.string({ description: 'The policy: ARN and version for managed policies, `<owner ARN>/inline/<name>` for inline ones.', resolve: (s) => s.policyId }),
    sourcePolicyType: t.field({ type: SourcePolicyTypeEnum, resolve: sourcePolicyType }),
    policyName: t.string({ nullable: true, resolve: (s) => s.policyName ?? null }),
    policyArn: t.string({ nullable: true, resolve: (s) => s.policyArn ?? null }),
    versionId: t.string({ nullable: true, resolve: (s) => s.versionId ?? null }),
    layer: t.field({ type: PolicyLayerEnum, resolve: (s) => layerEnumValue(s.layer) }),
    statementIndex: t.exposeInt('statementIndex', { description: '0-based index in the policy\'s Statement list.' }),
    sid: t.string({ nullable: true, resolve: (s) => s.sid ?? null }),
    effect: t.field({ type: StatementEffectEnum, resolve: (s) => upper(s.effect) }),
    startPosition: t.field({ type: PositionRef, nullable: true, resolve: (s) => s.span?.start ?? null }),
    endPosition: t.field({ type: PositionRef, nullable: true, resolve: (s) => s.span?.end ?? null }),
  }),
});

/** One layer's outcome. */
const LayerEvaluationRef = builder.objectRef<{ layer: PolicyLayer; outcome: LayerOutcome }>('LayerEvaluation').implement({
  description: 'How one policy layer judged the request.',
  fields: (t) => ({
    layer: t.field({ type: PolicyLayerEnum, resolve: (l) => layerEnumValue(l.layer) }),
    outcome: t.field({ type: LayerOutcomeEnum, resolve: (l) => l.outcome }),
  }),
});

/** A statement that matched the action but failed elsewhere. */
const NearMissRef = builder.objectRef<NearMiss>('NearMiss').implement({
  description: 'A statement that matched the action but not the rest: the answer to "why was I denied?".',
  fields: (t) => ({
    statement: t.field({ type: MatchedStatementRef, resolve: (m) => m.statement }),
    failedPart: t.field({ type: StatementPartEnum, resolve: (m) => upper(m.failed.part) }),
    conditionOperator: t.string({ nullable: true, resolve: (m) => (m.failed.part === 'condition' ? m.failed.operator : null) }),
    conditionKey: t.string({ nullable: true, resolve: (m) => (m.failed.part === 'condition' ? m.failed.key : null) }),
  }),
});

/** The explanation Decision and EvaluationResult share: what decided and what nearly did. */
export const ExplanationRef = builder.interfaceRef<Decision>('Explanation').implement({
  description: 'Why a decision came out as it did.',
  fields: (t) => ({
    matchedStatements: t.field({ type: [MatchedStatementRef], resolve: (d) => [...d.matchedStatements] }),
    missingContextValues: t.stringList({
      description: 'Condition keys statements asked for and the context lacked.',
      resolve: (d) => [...d.missingContextValues],
    }),
    layers: t.field({
      type: [LayerEvaluationRef],
      description: 'How each policy layer judged the request.',
      resolve: (d) => Object.entries(d.layers).map(([layer, outcome]) => ({ layer: layer as PolicyLayer, outcome: outcome! })),
    }),
    nearMisses: t.field({ type: [NearMissRef], resolve: (d) => [...d.nearMisses] }),
  }),
});

/** An explained decision. */
export const DecisionRef = builder.objectRef<RevisionedDecision>('Decision').implement({
  description: 'The answer to one authorization question, explained, with the revision it reflects.',
  interfaces: [ExplanationRef],
  fields: (t) => ({
    allowed: t.exposeBoolean('allowed'),
    decision: t.field({ type: EvalDecisionEnum, resolve: (d) => d.decision }),
    revision: t.exposeString('revision', { description: 'The change-log revision this instance had applied when deciding.' }),
  }),
});

/** A decision, or the error that kept one question from being answered. */
export const AuthorizeResultRef = builder.unionType('AuthorizeResult', {
  description: 'The answer to one authorization question: a Decision, or why that question could not be answered (it fails alone).',
  types: [DecisionRef, ValidationErrorRef, NoSuchEntityRef, MalformedPolicyDocumentRef, AccessDeniedRef],
  resolveType: (value) => {
    // Decisions are plain objects; only errors come wrapped (see asItem).
    if ((value as { revision?: unknown }).revision !== undefined) return DecisionRef;
    const error = wrappedError(value);
    if (error instanceof AccessDeniedError) return AccessDeniedRef;
    if (error instanceof NoSuchEntityError) return NoSuchEntityRef;
    if (error instanceof MalformedPolicyDocumentError) return MalformedPolicyDocumentRef;
    if (error instanceof ValidationError) return ValidationErrorRef;
    return DecisionRef;
  },
});

/** What an `AuthorizeResult` resolves from: a decision, or a question's own error behind asItem. */
export type AuthorizeResult = QuestionResult;

/** A question's answer as its `AuthorizeResult`; anything else (an unexpected error, a refused caller) fails the whole field. */
export function asAuthorizeResult(answer: Answer): AuthorizeResult {
  if (!(answer instanceof Error)) return answer;
  if (isQuestionError(answer)) return asItem<AuthorizeResult>(answer);
  throw answer;
}

/**
 * The inputs of every `authorize` field at the root of this operation (aliases included), so the
 * first of them can load all their principals in one batch. Arguments that do not coerce are
 * skipped: their own field reports the error.
 */
function siblingQuestions(info: GraphQLResolveInfo): AuthorizeQuestion[] {
  const field = info.parentType.getFields()['authorize'];
  const fields = info.operation.selectionSet.selections.filter(isAuthorizeField);
  // A lone authorize has nothing to load ahead (and its arguments are already coerced).
  if (field === undefined || fields.length < 2) return [];
  const questions: AuthorizeQuestion[] = [];
  for (const selection of fields) {
    try {
      const args = getArgumentValues(field, selection, info.variableValues);
      questions.push(args['input'] as AuthorizeQuestion);
    } catch {
      // Reported by that field itself.
    }
  }
  return questions;
}

function isAuthorizeField(selection: SelectionNode): selection is FieldNode {
  return selection.kind === Kind.FIELD && selection.name.value === 'authorize';
}

builder.mutationFields((t) => ({
  authorize: t.field({
    type: AuthorizeResultRef,
    description:
      "Decides one question with the principal's policies: a Decision, or the question's own error (AccessDenied when the caller may not ask about " +
      'that principal, NoSuchEntity, ValidationError, MalformedPolicyDocument). Action `iam:Authorize` on the principal ARN. ' +
      'Records last-accessed data (in memory, flushed in batches).',
    args: { input: t.arg({ type: AuthorizeInputRef, required: true }) },
    resolve: async (_root, { input }, context, info) => {
      await context.authz.decider.preload(() => siblingQuestions(info));
      const [answer] = await context.authz.decider.decideAll([input as AuthorizeQuestion], {
        record: true,
        field: () => 'input',
        explain: { nearMisses: selects(info, 'nearMisses') },
      });
      return asAuthorizeResult(answer!);
    },
  }),
  authorizeBatch: t.field({
    type: [AuthorizeResultRef],
    description:
      `Decides up to ${MAX_BATCH} questions in one round trip: one AuthorizeResult per question, in the order asked ` +
      '(answer i is question i of `requests`). A question that cannot be answered fails alone (its item is the error, ' +
      'e.g. AccessDenied when the caller may not ask about that principal); the others are answered.',
    args: { requests: t.arg({ type: [AuthorizeInputRef], required: true }) },
    resolve: async (_root, { requests }, context, info) => {
      if (requests.length > MAX_BATCH) {
        throw new ValidationError('requests', 'length', `requests may hold at most ${MAX_BATCH} questions, got ${requests.length}`);
      }
      const answers = await context.authz.decider.decideAll(requests as readonly AuthorizeQuestion[], {
        record: true,
        field: (i) => `requests[${i}]`,
        // Near misses are worth computing only when the operation shows them.
        explain: { nearMisses: selects(info, 'nearMisses') },
      });
      return answers.map(asAuthorizeResult);
    },
  }),
}));

/** The PolicyLayer enum value of an engine layer (`resourceGuardrail` → `RESOURCE_GUARDRAIL`). */
export function layerEnumValue(layer: PolicyLayer): typeof PolicyLayerEnum.$inferType {
  return layer === 'resourceGuardrail' ? 'RESOURCE_GUARDRAIL' : upper(layer);
}

function upper<T extends string>(value: T): Uppercase<T> {
  return value.toUpperCase() as Uppercase<T>;
}
