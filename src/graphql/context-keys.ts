/**
 * contextKeysForCustomPolicy (iam:GetContextKeysForCustomPolicy on `*`) and
 * contextKeysForPrincipalPolicy (iam:GetContextKeysForPrincipalPolicy on the principal's ARN):
 * AWS's GetContextKeysForPolicyResponse, the keys a simulation of those policies may need.
 */
import { contextKeysForCustomPolicy, contextKeysForPrincipalPolicy } from '../iam/context-keys.ts';
import { builder } from './builder.ts';
import { principalFactsForArn } from './directory-guard.ts';

const ContextKeysRef = builder.objectRef<{ contextKeyNames: string[] }>('ContextKeys').implement({
  description: 'The context keys the policies refer to (AWS GetContextKeysForPolicyResponse): condition keys and policy variables, each once.',
  fields: (t) => ({
    contextKeyNames: t.exposeStringList('contextKeyNames', { description: 'Each key as first written, in order of appearance.' }),
  }),
});

const CustomInput = builder.inputType('ContextKeysForCustomPolicyInput', {
  description: 'What contextKeysForCustomPolicy (AWS GetContextKeysForCustomPolicy) reads.',
  fields: (t) => ({
    policyInputList: t.stringList({ required: true, description: 'Policy documents, JSON text (1 to 100).' }),
  }),
});

const PrincipalInput = builder.inputType('ContextKeysForPrincipalPolicyInput', {
  description: 'What contextKeysForPrincipalPolicy (AWS GetContextKeysForPrincipalPolicy) reads.',
  fields: (t) => ({
    policySourceArn: t.string({ required: true, description: "ARN of a user, group or role: its identity policies (and for a user, its groups') are read." }),
    policyInputList: t.stringList({ description: 'Extra policy documents, JSON text (at most 100).' }),
  }),
});

builder.queryFields((t) => ({
  contextKeysForCustomPolicy: t.field({
    type: ContextKeysRef,
    description: 'GetContextKeysForCustomPolicy: the condition keys and policy variables the given documents refer to.',
    args: { input: t.arg({ type: CustomInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      await context.guard.require('iam:GetContextKeysForCustomPolicy', '*');
      return { contextKeyNames: contextKeysForCustomPolicy(input.policyInputList) };
    },
  }),
  contextKeysForPrincipalPolicy: t.field({
    type: ContextKeysRef,
    description: "GetContextKeysForPrincipalPolicy: the keys of a user's, group's or role's identity policies (a user's groups' included) and of any extra documents.",
    args: { input: t.arg({ type: PrincipalInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      const caller = await context.guard.require('iam:GetContextKeysForPrincipalPolicy', input.policySourceArn, await principalFactsForArn(context, input.policySourceArn));
      return { contextKeyNames: await contextKeysForPrincipalPolicy(context.database.db, caller.accountId, input.policySourceArn, input.policyInputList ?? []) };
    },
  }),
}));
