/** UpdateAssumeRolePolicy on the wire: replace a role's trust policy, authorized on the role's ARN. */
import type { WriteResult } from '../changes/outbox.ts';
import { MalformedPolicyDocumentError, NoSuchEntityError, ValidationError, LimitExceededError } from '../errors.ts';
import type { Finding } from '../policy/index.ts';
import type { PrincipalRef } from '../iam/principal-refs.ts';
import { updateAssumeRolePolicy } from '../iam/trust-policy.ts';
import { builder } from './builder.ts';
import { WriteSuccessInterface } from './errors.ts';
import { requireOnPrincipal } from './directory-guard.ts';
import { PolicyFindingRef } from './error-types.ts';
import { resultErrors } from './mutation-result.ts';
import { loadPrincipal } from './policy-principals.ts';
import { RoleRef } from './principal-refs.ts';

const UpdateAssumeRolePolicyInput = builder.inputType('UpdateAssumeRolePolicyInput', {
  description:
    "What updateAssumeRolePolicy (IAM UpdateAssumeRolePolicy) needs: the role and its new trust policy. Authorized by iam:UpdateAssumeRolePolicy on the role's ARN. The document is validated as a trust policy (MalformedPolicyDocument, with findings, when invalid; LimitExceeded over 2,048 characters, white space not counted).",
  fields: (t) => ({
    roleName: t.string({ required: true }),
    policyDocument: t.string({ required: true, description: 'The trust policy JSON: who may assume the role (Principal required).' }),
  }),
});

const UpdateAssumeRolePolicySuccess = builder
  .objectRef<WriteResult<{ role: PrincipalRef; findings: readonly Finding[] }>>('UpdateAssumeRolePolicySuccess')
  .implement({
    interfaces: [WriteSuccessInterface],
    description: 'The role with its new trust policy, and what the validator noticed about the document.',
    fields: (t) => ({
      role: t.field({ type: RoleRef, resolve: async (s, _args, context) => (await loadPrincipal(context, s.result.role)) as never }),
      findings: t.field({
        type: [PolicyFindingRef],
        description: 'Non-error findings about the document: security warnings, warnings and suggestions.',
        resolve: (s) => [...s.result.findings],
      }),
    }),
  });

builder.mutationFields((t) => ({
  updateAssumeRolePolicy: t.field({
    type: UpdateAssumeRolePolicySuccess,
    description: 'UpdateAssumeRolePolicy: replace the trust policy that says who may assume the role.',
    args: { input: t.arg({ type: UpdateAssumeRolePolicyInput, required: true }) },
    errors: resultErrors('UpdateAssumeRolePolicy', [ValidationError, NoSuchEntityError, LimitExceededError, MalformedPolicyDocumentError]),
    resolve: async (_root, { input }, context) => {
      const { caller, principal } = await requireOnPrincipal(context, 'iam:UpdateAssumeRolePolicy', 'role', input.roleName);
      return updateAssumeRolePolicy(context.database, caller, input, principal?.id);
    },
  }),
}));
