/**
 * One user: facts, tags, group memberships (add, remove), and delete. Policy attachments,
 * inline policies and the boundary are shown by PrincipalPolicies, credential metadata by
 * UserCredentials.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { ERROR_FIELDS } from '../api/results.ts';
import { useQuery } from '../api/use-query.ts';
import { useResultMutation } from '../api/use-result-mutation.ts';
import { TextField } from '../components/field.tsx';
import { Link } from '../components/link.tsx';
import { PRINCIPAL_KINDS } from '../api/principal-kinds.ts';
import { PrincipalPolicies } from '../components/principal-policies.tsx';
import { Empty, ErrorNotice, Loading, Success } from '../components/notice.tsx';
import { ResultErrorNotice } from '../components/result-error.tsx';
import { TagList } from '../components/tags.tsx';
import { UserCredentials } from '../components/user-credentials.tsx';
import type { Tag } from '../components/tags.tsx';
import { DeleteEntity } from '../components/delete-entity.tsx';
import { groupPath } from './groups.tsx';

const USER = /* GraphQL */ `
  query User($userName: String!) {
    user(userName: $userName) {
      userId
      userName
      arn
      path
      createDate
      tags {
        key
        value
      }
      groups(first: 100) {
        edges {
          node {
            groupName
            arn
          }
        }
      }
    }
  }
`;

const ADD_USER_TO_GROUP = /* GraphQL */ `
  mutation AddUserToGroup($input: AddUserToGroupInput!) {
    addUserToGroup(input: $input) {
      __typename
      ... on AddUserToGroupSuccess {
        revision
      }
      ${ERROR_FIELDS}
    }
  }
`;

const REMOVE_USER_FROM_GROUP = /* GraphQL */ `
  mutation RemoveUserFromGroup($input: RemoveUserFromGroupInput!) {
    removeUserFromGroup(input: $input) {
      __typename
      ... on RemoveUserFromGroupSuccess {
        revision
      }
      ${ERROR_FIELDS}
    }
  }
`;

const DELETE_USER = /* GraphQL */ `
  mutation DeleteUser($input: DeleteUserInput!) {
    deleteUser(input: $input) {
      __typename
      ... on DeleteUserSuccess {
        revision
      }
      ${ERROR_FIELDS}
    }
  }
`;

/** The user as this page reads it. */
interface UserDetail {
  readonly userId: string;
  readonly userName: string;
  readonly arn: string;
  readonly path: string;
  readonly createDate: string;
  readonly tags: readonly Tag[];
  readonly groups: { readonly edges: ReadonlyArray<{ readonly node: { readonly groupName: string; readonly arn: string } }> };
}

/** The user page. */
export function UserDetailPage(props: { userName: string }) {
  const [version, setVersion] = useState(0);
  const result = useQuery<{ user: UserDetail | null }>(USER, { userName: props.userName }, { refreshKey: version });
  const reload = () => setVersion((v) => v + 1);
  const user = result.data?.user;

  return (
    <>
      <p>
        <Link to="/users">← Users</Link>
      </p>
      <h1>User {props.userName}</h1>
      {result.loading && result.data === undefined ? <Loading what="user" /> : null}
      <ErrorNotice error={result.error} />
      {result.data !== undefined && user === null ? (
        <Empty>
          There is no user named “{props.userName}” in this account. <Link to="/users">Back to users</Link>
        </Empty>
      ) : null}
      {user == null ? null : (
        <>
          <section className="panel" aria-labelledby="user-facts">
            <h2 id="user-facts" style={{ marginTop: 0 }}>
              Summary
            </h2>
            <dl className="facts">
              <dt>ARN</dt>
              <dd className="mono">{user.arn}</dd>
              <dt>User ID</dt>
              <dd className="mono">{user.userId}</dd>
              <dt>Path</dt>
              <dd className="mono">{user.path}</dd>
              <dt>Created</dt>
              <dd>{new Date(user.createDate).toLocaleString()}</dd>
            </dl>
          </section>
          <section className="panel" aria-labelledby="user-groups">
            <h2 id="user-groups" style={{ marginTop: 0 }}>
              Groups
            </h2>
            <Memberships user={user} onChange={reload} />
          </section>
          <section className="panel" aria-labelledby="user-tags">
            <h2 id="user-tags" style={{ marginTop: 0 }}>
              Tags
            </h2>
            <TagList tags={user.tags} />
          </section>
          <PrincipalPolicies principal={PRINCIPAL_KINDS.user} name={user.userName} />
          <UserCredentials userName={user.userName} />
          <DeleteEntity
            noun="user"
            name={user.userName}
            mutation={DELETE_USER}
            field="deleteUser"
            input={{ userName: user.userName }}
            afterDelete="/users"
          />
        </>
      )}
    </>
  );
}

/** The user's groups with remove buttons, and the add-to-group form. */
function Memberships(props: { user: UserDetail; onChange: () => void }) {
  const [groupName, setGroupName] = useState('');
  const [done, setDone] = useState<string | undefined>(undefined);
  const add = useResultMutation<{ __typename: string; revision: string }>(ADD_USER_TO_GROUP, 'addUserToGroup', ['groupName'], { Group: 'groupName' });
  const remove = useResultMutation<{ __typename: string; revision: string }>(REMOVE_USER_FROM_GROUP, 'removeUserFromGroup', []);
  const groups = props.user.groups.edges.map((e) => e.node);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setDone(undefined);
    const success = await add.submit({ groupName: groupName.trim(), userName: props.user.userName });
    if (success !== undefined) {
      setDone(`Added ${props.user.userName} to ${groupName.trim()} (revision ${success.revision}).`);
      setGroupName('');
      props.onChange();
    }
  };

  return (
    <>
      {groups.length === 0 ? (
        <p className="muted">Not a member of any group.</p>
      ) : (
        <ul>
          {groups.map((g) => (
            <li key={g.arn}>
              <Link to={groupPath(g.groupName)}>{g.groupName}</Link>{' '}
              <button
                type="button"
                disabled={remove.busy}
                aria-label={`Remove ${props.user.userName} from ${g.groupName}`}
                onClick={async () => {
                  setDone(undefined);
                  const success = await remove.submit({ groupName: g.groupName, userName: props.user.userName });
                  if (success !== undefined) {
                    setDone(`Removed ${props.user.userName} from ${g.groupName}.`);
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
      <form onSubmit={submit} className="row" aria-label="Add to group" noValidate>
        <div style={{ flex: '1 1 240px' }}>
          <TextField label="Add to group" value={groupName} onChange={setGroupName} error={add.errors.fields.groupName} placeholder="group name" spellCheck={false} />
        </div>
        <div className="field">
          <button type="submit" disabled={add.busy || groupName.trim() === ''}>
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
