/**
 * Writes to the organization's tree: createAccount, closeAccount, moveAccount and the OU writes
 * createOrganizationalUnit, updateOrganizationalUnit, deleteOrganizationalUnit, each authorized as
 * `organizations:<Action>` on the ARNs it touches, by principals of the management account only.
 */
import type { WriteResult } from '../changes/outbox.ts';
import { ConstraintViolationError, DeleteConflictError, EntityAlreadyExistsError, LimitExceededError, NoSuchEntityError, ValidationError } from '../errors.ts';
import { closeAccount, createAccount, moveAccount, type CreatedAccount } from '../iam/organizations/accounts.ts';
import { createOrganizationalUnit, deleteOrganizationalUnit, updateOrganizationalUnit } from '../iam/organizations/units.ts';
import { targetArn, type AccountRow, type Organization, type OrganizationalUnit } from '../iam/organizations/tree.ts';
import { builder } from './builder.ts';
import { WriteSuccessInterface } from './errors.ts';
import { resultErrors } from './mutation-result.ts';
import { OrganizationAccountRef, OrganizationalUnitRef } from './organization-refs.ts';
import { organizationTargetResource, requireOrganizations } from './organizations-guard.ts';
import { TagInputRef } from './tag.ts';

type InOrg<T> = WriteResult<T> & { readonly organization: Organization };

const CreateAccountInput = builder.inputType('CreateAccountInput', {
  description:
    "What createAccount (AWS Organizations CreateAccount) needs. The account is created under the root with a new 12-digit id, its root user without credentials, and the role `roleName` trusting the management account with AdministratorAccess attached. Authorized by organizations:CreateAccount on `*`, with the tags as request tags.",
  fields: (t) => ({
    accountName: t.string({ required: true, description: '1-50 printable ASCII characters.' }),
    email: t.string({ required: true, description: '6-64 characters; unique across accounts (EntityAlreadyExists otherwise).' }),
    roleName: t.string({ defaultValue: 'OrganizationAccountAccessRole', description: 'The role the management account assumes to administer the account.' }),
    tags: t.field({ type: [TagInputRef] }),
  }),
});
const CloseAccountInput = builder.inputType('CloseAccountInput', {
  description: 'What closeAccount (CloseAccount) needs. The management account cannot be closed (ConstraintViolation).',
  fields: (t) => ({ accountId: t.string({ required: true }) }),
});
const MoveAccountInput = builder.inputType('MoveAccountInput', {
  description: "What moveAccount (MoveAccount) needs: the account, its current parent, and a root or OU of the same organization. Authorized on all three ARNs.",
  fields: (t) => ({
    accountId: t.string({ required: true }),
    sourceParentId: t.string({ required: true }),
    destinationParentId: t.string({ required: true }),
  }),
});
const CreateOuInput = builder.inputType('CreateOrganizationalUnitInput', {
  description: 'What createOrganizationalUnit needs: a parent (root or OU, authorized on its ARN) and a name. OUs nest at most five levels below the root (LimitExceeded).',
  fields: (t) => ({ parentId: t.string({ required: true }), name: t.string({ required: true, description: '1-128 characters; unique under the parent.' }) }),
});
const UpdateOuInput = builder.inputType('UpdateOrganizationalUnitInput', {
  description: 'What updateOrganizationalUnit needs: the OU and its new name.',
  fields: (t) => ({ organizationalUnitId: t.string({ required: true }), name: t.string({ required: true }) }),
});
const DeleteOuInput = builder.inputType('DeleteOrganizationalUnitInput', {
  description: 'What deleteOrganizationalUnit needs: an OU with no accounts and no child OUs left (DeleteConflict otherwise).',
  fields: (t) => ({ organizationalUnitId: t.string({ required: true }) }),
});

const CreateAccountSuccess = builder.objectRef<InOrg<CreatedAccount>>('CreateAccountSuccess').implement({
  interfaces: [WriteSuccessInterface],
  description: 'The new account (state ACTIVE, under the root) and the ARN of the role created in it for the management account.',
  fields: (t) => ({
    account: t.field({ type: OrganizationAccountRef, resolve: (s) => ({ organization: s.organization, row: s.result.account }) }),
    roleArn: t.string({ resolve: (s) => s.result.roleArn }),
  }),
});

/** `<Name>Success { account, revision }`. */
function accountSuccess(name: string, description: string) {
  return builder.objectRef<InOrg<AccountRow>>(`${name}Success`).implement({
    interfaces: [WriteSuccessInterface],
    description,
    fields: (t) => ({ account: t.field({ type: OrganizationAccountRef, resolve: (s) => ({ organization: s.organization, row: s.result }) }) }),
  });
}

