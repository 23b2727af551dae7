/**
 * What can be done at the root or an OU: create an OU under it; for an OU, rename it and delete it
 * once empty (the server refuses a non-empty OU with DeleteConflict, shown as it answers); at the
 * root, create an account (CreateAccount puts new accounts under the root).
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { graphql } from '../../api/generated/gql.ts';
import type { ParentNode } from '../../api/organization-tree.ts';
import { useResultMutation } from '../../api/use-result-mutation.ts';
import { TextField } from '../field.tsx';
import { ErrorNotice, Success } from '../notice.tsx';
import { ResultErrorNotice } from '../result-error.tsx';
import { TagsField, useTagsField } from '../tags-field.tsx';

const CREATE_UNIT = graphql(`
  mutation CreateOrganizationalUnit($input: CreateOrganizationalUnitInput!) {
    createOrganizationalUnit(input: $input) {
      __typename
      ... on CreateOrganizationalUnitSuccess {
        organizationalUnit {
          id
          name
        }
      }
      ...ResultErrorFields
    }
  }
`);

const RENAME_UNIT = graphql(`
  mutation UpdateOrganizationalUnit($input: UpdateOrganizationalUnitInput!) {
    updateOrganizationalUnit(input: $input) {
      __typename
      ...ResultErrorFields
    }
  }
`);

const DELETE_UNIT = graphql(`
  mutation DeleteOrganizationalUnit($input: DeleteOrganizationalUnitInput!) {
    deleteOrganizationalUnit(input: $input) {
      __typename
      ...ResultErrorFields
    }
  }
`);

const CREATE_ACCOUNT = graphql(`
  mutation CreateOrganizationAccount($input: CreateAccountInput!) {
    createAccount(input: $input) {
      __typename
      ... on CreateAccountSuccess {
        account {
          id
          name
        }
      }
      ...ResultErrorFields
    }
  }
`);

/** Props of the root's or an OU's forms; `onChanged` reloads the tree (with the id to select). */
export interface UnitFormsProps {
  readonly node: ParentNode;
  readonly onChanged: (selectId?: string) => void;
}

/** Create an OU under the node. */
export function CreateUnitForm(props: UnitFormsProps) {
  const [name, setName] = useState('');
  const create = useResultMutation(CREATE_UNIT, 'createOrganizationalUnit', ['name', 'parentId'], { ORGANIZATIONAL_UNIT: 'name' });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const success = await create.submit({ input: { parentId: props.node.id, name: name.trim() } });
    if (success === undefined) return;
    setName('');
    props.onChanged(success.organizationalUnit.id);
  };
  return (
    <form onSubmit={submit} aria-label={`Create OU under ${props.node.name}`} noValidate>
      <h3>Create an OU under {props.node.name}</h3>
      <TextField label="OU name" value={name} onChange={setName} error={create.errors.fields.name ?? create.errors.fields.parentId} spellCheck={false} />
      <ResultErrorNotice error={create.errors.general} />
      <ErrorNotice error={create.failure} />
      <button type="submit" className="primary" disabled={create.busy}>
        Create OU
      </button>
    </form>
  );
}

/** Rename the OU. */
export function RenameUnitForm(props: UnitFormsProps) {
  const [name, setName] = useState(props.node.name);
  const [renamed, setRenamed] = useState(false);
  const rename = useResultMutation(RENAME_UNIT, 'updateOrganizationalUnit', ['name'], { ORGANIZATIONAL_UNIT: 'name' });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setRenamed(false);
    if ((await rename.submit({ input: { organizationalUnitId: props.node.id, name: name.trim() } })) === undefined) return;
    setRenamed(true);
    props.onChanged(props.node.id);
  };
  return (
    <form onSubmit={submit} aria-label={`Rename OU ${props.node.name}`} noValidate>
      <h3>Rename</h3>
      <TextField label="New name" value={name} onChange={setName} error={rename.errors.fields.name} spellCheck={false} />
      <ResultErrorNotice error={rename.errors.general} />
      <ErrorNotice error={rename.failure} />
      {renamed ? <Success>Renamed.</Success> : null}
      <button type="submit" disabled={rename.busy}>
        Rename OU
      </button>
    </form>
  );
}

/** Delete the OU; explains that it must be empty first. */
export function DeleteUnitButton(props: UnitFormsProps) {
  const remove = useResultMutation(DELETE_UNIT, 'deleteOrganizationalUnit', []);
  const empty = props.node.units.length === 0 && props.node.accounts.length === 0;
  const run = async () => {
    if ((await remove.submit({ input: { organizationalUnitId: props.node.id } })) !== undefined) props.onChanged(props.node.parentId);
  };
  return (
    <div>
      <h3>Delete</h3>
      {empty ? null : <p className="muted">Only an empty OU can be deleted: move its accounts and delete its OUs first.</p>}
      <button type="button" className="danger" disabled={remove.busy} onClick={() => void run()}>
        Delete OU {props.node.name}
      </button>
      <ResultErrorNotice error={remove.errors.general} />
      <ErrorNotice error={remove.failure} />
    </div>
  );
}

/** Create a member account (under the root, as CreateAccount does), with its tags if any. */
export function CreateAccountForm(props: { onChanged: (selectId?: string) => void }) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const tags = useTagsField();
  const create = useResultMutation(CREATE_ACCOUNT, 'createAccount', ['accountName', 'email', 'tags'], { ACCOUNT: 'email' });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsedTags = tags.parse();
    if (parsedTags === undefined) return;
    const success = await create.submit({ input: { accountName: name.trim(), email: email.trim(), ...(parsedTags.length > 0 ? { tags: parsedTags } : {}) } });
    if (success === undefined) return;
    setName('');
    setEmail('');
    tags.clear();
    props.onChanged(success.account.id);
  };
  return (
    <form onSubmit={submit} aria-label="Create account" noValidate>
      <h3>Create an account</h3>
      <p className="muted">The new account starts under the root, with a role the management account can assume.</p>
      <TextField label="Account name" value={name} onChange={setName} error={create.errors.fields.accountName} />
      <TextField label="Email" type="email" value={email} onChange={setEmail} error={create.errors.fields.email} spellCheck={false} />
      <TagsField field={tags} serverError={create.errors.fields.tags} />
      <ResultErrorNotice error={create.errors.general} />
      <ErrorNotice error={create.failure} />
      <button type="submit" className="primary" disabled={create.busy}>
        Create account
      </button>
    </form>
  );
}
