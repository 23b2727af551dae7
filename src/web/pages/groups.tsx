/** Groups: the account's groups as a paginated, filterable table, and the create-group form. */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { graphql } from '../api/generated/gql.ts';
import { useResultMutation } from '../api/use-result-mutation.ts';
import { ConnectionTable } from '../components/connection-table.tsx';
import { DirectorySearch } from '../components/directory-search.tsx';
import { TextField } from '../components/field.tsx';
import { Link } from '../components/link.tsx';
import { ErrorNotice } from '../components/notice.tsx';
import { ResultErrorNotice } from '../components/result-error.tsx';
import { navigate } from '../router.ts';

const GROUPS = graphql(`
  query Groups($first: Int, $after: String, $pathPrefix: String) {
    groups(first: $first, after: $after, pathPrefix: $pathPrefix) {
      edges {
        cursor
        node {
          groupId
          groupName
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

const CREATE_GROUP = graphql(`
  mutation CreateGroup($input: CreateGroupInput!) {
    createGroup(input: $input) {
      __typename
      ... on CreateGroupSuccess {
        revision
        group {
          groupName
        }
      }
      ...ResultErrorFields
    }
  }
`);

/** Where a group's page is. */
export function groupPath(groupName: string): string {
  return `/groups/${encodeURIComponent(groupName)}`;
}

/** The groups page. */
export function GroupsPage() {
  const [pathPrefix, setPathPrefix] = useState('');
  return (
    <>
      <h1>Groups</h1>
      <CreateGroupForm />
      <section className="panel" aria-label="Groups">
        <DirectorySearch noun="group" pathOf={groupPath} pathPrefix={pathPrefix} onPathPrefix={setPathPrefix} />
        <ConnectionTable
          query={GROUPS}
          variables={(page) => (pathPrefix === '' ? page : { ...page, pathPrefix })}
          select={(data) => data.groups}
          path={['groups']}
          rowKey={(g) => g.groupId}
          caption="Groups"
          empty={pathPrefix === '' ? 'No groups yet.' : `No group has a path starting with “${pathPrefix}”.`}
          columns={[
            { header: 'Name', cell: (g) => <Link to={groupPath(g.groupName)}>{g.groupName}</Link> },
            { header: 'Path', cell: (g) => <code>{g.path}</code>, wide: true },
            { header: 'ARN', cell: (g) => <span className="mono wrap">{g.arn}</span>, wide: true },
            { header: 'Created', cell: (g) => new Date(g.createDate).toLocaleDateString() },
          ]}
        />
      </section>
    </>
  );
}

/** The create-group form. */
function CreateGroupForm() {
  const [open, setOpen] = useState(false);
  const [groupName, setGroupName] = useState('');
  const [path, setPath] = useState('');
  const create = useResultMutation(CREATE_GROUP, 'createGroup', ['groupName', 'path'], { GROUP: 'groupName' });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const success = await create.submit({ input: { groupName: groupName.trim(), ...(path.trim() === '' ? {} : { path: path.trim() }) } });
    if (success !== undefined) navigate(groupPath(success.group.groupName));
  };
  if (!open) {
    return (
      <p>
        <button type="button" className="primary" onClick={() => setOpen(true)}>
          Create group
        </button>
      </p>
    );
  }
  return (
    <form className="panel" onSubmit={submit} aria-label="Create group" noValidate>
      <h2 style={{ marginTop: 0 }}>Create group</h2>
      <TextField label="Group name" value={groupName} onChange={setGroupName} error={create.errors.fields.groupName} autoFocus spellCheck={false} />
      <TextField label="Path" hint="(optional)" value={path} onChange={setPath} error={create.errors.fields.path} spellCheck={false} />
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
