/**
 * Groups on the wire: the Group node, the `group` and `groups` reads, and CreateGroup,
 * UpdateGroup, DeleteGroup, AddUserToGroup and RemoveUserFromGroup. Every resolver authorizes
 * itself first (`iam:<Action>` on the group's ARN, as AWS does for membership changes too).
 */
import type { WriteResult } from '../changes/outbox.ts';
import { DeleteConflictError, EntityAlreadyExistsError, LimitExceededError, NoSuchEntityError, ValidationError } from '../errors.ts';
import { addUserToGroup, removeUserFromGroup, type Membership } from '../iam/group-membership.ts';
import { createGroup, deleteGroup, getGroup, listGroups, updateGroup } from '../iam/groups.ts';
import { builder } from './builder.ts';
import { WriteSuccessInterface } from './errors.ts';
import { listArgs, pageArgs, pageConnection } from './connection.ts';
import { foundOrNull, loadPrincipalNodes, orNull, principalArn, requireInAccount, requireOnPrincipal } from './directory-guard.ts';
import { validatePathPrefix } from '../iam/validation.ts';
import { entitySuccess, resultErrors } from './mutation-result.ts';
import { GroupConnectionRef, GroupRef, PolicyHolderRef, UserConnectionRef, UserRef } from './principal-refs.ts';

export { GroupRef } from './principal-refs.ts';

builder.node(GroupRef, {
  interfaces: [PolicyHolderRef],
  description: 'An IAM group: users in it get the policies attached to it.',
  id: { resolve: (g) => g.id },
  loadMany: (ids, context) => loadPrincipalNodes(context, 'iam:GetGroup', context.loaders.principals.groupById, ids),
  fields: (t) => ({
    groupId: t.exposeString('id', { description: 'The stable unique id (AGPA…); survives renames.' }),
    groupName: t.exposeString('name'),
    arn: t.exposeString('arn'),
    path: t.exposeString('path'),
    createDate: t.field({ type: 'DateTime', resolve: (g) => g.createdAt }),
    users: t.field({
      type: UserConnectionRef,
      nullable: true,
      description: "The group's members, by name (GetGroup's user list).",
      args: pageArgs,
      resolve: async (group, args, context) => {
        await context.guard.require('iam:GetGroup', group.arn);
        const page = await context.loaders.principals.usersOfGroup
          .load({ accountId: group.accountId, parentId: group.id, first: args.first, after: args.after });
        return pageConnection(page);
      },
    }),
  }),
});

builder.queryFields((t) => ({
  group: t.field({
    type: GroupRef,
    nullable: true,
    description: "A group of the caller's account by name, any case (GetGroup); null when there is none.",
    args: { groupName: t.arg.string({ required: true }) },
    resolve: async (_root, { groupName }, context) => {
      const { caller, principal } = await requireOnPrincipal(context, 'iam:GetGroup', 'group', groupName);
      return foundOrNull(principal, 'group', groupName, 'groupName');
    },
  }),
  groups: t.field({
    type: GroupConnectionRef,
    description: "The caller's account's groups, by name (ListGroups).",
    args: listArgs,
    resolve: async (_root, args, context) => {
      const prefix = validatePathPrefix(args.pathPrefix);
      // AWS lists iam:ListGroups with no resource type: it is requested on `*`, whatever the path prefix.
      const caller = await context.guard.require('iam:ListGroups', '*');
      const page = await listGroups(context.database.db, caller.accountId, { first: args.first, after: args.after, pathPrefix: prefix });
      return pageConnection(page);
    },
  }),
}));

const CreateGroupInput = builder.inputType('CreateGroupInput', {
  description:
    'What createGroup (IAM CreateGroup) needs: the new group\'s name and path. Authorized by iam:CreateGroup on the ARN the group will have; LimitExceeded at the account\'s group quota.',
  fields: (t) => ({
    groupName: t.string({ required: true, description: '1-128 characters of `[A-Za-z0-9_+=,.@-]`; unique in the account, any case.' }),
    path: t.string({ defaultValue: '/', description: '`/` or `/a/b/`.' }),
  }),
});
const UpdateGroupInput = builder.inputType('UpdateGroupInput', {
  description:
    "What updateGroup (IAM UpdateGroup) needs: the group, and a new name and/or path (omitted ones stay). Authorized by iam:UpdateGroup on the current and on the new ARN. The group's ARN changes, so policies that name the old ARN stop matching it; its id stays.",
  fields: (t) => ({ groupName: t.string({ required: true }), newGroupName: t.string(), newPath: t.string() }),
});
const DeleteGroupInput = builder.inputType('DeleteGroupInput', {
  description:
    'What deleteGroup (IAM DeleteGroup) needs: the group to delete. Authorized by iam:DeleteGroup on its ARN; DeleteConflict while it still has members, attached or inline policies.',
  fields: (t) => ({ groupName: t.string({ required: true }) }) });
const MembershipInput = (name: string, description: string) =>
  builder.inputType(name, { description, fields: (t) => ({ groupName: t.string({ required: true }), userName: t.string({ required: true }) }) });
