/**
 * Long-term credentials on the wire: access keys (CreateAccessKey shows the secret once, in its
 * success payload only), login profiles and ChangePassword. Every resolver authorizes itself
 * (`iam:<Action>` on the owner's ARN, see credential-guard.ts) and calls src/iam.
 */
import { createAccessKey, deleteAccessKey, getAccessKeyLastUsed, updateAccessKey, type AccessKeyLastUsed, type AccessKeyMetadata, type CreatedAccessKey } from '../iam/access-keys.ts';
import { EntityAlreadyExistsError, LimitExceededError, NoSuchEntityError, ValidationError } from '../errors.ts';
import { changePassword, createLoginProfile, deleteLoginProfile, getLoginProfile, updateLoginProfile, type LoginProfile } from '../iam/login-profiles.ts';
import { findAccountPasswordPolicy } from '../iam/password-policy.ts';
import type { WriteResult } from '../changes/outbox.ts';
import { builder } from './builder.ts';
import { WriteSuccessInterface } from './errors.ts';
import type { Caller } from '../authz/caller.ts';
import { passwordSelfServiceOf } from '../authz/password-self-service.ts';
import { ownerToRead, requireOnOwner, selfOf, settled } from './credential-guard.ts';
import { factsOf } from './directory-guard.ts';
import { loadGuardedNodes } from './node-guard.ts';
import { loadUser } from './policy-principals.ts';
import { UserRef } from './principal-refs.ts';
import type { User } from '../iam/users.ts';
import { entitySuccess, resultErrors } from './mutation-result.ts';

/** The requesting session's key id (kept signed in when a password changes); undefined for access keys. */
function sessionOf(caller: Caller): string | undefined {
  return caller.credential.type === 'session' ? caller.credential.accessKeyId : undefined;
}

export const AccessKeyStatusEnum = builder.enumType('AccessKeyStatus', {
  description: 'Whether an access key authenticates.',
  // AWS spells the values `Active` and `Inactive`; the domain keeps AWS's spelling.
  values: {
    ACTIVE: { value: 'Active', description: 'The key authenticates.' },
    INACTIVE: { value: 'Inactive', description: 'The key is refused with 401 until made ACTIVE again.' },
  } as const,
});

/** An access key's metadata (never its secret). */
export const AccessKeyRef = builder.objectRef<AccessKeyMetadata>('AccessKey');

builder.node(AccessKeyRef, {
  description: 'An access key (AKIA…). The secret is shown only once, by createAccessKey.',
  // The key id never changes: the global id survives renames of the owner.
  id: { resolve: (k) => k.accessKeyId },
  loadMany: (ids, context) =>
    loadGuardedNodes(
      context,
      'iam:ListAccessKeys',
      ids,
      (caller) => context.loaders.credentials.accessKeyById.loadMany(ids.map((id) => ({ accountId: caller.accountId, id }))),
      async (found, caller) => {
        // As accessKeys(userName) shows it: ListAccessKeys on the owner. An unknown key is checked
        // against every user, so the unauthorized learn nothing from a null.
        if (found === null) return context.guard.require('iam:ListAccessKeys', `arn:aws:iam::${caller.accountId}:user/*`).then(() => null);
        await context.guard.require('iam:ListAccessKeys', found.owner.arn, factsOf(found.owner));
        return found.key;
      },
    ),
  fields: (t) => ({
    accessKeyId: t.exposeString('accessKeyId'),
    userName: t.exposeString('userName', { description: 'The owner\'s user name; `root` for the root user.' }),
    user: t.field({
      type: UserRef,
      nullable: true,
      description: 'The user who owns the key; null for the root user\'s keys (the root user is no `User`; `userName` is then `root`).',
      resolve: (k, _args, context) => loadUser(context, k.userId),
    }),
    status: t.field({ type: AccessKeyStatusEnum, resolve: (k) => k.status }),
    createDate: t.field({ type: 'DateTime', resolve: (k) => k.createDate }),
  }),
});

const AccessKeyLastUsedRef = builder.objectRef<AccessKeyLastUsed>('AccessKeyLastUsed').implement({
  description: 'When and for what an access key was last used (GetAccessKeyLastUsed).',
  fields: (t) => ({
    accessKeyId: t.exposeString('accessKeyId'),
    userName: t.exposeString('userName'),
    lastUsedDate: t.field({ type: 'DateTime', nullable: true, description: 'Null if never used.', resolve: (k) => k.lastUsedDate }),
    serviceName: t.exposeString('serviceName', { nullable: true }),
    actionName: t.exposeString('actionName', { nullable: true }),
  }),
});

const LoginProfileRef = builder.objectRef<LoginProfile>('LoginProfile');

