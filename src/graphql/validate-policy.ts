/**
 * `validatePolicy`: Access Analyzer's ValidatePolicy for the dashboard's policy editor. It runs
 * the engine's own parser and checks with the caller's account catalog (validatePolicyDocument),
 * so what the editor shows is exactly what a create or update would refuse or warn about.
 */
import { validatePolicyDocument } from '../iam/policy-documents.ts';
import type { PolicyKind } from '../policy/types.ts';
import { builder } from './builder.ts';
import { PolicyFindingRef } from './error-types.ts';

/** The policy kinds a document can be checked as, mapped to the engine's names. */
const POLICY_KINDS = {
  IDENTITY_POLICY: 'identity',
  RESOURCE_POLICY: 'resource',
  TRUST_POLICY: 'trust',
  PERMISSIONS_BOUNDARY: 'boundary',
  SESSION_POLICY: 'session',
  GUARDRAIL_POLICY: 'guardrail',
} as const satisfies Record<string, PolicyKind>;

/** GraphQL enum of policy kinds for validation. */
export const PolicyKindEnum = builder.enumType('PolicyKind', {
  description: 'Which grammar a policy document follows; decides, e.g., whether `Principal` is required or forbidden.',
  values: {
    IDENTITY_POLICY: { description: 'A managed or inline policy of a user, group or role (no `Principal`).' },
    RESOURCE_POLICY: { description: 'A resource-based policy (`Principal` or `NotPrincipal` required).' },
    TRUST_POLICY: { description: "A role's trust (assume-role) policy." },
    PERMISSIONS_BOUNDARY: { description: 'A permissions boundary (identity-policy grammar).' },
    SESSION_POLICY: { description: 'A session policy passed to AssumeRole (identity-policy grammar).' },
    GUARDRAIL_POLICY: { description: 'An organisation guardrail, like an SCP (identity-policy grammar).' },
  } as const,
});

builder.queryFields((t) => ({
  validatePolicy: t.field({
    type: [PolicyFindingRef],
    description:
      'Checks a policy document without storing it, like Access Analyzer ValidatePolicy: every finding with its ' +
      "line and column, including warnings from the caller's account catalog (unknown services, actions and " +
      'condition keys, actions paired with resources they never take). An empty list means the document is valid ' +
      'and needs no advice. Action: ' +
      '`access-analyzer:ValidatePolicy` on `*`.',
    args: {
      policyDocument: t.arg.string({ required: true, description: 'The policy document, JSON text.' }),
      policyType: t.arg({ type: PolicyKindEnum, defaultValue: 'IDENTITY_POLICY', description: 'Which grammar to check against.' }),
    },
    resolve: async (_root, args, context) => {
      const caller = await context.guard.require('access-analyzer:ValidatePolicy', '*');
      const kind = POLICY_KINDS[args.policyType ?? 'IDENTITY_POLICY'];
      return [...(await validatePolicyDocument(context.database, caller.accountId, args.policyDocument, kind))];
    },
  }),
}));
