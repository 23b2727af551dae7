/**
 * Policy simulation on the wire, exactly AWS's shapes: `simulateCustomPolicy` and
 * `simulatePrincipalPolicy` (Query fields: they record nothing), each returning one
 * EvaluationResult per action × resource in the order asked. The list fields keep the contract's
 * shape and refuse more than MAX_EVALUATIONS pairs unless `maxItems` pages them; the `…Page`
 * fields return AWS's IsTruncated and Marker beside the results. src/authz/simulate.ts evaluates.
 */
import type { ContextEntry } from '../authz/context-entries.ts';
import {
  DEFAULT_MAX_ITEMS,
  MAX_EVALUATIONS,
  principalFromArn,
  simulateCustomPolicy,
  simulatePrincipalPolicy,
  type EvaluationResult,
  type SimulationMode,
  type SimulationPage,
} from '../authz/simulate.ts';
import { builder } from './builder.ts';
import type { GraphQLContext } from './context.ts';
import { ContextEntryInputRef, EvalDecisionEnum, ExplanationRef } from './decision.ts';
import { principalFactsForArn } from './directory-guard.ts';

/** One simulated decision. */
const EvaluationResultRef = builder.objectRef<EvaluationResult>('EvaluationResult').implement({
  description: 'The simulated decision for one action on one resource (AWS EvaluationResult).',
  interfaces: [ExplanationRef],
  fields: (t) => ({
    evalActionName: t.exposeString('evalActionName'),
    evalResourceName: t.exposeString('evalResourceName'),
    evalDecision: t.field({ type: EvalDecisionEnum, resolve: (r) => r.decision }),
  }),
});

/** Fields both simulations take. */
const sharedFields = {
  permissionsBoundaryPolicyInputList: 'Permissions boundary documents, JSON text.',
  resourcePolicy: "The resource's resource-based policy, JSON text.",
  callerArn: 'The simulated caller, for resource policies that name principals: an IAM user ARN, as AWS requires (not root, a role or a session).',
  resourceOwner: 'Account id owning the resources; default: the caller\'s (custom) or the source principal\'s account.',
} as const;

/** AWS's MaxItems and Marker, described once for both simulations' inputs. */
const PAGING = {
  maxItems: `Results per page, 1 to ${MAX_EVALUATIONS} (AWS MaxItems); default: all of them (at most ${MAX_EVALUATIONS}), or ${DEFAULT_MAX_ITEMS} for a …Page field.`,
  marker: 'Continue after the previous page: its `marker` (AWS Marker), with the same input otherwise.',
} as const;

const SimulateCustomPolicyInputRef = builder.inputType('SimulateCustomPolicyInput', {
  description: 'AWS SimulateCustomPolicy parameters.',
  fields: (t) => ({
    policyInputList: t.stringList({ required: true, description: 'Identity-based policy documents, JSON text.' }),
    permissionsBoundaryPolicyInputList: t.stringList({ description: sharedFields.permissionsBoundaryPolicyInputList }),
    resourcePolicy: t.string({ description: sharedFields.resourcePolicy }),
    actionNames: t.stringList({ required: true, description: 'Actions to simulate, e.g. `s3:GetObject`.' }),
    resourceArns: t.stringList({ defaultValue: ['*'], description: 'Resources to simulate; `*` stands for any.' }),
    callerArn: t.string({ description: sharedFields.callerArn }),
    resourceOwner: t.string({ description: sharedFields.resourceOwner }),
    contextEntries: t.field({ type: [ContextEntryInputRef] }),
    maxItems: t.int({ description: PAGING.maxItems }),
    marker: t.string({ description: PAGING.marker }),
  }),
});

const SimulatePrincipalPolicyInputRef = builder.inputType('SimulatePrincipalPolicyInput', {
  description: "AWS SimulatePrincipalPolicy parameters: the source principal's own policies plus optional extra ones.",
  fields: (t) => ({
    policySourceArn: t.string({ required: true, description: 'User, role, assumed-role session or root ARN whose policies are simulated.' }),
    policyInputList: t.stringList({ description: 'Extra identity-based documents, JSON text, added to the principal\'s own.' }),
    permissionsBoundaryPolicyInputList: t.stringList({
      description: `${sharedFields.permissionsBoundaryPolicyInputList} When given, they replace the principal's own boundary.`,
    }),
    resourcePolicy: t.string({ description: sharedFields.resourcePolicy }),
    actionNames: t.stringList({ required: true }),
    resourceArns: t.stringList({ defaultValue: ['*'], description: 'Resources to simulate; `*` stands for any.' }),
    callerArn: t.string({ description: sharedFields.callerArn }),
    resourceOwner: t.string({ description: sharedFields.resourceOwner }),
    contextEntries: t.field({ type: [ContextEntryInputRef] }),
    maxItems: t.int({ description: PAGING.maxItems }),
    marker: t.string({ description: PAGING.marker }),
  }),
});

