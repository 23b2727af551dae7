/**
 * Managed-policy attachments on the wire: Attach/Detach{User,Group,Role}Policy, the AttachedPolicy
 * type, and the policy fields of User, Group and Role (attachedPolicies, inlinePolicies,
 * permissionsBoundary), each authorized on the principal's ARN and batched through the policy loaders.
 */
import type { WriteResult } from '../changes/outbox.ts';
import { attachPolicy, detachPolicy, type AttachmentChange } from '../iam/attachments.ts';
import { LimitExceededError, NoSuchEntityError, ValidationError } from '../errors.ts';
import type { ManagedPolicy } from '../iam/policies.ts';
import type { PrincipalKind } from '../iam/principal-refs.ts';
import { builder } from './builder.ts';
import { WriteSuccessInterface } from './errors.ts';
import { factsOf, requireForField, requireOnPrincipal } from './directory-guard.ts';
import { InlinePolicyRef } from './inline-policy.ts';
import { resultErrors } from './mutation-result.ts';
import { ManagedPolicyRef } from './policy.ts';
import { KIND_WORD, loadPrincipal, PRINCIPAL_TYPES } from './policy-principals.ts';
import { RoleRef, UserRef } from './principal-refs.ts';

/** A managed policy attached to a principal, as ListAttached*Policies reports it. */
export const AttachedPolicyRef = builder.objectRef<ManagedPolicy>('AttachedPolicy').implement({
  description: 'A managed policy attached to a user, group or role.',
  fields: (t) => ({
    policyName: t.exposeString('name'),
    policyArn: t.exposeString('arn'),
    // ListAttached*Policies returns only the name and ARN; the rest is GetPolicy's.
    policy: t.field({
      type: ManagedPolicyRef,
      nullable: true,
      description: 'The policy itself (versions, default document, usage). Needs iam:GetPolicy on it.',
      resolve: async (p, _args, context) => {
        await requireForField(context, p.arn, 'iam:GetPolicy');
        return p;
      },
    }),
  }),
});

/** The policy fields every principal kind gets. */
function addPolicyFields(kind: PrincipalKind) {
  const word = KIND_WORD[kind];
  // One definition for three types: the resolvers use only `id` and `arn`, which all three rows have.
  builder.objectFields(PRINCIPAL_TYPES[kind] as typeof UserRef, (t) => ({
    attachedPolicies: t.field({
      type: [AttachedPolicyRef],
      nullable: true,
      description: `The managed policies attached to the ${kind}, by name (ListAttached${word}Policies; at most ten).`,
      resolve: async (principal, _args, context) => {
        await context.guard.require(`iam:ListAttached${word}Policies`, principal.arn, factsOf(principal));
        return context.loaders.policies.attachedToPrincipal.load(principal.id);
      },
    }),
    inlinePolicies: t.field({
      type: [InlinePolicyRef],
      nullable: true,
      description: `The ${kind}'s inline policies with their documents, by name (List${word}Policies and Get${word}Policy).`,
      resolve: async (principal, _args, context) => {
        await context.guard.require(`iam:List${word}Policies`, principal.arn, factsOf(principal));
        await context.guard.require(`iam:Get${word}Policy`, principal.arn, factsOf(principal));
        return context.loaders.policies.inlineOfPrincipal.load(principal.id);
      },
    }),
  }));
}
addPolicyFields('user');
addPolicyFields('group');
addPolicyFields('role');

/** Users and roles carry a permissions boundary (part of GetUser / GetRole, not of ListUsers / ListRoles). */
// Both rows have `arn`, `accountId` and `permissionsBoundaryArn`, all the resolver reads.
for (const [ref, action] of [
  [UserRef, 'iam:GetUser'],
  [RoleRef as unknown as typeof UserRef, 'iam:GetRole'],
] as const) {
  builder.objectFields(ref, (t) => ({
    permissionsBoundary: t.field({
      type: ManagedPolicyRef,
      nullable: true,
      description: `The managed policy that caps the permissions identity policies can grant, if any. Needs ${action} on the principal.`,
      resolve: async (principal, _args, context) => {
        await requireForField(context, principal.arn, action);
        return principal.permissionsBoundaryArn === null
          ? null
          : context.loaders.policies.byArn.load({ accountId: principal.accountId, arn: principal.permissionsBoundaryArn });
      },
    }),
  }));
}

