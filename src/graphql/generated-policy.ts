/**
 * Policy generation from use on the wire: `generatedPolicy`, IAM Access Analyzer's
 * StartPolicyGeneration and GetGeneratedPolicy in one query (the draft is computed from the
 * usage tables when asked; nothing is stored). Action `access-analyzer:StartPolicyGeneration` on `*`.
 */
import type { AccessPreview, GeneratedPolicy } from '../authz/usage/policy-generation.ts';
import type { Widening } from '../authz/usage/policy-draft.ts';
import { builder } from './builder.ts';

const WideningReasonEnum = builder.enumType('PolicyWideningReason', {
  description: 'Why a generated policy allows more than was seen.',
  values: {
    FOLDED_RESOURCES: { description: 'More distinct resources were used than usage tracking keeps per action, so `*` is written.' },
    SIBLING_RESOURCES: { description: 'Many resources under one ARN path are written as that path followed by `*`.' },
  } as const,
});

const WideningRef = builder.objectRef<Widening>('PolicyWidening').implement({
  description: 'One place the draft allows more than the principal was seen to use.',
  fields: (t) => ({
    resource: t.exposeString('resource', { description: 'The resource pattern written.' }),
    actions: t.exposeStringList('actions', { description: 'The actions it is written for.' }),
    replaces: t.exposeInt('replaces', { description: 'How many distinct resources seen it replaces.' }),
    reason: t.field({ type: WideningReasonEnum, description: 'Why.', resolve: (w) => w.reason }),
    message: t.exposeString('message', { description: 'The widening in words.' }),
  }),
});

const PreviewRef = builder.objectRef<AccessPreview>('GeneratedPolicyAccessPreview').implement({
  description: "How the draft compares with what the principal's policies grant today (action by action, on some resource).",
  fields: (t) => ({
    grantedActionCount: t.exposeInt('grantedActionCount', { description: 'Catalog actions the principal is granted today.' }),
    deniedActionCount: t.exposeInt('deniedActionCount', { description: 'Of those, how many the draft would deny.' }),
    deniedActions: t.exposeStringList('deniedActions', { description: 'The first 1,000 of them, sorted by service.' }),
    newlyGrantedActions: t.exposeStringList('newlyGrantedActions', { description: 'Actions in the draft that its identity policies do not grant today (allowed through a resource policy).' }),
  }),
});

const GeneratedPolicyRef = builder.objectRef<GeneratedPolicy>('GeneratedPolicy').implement({
  description: 'A least-privilege policy draft from the allowed decisions of a user or role in a window, with its widenings and access preview.',
  fields: (t) => ({
    principalArn: t.exposeString('principalArn', { description: 'The user or role.' }),
    startDate: t.expose('startTime', { type: 'DateTime', description: 'Start of the window.' }),
    endDate: t.expose('endTime', { type: 'DateTime', description: 'End of the window.' }),
    policyDocument: t.string({ description: 'The draft, JSON text; an Allow statement per service and resource set.', resolve: (g) => g.draft.policyDocument }),
    actions: t.stringList({ description: 'The actions the draft grants.', resolve: (g) => [...g.draft.actions] }),
    statementCount: t.int({ description: 'Statements in the draft.', resolve: (g) => g.draft.statementCount }),
    widenings: t.field({ type: [WideningRef], description: 'Every place the draft allows more than was seen; empty when it allows exactly what was used.', resolve: (g) => [...g.draft.widenings] }),
    isComplete: t.boolean({ description: 'False when the window held more distinct action-resource pairs than one draft reads (20,000).', resolve: (g) => g.draft.isComplete }),
    accessPreview: t.field({ type: PreviewRef, description: 'What the draft would deny that is granted today.', resolve: (g) => g.preview }),
  }),
});

const GeneratedPolicyInputRef = builder.inputType('GeneratedPolicyInput', {
  description: "Access Analyzer's StartPolicyGeneration parameters: the principal and the window (its CloudTrail details).",
  fields: (t) => ({
    principalArn: t.string({ required: true, description: "A user or role of the caller's account." }),
    startDate: t.field({ type: 'DateTime', required: true, description: 'Start of the window.' }),
    endDate: t.field({ type: 'DateTime', description: 'End of the window, at most 90 days after startDate; when omitted, the time of the request.' }),
  }),
});

builder.queryFields((t) => ({
  generatedPolicy: t.field({
    type: GeneratedPolicyRef,
    description:
      'A least-privilege identity policy drafted from the allowed decisions of a user or role in a window, resources grouped by ARN structure, ' +
      'every widening listed, with an access preview. Action `access-analyzer:StartPolicyGeneration` on `*`.',
    args: { input: t.arg({ type: GeneratedPolicyInputRef, required: true, description: 'The principal and window.' }) },
    resolve: (_root, { input }, context) =>
      context.authz.runtime.usage.generatePolicy(context.authz.guard, { principalArn: input.principalArn, startTime: input.startDate, endTime: input.endDate ?? null }),
  }),
}));
