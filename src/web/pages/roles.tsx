/** Roles: the account's roles as a paginated, filterable table, and the create-role form. */
import { useState } from 'react';
import { graphql } from '../api/generated/gql.ts';
import { ConnectionTable } from '../components/connection-table.tsx';
import { DirectorySearch } from '../components/directory-search.tsx';
import { Link } from '../components/link.tsx';
import { CreateRoleForm } from '../components/create-role-form.tsx';
import { useSession } from '../api/session.ts';

const ROLES = graphql(`
  query Roles($first: Int, $after: String, $pathPrefix: String) {
    roles(first: $first, after: $after, pathPrefix: $pathPrefix) {
      edges {
        cursor
        node {
          roleId
          roleName
          arn
          path
          description
          lastUsedDate
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/** Where a role's page is. */
export function rolePath(roleName: string): string {
  return `/roles/${encodeURIComponent(roleName)}`;
}

/** The roles page. */
export function RolesPage() {
  const [pathPrefix, setPathPrefix] = useState('');
  const { session } = useSession();
  return (
    <>
      <h1>Roles</h1>
      <CreateRoleForm accountId={session?.accountId ?? ''} rolePathOf={rolePath} />
      <section className="panel" aria-label="Roles">
        <DirectorySearch noun="role" pathOf={rolePath} pathPrefix={pathPrefix} onPathPrefix={setPathPrefix} />
        <ConnectionTable
          query={ROLES}
          variables={(page) => (pathPrefix === '' ? page : { ...page, pathPrefix })}
          select={(data) => data.roles}
          path={['roles']}
          rowKey={(r) => r.roleId}
          caption="Roles"
          empty={pathPrefix === '' ? 'No roles yet.' : `No role has a path starting with “${pathPrefix}”.`}
          columns={[
            { header: 'Name', cell: (r) => <Link to={rolePath(r.roleName)}>{r.roleName}</Link> },
            { header: 'Description', cell: (r) => r.description ?? <span className="muted">—</span>, wide: true },
            { header: 'Path', cell: (r) => <code>{r.path}</code>, wide: true },
            { header: 'Last used', cell: (r) => (r.lastUsedDate == null ? <span className="muted">never</span> : new Date(r.lastUsedDate).toLocaleString()) },
          ]}
        />
      </section>
    </>
  );
}
