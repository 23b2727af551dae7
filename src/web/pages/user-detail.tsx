/**
 * One user: facts, tags (editable), group memberships (add through a picker, remove), and delete
 * with what blocks it (DeleteUser). Policy attachments, inline policies and the boundary are
 * managed by PrincipalPolicies, the password, access keys and MFA by UserCredentials. A "What
 * can" tab asks what the user may do.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { graphql } from '../api/generated/gql.ts';
import type { UserQuery } from '../api/generated/graphql.ts';
import { errorAt } from '../api/graphql.ts';
import { useQuery } from '../api/use-query.ts';
import { useResultMutation } from '../api/use-result-mutation.ts';
import { EntityPicker } from '../components/entity-picker.tsx';
import { Link } from '../components/link.tsx';
import { PRINCIPAL_KINDS } from '../api/principal-kinds.ts';
import { PrincipalPolicies } from '../components/principal-policies.tsx';
import { Empty, ErrorNotice, Loading, Success } from '../components/notice.tsx';
import { ResultErrorNotice } from '../components/result-error.tsx';
import { PrincipalTags } from '../components/principal-tags.tsx';
import { UserCredentials } from '../components/user-credentials.tsx';
import { DeleteUser } from '../components/delete-user.tsx';
import { Tabs } from '../components/tabs.tsx';
import { WhatCan } from '../components/what-can.tsx';
import { AccessAdvisor } from '../components/access-advisor.tsx';
import { GeneratePolicy } from '../components/generate-policy.tsx';
import { EscalationPaths } from '../components/escalation-paths.tsx';
import { groupPath } from './groups.tsx';

const USER = graphql(`
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
`);

const ADD_USER_TO_GROUP = graphql(`
  mutation AddUserToGroup($input: AddUserToGroupInput!) {
    addUserToGroup(input: $input) {
      __typename
      ... on AddUserToGroupSuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

const REMOVE_USER_FROM_GROUP = graphql(`
  mutation RemoveUserFromGroup($input: RemoveUserFromGroupInput!) {
    removeUserFromGroup(input: $input) {
      __typename
      ... on RemoveUserFromGroupSuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

/** A group the user belongs to, as this page reads it. */
type UserGroup = NonNullable<NonNullable<UserQuery['user']>['groups']>['edges'][number]['node'];

/** The user page. */
export function UserDetailPage(props: { userName: string }) {
  const [version, setVersion] = useState(0);
  const result = useQuery(USER, { userName: props.userName }, { refreshKey: version });
  const reload = () => setVersion((v) => v + 1);
  const user = result.data?.user;

  return (
    <>
      <p>
        <Link to="/users">← Users</Link>
      </p>
      <h1>User {props.userName}</h1>
      {result.loading && result.data === undefined ? <Loading what="user" /> : null}
      <ErrorNotice error={result.error ?? errorAt(result.errors, 'user')} />
      {result.data !== undefined && user === null && result.errors.length === 0 ? (
        <Empty>
          There is no user named “{props.userName}” in this account. <Link to="/users">Back to users</Link>
        </Empty>
      ) : null}
      {user == null ? null : (
        <Tabs
          label={`User ${user.userName}`}
          tabs={[
            {
              id: 'overview',
              label: 'Overview',
              render: () => (
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
                    <ErrorNotice error={errorAt(result.errors, 'user', 'groups')} />
                    {user.groups == null ? null : <Memberships userName={user.userName} groups={user.groups.edges.map((e) => e.node)} onChange={reload} />}
                  </section>
                  <section className="panel" aria-labelledby="user-tags">
                    <h2 id="user-tags" style={{ marginTop: 0 }}>
                      Tags
                    </h2>
                    <ErrorNotice error={errorAt(result.errors, 'user', 'tags')} />
                    {user.tags == null ? null : <PrincipalTags kind="user" name={user.userName} tags={user.tags} onChange={reload} />}
                  </section>
                  <PrincipalPolicies principal={PRINCIPAL_KINDS.user} name={user.userName} />
                  <UserCredentials userName={user.userName} />
                  <DeleteUser userName={user.userName} />
                </>
              ),
            },
            { id: 'what-can', label: 'What can', render: () => <WhatCan principalArn={user.arn} /> },
            { id: 'access-advisor', label: 'Access advisor', render: () => <AccessAdvisor arn={user.arn} counts="self" /> },
            { id: 'generate-policy', label: 'Generate policy', render: () => <GeneratePolicy principalArn={user.arn} /> },
            { id: 'escalation', label: 'Escalation', render: () => <EscalationPaths principalArn={user.arn} /> },
          ]}
        />
      )}
    </>
  );
}

/** The user's groups with remove buttons, and the add-to-group form. */
function Memberships(props: { userName: string; groups: readonly UserGroup[]; onChange: () => void }) {
  const [groupName, setGroupName] = useState('');
  const [done, setDone] = useState<string | undefined>(undefined);
  const add = useResultMutation(ADD_USER_TO_GROUP, 'addUserToGroup', ['groupName'], { GROUP: 'groupName' });
  const remove = useResultMutation(REMOVE_USER_FROM_GROUP, 'removeUserFromGroup', []);
  const groups = props.groups;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setDone(undefined);
    const success = await add.submit({ input: { groupName: groupName.trim(), userName: props.userName } });
    if (success !== undefined) {
      setDone(`Added ${props.userName} to ${groupName.trim()} (revision ${success.revision}).`);
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
                aria-label={`Remove ${props.userName} from ${g.groupName}`}
                onClick={async () => {
                  setDone(undefined);
                  const success = await remove.submit({ input: { groupName: g.groupName, userName: props.userName } });
                  if (success !== undefined) {
                    setDone(`Removed ${props.userName} from ${g.groupName}.`);
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
          <EntityPicker kind="group" label="Add to group" value={groupName} onChange={setGroupName} error={add.errors.fields.groupName} placeholder="group name" exclude={groups.map((g) => g.groupName)} />
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
