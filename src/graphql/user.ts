/**
 * Users on the wire: the User node, the `user` and `users` reads, and CreateUser, UpdateUser and
 * DeleteUser (tags and TagUser/UntagUser are in entity-tags.ts). Every resolver authorizes itself first (`iam:<Action>` on
 * the user's ARN); resolvers stay thin and call src/iam. Policy fields (attached, inline,
 * boundary) are added to User by policy-principal fields elsewhere.
 */
import {
  DeleteConflictError,
  EntityAlreadyExistsError,
  LimitExceededError,
  NoSuchEntityError,
  ValidationError,
} from '../errors.ts';
import { createUser, deleteUser, getUser, listUsers, updateUser } from '../iam/users.ts';
import { builder } from './builder.ts';
import { listArgs, pageArgs, pageConnection } from './connection.ts';
import {
  factsOf,
  loadPrincipalNodes,
  orNull,
  principalArn,
  requireInAccount,
  requireOnPrincipal,
  foundOrNull,
} from './directory-guard.ts';
import { validatePathPrefix } from '../iam/validation.ts';
import { entitySuccess, resultErrors } from './mutation-result.ts';
import { GroupConnectionRef, PolicyHolderRef, UserConnectionRef, UserRef } from './principal-refs.ts';
import { TagInputRef } from './tag.ts';

export { UserRef } from './principal-refs.ts';

builder.node(UserRef, {
  interfaces: [PolicyHolderRef],
  description: 'An IAM user: a person or application with long-term credentials.',
  id: { resolve: (u) => u.id },
  loadMany: (ids, context) => loadPrincipalNodes(context, 'iam:GetUser', context.loaders.principals.userById, ids),
  fields: (t) => ({
    userId: t.exposeString('id', { description: 'The stable unique id (AIDA…); survives renames.' }),
    userName: t.exposeString('name'),
    arn: t.exposeString('arn'),
    path: t.exposeString('path'),
    createDate: t.field({ type: 'DateTime', resolve: (u) => u.createdAt }),
    groups: t.field({
      type: GroupConnectionRef,
      nullable: true,
      description: 'The groups the user belongs to (ListGroupsForUser), by name.',
      args: pageArgs,
      resolve: async (user, args, context) => {
        await context.guard.require('iam:ListGroupsForUser', user.arn, factsOf(user));
        const page = await context.loaders.principals.groupsOfUser
          .load({ accountId: user.accountId, parentId: user.id, first: args.first, after: args.after });
        return pageConnection(page);
      },
    }),
  }),
});

builder.queryFields((t) => ({
  user: t.field({
    type: UserRef,
    nullable: true,
    description: "A user of the caller's account by name, any case (GetUser); null when there is none.",
    args: { userName: t.arg.string({ required: true }) },
    resolve: async (_root, { userName }, context) => {
      const { caller, principal } = await requireOnPrincipal(context, 'iam:GetUser', 'user', userName);
      return foundOrNull(principal, 'user', userName, 'userName');
    },
  }),
  users: t.field({
    type: UserConnectionRef,
    description: "The caller's account's users, by name (ListUsers).",
    args: listArgs,
    resolve: async (_root, args, context) => {
      const prefix = validatePathPrefix(args.pathPrefix);
      // AWS lists iam:ListUsers with no resource type: it is requested on `*`, whatever the path prefix.
      const caller = await context.guard.require('iam:ListUsers', '*');
      const page = await listUsers(context.database.db, caller.accountId, { first: args.first, after: args.after, pathPrefix: prefix });
      return pageConnection(page);
    },
  }),
}));

