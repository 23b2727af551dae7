/**
 * Account aliases on the wire: createAccountAlias, deleteAccountAlias and the `accountAliases`
 * read, for the caller's own account, authorized as iam:CreateAccountAlias, iam:DeleteAccountAlias
 * and iam:ListAccountAliases on `*` (the Service Authorization Reference lists no resource type).
 */
import { EntityAlreadyExistsError, NoSuchEntityError, ValidationError } from '../errors.ts';
import { createAccountAlias, deleteAccountAlias, listAccountAliases } from '../iam/account-aliases.ts';
import type { WriteResult } from '../changes/outbox.ts';
import { builder } from './builder.ts';
import { WriteSuccessInterface } from './errors.ts';
import { resultErrors } from './mutation-result.ts';

const AliasInput = (name: string, description: string) =>
  builder.inputType(name, { description, fields: (t) => ({ accountAlias: t.string({ required: true, description: '3-63 lowercase letters, digits and single hyphens.' }) }) });
const CreateInput = AliasInput('CreateAccountAliasInput', "What createAccountAlias needs: the alias, which replaces the account's current one (an account has one). One another account uses is EntityAlreadyExists.");
const DeleteInput = AliasInput('DeleteAccountAliasInput', "What deleteAccountAlias needs: the account's current alias (NoSuchEntity otherwise).");

/** `<Name>Success { accountAlias, revision }`. */
function aliasSuccess(name: string, description: string) {
  return builder.objectRef<WriteResult<string>>(`${name}Success`).implement({
    interfaces: [WriteSuccessInterface],
    description,
    fields: (t) => ({ accountAlias: t.string({ resolve: (s) => s.result }) }),
  });
}

builder.queryFields((t) => ({
  accountAliases: t.stringList({
    description: "ListAccountAliases: the caller's account's alias, as a list of zero or one.",
    resolve: async (_root, _args, context) => {
      const caller = await context.guard.require('iam:ListAccountAliases', '*');
      return listAccountAliases(context.database.db, caller.accountId);
    },
  }),
}));

builder.mutationFields((t) => ({
  createAccountAlias: t.field({
    type: aliasSuccess('CreateAccountAlias', 'The alias now in force; sign-in accepts it in place of the account id.'),
    description: "CreateAccountAlias: sets the caller's account's alias.",
    args: { input: t.arg({ type: CreateInput, required: true }) },
    errors: resultErrors('CreateAccountAlias', [ValidationError, EntityAlreadyExistsError, NoSuchEntityError]),
    resolve: async (_root, { input }, context) => {
      const caller = await context.guard.require('iam:CreateAccountAlias', '*');
      return createAccountAlias(context.database, caller, input.accountAlias);
    },
  }),
  deleteAccountAlias: t.field({
    type: aliasSuccess('DeleteAccountAlias', 'The alias that was removed.'),
    description: "DeleteAccountAlias: removes the caller's account's alias.",
    args: { input: t.arg({ type: DeleteInput, required: true }) },
    errors: resultErrors('DeleteAccountAlias', [ValidationError, NoSuchEntityError]),
    resolve: async (_root, { input }, context) => {
      const caller = await context.guard.require('iam:DeleteAccountAlias', '*');
      return deleteAccountAlias(context.database, caller, input.accountAlias);
    },
  }),
}));
