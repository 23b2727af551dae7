/**
 * The account password policy on the wire: `accountPasswordPolicy` (GetAccountPasswordPolicy,
 * null when the AWS default applies), updateAccountPasswordPolicy, deleteAccountPasswordPolicy.
 * Authorized on `*`, as AWS authorizes these account-wide actions.
 */
import { NoSuchEntityError, ValidationError } from '../errors.ts';
import {
  deleteAccountPasswordPolicy,
  findAccountPasswordPolicy,
  updateAccountPasswordPolicy,
  type PasswordPolicy,
} from '../iam/password-policy.ts';
import { passwordSelfServiceOf } from '../authz/password-self-service.ts';
import { builder } from './builder.ts';
import { entitySuccess, resultErrors } from './mutation-result.ts';

const PasswordPolicyRef = builder.objectRef<PasswordPolicy>('PasswordPolicy').implement({
  description: 'Rules every new password must follow. Without a stored policy: 8+ characters and three of four character classes.',
  fields: (t) => ({
    minimumPasswordLength: t.exposeInt('minimumPasswordLength'),
    requireSymbols: t.exposeBoolean('requireSymbols'),
    requireNumbers: t.exposeBoolean('requireNumbers'),
    requireUppercaseCharacters: t.exposeBoolean('requireUppercaseCharacters'),
    requireLowercaseCharacters: t.exposeBoolean('requireLowercaseCharacters'),
    allowUsersToChangePassword: t.exposeBoolean('allowUsersToChangePassword'),
    expirePasswords: t.boolean({ resolve: (p) => p.maxPasswordAge !== null }),
    maxPasswordAge: t.exposeInt('maxPasswordAge', { nullable: true, description: 'Days; null: passwords never expire.' }),
    passwordReusePrevention: t.exposeInt('passwordReusePrevention', { nullable: true, description: 'How many previous passwords may not be reused.' }),
    hardExpiry: t.exposeBoolean('hardExpiry', { description: 'Expired passwords block sign-in until an administrator resets them.' }),
  }),
});

const UpdateAccountPasswordPolicyInput = builder.inputType('UpdateAccountPasswordPolicyInput', {
  description: 'The whole policy: omitted fields take their defaults (AWS defaults), not the stored values.',
  fields: (t) => ({
    minimumPasswordLength: t.int({ defaultValue: 6, description: '6-128.' }),
    requireSymbols: t.boolean({ defaultValue: false }),
    requireNumbers: t.boolean({ defaultValue: false }),
    requireUppercaseCharacters: t.boolean({ defaultValue: false }),
    requireLowercaseCharacters: t.boolean({ defaultValue: false }),
    allowUsersToChangePassword: t.boolean({ defaultValue: false }),
    maxPasswordAge: t.int({ description: 'Days, 1-1095; omitted: passwords never expire.' }),
    passwordReusePrevention: t.int({ description: '1-24; omitted: any earlier password may be reused.' }),
    hardExpiry: t.boolean({ defaultValue: false }),
  }),
});

const UpdateSuccess = entitySuccess('UpdateAccountPasswordPolicy', 'passwordPolicy', PasswordPolicyRef, 'The stored policy.');
const DeleteSuccess = entitySuccess('DeleteAccountPasswordPolicy', 'passwordPolicy', PasswordPolicyRef, 'The policy as it was.');

builder.queryFields((t) => ({
  accountPasswordPolicy: t.field({
    type: PasswordPolicyRef,
    nullable: true,
    description: "The caller's account password policy (GetAccountPasswordPolicy); null when none is set.",
    resolve: async (_root, _args, context) => {
      const current = context.guard.caller;
      const policy = current === undefined ? undefined : await findAccountPasswordPolicy(context.database.db, current.accountId);
      // AllowUsersToChangePassword grants every user iam:GetAccountPasswordPolicy, as in AWS.
      await context.guard.requireGranted('iam:GetAccountPasswordPolicy', '*', passwordSelfServiceOf(current, policy));
      return policy ?? null;
    },
  }),
}));

builder.mutationFields((t) => ({
  updateAccountPasswordPolicy: t.field({
    type: UpdateSuccess,
    description: 'UpdateAccountPasswordPolicy: replaces the policy; it applies to passwords set from now on.',
    args: { input: t.arg({ type: UpdateAccountPasswordPolicyInput, required: true }) },
    errors: resultErrors('UpdateAccountPasswordPolicy', [ValidationError]),
    resolve: async (_root, { input }, context) => {
      const caller = await context.guard.require('iam:UpdateAccountPasswordPolicy', '*');
      return updateAccountPasswordPolicy(context.database, caller, input);
    },
  }),
  deleteAccountPasswordPolicy: t.field({
    type: DeleteSuccess,
    description: 'DeleteAccountPasswordPolicy: back to the default rules.',
    errors: resultErrors('DeleteAccountPasswordPolicy', [NoSuchEntityError]),
    resolve: async (_root, _args, context) => {
      const caller = await context.guard.require('iam:DeleteAccountPasswordPolicy', '*');
      return deleteAccountPasswordPolicy(context.database, caller);
    },
  }),
}));
