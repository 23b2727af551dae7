/**
 * Policy simulation on the wire, exactly AWS's shapes: `simulateCustomPolicy` and
 * `simulatePrincipalPolicy` (Query fields: they record nothing), each returning one
 * EvaluationResult per action × resource in the order asked. src/authz/simulate.ts evaluates.
 */
import type { ContextEntry } from '../authz/context-entries.ts';
import { principalFromArn, simulateCustomPolicy, simulatePrincipalPolicy, type EvaluationResult } from '../authz/simulate.ts';
import { builder } from './builder.ts';
import { ContextEntryInputRef, EvalDecisionEnum, ExplanationRef } from './decision.ts';
import { wireError } from './decision-wire.ts';
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
  callerArn: 'The simulated caller, for resource policies that name principals.',
  resourceOwner: 'Account id owning the resources; default: the caller\'s (custom) or the source principal\'s account.',
} as const;

const SimulateCustomPolicyInputRef = builder.inputType('SimulateCustomPolicyInput', {
  description: 'AWS SimulateCustomPolicy parameters.',
  fields: (t) => ({
    policyInputList: t.stringList({ required: true, description: 'Identity-based policy documents, JSON text.' }),
    permissionsBoundaryPolicyInputList: t.stringList({ description: sharedFields.permissionsBoundaryPolicyInputList }),
    resourcePolicy: t.string({ description: sharedFields.resourcePolicy }),
    actionNames: t.stringList({ required: true, description: 'Actions to simulate, e.g. `s3:GetObject`.' }),
    resourceArns: t.stringList({ description: 'Resources to simulate; default `["*"]`.' }),
    callerArn: t.string({ description: sharedFields.callerArn }),
    resourceOwner: t.string({ description: sharedFields.resourceOwner }),
    contextEntries: t.field({ type: [ContextEntryInputRef] }),
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
    resourceArns: t.stringList({ description: 'Default `["*"]`.' }),
    callerArn: t.string({ description: sharedFields.callerArn }),
    resourceOwner: t.string({ description: sharedFields.resourceOwner }),
    contextEntries: t.field({ type: [ContextEntryInputRef] }),
  }),
});

builder.queryFields((t) => ({
  simulateCustomPolicy: t.field({
    type: [EvaluationResultRef],
    description: 'Simulates the given policies (AWS SimulateCustomPolicy). Action `iam:SimulateCustomPolicy` on `*`.',
    args: { input: t.arg({ type: SimulateCustomPolicyInputRef, required: true }) },
    resolve: async (_root, { input }, context) => {
      const caller = await context.guard.require('iam:SimulateCustomPolicy', '*');
      try {
        return simulateCustomPolicy(context.authz.runtime, caller, { ...input, contextEntries: input.contextEntries as ContextEntry[] | null | undefined });
      } catch (error) {
        throw wireError(error);
      }
    },
  }),
  simulatePrincipalPolicy: t.field({
    type: [EvaluationResultRef],
    description:
      "Simulates a principal's policies (AWS SimulatePrincipalPolicy). Action `iam:SimulatePrincipalPolicy` on `policySourceArn`.",
    args: { input: t.arg({ type: SimulatePrincipalPolicyInputRef, required: true }) },
    resolve: async (_root, { input }, context) => {
      const caller = await context.guard.require('iam:SimulatePrincipalPolicy', input.policySourceArn, await principalFactsForArn(context, input.policySourceArn));
      try {
        // Checks the ARN's form (a group ARN, say, names no principal), throwing a ValidationError.
        principalFromArn(input.policySourceArn, 'input.policySourceArn');
        const source = await context.authz.policies.load(input.policySourceArn);
        return simulatePrincipalPolicy(context.authz.runtime, caller, source, {
          ...input,
          contextEntries: input.contextEntries as ContextEntry[] | null | undefined,
        });
      } catch (error) {
        throw wireError(error);
      }
    },
  }),
}));
