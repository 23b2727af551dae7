/** Users: the account's users as a paginated, filterable table, and the create-user form. */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { graphql } from '../api/generated/gql.ts';
import type { CreateUserInput } from '../api/generated/graphql.ts';
import { useResultMutation } from '../api/use-result-mutation.ts';
import { ConnectionTable } from '../components/connection-table.tsx';
import { CredentialReportButton } from '../components/credential-report-button.tsx';
import { DirectorySearch } from '../components/directory-search.tsx';
import { TextField } from '../components/field.tsx';
import { Link } from '../components/link.tsx';
import { ErrorNotice } from '../components/notice.tsx';
import { ResultErrorNotice } from '../components/result-error.tsx';
import { TagsField, useTagsField } from '../components/tags-field.tsx';
import { navigate } from '../router.ts';

const USERS = graphql(`
  query Users($first: Int, $after: String, $pathPrefix: String) {
    users(first: $first, after: $after, pathPrefix: $pathPrefix) {
      edges {
        cursor
        node {
          userId
          userName
          arn
          path
          createDate
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const CREATE_USER = graphql(`
  mutation CreateUser($input: CreateUserInput!) {
    createUser(input: $input) {
      __typename
      ... on CreateUserSuccess {
        revision
        user {
          userName
        }
      }
      ...ResultErrorFields
    }
  }
`);

/** Where a user's page is. */
export function userPath(userName: string): string {
  return `/users/${encodeURIComponent(userName)}`;
}

/** The users page. */
export function UsersPage() {
  const [pathPrefix, setPathPrefix] = useState('');
  return (
    <>
      <h1>Users</h1>
      <CreateUserForm />
      <CredentialReportButton />
      <section className="panel" aria-label="Users">
        <DirectorySearch noun="user" pathOf={userPath} pathPrefix={pathPrefix} onPathPrefix={setPathPrefix} />
        <ConnectionTable
          query={USERS}
          variables={(page) => (pathPrefix === '' ? page : { ...page, pathPrefix })}
          select={(data) => data.users}
          path={['users']}
          rowKey={(u) => u.userId}
          caption="Users"
          empty={pathPrefix === '' ? 'No users yet.' : `No user has a path starting with “${pathPrefix}”.`}
          columns={[
            { header: 'Name', cell: (u) => <Link to={userPath(u.userName)}>{u.userName}</Link> },
            { header: 'Path', cell: (u) => <code>{u.path}</code>, wide: true },
            { header: 'ARN', cell: (u) => <span className="mono wrap">{u.arn}</span>, wide: true },
            { header: 'Created', cell: (u) => new Date(u.createDate).toLocaleDateString() },
          ]}
        />
      </section>
    </>
  );
}

/** The create-user form: name, path, tags; errors beside the field they concern. */
function CreateUserForm() {
  const [open, setOpen] = useState(false);
  const [userName, setUserName] = useState('');
  const [path, setPath] = useState('');
  const tags = useTagsField();
  const create = useResultMutation(CREATE_USER, 'createUser', ['userName', 'path', 'tags'], { USER: 'userName' });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsedTags = tags.parse();
    if (parsedTags === undefined) return;
    const input: CreateUserInput = { userName: userName.trim() };
    if (path.trim() !== '') input.path = path.trim();
    if (parsedTags.length > 0) input.tags = parsedTags;
    const success = await create.submit({ input });
    if (success !== undefined) navigate(userPath(success.user.userName));
  };

  if (!open) {
    return (
      <p>
        <button type="button" className="primary" onClick={() => setOpen(true)}>
          Create user
        </button>
      </p>
    );
  }
  return (
    <form className="panel" onSubmit={submit} aria-label="Create user" noValidate>
      <h2 style={{ marginTop: 0 }}>Create user</h2>
      <TextField label="User name" value={userName} onChange={setUserName} error={create.errors.fields.userName} required autoFocus spellCheck={false} />
      <TextField label="Path" hint="(optional, e.g. /engineering/)" value={path} onChange={setPath} error={create.errors.fields.path} spellCheck={false} />
      <TagsField field={tags} serverError={create.errors.fields.tags} />
      <ResultErrorNotice error={create.errors.general} />
      <ErrorNotice error={create.failure} />
      <div className="row">
        <button className="primary" type="submit" disabled={create.busy}>
          {create.busy ? 'Creating…' : 'Create'}
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