builder.node(LoginProfileRef, {
  description: "A user's console password (never shown): when it was set and whether it must be changed.",
  // A user has at most one login profile: its global id is the user's unique id, which survives renames.
  id: { resolve: (p) => p.userId },
  loadMany: (ids, context) =>
    loadGuardedNodes(
      context,
      'iam:GetLoginProfile',
      ids,
      (caller) => context.loaders.credentials.ownerById.loadMany(ids.map((id) => ({ accountId: caller.accountId, id }))),
      async (owner) => {
        // As loginProfile(userName) shows it: GetLoginProfile on the owner, before telling whether it has a password.
        if (owner === null) return null;
        await context.guard.require('iam:GetLoginProfile', owner.arn, factsOf(owner));
        return loginProfileOf(owner);
      },
    ),
  fields: (t) => ({
    userName: t.exposeString('userName', { description: 'The owner\'s user name; `root` for the root user.' }),
    user: t.field({
      type: UserRef,
      nullable: true,
      description: 'The user whose password it is; null for the root user\'s (the root user is no `User`).',
      resolve: (p, _args, context) => loadUser(context, p.userId),
    }),
    createDate: t.field({ type: 'DateTime', description: 'When the current password was set.', resolve: (p) => p.createDate }),
    passwordResetRequired: t.exposeBoolean('passwordResetRequired'),
  }),
});

/** The login profile of `owner`, or null when it has no password. */
function loginProfileOf(owner: User): LoginProfile | null {
  return owner.passwordHash === null ? null : getLoginProfile(owner);
}

// The credentials of a user, each checked as the root read that shows it; a refusal nulls that field only.
builder.objectFields(UserRef, (t) => ({
  accessKeys: t.field({
    type: [AccessKeyRef],
    nullable: true,
    description: "The user's access keys, metadata only, oldest first (ListAccessKeys).",
    resolve: async (user, _args, context) => {
      await context.guard.require('iam:ListAccessKeys', user.arn, factsOf(user));
      return context.loaders.credentials.accessKeysOf.load(user);
    },
  }),
  loginProfile: t.field({
    type: LoginProfileRef,
    nullable: true,
    description: "The user's login profile (GetLoginProfile); null when the user has no password.",
    resolve: async (user, _args, context) => {
      await context.guard.require('iam:GetLoginProfile', user.arn, factsOf(user));
      return loginProfileOf(user);
    },
  }),
}));

const CreateAccessKeySuccess = builder.objectRef<WriteResult<CreatedAccessKey>>('CreateAccessKeySuccess').implement({
  interfaces: [WriteSuccessInterface],
  description: 'The new key. `secretAccessKey` is shown here once and never again: store it now.',
  fields: (t) => ({
    accessKey: t.field({ type: AccessKeyRef, resolve: (s) => s.result.accessKey }),
    secretAccessKey: t.string({ description: '40 characters; use as `Authorization: Basic base64(accessKeyId:secretAccessKey)`.', resolve: (s) => s.result.secretAccessKey }),
  }),
});
const UpdateAccessKeySuccess = entitySuccess('UpdateAccessKey', 'accessKey', AccessKeyRef, 'The key with its new status.');
const DeleteAccessKeySuccess = entitySuccess('DeleteAccessKey', 'accessKey', AccessKeyRef, 'The key as it was before deletion.');
const CreateLoginProfileSuccess = entitySuccess('CreateLoginProfile', 'loginProfile', LoginProfileRef, 'The new login profile.');
const UpdateLoginProfileSuccess = entitySuccess('UpdateLoginProfile', 'loginProfile', LoginProfileRef, 'The login profile after the change.');
const DeleteLoginProfileSuccess = entitySuccess('DeleteLoginProfile', 'loginProfile', LoginProfileRef, 'The login profile as it was.');
const ChangePasswordSuccess = entitySuccess('ChangePassword', 'loginProfile', LoginProfileRef, "The caller's login profile after the change.");

const UserNameInput = (name: string, description: string) =>
  builder.inputType(name, {
    description,
    fields: (t) => ({ userName: t.string({ description: 'Omit to act on the calling user itself.' }) }),
  });