/** `<Name>Success { organizationalUnit, revision }`. */
function unitSuccess(name: string, description: string) {
  return builder.objectRef<InOrg<OrganizationalUnit>>(`${name}Success`).implement({
    interfaces: [WriteSuccessInterface],
    description,
    fields: (t) => ({ organizationalUnit: t.field({ type: OrganizationalUnitRef, resolve: (s) => ({ organization: s.organization, row: s.result }) }) }),
  });
}

builder.mutationFields((t) => ({
  createAccount: t.field({
    type: CreateAccountSuccess,
    description: 'CreateAccount: a new member account under the root (AWS creates it asynchronously; here it is ready on return).',
    args: { input: t.arg({ type: CreateAccountInput, required: true }) },
    errors: resultErrors('CreateAccount', [ValidationError, EntityAlreadyExistsError, NoSuchEntityError]),
    resolve: async (_root, { input }, context) => {
      const { caller, organization } = await requireOrganizations(context, 'organizations:CreateAccount', () => ['*'], { facts: { requestTags: input.tags } });
      return { ...(await createAccount(context.database, caller, input)), organization };
    },
  }),
  closeAccount: t.field({
    type: accountSuccess('CloseAccount', 'The account, now PENDING_CLOSURE: its principals no longer authenticate; its data is kept.'),
    description: 'CloseAccount: a member account stops at once (its credentials are refused on every instance).',
    args: { input: t.arg({ type: CloseAccountInput, required: true }) },
    errors: resultErrors('CloseAccount', [ValidationError, NoSuchEntityError, ConstraintViolationError]),
    resolve: async (_root, { input }, context) => {
      const { caller, organization } = await requireOrganizations(context, 'organizations:CloseAccount', async (o) => [await organizationTargetResource(context, o, input.accountId)]);
      return { ...(await closeAccount(context.database, caller, input.accountId)), organization };
    },
  }),
  moveAccount: t.field({
    type: accountSuccess('MoveAccount', 'The account under its new parent.'),
    description: 'MoveAccount: from its current parent to another root or OU of the same organization.',
    args: { input: t.arg({ type: MoveAccountInput, required: true }) },
    errors: resultErrors('MoveAccount', [ValidationError, NoSuchEntityError, ConstraintViolationError]),
    resolve: async (_root, { input }, context) => {
      const { caller, organization } = await requireOrganizations(context, 'organizations:MoveAccount', async (o) => [
        await organizationTargetResource(context, o, input.accountId),
        targetArn(o, input.sourceParentId),
        targetArn(o, input.destinationParentId),
      ]);
      return { ...(await moveAccount(context.database, caller, input)), organization };
    },
  }),
  createOrganizationalUnit: t.field({
    type: unitSuccess('CreateOrganizationalUnit', 'The new OU, with FullAWSAccess and RCPFullAWSAccess attached.'),
    description: 'CreateOrganizationalUnit: a new OU under the root or an OU.',
    args: { input: t.arg({ type: CreateOuInput, required: true }) },
    errors: resultErrors('CreateOrganizationalUnit', [ValidationError, NoSuchEntityError, EntityAlreadyExistsError, LimitExceededError, ConstraintViolationError]),
    resolve: async (_root, { input }, context) => {
      const { caller, organization } = await requireOrganizations(context, 'organizations:CreateOrganizationalUnit', (o) => [targetArn(o, input.parentId)]);
      return { ...(await createOrganizationalUnit(context.database, caller, input)), organization };
    },
  }),
  updateOrganizationalUnit: t.field({
    type: unitSuccess('UpdateOrganizationalUnit', 'The OU after the rename.'),
    description: 'UpdateOrganizationalUnit: renames an OU.',
    args: { input: t.arg({ type: UpdateOuInput, required: true }) },
    errors: resultErrors('UpdateOrganizationalUnit', [ValidationError, NoSuchEntityError, EntityAlreadyExistsError, ConstraintViolationError]),
    resolve: async (_root, { input }, context) => {
      const { caller, organization } = await requireOrganizations(context, 'organizations:UpdateOrganizationalUnit', (o) => [targetArn(o, input.organizationalUnitId)]);
      return { ...(await updateOrganizationalUnit(context.database, caller, input)), organization };
    },
  }),
  deleteOrganizationalUnit: t.field({
    type: unitSuccess('DeleteOrganizationalUnit', 'The OU as it was before deletion.'),
    description: 'DeleteOrganizationalUnit: deletes an empty OU.',
    args: { input: t.arg({ type: DeleteOuInput, required: true }) },
    errors: resultErrors('DeleteOrganizationalUnit', [ValidationError, NoSuchEntityError, DeleteConflictError, ConstraintViolationError]),
    resolve: async (_root, { input }, context) => {
      const { caller, organization } = await requireOrganizations(context, 'organizations:DeleteOrganizationalUnit', (o) => [targetArn(o, input.organizationalUnitId)]);
      return { ...(await deleteOrganizationalUnit(context.database, caller, input.organizationalUnitId)), organization };
    },
  }),
}));
