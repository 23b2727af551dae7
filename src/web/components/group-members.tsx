/**
 * A group's members as its page manages them: remove one (RemoveUserFromGroup), or add users
 * picked by name (AddUserToGroup), as the AWS console's "Add users" on a group does.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { graphql } from '../api/generated/gql.ts';
import { useResultMutation } from '../api/use-result-mutation.ts';
import { userPath } from '../pages/users.tsx';
import { EntityPicker } from './entity-picker.tsx';
import { Link } from './link.tsx';
import { ErrorNotice, Success } from './notice.tsx';
import { ResultErrorNotice } from './result-error.tsx';

const ADD_MEMBER = graphql(`
  mutation AddGroupMember($input: AddUserToGroupInput!) {
    addUserToGroup(input: $input) {
      __typename
      ... on AddUserToGroupSuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

const REMOVE_MEMBER = graphql(`
  mutation RemoveGroupMember($input: RemoveUserFromGroupInput!) {
    removeUserFromGroup(input: $input) {
      __typename
      ... on RemoveUserFromGroupSuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

/** Members with remove buttons, and the add-user form. */
export function GroupMembers(props: { groupName: string; members: readonly string[]; onChange: () => void }) {
  const [userName, setUserName] = useState('');
  const [done, setDone] = useState<string | undefined>(undefined);
  const add = useResultMutation(ADD_MEMBER, 'addUserToGroup', ['userName'], { USER: 'userName' });
  const remove = useResultMutation(REMOVE_MEMBER, 'removeUserFromGroup', []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setDone(undefined);
    const name = userName.trim();
    const success = await add.submit({ input: { groupName: props.groupName, userName: name } });
    if (success !== undefined) {
      setDone(`Added ${name} to ${props.groupName} (revision ${success.revision}).`);
      setUserName('');
      props.onChange();
    }
  };

  return (
    <>
      {props.members.length === 0 ? (
        <p className="muted">No members.</p>
      ) : (
        <ul aria-label={`Members of ${props.groupName}`}>
          {props.members.map((member) => (
            <li key={member}>
              <Link to={userPath(member)}>{member}</Link>{' '}
              <button
                type="button"
                disabled={remove.busy}
                aria-label={`Remove ${member} from ${props.groupName}`}
                onClick={async () => {
                  setDone(undefined);
                  const success = await remove.submit({ input: { groupName: props.groupName, userName: member } });
                  if (success !== undefined) {
                    setDone(`Removed ${member} from ${props.groupName} (revision ${success.revision}).`);
                    props.onChange();
                  }
                }}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <ResultErrorNotice error={remove.errors.general} />
      <ErrorNotice error={remove.failure} />
      <form onSubmit={submit} className="row" aria-label={`Add a user to ${props.groupName}`} noValidate>
        <div style={{ flex: '1 1 240px' }}>
          <EntityPicker kind="user" label="Add user" value={userName} onChange={setUserName} error={add.errors.fields.userName} placeholder="user name" exclude={props.members} />
        </div>
        <div className="field">
          <button type="submit" disabled={add.busy || userName.trim() === ''}>
            Add
          </button>
        </div>
      </form>
      <ResultErrorNotice error={add.errors.general} />
      <ErrorNotice error={add.failure} />
      {done === undefined ? null : <Success>{done}</Success>}
    </>
  );
}
