/**
 * A user's console password. For another user (an administrator's view): set one
 * (CreateLoginProfile), reset it with or without "must change at next sign-in"
 * (UpdateLoginProfile), or remove it (DeleteLoginProfile). For the caller itself: change it
 * with the current one as proof (ChangePassword), as AWS's "My security credentials" does.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { graphql } from '../../api/generated/gql.ts';
import { errorAt } from '../../api/graphql.ts';
import { useQuery } from '../../api/use-query.ts';
import { useResultMutation } from '../../api/use-result-mutation.ts';
import { TextField } from '../field.tsx';
import { ErrorNotice, Loading, Success } from '../notice.tsx';
import { ResultErrorNotice } from '../result-error.tsx';

const LOGIN_PROFILE = graphql(`
  query ConsolePassword($userName: String) {
    loginProfile(userName: $userName) {
      createDate
      passwordResetRequired
    }
  }
`);

const CREATE_LOGIN_PROFILE = graphql(`
  mutation CreateLoginProfile($input: CreateLoginProfileInput!) {
    createLoginProfile(input: $input) {
      __typename
      ... on CreateLoginProfileSuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

const UPDATE_LOGIN_PROFILE = graphql(`
  mutation UpdateLoginProfile($input: UpdateLoginProfileInput!) {
    updateLoginProfile(input: $input) {
      __typename
      ... on UpdateLoginProfileSuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

const DELETE_LOGIN_PROFILE = graphql(`
  mutation DeleteLoginProfile($input: DeleteLoginProfileInput!) {
    deleteLoginProfile(input: $input) {
      __typename
      ... on DeleteLoginProfileSuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

const CHANGE_OWN_PASSWORD = graphql(`
  mutation ChangeOwnPassword($input: ChangePasswordInput!) {
    changePassword(input: $input) {
      __typename
      ... on ChangePasswordSuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

/** The console password of `userName`, or of the caller when it is undefined. */
export function ConsolePassword(props: { userName?: string | undefined }) {
  const [version, setVersion] = useState(0);
  const [done, setDone] = useState<string | undefined>(undefined);
  const result = useQuery(LOGIN_PROFILE, { userName: props.userName ?? null }, { refreshKey: version });
  const profile = result.data?.loginProfile;
  const refused = errorAt(result.errors, 'loginProfile');
  const changed = (message: string): void => {
    setDone(message);
    setVersion((v) => v + 1);
  };

  return (
    <div>
      <h3 style={{ fontSize: 15 }}>Console password</h3>
      {result.loading && result.data === undefined ? <Loading what="password" /> : null}
      <ErrorNotice error={result.error ?? refused} />
      {result.data === undefined || refused !== undefined ? null : (
        <p>
          {profile == null
            ? 'Not set: this user cannot sign in to the console.'
            : `Set ${new Date(profile.createDate).toLocaleString()}${profile.passwordResetRequired ? '; must be changed at next sign-in' : ''}.`}
        </p>
      )}
      {props.userName === undefined ? (
        <ChangeOwnPassword onDone={changed} />
      ) : result.data === undefined || refused !== undefined ? null : (
        <AdminPassword userName={props.userName} hasPassword={profile != null} onDone={changed} />
      )}
      {done === undefined ? null : <Success>{done}</Success>}
    </div>
  );
}

/** Set or reset another user's password, or remove it. */
function AdminPassword(props: { userName: string; hasPassword: boolean; onDone: (message: string) => void }) {
  const [password, setPassword] = useState('');
  const [mustChange, setMustChange] = useState(true);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const create = useResultMutation(CREATE_LOGIN_PROFILE, 'createLoginProfile', ['password']);
  const update = useResultMutation(UPDATE_LOGIN_PROFILE, 'updateLoginProfile', ['password']);
  const remove = useResultMutation(DELETE_LOGIN_PROFILE, 'deleteLoginProfile', []);
  const write = props.hasPassword ? update : create;
  const verb = props.hasPassword ? 'Reset password' : 'Set password';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input = { userName: props.userName, password, passwordResetRequired: mustChange };
    const success = props.hasPassword ? await update.submit({ input }) : await create.submit({ input });
    if (success !== undefined) {
      setPassword('');
      props.onDone(`${props.hasPassword ? 'Reset' : 'Set'} the console password of ${props.userName}${mustChange ? '; it must be changed at next sign-in' : ''} (revision ${success.revision}).`);
    }
  };

  return (
    <>
      <form onSubmit={submit} aria-label={`${verb} for ${props.userName}`} noValidate className="row" style={{ alignItems: 'flex-end' }}>
        <div style={{ flex: '1 1 220px' }}>
          <TextField label={props.hasPassword ? 'New password' : 'Password'} type="password" value={password} onChange={setPassword} error={write.errors.fields.password} autoComplete="new-password" />
        </div>
        <div className="field">
          <label>
            <input type="checkbox" style={{ width: 'auto' }} checked={mustChange} onChange={(e) => setMustChange(e.target.checked)} /> Must change at next sign-in
          </label>
        </div>
        <div className="field">
          <button type="submit" disabled={write.busy || password === ''}>
            {verb}
          </button>
        </div>
      </form>
      <ResultErrorNotice error={write.errors.general} />
      <ErrorNotice error={write.failure} />
      {!props.hasPassword ? null : confirmRemove ? (
        <p className="row">
          <span>Remove the password? {props.userName} will no longer be able to sign in to the console.</span>
          <button
            type="button"
            className="danger"
            disabled={remove.busy}
            onClick={async () => {
              const success = await remove.submit({ input: { userName: props.userName } });
              setConfirmRemove(false);
              if (success !== undefined) props.onDone(`Removed the console password of ${props.userName} (revision ${success.revision}).`);
            }}
          >
            Remove password
          </button>
          <button type="button" onClick={() => setConfirmRemove(false)}>
            Cancel
          </button>
        </p>
      ) : (
        <p>
          <button type="button" className="danger" onClick={() => setConfirmRemove(true)}>
            Remove password…
          </button>
        </p>
      )}
      <ResultErrorNotice error={remove.errors.general} />
      <ErrorNotice error={remove.failure} />
    </>
  );
}

/** The caller changes its own password. */
function ChangeOwnPassword(props: { onDone: (message: string) => void }) {
  const [oldPassword, setOldPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const change = useResultMutation(CHANGE_OWN_PASSWORD, 'changePassword', ['oldPassword', 'newPassword']);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setMismatch(newPassword !== repeat);
    if (newPassword !== repeat) return;
    const success = await change.submit({ input: { oldPassword, newPassword } });
    if (success !== undefined) {
      setOldPassword('');
      setNewPassword('');
      setRepeat('');
      props.onDone(`Changed your password (revision ${success.revision}); your other sign-in sessions were ended.`);
    }
  };

  return (
    <form onSubmit={submit} aria-label="Change your password" noValidate style={{ maxWidth: 420 }}>
      <TextField label="Current password" type="password" value={oldPassword} onChange={setOldPassword} error={change.errors.fields.oldPassword} autoComplete="current-password" />
      <TextField label="New password" type="password" value={newPassword} onChange={setNewPassword} error={change.errors.fields.newPassword} autoComplete="new-password" />
      <TextField label="Repeat the new password" type="password" value={repeat} onChange={setRepeat} error={mismatch ? 'the two new passwords differ' : undefined} autoComplete="new-password" />
      <ResultErrorNotice error={change.errors.general} />
      <ErrorNotice error={change.failure} />
      <button type="submit" disabled={change.busy || oldPassword === '' || newPassword === ''}>
        Change password
      </button>
    </form>
  );
}