/** `<Name>Success { <kind>, policy, revision }` for attachment writes. */
function attachmentSuccess(name: string, kind: PrincipalKind, description: string) {
  return builder.objectRef<WriteResult<AttachmentChange>>(`${name}Success`).implement({
    interfaces: [WriteSuccessInterface],
    description,
    fields: (t) => ({
      [kind]: t.field({
        type: PRINCIPAL_TYPES[kind] as typeof UserRef,
        resolve: async (s, _args, context) => (await loadPrincipal(context, s.result.principal)) as never,
      }),
      policy: t.field({ type: ManagedPolicyRef, resolve: (s) => s.result.policy }),
    }),
  });
}

/** Declares attach<Kind>Policy and detach<Kind>Policy. */
function attachmentMutations(kind: PrincipalKind) {
  const word = KIND_WORD[kind];
  const nameField = `${kind}Name` as const;
  const inputType = (name: string, description: string) =>
    builder.inputType(name, {
      description,
      fields: (t) => ({
        [nameField]: t.string({ required: true }),
        policyArn: t.string({ required: true, description: "The managed policy: the account's own or built-in (`arn:aws:iam::aws:policy/…`)." }),
      }),
    });
  const AttachInput = inputType(
    `Attach${word}PolicyInput`,
    `What attach${word}Policy (IAM Attach${word}Policy) needs: the ${kind} and the managed policy to attach. Authorized by iam:Attach${word}Policy on the ${kind}'s ARN, with the policy ARN as iam:PolicyARN; LimitExceeded when the ${kind} already has ten managed policies.`,
  );
  const DetachInput = inputType(
    `Detach${word}PolicyInput`,
    `What detach${word}Policy (IAM Detach${word}Policy) needs: the ${kind} and the managed policy to detach. Authorized by iam:Detach${word}Policy on the ${kind}'s ARN, with the policy ARN as iam:PolicyARN; NoSuchEntity when the policy is not attached to it.`,
  );
  const AttachSuccess = attachmentSuccess(`Attach${word}Policy`, kind, `The ${kind} and the policy now attached to it.`);
  const DetachSuccess = attachmentSuccess(`Detach${word}Policy`, kind, `The ${kind} and the policy no longer attached to it.`);
  const principalName = (input: Record<string, unknown>) => String(input[nameField]);
  builder.mutationFields((t) => ({
    [`attach${word}Policy`]: t.field({
      type: AttachSuccess,
      description: `Attach${word}Policy: attach a managed policy (at most ten per ${kind}); attaching twice changes nothing.`,
      args: { input: t.arg({ type: AttachInput, required: true }) },
      errors: resultErrors(`Attach${word}Policy`, [ValidationError, NoSuchEntityError, LimitExceededError]),
      resolve: async (_root, { input }, context) => {
        const name = principalName(input);
        const { caller, principal } = await requireOnPrincipal(context, `iam:Attach${word}Policy`, kind, name, { policyArn: input.policyArn as string });
        return attachPolicy(context.database, caller, kind, { principalName: name, policyArn: input.policyArn as string }, principal?.id);
      },
    }),
    [`detach${word}Policy`]: t.field({
      type: DetachSuccess,
      description: `Detach${word}Policy: detach a managed policy; one that is not attached is NoSuchEntity.`,
      args: { input: t.arg({ type: DetachInput, required: true }) },
      errors: resultErrors(`Detach${word}Policy`, [ValidationError, NoSuchEntityError]),
      resolve: async (_root, { input }, context) => {
        const name = principalName(input);
        const { caller, principal } = await requireOnPrincipal(context, `iam:Detach${word}Policy`, kind, name, { policyArn: input.policyArn as string });
        return detachPolicy(context.database, caller, kind, { principalName: name, policyArn: input.policyArn as string }, principal?.id);
      },
    }),
  }));
}
attachmentMutations('user');
attachmentMutations('group');
attachmentMutations('role');