const CreateAccessKeyInput = UserNameInput(
  'CreateAccessKeyInput',
  "What createAccessKey (IAM CreateAccessKey) needs: the user to give a key, or nothing for the caller's own. Authorized by iam:CreateAccessKey on that user's ARN; a role session must name a user.",
);
const UpdateAccessKeyInput = builder.inputType('UpdateAccessKeyInput', {
  description:
    "What updateAccessKey (IAM UpdateAccessKey) needs: the key (AKIA…) of the named user, or of the caller, and its new status. Authorized by iam:UpdateAccessKey on the owner's ARN; setting the status it already has records no change.",
  fields: (t) => ({
    userName: t.string({ description: 'Omit for the calling user.' }),
    accessKeyId: t.string({ required: true }),
    status: t.field({ type: AccessKeyStatusEnum, required: true }),
  }),
});
const DeleteAccessKeyInput = builder.inputType('DeleteAccessKeyInput', {
  description:
    "What deleteAccessKey (IAM DeleteAccessKey) needs: the key (AKIA…) of the named user, or of the caller. Authorized by iam:DeleteAccessKey on the owner's ARN; the key stops authenticating for good.",
  fields: (t) => ({ userName: t.string({ description: 'Omit for the calling user.' }), accessKeyId: t.string({ required: true }) }),
});
const CreateLoginProfileInput = builder.inputType('CreateLoginProfileInput', {
  description:
    "What createLoginProfile (IAM CreateLoginProfile) needs: the user and its first console password. Authorized by iam:CreateLoginProfile on the user's ARN; EntityAlreadyExists when the user already has a password.",
  fields: (t) => ({
    userName: t.string({ required: true }),
    password: t.string({ required: true, description: 'Must satisfy the account password policy.' }),
    passwordResetRequired: t.boolean({ defaultValue: false, description: 'The user must choose a new password at the next sign-in.' }),
  }),
});
const UpdateLoginProfileInput = builder.inputType('UpdateLoginProfileInput', {
  description:
    "What updateLoginProfile (IAM UpdateLoginProfile) needs: the user, and a new password and/or the reset flag (omitted fields stay as they are). Authorized by iam:UpdateLoginProfile on the user's ARN. A new password must satisfy the password policy and signs the user out of its sign-in sessions, except the one making this request.",
  fields: (t) => ({ userName: t.string({ required: true }), password: t.string(), passwordResetRequired: t.boolean() }),
});
const DeleteLoginProfileInput = builder.inputType('DeleteLoginProfileInput', {
  description:
    "What deleteLoginProfile (IAM DeleteLoginProfile) needs: the user whose console password to remove. Authorized by iam:DeleteLoginProfile on the user's ARN; the user's sign-in sessions end with it.",
  fields: (t) => ({ userName: t.string({ required: true }) }) });
const ChangePasswordInput = builder.inputType('ChangePasswordInput', {
  description:
    "What changePassword (IAM ChangePassword) needs: the caller's current password, as proof, and the new one, which must satisfy the password policy. A wrong oldPassword is a ValidationError on input.oldPassword. Success clears the reset flag and signs the user out of its other sign-in sessions.",
  fields: (t) => ({ oldPassword: t.string({ required: true }), newPassword: t.string({ required: true }) }),
});

builder.queryFields((t) => ({
  accessKeys: t.field({
    type: [AccessKeyRef],
    description: "A user's access keys, metadata only (ListAccessKeys); omit userName for your own.",
    args: { userName: t.arg.string() },
    resolve: async (_root, { userName }, context) => {
      const authorized = await requireOnOwner(context, 'iam:ListAccessKeys', userName);
      return context.loaders.credentials.accessKeysOf.load(await ownerToRead(context, authorized, userName));
    },
  }),
  accessKeyLastUsed: t.field({
    type: AccessKeyLastUsedRef,
    description: 'When an access key of your account was last used (GetAccessKeyLastUsed).',
    args: { accessKeyId: t.arg.string({ required: true }) },
    resolve: async (_root, { accessKeyId }, context) => {
      // Anonymous callers are refused (UNAUTHENTICATED) before anything is looked up.
      const { accountId } = context.guard.caller ?? (await context.guard.require('iam:GetAccessKeyLastUsed', '*'));
      try {
        const found = await getAccessKeyLastUsed(context.database.db, accountId, accessKeyId);
        await context.guard.require('iam:GetAccessKeyLastUsed', found.owner.arn, factsOf(found.owner));
        return found;
      } catch (error) {
        // Unknown keys are authorized against every user, so the unauthorized learn nothing.
        if (error instanceof NoSuchEntityError) await context.guard.require('iam:GetAccessKeyLastUsed', `arn:aws:iam::${accountId}:user/*`);
        throw error;
      }
    },
  }),
  loginProfile: t.field({
    type: LoginProfileRef,
    nullable: true,
    description: "A user's login profile (GetLoginProfile); null when the user has no password. Omit userName for your own.",
    args: { userName: t.arg.string() },
    resolve: async (_root, { userName }, context) => {
      const owner = await ownerToRead(context, await requireOnOwner(context, 'iam:GetLoginProfile', userName), userName);
      return loginProfileOf(owner);
    },
  }),
}));

