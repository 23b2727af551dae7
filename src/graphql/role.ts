/**
 * Roles on the wire: the Role node, the `role` and `roles` reads, and CreateRole, UpdateRole and
 * DeleteRole (tags and TagRole/UntagRole are in entity-tags.ts). Every resolver authorizes itself first (`iam:<Action>` on the
 * role's ARN). The trust policy is replaced with updateAssumeRolePolicy (policy files).
 */
import type { WriteResult } from '../changes/outbox.ts';
import {
  DeleteConflictError,
  EntityAlreadyExistsError,
  LimitExceededError,
  MalformedPolicyDocumentError,
  NoSuchEntityError,
  ValidationError,
} from '../errors.ts';
import { createRole, deleteRole, getRole, listRoles, updateRole, type CreatedRole } from '../iam/roles.ts';
import { builder } from './builder.ts';
import { WriteSuccessInterface } from './errors.ts';
import { listArgs, pageConnection } from './connection.ts';
import {
  loadPrincipalNodes,
  principalArn,
  requireForField,
  requireInAccount,
  requireOnPrincipal,
  foundOrNull,
} from './directory-guard.ts';
import { validatePathPrefix } from '../iam/validation.ts';
import { PolicyFindingRef } from './error-types.ts';
import { entitySuccess, resultErrors } from './mutation-result.ts';
import { PolicyHolderRef, RoleConnectionRef, RoleRef } from './principal-refs.ts';
import { renderedTrustPolicy } from './trust-policy-text.ts';
import { TagInputRef } from './tag.ts';

export { RoleRef } from './principal-refs.ts';

builder.node(RoleRef, {
  interfaces: [PolicyHolderRef],
  description: 'An IAM role: an identity with policies that trusted principals assume for temporary credentials.',
  id: { resolve: (r) => r.id },
  loadMany: (ids, context) => loadPrincipalNodes(context, 'iam:GetRole', context.loaders.principals.roleById, ids),
  fields: (t) => ({
    roleId: t.exposeString('id', { description: 'The stable unique id (AROA…).' }),
    roleName: t.exposeString('name'),
    arn: t.exposeString('arn'),
    path: t.exposeString('path'),
    createDate: t.field({ type: 'DateTime', resolve: (r) => r.createdAt }),
    description: t.exposeString('description', { nullable: true }),
    maxSessionDuration: t.exposeInt('maxSessionDuration', { description: 'Longest session AssumeRole may grant, in seconds.' }),
    assumeRolePolicyDocument: t.string({
      description:
        'The trust policy (who may assume the role), JSON text as submitted, except that a user or role it names shows its current ARN, or its unique id (AIDA…, AROA…) once deleted: the policy trusts that principal, not a later one of the same name.',
      resolve: (r, _args, context) => renderedTrustPolicy(context, r),
    }),
    // RoleLastUsed is GetRole's alone, as AWS's ListRoles leaves it out.
    lastUsedDate: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When a session of the role was last used. Needs iam:GetRole on the role.',
      resolve: async (r, _args, context) => {
        await requireForField(context, r.arn, 'iam:GetRole');
        return r.lastUsedAt;
      },
    }),
  }),
});

builder.queryFields((t) => ({
  role: t.field({
    type: RoleRef,
    nullable: true,
    description: "A role of the caller's account by name, any case (GetRole); null when there is none.",
    args: { roleName: t.arg.string({ required: true }) },
    resolve: async (_root, { roleName }, context) => {
      const { caller, principal } = await requireOnPrincipal(context, 'iam:GetRole', 'role', roleName);
      return foundOrNull(principal, 'role', roleName, 'roleName');
    },
  }),
  roles: t.field({
    type: RoleConnectionRef,
    description: "The caller's account's roles, by name (ListRoles).",
    args: listArgs,
    resolve: async (_root, args, context) => {
      const prefix = validatePathPrefix(args.pathPrefix);
      // AWS lists iam:ListRoles with no resource type: it is requested on `*`, whatever the path prefix.
      const caller = await context.guard.require('iam:ListRoles', '*');
      const page = await listRoles(context.database.db, caller.accountId, { first: args.first, after: args.after, pathPrefix: prefix });
      return pageConnection(page);
    },
  }),
}));

