/**
 * Resources: the account's registered resources as a paginated table, filtered on the server by
 * service, resource type and ARN prefix (kept in the URL, so a filtered list can be linked to),
 * and the register-resource form.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { graphql } from '../api/generated/gql.ts';
import { ConnectionTable } from '../components/connection-table.tsx';
import { Link } from '../components/link.tsx';
import { RegisterResourceForm } from '../components/register-resource-form.tsx';
import { resourcePath } from '../components/resource-arn.ts';
import { navigate, useLocation } from '../router.ts';

const RESOURCES = graphql(`
  query Resources($first: Int, $after: String, $serviceName: String, $resourceType: String, $arnPrefix: String) {
    resources(first: $first, after: $after, serviceName: $serviceName, resourceType: $resourceType, arnPrefix: $arnPrefix) {
      edges {
        cursor
        node {
          id
          resourceArn
          serviceName
          resourceType
          updateDate
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/** The filters of the list, as URL parameters and query variables. */
const FILTERS = ['serviceName', 'resourceType', 'arnPrefix'] as const;
type Filter = (typeof FILTERS)[number];
type Filters = Partial<Record<Filter, string>>;

/** The resources list filtered as given (what other pages link to). */
export function resourcesPath(filters: Filters): string {
  const params = new URLSearchParams();
  for (const name of FILTERS) if (filters[name] !== undefined && filters[name] !== '') params.set(name, filters[name]);
  const query = params.toString();
  return query === '' ? '/resources' : `/resources?${query}`;
}

/** The resources page. */
export function ResourcesPage() {
  const { search } = useLocation();
  const applied: Filters = {};
  for (const name of FILTERS) {
    const value = search.get(name);
    if (value !== null && value !== '') applied[name] = value;
  }
  const filtered = Object.keys(applied).length > 0;
  return (
    <>
      <h1>Resources</h1>
      <RegisterResourceForm />
      <section className="panel" aria-label="Registered resources">
        <ResourceFilters key={JSON.stringify(applied)} applied={applied} />
        <ConnectionTable
          query={RESOURCES}
          variables={(page) => ({ ...page, ...applied })}
          select={(data) => data.resources}
          path={['resources']}
          rowKey={(r) => r.id}
          caption="Registered resources"
          empty={filtered ? 'No registered resource matches these filters.' : 'No resources registered yet.'}
          columns={[
            {
              header: 'ARN',
              cell: (r) => (
                <Link to={resourcePath(r.resourceArn)}>
                  <span className="mono">{r.resourceArn}</span>
                </Link>
              ),
            },
            { header: 'Service', cell: (r) => <code>{r.serviceName}</code> },
            { header: 'Type', cell: (r) => r.resourceType, wide: true },
            { header: 'Updated', cell: (r) => new Date(r.updateDate).toLocaleString(), wide: true },
          ]}
        />
      </section>
    </>
  );
}

/** The filter form: applying it puts the filters in the URL (the table reads them from there). */
function ResourceFilters(props: { applied: Filters }) {
  const [draft, setDraft] = useState<Filters>(props.applied);
  const apply = (event: FormEvent) => {
    event.preventDefault();
    const trimmed: Filters = {};
    for (const name of FILTERS) trimmed[name] = draft[name]?.trim();
    navigate(resourcesPath(trimmed), { keepScroll: true });
  };
  const field = (name: Filter, label: string, placeholder: string) => (
    <div className="field" style={{ flex: '1 1 180px', marginBottom: 0 }}>
      <label htmlFor={`resources-${name}`}>{label}</label>
      <input
        id={`resources-${name}`}
        type="search"
        value={draft[name] ?? ''}
        placeholder={placeholder}
        spellCheck={false}
        onChange={(event) => setDraft({ ...draft, [name]: event.target.value })}
      />
    </div>
  );
  return (
    <form role="search" aria-label="Filter resources" onSubmit={apply} className="row" style={{ marginBottom: 12 }}>
      {field('serviceName', 'Service', 's3')}
      {field('resourceType', 'Resource type', 'object')}
      {field('arnPrefix', 'ARN prefix', 'arn:aws:s3:::reports/')}
      <button type="submit">Filter</button>
      {Object.keys(props.applied).length === 0 ? null : (
        <button type="button" onClick={() => navigate('/resources', { keepScroll: true })}>
          Clear
        </button>
      )}
    </form>
  );
}
