/**
 * Deleting a user as the AWS console does it: the confirmation first lists what blocks the
 * delete (group memberships, policies, access keys, MFA devices, console password), which will be
 * removed too; once the name is typed, each is removed in turn through its own operation, then
 * the user is deleted. A refused step stops there and says what was removed and what remains.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { graphql } from '../api/generated/gql.ts';
import type { ApiError } from '../api/graphql.ts';
import { describeBlocker, loadUserBlockers, removeBlocker } from '../api/user-blockers.ts';
import type { Blocker, StepFailure } from '../api/user-blockers.ts';
import { toApiError } from '../api/use-query.ts';
import { useResultMutation } from '../api/use-result-mutation.ts';
import { navigate } from '../router.ts';
import { TextField } from './field.tsx';
import { ErrorNotice, Loading } from './notice.tsx';
import { ResultErrorNotice } from './result-error.tsx';

const DELETE_USER = graphql(`
  mutation DeleteUserAfterBlockers($input: DeleteUserInput!) {
    deleteUser(input: $input) {
      __typename
      ... on DeleteUserSuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

/** The "Delete user" section of a user's page. */
export function DeleteUser(props: { userName: string }) {
  const [blockers, setBlockers] = useState<readonly Blocker[] | undefined>(undefined);
  const [removed, setRemoved] = useState<readonly Blocker[]>([]);
  const [loading, setLoading] = useState(false);
  const [loadError, setLoadError] = useState<ApiError | undefined>(undefined);
  const [stepFailure, setStepFailure] = useState<{ blocker: Blocker; failure: StepFailure } | undefined>(undefined);
  const [working, setWorking] = useState(false);
  const [typed, setTyped] = useState('');
  const remove = useResultMutation(DELETE_USER, 'deleteUser', []);

  const open = async (): Promise<void> => {
    setLoading(true);
    setLoadError(undefined);
    try {
      setBlockers(await loadUserBlockers(props.userName));
    } catch (error) {
      setLoadError(toApiError(error));
    } finally {
      setLoading(false);
    }
  };

  const close = (): void => {
    setBlockers(undefined);
    setTyped('');
    setStepFailure(undefined);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (blockers === undefined) return;
    setWorking(true);
    setStepFailure(undefined);
    const done: Blocker[] = [];
    try {
      for (const blocker of blockers) {
        const failure = await removeBlocker(props.userName, blocker).catch((error: unknown) => toApiError(error));
        if (failure !== undefined) {
          setStepFailure({ blocker, failure });
          setBlockers(blockers.filter((b) => !done.includes(b)));
          setRemoved((r) => [...r, ...done]);
          return;
        }
        done.push(blocker);
      }
      setRemoved((r) => [...r, ...done]);
      setBlockers([]);
      if ((await remove.submit({ input: { userName: props.userName } })) !== undefined) navigate('/users');
    } finally {
      setWorking(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="delete-user-title">
      <h2 id="delete-user-title" style={{ marginTop: 0 }}>
        Delete user
      </h2>
      {blockers === undefined ? (
        <button type="button" className="danger" disabled={loading} onClick={() => void open()}>
          Delete user…
        </button>
      ) : (
        <form onSubmit={submit} aria-label={`Delete user ${props.userName}`}>
          {blockers.length === 0 ? (
            <p>Nothing else depends on {props.userName}.</p>
          ) : (
            <>
              <p>Deleting {props.userName} first removes these, each with its own permission:</p>
              <ul aria-label="Removed before deleting">
                {blockers.map((blocker) => (
                  <li key={describeBlocker(blocker)}>{describeBlocker(blocker)}</li>
                ))}
              </ul>
            </>
          )}
          <TextField label={`Type “${props.userName}” to confirm`} value={typed} onChange={setTyped} autoFocus spellCheck={false} />
          <div className="row">
            <button type="submit" className="danger" disabled={typed !== props.userName || working || remove.busy}>
              {blockers.length === 0 ? 'Delete' : `Remove ${blockers.length} and delete`}
            </button>
            <button type="button" disabled={working} onClick={close}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {loading ? <Loading what="what the user still has" /> : null}
      <ErrorNotice error={loadError} title="Cannot list what blocks the delete" />
      {removed.length === 0 || stepFailure === undefined ? null : <p>Removed: {removed.map(describeBlocker).join('; ')}.</p>}
      {stepFailure === undefined ? null : (
        <div>
          <p>Stopped at: {describeBlocker(stepFailure.blocker)}.</p>
          {'name' in stepFailure.failure ? <ErrorNotice error={stepFailure.failure} /> : <ResultErrorNotice error={stepFailure.failure} />}
        </div>
      )}
      <ResultErrorNotice error={remove.errors.general} />
      <ErrorNotice error={remove.failure} />
    </section>
  );
}
