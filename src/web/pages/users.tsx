/** Users: the account's users as a paginated, filterable table, and the create-user form. */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { request } from '../api/graphql.ts';
import { ERROR_FIELDS } from '../api/results.ts';
import type { ResultError } from '../api/results.ts';
import { toApiError } from '../api/use-query.ts';
import { ConnectionTable } from '../components/connection-table.tsx';
import type { Connection } from '../components/connection-table.tsx';
import { DirectorySearch } from '../components/directory-search.tsx';
import { TextField } from '../components/field.tsx';
import { NO_ERRORS, placeError } from '../components/form-errors.ts';
import type { FormErrors } from '../components/form-errors.ts';
import { Link } from '../components/link.tsx';
import { ErrorNotice } from '../components/notice.tsx';
import { ResultErrorNotice } from '../components/result-error.tsx';
import { parseTags } from '../components/tags.tsx';
import type { ApiError } from '../api/graphql.ts';
import { navigate } from '../router.ts';

const USERS = /* GraphQL */ `
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
`;

const CREATE_USER = /* GraphQL */ `
  mutation CreateUser($input: CreateUserInput!) {
    createUser(input: $input) {
      __typename
      ... on CreateUserSuccess {
        revision
        user {
          userName
        }
      }
      ${ERROR_FIELDS}
    }
  }
`;

/** A user row. */
interface UserRow {
  readonly userId: string;
  readonly userName: string;
  readonly arn: string;
  readonly path: string;
  readonly createDate: string;
}

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
      <section className="panel" aria-label="Users">
        <DirectorySearch noun="user" pathOf={userPath} pathPrefix={pathPrefix} onPathPrefix={setPathPrefix} />
        <ConnectionTable<{ users: Connection<UserRow> }, UserRow>
          query={USERS}
          variables={pathPrefix === '' ? {} : { pathPrefix }}
          select={(data) => data.users}
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
  const [tags, setTags] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [failure, setFailure] = useState<ApiError | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsedTags = parseTags(tags);
    if (typeof parsedTags === 'string') {
      setErrors({ fields: { tags: parsedTags }, general: undefined });
      return;
    }
    setBusy(true);
    setErrors(NO_ERRORS);
    setFailure(undefined);
    try {
      const input: Record<string, unknown> = { userName: userName.trim() };
      if (path.trim() !== '') input.path = path.trim();
      if (parsedTags.length > 0) input.tags = parsedTags;
      const data = await request<{ createUser: { __typename: string; user?: { userName: string } } & ResultError }>(CREATE_USER, { input });
      const result = data.createUser;
      if (result.__typename === 'CreateUserSuccess' && result.user !== undefined) navigate(userPath(result.user.userName));
      else setErrors(placeError(result, ['userName', 'path', 'tags'], { User: 'userName' }));
    } catch (caught) {
      setFailure(toApiError(caught));
    } finally {
      setBusy(false);
    }
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
      <TextField label="User name" value={userName} onChange={setUserName} error={errors.fields.userName} required autoFocus spellCheck={false} />
      <TextField label="Path" hint="(optional, e.g. /engineering/)" value={path} onChange={setPath} error={errors.fields.path} spellCheck={false} />
      <TextField label="Tags" hint="(optional: key=value, comma-separated)" value={tags} onChange={setTags} error={errors.fields.tags} spellCheck={false} />
      <ResultErrorNotice error={errors.general} />
      <ErrorNotice error={failure} />
      <div className="row">
        <button className="primary" type="submit" disabled={busy}>
          {busy ? 'Creating…' : 'Create'}
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