const CreateRoleInput = builder.inputType('CreateRoleInput', {
  description:
    'What createRole (IAM CreateRole) needs: the new role\'s name, path and trust policy, and optionally a description, maximum session duration, tags and permissions boundary. Authorized by iam:CreateRole on the ARN the role will have, with the tags as request tags and the boundary as iam:PermissionsBoundary. An invalid trust policy is a MalformedPolicyDocument (LimitExceeded over 2,048 characters, white space not counted); a missing boundary policy is NoSuchEntity.',
  fields: (t) => ({
    roleName: t.string({ required: true, description: '1-64 characters of `[A-Za-z0-9_+=,.@-]`; unique in the account, any case.' }),
    path: t.string({ defaultValue: '/', description: '`/` or `/a/b/`.' }),
    assumeRolePolicyDocument: t.string({ required: true, description: 'The trust policy, JSON text (a Principal is required).' }),
    description: t.string({ description: 'At most 1000 characters.' }),
    maxSessionDuration: t.int({ defaultValue: 3600, description: 'Seconds, 3600-43200.' }),
    tags: t.field({ type: [TagInputRef], description: 'At most 50.' }),
    permissionsBoundary: t.string({ description: 'ARN of a managed policy to use as the permissions boundary.' }),
  }),
});
const UpdateRoleInput = builder.inputType('UpdateRoleInput', {
  description:
    "What updateRole (IAM UpdateRole) needs: the role, and a new description and/or maximum session duration. Authorized by iam:UpdateRole on the role's ARN. The trust policy changes through updateAssumeRolePolicy.",
  fields: (t) => ({
    roleName: t.string({ required: true }),
    description: t.string({ description: 'New description; an empty string removes it; absent keeps it.' }),
    maxSessionDuration: t.int({ description: 'Seconds, 3600-43200; absent keeps it.' }),
  }),
});
const DeleteRoleInput = builder.inputType('DeleteRoleInput', {
  description:
    "What deleteRole (IAM DeleteRole) needs: the role to delete. Authorized by iam:DeleteRole on its ARN; DeleteConflict while it has attached or inline policies. The role's sessions end with it.",
  fields: (t) => ({ roleName: t.string({ required: true }) }) });

const CreateRoleSuccess = builder.objectRef<WriteResult<CreatedRole>>('CreateRoleSuccess').implement({
  interfaces: [WriteSuccessInterface],
  description: 'The created role and any non-error findings about its trust policy.',
  fields: (t) => ({
    role: t.field({ type: RoleRef, resolve: (s) => s.result.role }),
    trustPolicyFindings: t.field({
      type: [PolicyFindingRef],
      description: 'Warnings and suggestions about the trust policy (errors would have refused it).',
      resolve: (s) => [...s.result.findings],
    }),
  }),
});
const UpdateRoleSuccess = entitySuccess('UpdateRole', 'role', RoleRef, 'The role after the change.');
const DeleteRoleSuccess = entitySuccess('DeleteRole', 'role', RoleRef, 'The role as it was before deletion.');

builder.mutationFields((t) => ({
  createRole: t.field({
    type: CreateRoleSuccess,
    description: "CreateRole: a new role in the caller's account; the trust policy is validated as a trust policy.",
    args: { input: t.arg({ type: CreateRoleInput, required: true }) },
    errors: resultErrors('CreateRole', [
      ValidationError,
      MalformedPolicyDocumentError,
      EntityAlreadyExistsError,
      LimitExceededError,
      NoSuchEntityError,
    ]),
    resolve: async (_root, { input }, context) => {
      const caller = await requireInAccount(
        context,
        'iam:CreateRole',
        (accountId) => principalArn(accountId, 'role', input.path ?? '/', input.roleName),
        { requestTags: input.tags, permissionsBoundary: input.permissionsBoundary },
      );
      return createRole(context.database, caller, input);
    },
  }),
  updateRole: t.field({
    type: UpdateRoleSuccess,
    description: 'UpdateRole: change the description and/or maximum session duration.',
    args: { input: t.arg({ type: UpdateRoleInput, required: true }) },
    errors: resultErrors('UpdateRole', [ValidationError, NoSuchEntityError]),
    resolve: async (_root, { input }, context) => {
      const { caller, principal } = await requireOnPrincipal(context, 'iam:UpdateRole', 'role', input.roleName);
      return updateRole(context.database, caller, input, principal?.id);
    },
  }),
  deleteRole: t.field({
    type: DeleteRoleSuccess,
    description: 'DeleteRole: delete a role with no attached or inline policies left.',
    args: { input: t.arg({ type: DeleteRoleInput, required: true }) },
    errors: resultErrors('DeleteRole', [ValidationError, NoSuchEntityError, DeleteConflictError]),
    resolve: async (_root, { input }, context) => {
      const { caller, principal } = await requireOnPrincipal(context, 'iam:DeleteRole', 'role', input.roleName);
      return deleteRole(context.database, caller, input.roleName, principal?.id);
    },
  }),
}));