const AddUserToGroupInput = MembershipInput(
  'AddUserToGroupInput',
  'What addUserToGroup (IAM AddUserToGroup) needs: the group and the user to add. Authorized by iam:AddUserToGroup on the group\'s ARN; LimitExceeded when the user is already in 10 groups.',
);
const RemoveUserFromGroupInput = MembershipInput(
  'RemoveUserFromGroupInput',
  "What removeUserFromGroup (IAM RemoveUserFromGroup) needs: the group and the user to remove. Authorized by iam:RemoveUserFromGroup on the group's ARN; the user loses the group's policies.",
);

const CreateGroupSuccess = entitySuccess('CreateGroup', 'group', GroupRef, 'The created group.');
const UpdateGroupSuccess = entitySuccess('UpdateGroup', 'group', GroupRef, 'The group after the change.');
const DeleteGroupSuccess = entitySuccess('DeleteGroup', 'group', GroupRef, 'The group as it was before deletion.');

/** `<Name>Success { user, group, revision }` for the membership mutations. */
function membershipSuccess(name: string, description: string) {
  return builder.objectRef<WriteResult<Membership>>(`${name}Success`).implement({
    interfaces: [WriteSuccessInterface],
    description,
    fields: (t) => ({
      user: t.field({ type: UserRef, resolve: (s) => s.result.user }),
      group: t.field({ type: GroupRef, resolve: (s) => s.result.group }),
    }),
  });
}
const AddUserToGroupSuccess = membershipSuccess('AddUserToGroup', 'The user is a member of the group (adding a member again changes nothing).');
const RemoveUserFromGroupSuccess = membershipSuccess('RemoveUserFromGroup', 'The user is no longer a member of the group.');

builder.mutationFields((t) => ({
  createGroup: t.field({
    type: CreateGroupSuccess,
    description: "CreateGroup: a new, empty group in the caller's account.",
    args: { input: t.arg({ type: CreateGroupInput, required: true }) },
    errors: resultErrors('CreateGroup', [ValidationError, EntityAlreadyExistsError, LimitExceededError]),
    resolve: async (_root, { input }, context) => {
      const caller = await requireInAccount(context, 'iam:CreateGroup', (accountId) =>
        principalArn(accountId, 'group', input.path ?? '/', input.groupName),
      );
      return createGroup(context.database, caller, input);
    },
  }),
  updateGroup: t.field({
    type: UpdateGroupSuccess,
    description: 'UpdateGroup: rename and/or move a group. Needs iam:UpdateGroup on both the current and the new ARN.',
    args: { input: t.arg({ type: UpdateGroupInput, required: true }) },
    errors: resultErrors('UpdateGroup', [ValidationError, EntityAlreadyExistsError, NoSuchEntityError]),
    resolve: async (_root, { input }, context) => {
      const { caller, principal } = await requireOnPrincipal(context, 'iam:UpdateGroup', 'group', input.groupName);
      if (input.newGroupName != null || input.newPath != null) {
        const current = principal ?? (await orNull(getGroup(context.database.db, caller.accountId, input.groupName)));
        const target = principalArn(caller.accountId, 'group', input.newPath ?? current?.path ?? '/', input.newGroupName ?? current?.name ?? input.groupName);
        await context.guard.require('iam:UpdateGroup', target);
      }
      return updateGroup(context.database, caller, input, principal?.id);
    },
  }),
  deleteGroup: t.field({
    type: DeleteGroupSuccess,
    description: 'DeleteGroup: delete a group that has no members and no policies left.',
    args: { input: t.arg({ type: DeleteGroupInput, required: true }) },
    errors: resultErrors('DeleteGroup', [ValidationError, NoSuchEntityError, DeleteConflictError]),
    resolve: async (_root, { input }, context) => {
      const { caller, principal } = await requireOnPrincipal(context, 'iam:DeleteGroup', 'group', input.groupName);
      return deleteGroup(context.database, caller, input.groupName, principal?.id);
    },
  }),
  addUserToGroup: t.field({
    type: AddUserToGroupSuccess,
    description: 'AddUserToGroup: a user may be in at most 10 groups.',
    args: { input: t.arg({ type: AddUserToGroupInput, required: true }) },
    errors: resultErrors('AddUserToGroup', [ValidationError, NoSuchEntityError, LimitExceededError]),
    resolve: async (_root, { input }, context) => {
      const { caller, principal } = await requireOnPrincipal(context, 'iam:AddUserToGroup', 'group', input.groupName);
      return addUserToGroup(context.database, caller, input, principal?.id);
    },
  }),
  removeUserFromGroup: t.field({
    type: RemoveUserFromGroupSuccess,
    description: 'RemoveUserFromGroup: removing a non-member changes nothing.',
    args: { input: t.arg({ type: RemoveUserFromGroupInput, required: true }) },
    errors: resultErrors('RemoveUserFromGroup', [ValidationError, NoSuchEntityError]),
    resolve: async (_root, { input }, context) => {
      const { caller, principal } = await requireOnPrincipal(context, 'iam:RemoveUserFromGroup', 'group', input.groupName);
      return removeUserFromGroup(context.database, caller, input, principal?.id);
    },
  }),
}));
