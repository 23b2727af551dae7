/**
 * The forced password change: shown instead of every page when sign-in reported that the
 * password must be changed (ChangePassword under the account's password policy).
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { graphql } from '../api/generated/gql.ts';
import { passwordChanged } from '../api/session.ts';
import { useResultMutation } from '../api/use-result-mutation.ts';
import { TextField } from '../components/field.tsx';
import { ErrorNotice } from '../components/notice.tsx';
import { ResultErrorNotice } from '../components/result-error.tsx';

const CHANGE_PASSWORD = graphql(`
  mutation ChangePassword($input: ChangePasswordInput!) {
    changePassword(input: $input) {
      __typename
      ... on ChangePasswordSuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

/** The change-password form. */
export function ChangePasswordPage() {
  const [oldPassword, setOldPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const change = useResultMutation(CHANGE_PASSWORD, 'changePassword', ['oldPassword', 'newPassword']);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setMismatch(newPassword !== repeat);
    if (newPassword !== repeat) return;
    if ((await change.submit({ input: { oldPassword, newPassword } })) !== undefined) passwordChanged();
  };

  return (
    <>
      <h1>Change your password</h1>
      <p>Your password must be changed before you continue.</p>
      <form className="panel" onSubmit={submit} aria-label="Change password" noValidate style={{ maxWidth: 420 }}>
        <TextField label="Current password" type="password" value={oldPassword} onChange={setOldPassword} error={change.errors.fields.oldPassword} autoComplete="current-password" />
        <TextField label="New password" type="password" value={newPassword} onChange={setNewPassword} error={change.errors.fields.newPassword} autoComplete="new-password" />
        <TextField
          label="Repeat the new password"
          type="password"
          value={repeat}
          onChange={setRepeat}
          error={mismatch ? 'the two new passwords differ' : undefined}
          autoComplete="new-password"
        />
        <ResultErrorNotice error={change.errors.general} />
        <ErrorNotice error={change.failure} />
        <button className="primary" type="submit" disabled={change.busy}>
          Change password
        </button>
      </form>
    </>
  );
}