builder.mutationFields((t) => ({
  createAccessKey: t.field({
    type: CreateAccessKeySuccess,
    description: 'CreateAccessKey: a new ACTIVE key (at most two per user). The secret appears in this payload only.',
    args: { input: t.arg({ type: CreateAccessKeyInput, required: true }) },
    errors: resultErrors('CreateAccessKey', [ValidationError, NoSuchEntityError, LimitExceededError]),
    resolve: async (_root, { input }, context) => {
      const { caller, owner } = await requireOnOwner(context, 'iam:CreateAccessKey', input.userName);
      return createAccessKey(context.database, caller, selfOf(caller), input, owner?.id);
    },
  }),
  updateAccessKey: t.field({
    type: UpdateAccessKeySuccess,
    description: 'UpdateAccessKey: make a key ACTIVE or INACTIVE.',
    args: { input: t.arg({ type: UpdateAccessKeyInput, required: true }) },
    errors: resultErrors('UpdateAccessKey', [ValidationError, NoSuchEntityError]),
    resolve: async (_root, { input }, context) => {
      const { caller, owner } = await requireOnOwner(context, 'iam:UpdateAccessKey', input.userName);
      return settled(context, await updateAccessKey(context.database, caller, selfOf(caller), input, owner?.id));
    },
  }),
  deleteAccessKey: t.field({
    type: DeleteAccessKeySuccess,
    description: 'DeleteAccessKey.',
    args: { input: t.arg({ type: DeleteAccessKeyInput, required: true }) },
    errors: resultErrors('DeleteAccessKey', [ValidationError, NoSuchEntityError]),
    resolve: async (_root, { input }, context) => {
      const { caller, owner } = await requireOnOwner(context, 'iam:DeleteAccessKey', input.userName);
      return settled(context, await deleteAccessKey(context.database, caller, selfOf(caller), input, owner?.id));
    },
  }),
  createLoginProfile: t.field({
    type: CreateLoginProfileSuccess,
    description: 'CreateLoginProfile: give a user a console password (checked against the password policy).',
    args: { input: t.arg({ type: CreateLoginProfileInput, required: true }) },
    errors: resultErrors('CreateLoginProfile', [ValidationError, NoSuchEntityError, EntityAlreadyExistsError]),
    resolve: async (_root, { input }, context) => {
      const { caller, owner } = await requireOnOwner(context, 'iam:CreateLoginProfile', input.userName);
      return createLoginProfile(context.database, caller, input, owner?.id);
    },
  }),
  updateLoginProfile: t.field({
    type: UpdateLoginProfileSuccess,
    description: "UpdateLoginProfile: set a user's password and/or its reset flag.",
    args: { input: t.arg({ type: UpdateLoginProfileInput, required: true }) },
    errors: resultErrors('UpdateLoginProfile', [ValidationError, NoSuchEntityError]),
    resolve: async (_root, { input }, context) => {
      const { caller, owner } = await requireOnOwner(context, 'iam:UpdateLoginProfile', input.userName);
      return settled(context, await updateLoginProfile(context.database, caller, input, sessionOf(caller), owner?.id));
    },
  }),
  deleteLoginProfile: t.field({
    type: DeleteLoginProfileSuccess,
    description: "DeleteLoginProfile: remove a user's password.",
    args: { input: t.arg({ type: DeleteLoginProfileInput, required: true }) },
    errors: resultErrors('DeleteLoginProfile', [ValidationError, NoSuchEntityError]),
    resolve: async (_root, { input }, context) => {
      const { caller, owner } = await requireOnOwner(context, 'iam:DeleteLoginProfile', input.userName);
      return settled(context, await deleteLoginProfile(context.database, caller, input.userName, owner?.id));
    },
  }),
  changePassword: t.field({
    type: ChangePasswordSuccess,
    description:
      'ChangePassword: the calling user replaces its own password. Allowed when the password policy lets users change passwords, or by iam:ChangePassword on your own ARN.',
    args: { input: t.arg({ type: ChangePasswordInput, required: true }) },
    errors: resultErrors('ChangePassword', [ValidationError, NoSuchEntityError]),
    resolve: async (_root, { input }, context) => {
      const current = context.guard.caller;
      const policy = current === undefined ? undefined : await findAccountPasswordPolicy(context.database.db, current.accountId);
      // Authorized on the caller's own ARN, with its own tags as aws:ResourceTag/*, and with what
      // AllowUsersToChangePassword (or a sign-in that must set a new password) grants every user.
      const { caller } = await requireOnOwner(context, 'iam:ChangePassword', undefined, passwordSelfServiceOf(current, policy));
      const self = selfOf(caller);
      if (self === undefined) throw new ValidationError('input', 'caller', 'changePassword needs an IAM user (or root) caller, not a role session');
      return settled(context, await changePassword(context.database, caller, self, input, sessionOf(caller)));
    },
  }),
}));