/** One page of a simulation (AWS SimulatePolicyResponse). */
const SimulationPageRef = builder.objectRef<SimulationPage>('SimulationPage').implement({
  description: `One page of a simulation's results, at most ${MAX_EVALUATIONS} (AWS SimulatePolicyResponse).`,
  fields: (t) => ({
    evaluationResults: t.field({ type: [EvaluationResultRef], resolve: (p) => p.results }),
    isTruncated: t.exposeBoolean('isTruncated', { description: 'Whether more results follow: ask again with `marker`.' }),
    marker: t.exposeString('marker', { nullable: true, description: 'Pass as `input.marker` for the next page; null on the last.' }),
  }),
});

type CustomInput = typeof SimulateCustomPolicyInputRef.$inferInput;
type PrincipalInput = typeof SimulatePrincipalPolicyInputRef.$inferInput;
type SimulationInput = { readonly contextEntries?: unknown };
const asCustom = <T extends SimulationInput>(input: T) => ({ ...input, contextEntries: input.contextEntries as ContextEntry[] | null | undefined });

/** SimulateCustomPolicy, self-authorized as `iam:SimulateCustomPolicy` on `*`. */
async function custom(context: GraphQLContext, input: CustomInput, mode: SimulationMode): Promise<SimulationPage> {
  const caller = await context.guard.require('iam:SimulateCustomPolicy', '*');
  return simulateCustomPolicy(context.authz.runtime, caller, asCustom(input), mode);
}

/** SimulatePrincipalPolicy, self-authorized as `iam:SimulatePrincipalPolicy` on the source principal. */
async function principal(context: GraphQLContext, input: PrincipalInput, mode: SimulationMode): Promise<SimulationPage> {
  const caller = await context.guard.require('iam:SimulatePrincipalPolicy', input.policySourceArn, await principalFactsForArn(context, input.policySourceArn));
  // Checks the ARN's form (a group ARN, say, names no principal), throwing a ValidationError.
  principalFromArn(input.policySourceArn, 'input.policySourceArn');
  const source = await context.authz.policies.load(input.policySourceArn);
  return simulatePrincipalPolicy(context.authz.runtime, caller, source, asCustom(input), mode);
}

const CAP = `At most ${MAX_EVALUATIONS} action × resource pairs per call: more are refused unless \`input.maxItems\` pages them`;

builder.queryFields((t) => ({
  simulateCustomPolicy: t.field({
    type: [EvaluationResultRef],
    description: `Simulates the given policies (AWS SimulateCustomPolicy). Action \`iam:SimulateCustomPolicy\` on \`*\`. ${CAP} (simulateCustomPolicyPage returns the marker).`,
    args: { input: t.arg({ type: SimulateCustomPolicyInputRef, required: true }) },
    resolve: async (_root, { input }, context) => (await custom(context, input, { paged: false, field: 'simulateCustomPolicy' })).results,
  }),
  simulateCustomPolicyPage: t.field({
    type: SimulationPageRef,
    description: `simulateCustomPolicy one page at a time, with \`isTruncated\` and \`marker\` (default ${DEFAULT_MAX_ITEMS} results a page).`,
    args: { input: t.arg({ type: SimulateCustomPolicyInputRef, required: true }) },
    resolve: (_root, { input }, context) => custom(context, input, { paged: true }),
  }),
  simulatePrincipalPolicy: t.field({
    type: [EvaluationResultRef],
    description:
      "Simulates a principal's policies (AWS SimulatePrincipalPolicy). Action `iam:SimulatePrincipalPolicy` on `policySourceArn`. " +
      `${CAP} (simulatePrincipalPolicyPage returns the marker).`,
    args: { input: t.arg({ type: SimulatePrincipalPolicyInputRef, required: true }) },
    resolve: async (_root, { input }, context) => (await principal(context, input, { paged: false, field: 'simulatePrincipalPolicy' })).results,
  }),
  simulatePrincipalPolicyPage: t.field({
    type: SimulationPageRef,
    description: `simulatePrincipalPolicy one page at a time, with \`isTruncated\` and \`marker\` (default ${DEFAULT_MAX_ITEMS} results a page).`,
    args: { input: t.arg({ type: SimulatePrincipalPolicyInputRef, required: true }) },
    resolve: (_root, { input }, context) => principal(context, input, { paged: true }),
  }),
}));
