/**
 * Inline policies on the wire: the InlinePolicy type, the userPolicy/groupPolicy/rolePolicy reads
 * (Get*Policy), and Put/Delete{User,Group,Role}Policy, each authorized on the principal's ARN.
 */
import type { WriteResult } from '../changes/outbox.ts';
import { LimitExceededError, MalformedPolicyDocumentError, NoSuchEntityError, ValidationError } from '../errors.ts';
import { deleteInlinePolicy, getInlinePolicy, putInlinePolicy, type InlinePolicy, type PutInlinePolicyResult } from '../iam/inline-policies.ts';
import type { PrincipalKind, PrincipalRef } from '../iam/principal-refs.ts';
import { policySizeQuota, quotaLimit } from '../iam/quotas.ts';
import { builder } from './builder.ts';
import { WriteSuccessInterface } from './errors.ts';
import { factsOf, orNull, requireOnPrincipal, type TargetRow } from './directory-guard.ts';
import { loadGuardedNodes } from './node-guard.ts';
import { PolicyFindingRef } from './error-types.ts';
import { resultErrors } from './mutation-result.ts';
import { KIND_WORD, loadPrincipal, principalKindOfId, PRINCIPAL_TYPES } from './policy-principals.ts';
import { PolicyHolderRef, type UserRef } from './principal-refs.ts';

/** An inline policy: embedded in one user, group or role. */
export const InlinePolicyRef = builder.objectRef<InlinePolicy>('InlinePolicy');

/** The raw id of an inline policy: its owner's unique id (which survives renames) and its own name. */
const inlineKey = (p: Pick<InlinePolicy, 'principalId' | 'name'>) => `${p.principalId}/${p.name}`;

builder.node(InlinePolicyRef, {
  description: 'A policy embedded in one user, group or role; it lives and dies with its principal.',
  id: { resolve: inlineKey },
  loadMany: (ids, context) =>
    loadGuardedNodes(
      context,
      'iam:GetUserPolicy',
      ids,
      (caller) =>
        Promise.all(
          ids.map((id) => {
            const principalId = id.split('/')[0]!;
            const kind = principalKindOfId(principalId);
            return kind === undefined ? null : loadPrincipal(context, { kind, id: principalId }).then((principal) => principal && { kind, principal });
          }),
        ),
      async (owner, _caller, id) => {
        // As userPolicy/groupPolicy/rolePolicy show it: Get*Policy on the owner, before telling whether the policy exists.
        if (owner === null) return null;
        await context.guard.require(`iam:Get${KIND_WORD[owner.kind]}Policy`, owner.principal.arn, factsOf(owner.principal as TargetRow));
        const policies = await context.loaders.policies.inlineOfPrincipal.load(owner.principal.id);
        return policies.find((p) => inlineKey(p) === id) ?? null;
      },
    ),
  fields: (t) => ({
    policyName: t.exposeString('name'),
    owner: t.field({
      type: PolicyHolderRef,
      description: 'The user, group or role the policy is embedded in.',
      resolve: async (p, _args, context) => {
        const owner = await loadPrincipal(context, { kind: p.principalKind, id: p.principalId });
        // An inline policy is read through its owner, in the same request: the owner is there.
        if (owner === null) throw new NoSuchEntityError(KIND_WORD[p.principalKind], p.principalId);
        return owner;
      },
    }),
    policyDocument: t.exposeString('document', { description: 'The policy JSON text as submitted.' }),
    updateDate: t.field({ type: 'DateTime', description: 'When the document was last put.', resolve: (p) => p.updatedAt }),
  }),
});

