/**
 * Permissions boundaries on the wire: Put/Delete{User,Role}PermissionsBoundary, authorized on the
 * principal's ARN. The boundary itself is read through User/Role `permissionsBoundary`.
 */
import type { WriteResult } from '../changes/outbox.ts';
import { deletePermissionsBoundary, putPermissionsBoundary, type BoundedKind } from '../iam/boundaries.ts';
import { NoSuchEntityError, ValidationError } from '../errors.ts';
import type { ManagedPolicy } from '../iam/policies.ts';
import type { PrincipalRef } from '../iam/principal-refs.ts';
import { builder } from './builder.ts';
import { WriteSuccessInterface } from './errors.ts';
import { requireOnPrincipal } from './directory-guard.ts';
import { resultErrors } from './mutation-result.ts';
import { ManagedPolicyRef } from './policy.ts';
import { KIND_WORD, loadPrincipal, PRINCIPAL_TYPES } from './policy-principals.ts';
import type { UserRef } from './principal-refs.ts';

/** Declares put<Kind>PermissionsBoundary and delete<Kind>PermissionsBoundary. */
function boundaryMutations(kind: BoundedKind) {
  const word = KIND_WORD[kind];
  const nameField = `${kind}Name`;
  const PutInput = builder.inputType(`Put${word}PermissionsBoundaryInput`, {
    description: `What put${word}PermissionsBoundary (IAM Put${word}PermissionsBoundary) needs: the ${kind} and the managed policy that becomes its boundary. Authorized by iam:Put${word}PermissionsBoundary on the ${kind}'s ARN, with the policy ARN as iam:PermissionsBoundary; NoSuchEntity when the policy does not exist.`,
    fields: (t) => ({
      [nameField]: t.string({ required: true }),
      permissionsBoundary: t.string({ required: true, description: "ARN of a managed policy: the account's own or built-in." }),
    }),
  });
  const DeleteInput = builder.inputType(`Delete${word}PermissionsBoundaryInput`, {
    description: `What delete${word}PermissionsBoundary (IAM Delete${word}PermissionsBoundary) needs: the ${kind} whose boundary to remove. Authorized by iam:Delete${word}PermissionsBoundary on the ${kind}'s ARN; a ${kind} without a boundary is left as it is.`,
    fields: (t) => ({ [nameField]: t.string({ required: true }) }) });
  const PutSuccess = builder.objectRef<WriteResult<{ principal: PrincipalRef; policy: ManagedPolicy }>>(`Put${word}PermissionsBoundarySuccess`).implement({
    interfaces: [WriteSuccessInterface],
    description: `The ${kind} and its new permissions boundary.`,
    fields: (t) => ({
      [kind]: t.field({
        type: PRINCIPAL_TYPES[kind] as typeof UserRef,
        resolve: async (s, _args, context) => (await loadPrincipal(context, s.result.principal)) as never,
      }),
      permissionsBoundary: t.field({ type: ManagedPolicyRef, resolve: (s) => s.result.policy }),
    }),
  });
  const DeleteSuccess = builder.objectRef<WriteResult<{ principal: PrincipalRef }>>(`Delete${word}PermissionsBoundarySuccess`).implement({
    interfaces: [WriteSuccessInterface],
    description: `The ${kind}, now without a permissions boundary.`,
    fields: (t) => ({
      [kind]: t.field({
        type: PRINCIPAL_TYPES[kind] as typeof UserRef,
        resolve: async (s, _args, context) => (await loadPrincipal(context, s.result.principal)) as never,
      }),
    }),
  });
  builder.mutationFields((t) => ({
    [`put${word}PermissionsBoundary`]: t.field({
      type: PutSuccess,
      description: `Put${word}PermissionsBoundary: set or replace the managed policy that caps the ${kind}'s permissions.`,
      args: { input: t.arg({ type: PutInput, required: true }) },
      errors: resultErrors(`Put${word}PermissionsBoundary`, [ValidationError, NoSuchEntityError]),
      resolve: async (_root, { input }, context) => {
        const principalName = String(input[nameField]);
        const permissionsBoundary = String(input['permissionsBoundary']);
        const { caller, principal } = await requireOnPrincipal(context, `iam:Put${word}PermissionsBoundary`, kind, principalName, { permissionsBoundary });
        return putPermissionsBoundary(context.database, caller, kind, { principalName, permissionsBoundary }, principal?.id);
      },
    }),
    [`delete${word}PermissionsBoundary`]: t.field({
      type: DeleteSuccess,
      description: `Delete${word}PermissionsBoundary: remove the ${kind}'s permissions boundary (none is fine).`,
      args: { input: t.arg({ type: DeleteInput, required: true }) },
      errors: resultErrors(`Delete${word}PermissionsBoundary`, [ValidationError, NoSuchEntityError]),
      resolve: async (_root, { input }, context) => {
        const principalName = String(input[nameField]);
        const { caller, principal } = await requireOnPrincipal(context, `iam:Delete${word}PermissionsBoundary`, kind, principalName);
        return deletePermissionsBoundary(context.database, caller, kind, { principalName }, principal?.id);
      },
    }),
  }));
}
boundaryMutations('user');
boundaryMutations('role');
