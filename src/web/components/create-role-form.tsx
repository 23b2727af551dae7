/**
 * Creating a role: name, description, path, maximum session and the trust policy (who may
 * assume it) in the policy editor, checked as a trust policy and refused while it has errors.
 * Users and roles to trust are picked from a typeahead and added to the policy.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { graphql } from '../api/generated/gql.ts';
import type { CreateRoleInput } from '../api/generated/graphql.ts';
import { useResultMutation } from '../api/use-result-mutation.ts';
import { usePolicyFindings } from '../api/validate.ts';
import { navigate } from '../router.ts';
import { EntityPicker } from './entity-picker.tsx';
import { TextField } from './field.tsx';
import { ErrorNotice } from './notice.tsx';
import { PolicyEditor } from './policy-editor.tsx';
import { ResultErrorNotice } from './result-error.tsx';
import { addTrustedPrincipal } from './trust-principals.ts';

const CREATE_ROLE = graphql(`
  mutation CreateRole($input: CreateRoleInput!) {
    createRole(input: $input) {
      __typename
      ... on CreateRoleSuccess {
        revision
        role {
          roleName
        }
      }
      ...ResultErrorFields
    }
  }
`);

/** A trust policy letting the account's own principals (with permission) assume the role. */
function starterTrustPolicy(accountId: string): string {
  return `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": { "AWS": "arn:aws:iam::${accountId}:root" },
      "Action": "sts:AssumeRole"
    }
  ]
}`;
}

/** The create-role form; `rolePathOf` says where the new role's page is. */
export function CreateRoleForm(props: { accountId: string; rolePathOf: (roleName: string) => string }) {
  const [open, setOpen] = useState(false);
  const [roleName, setRoleName] = useState('');
  const [description, setDescription] = useState('');
  const [path, setPath] = useState('');
  const [hours, setHours] = useState('1');
  const [document, setDocument] = useState(() => starterTrustPolicy(props.accountId));
  const [refused, setRefused] = useState(false);
  const [trustee, setTrustee] = useState('');
  const [trustError, setTrustError] = useState<string | undefined>(undefined);
  const { findings, checking, error: checkError } = usePolicyFindings(document, 'TRUST_POLICY');
  const create = useResultMutation(
    CREATE_ROLE,
    'createRole',
    ['roleName', 'description', 'path', 'maxSessionDuration', 'assumeRolePolicyDocument'],
    { ROLE: 'roleName' },
  );
  const errorCount = findings.filter((f) => f.findingType === 'ERROR').length;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (errorCount > 0 || checking) {
      setRefused(true);
      return;
    }
    setRefused(false);
    const input: CreateRoleInput = { roleName: roleName.trim(), assumeRolePolicyDocument: document };
    if (description.trim() !== '') input.description = description.trim();
    if (path.trim() !== '') input.path = path.trim();
    const seconds = Math.round(Number(hours) * 3600);
    if (Number.isFinite(seconds) && hours.trim() !== '') input.maxSessionDuration = seconds;
    const success = await create.submit({ input });
    if (success !== undefined) navigate(props.rolePathOf(success.role.roleName));
  };

  const trust = (): void => {
    const edit = addTrustedPrincipal(document, trustee);
    if ('error' in edit) {
      setTrustError(edit.error);
      return;
    }
    setTrustError(undefined);
    setDocument(edit.document);
    setTrustee('');
  };

  if (!open) {
    return (
      <p>
        <button type="button" className="primary" onClick={() => setOpen(true)}>
          Create role
        </button>
      </p>
    );
  }
  return (
    <form className="panel" onSubmit={submit} aria-label="Create role" noValidate>
      <h2 style={{ marginTop: 0 }}>Create role</h2>
      <TextField label="Role name" value={roleName} onChange={setRoleName} error={create.errors.fields.roleName} autoFocus spellCheck={false} />
      <TextField label="Description" hint="(optional)" value={description} onChange={setDescription} error={create.errors.fields.description} />
      <div className="row">
        <div style={{ flex: '1 1 200px' }}>
          <TextField label="Path" hint="(optional)" value={path} onChange={setPath} error={create.errors.fields.path} spellCheck={false} />
        </div>
        <div style={{ flex: '1 1 200px' }}>
          <TextField
            label="Maximum session (hours)"
            hint="(1 to 12)"
            type="number"
            min={1}
            max={12}
            step={0.5}
            value={hours}
            onChange={setHours}
            error={create.errors.fields.maxSessionDuration}
          />
        </div>
      </div>
      <div className="row" style={{ alignItems: 'flex-end' }}>
        <div style={{ flex: '1 1 280px' }}>
          <EntityPicker
            kind="principal"
            label="Trusted user or role"
            hint="(added to the trust policy below)"
            value={trustee}
            onChange={setTrustee}
            error={trustError}
            placeholder="arn:aws:iam::111122223333:user/alice"
          />
        </div>
        <button type="button" onClick={trust} style={{ marginBottom: 12 }}>
          Add to trust policy
        </button>
      </div>
      <PolicyEditor label="Trust policy" value={document} onChange={setDocument} findings={findings} checking={checking} />
      <ErrorNotice error={checkError} title="Could not check the trust policy" />
      {create.errors.fields.assumeRolePolicyDocument === undefined ? null : (
        <div className="notice error" role="alert">
          {create.errors.fields.assumeRolePolicyDocument}
        </div>
      )}
      {refused && errorCount > 0 ? (
        <div className="notice error" role="alert">
          Not saved: the trust policy has {errorCount} error{errorCount === 1 ? '' : 's'}.
        </div>
      ) : null}
      <ResultErrorNotice error={create.errors.general} />
      <ErrorNotice error={create.failure} />
      <div className="row">
        <button className="primary" type="submit" disabled={create.busy}>
          Create
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