/** Declares `<kind>Policy` (read), `put<Kind>Policy` and `delete<Kind>Policy`. */
function inlinePolicyFields(kind: PrincipalKind) {
  const word = KIND_WORD[kind];
  const nameField = `${kind}Name`;
  const PutInput = builder.inputType(`Put${word}PolicyInput`, {
    description:
      `What put${word}Policy (IAM Put${word}Policy) needs: the ${kind}, the inline policy's name and its document; a policy of that name is replaced. ` +
      `Authorized by iam:Put${word}Policy on the ${kind}'s ARN. An invalid document is a MalformedPolicyDocument with findings; LimitExceeded when the ${kind}'s inline policies ` +
      `together pass ${quotaLimit(policySizeQuota(`${kind}Inline`)).toLocaleString('en-US')} characters, white space not counted.`,
    fields: (t) => ({
      [nameField]: t.string({ required: true }),
      policyName: t.string({ required: true, description: '1-128 characters of `[A-Za-z0-9_+=,.@-]`; an existing one is replaced.' }),
      policyDocument: t.string({ required: true, description: `The policy JSON; all of a ${kind}'s inline policies together count against its size quota.` }),
    }),
  });
  const DeleteInput = builder.inputType(`Delete${word}PolicyInput`, {
    description: `What delete${word}Policy (IAM Delete${word}Policy) needs: the ${kind} and the name of its inline policy to delete. Authorized by iam:Delete${word}Policy on the ${kind}'s ARN; NoSuchEntity when it has no inline policy of that name.`,
    fields: (t) => ({ [nameField]: t.string({ required: true }), policyName: t.string({ required: true }) }),
  });
  const PutSuccess = builder.objectRef<WriteResult<PutInlinePolicyResult>>(`Put${word}PolicySuccess`).implement({
    interfaces: [WriteSuccessInterface],
    description: `The ${kind}, its stored inline policy, and what the validator noticed about the document.`,
    fields: (t) => ({
      [kind]: t.field({
        type: PRINCIPAL_TYPES[kind] as typeof UserRef,
        resolve: async (s, _args, context) => (await loadPrincipal(context, s.result.principal)) as never,
      }),
      inlinePolicy: t.field({ type: InlinePolicyRef, resolve: (s) => s.result.inlinePolicy }),
      findings: t.field({
        type: [PolicyFindingRef],
        description: 'Non-error findings about the document: security warnings, warnings and suggestions.',
        resolve: (s) => [...s.result.findings],
      }),
    }),
  });
  const DeleteSuccess = builder
    .objectRef<WriteResult<{ principal: PrincipalRef; inlinePolicy: InlinePolicy }>>(`Delete${word}PolicySuccess`)
    .implement({
      interfaces: [WriteSuccessInterface],
      description: `The ${kind} and the inline policy as it was before deletion.`,
      fields: (t) => ({
        [kind]: t.field({
          type: PRINCIPAL_TYPES[kind] as typeof UserRef,
          resolve: async (s, _args, context) => (await loadPrincipal(context, s.result.principal)) as never,
        }),
        inlinePolicy: t.field({ type: InlinePolicyRef, resolve: (s) => s.result.inlinePolicy }),
      }),
    });

  builder.queryFields((t) => ({
    [`${kind}Policy`]: t.field({
      type: InlinePolicyRef,
      nullable: true,
      description: `An inline policy of a ${kind} (Get${word}Policy); null when there is none.`,
      args: { [nameField]: t.arg.string({ required: true }), policyName: t.arg.string({ required: true }) },
      resolve: async (_root, args, context) => {
        const principalName = String(args[nameField]);
        const { caller, principal } = await requireOnPrincipal(context, `iam:Get${word}Policy`, kind, principalName);
        return orNull(getInlinePolicy(context.database.db, caller.accountId, kind, { principalName, policyName: String(args['policyName']) }, principal));
      },
    }),
  }));
  builder.mutationFields((t) => ({
    [`put${word}Policy`]: t.field({
      type: PutSuccess,
      description: `Put${word}Policy: create or replace an inline policy of a ${kind}.`,
      args: { input: t.arg({ type: PutInput, required: true }) },
      errors: resultErrors(`Put${word}Policy`, [ValidationError, NoSuchEntityError, LimitExceededError, MalformedPolicyDocumentError]),
      resolve: async (_root, { input }, context) => {
        const principalName = String(input[nameField]);
        const { caller, principal } = await requireOnPrincipal(context, `iam:Put${word}Policy`, kind, principalName);
        return putInlinePolicy(
          context.database,
          caller,
          kind,
          { principalName, policyName: String(input['policyName']), policyDocument: String(input['policyDocument']) },
          principal?.id,
        );
      },
    }),
    [`delete${word}Policy`]: t.field({
      type: DeleteSuccess,
      description: `Delete${word}Policy: delete an inline policy of a ${kind}.`,
      args: { input: t.arg({ type: DeleteInput, required: true }) },
      errors: resultErrors(`Delete${word}Policy`, [ValidationError, NoSuchEntityError]),
      resolve: async (_root, { input }, context) => {
        const principalName = String(input[nameField]);
        const { caller, principal } = await requireOnPrincipal(context, `iam:Delete${word}Policy`, kind, principalName);
        return deleteInlinePolicy(context.database, caller, kind, { principalName, policyName: String(input['policyName']) }, principal?.id);
      },
    }),
  }));
}
inlinePolicyFields('user');
inlinePolicyFields('group');
inlinePolicyFields('role');