const CreateUserInput = builder.inputType('CreateUserInput', {
  description:
    "What createUser (IAM CreateUser) needs: the new user's name and path, and optionally tags and a permissions boundary. Authorized by iam:CreateUser on the ARN the user will have, with the tags as request tags and the boundary as iam:PermissionsBoundary; NoSuchEntity when the boundary policy does not exist. The user starts with no password and no keys.",
  fields: (t) => ({
    userName: t.string({ required: true, description: '1-64 characters of `[A-Za-z0-9_+=,.@-]`; unique in the account, any case.' }),
    path: t.string({ defaultValue: '/', description: '`/` or `/a/b/`.' }),
    tags: t.field({ type: [TagInputRef], description: 'At most 50.' }),
    permissionsBoundary: t.string({ description: 'ARN of a managed policy to use as the permissions boundary.' }),
  }),
});
const UpdateUserInput = builder.inputType('UpdateUserInput', {
  description:
    "What updateUser (IAM UpdateUser) needs: the user, and a new name and/or path (omitted ones stay). Authorized by iam:UpdateUser on the current and on the new ARN. The user's ARN changes, so policies that name the old ARN stop matching it; its id and credentials stay.",
  fields: (t) => ({
    userName: t.string({ required: true }),
    newUserName: t.string(),
    newPath: t.string(),
  }),
});
const DeleteUserInput = builder.inputType('DeleteUserInput', {
  description:
    'What deleteUser (IAM DeleteUser) needs: the user to delete. Authorized by iam:DeleteUser on its ARN; DeleteConflict (naming what is left) while it has group memberships, attached or inline policies, access keys, MFA devices or a password.',
  fields: (t) => ({ userName: t.string({ required: true }) }) });

const CreateUserSuccess = entitySuccess('CreateUser', 'user', UserRef, 'The created user.');
const UpdateUserSuccess = entitySuccess('UpdateUser', 'user', UserRef, 'The user after the change.');
const DeleteUserSuccess = entitySuccess('DeleteUser', 'user', UserRef, 'The user as it was before deletion.');

builder.mutationFields((t) => ({
  createUser: t.field({
    type: CreateUserSuccess,
    description: 'CreateUser: a new user in the caller\'s account.',
    args: { input: t.arg({ type: CreateUserInput, required: true }) },
    errors: resultErrors('CreateUser', [ValidationError, EntityAlreadyExistsError, LimitExceededError, NoSuchEntityError]),
    resolve: async (_root, { input }, context) => {
      const caller = await requireInAccount(
        context,
        'iam:CreateUser',
        (accountId) => principalArn(accountId, 'user', input.path ?? '/', input.userName),
        { requestTags: input.tags, permissionsBoundary: input.permissionsBoundary },
      );
      return createUser(context.database, caller, input);
    },
  }),
  updateUser: t.field({
    type: UpdateUserSuccess,
    description: 'UpdateUser: rename and/or move a user. Needs iam:UpdateUser on both the current and the new ARN.',
    args: { input: t.arg({ type: UpdateUserInput, required: true }) },
    errors: resultErrors('UpdateUser', [ValidationError, EntityAlreadyExistsError, NoSuchEntityError]),
    resolve: async (_root, { input }, context) => {
      const { caller, principal } = await requireOnPrincipal(context, 'iam:UpdateUser', 'user', input.userName);
      if (input.newUserName != null || input.newPath != null) {
        const current = principal ?? (await orNull(getUser(context.database.db, caller.accountId, input.userName)));
        const target = principalArn(caller.accountId, 'user', input.newPath ?? current?.path ?? '/', input.newUserName ?? current?.name ?? input.userName);
        await context.guard.require('iam:UpdateUser', target, current === null ? undefined : factsOf(current));
      }
      return updateUser(context.database, caller, input, principal?.id);
    },
  }),
  deleteUser: t.field({
    type: DeleteUserSuccess,
    description: 'DeleteUser: delete a user that has no group memberships, policies, keys, MFA devices or password left.',
    args: { input: t.arg({ type: DeleteUserInput, required: true }) },
    errors: resultErrors('DeleteUser', [ValidationError, NoSuchEntityError, DeleteConflictError]),
    resolve: async (_root, { input }, context) => {
      const { caller, principal } = await requireOnPrincipal(context, 'iam:DeleteUser', 'user', input.userName);
      return deleteUser(context.database, caller, input.userName, principal?.id);
    },
  }),
}));
