/** Managed policies: built-in and the account's own, paginated and filterable by scope and path. */
import { useState } from 'react';
import { graphql } from '../api/generated/gql.ts';
import type { PolicyScope } from '../api/generated/graphql.ts';
import { ConnectionTable } from '../components/connection-table.tsx';
import { Link } from '../components/link.tsx';

const POLICIES = graphql(`
  query Policies($first: Int, $after: String, $scope: PolicyScope, $onlyAttached: Boolean, $pathPrefix: String) {
    policies(first: $first, after: $after, scope: $scope, onlyAttached: $onlyAttached, pathPrefix: $pathPrefix) {
      edges {
        cursor
        node {
          arn
          policyName
          path
          description
          isBuiltIn
          defaultVersionId
          attachmentCount
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

/** The scopes a list can show (ListPolicies `Scope`), with their labels. */
const SCOPES: ReadonlyArray<readonly [PolicyScope, string]> = [
  ['ALL', 'All'],
  ['LOCAL', 'This account’s'],
  ['AWS', 'Built-in'],
];

/** Where a policy's page is (the ARN is the key). */
export function policyPath(policyArn: string): string {
  return `/policies/${encodeURIComponent(policyArn)}`;
}

/** The policies page. */
export function PoliciesPage(props: { canCreate: boolean }) {
  const [scope, setScope] = useState<PolicyScope>('ALL');
  const [onlyAttached, setOnlyAttached] = useState(false);
  const [prefix, setPrefix] = useState('');
  const [appliedPrefix, setAppliedPrefix] = useState('');
  return (
    <>
      <div className="row">
        <h1>Policies</h1>
        <span className="spacer" />
        {props.canCreate ? (
          <Link to="/policies/new" className="button-link">
            Create policy
          </Link>
        ) : null}
      </div>
      <section className="panel" aria-label="Policies">
        <form
          role="search"
          aria-label="Filter policies"
          className="row"
          style={{ marginBottom: 12 }}
          onSubmit={(event) => {
            event.preventDefault();
            setAppliedPrefix(prefix.trim());
          }}
        >
          <div className="field" style={{ flex: '0 1 200px', marginBottom: 0 }}>
            <label htmlFor="policy-scope">Scope</label>
            <select id="policy-scope" value={scope} onChange={(e) => setScope(SCOPES.find(([value]) => value === e.target.value)?.[0] ?? 'ALL')}>
              {SCOPES.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <div className="field" style={{ flex: '1 1 200px', marginBottom: 0 }}>
            <label htmlFor="policy-prefix">Path prefix</label>
            <input id="policy-prefix" type="search" value={prefix} placeholder="/" onChange={(e) => setPrefix(e.target.value)} spellCheck={false} />
          </div>
          <label style={{ display: 'flex', gap: 6, alignItems: 'center', fontWeight: 400, marginBottom: 8 }}>
            <input type="checkbox" style={{ width: 'auto' }} checked={onlyAttached} onChange={(e) => setOnlyAttached(e.target.checked)} />
            Only attached
          </label>
          <button type="submit">Filter</button>
        </form>
        <ConnectionTable
          query={POLICIES}
          variables={(page) => ({ ...page, scope, onlyAttached, ...(appliedPrefix === '' ? {} : { pathPrefix: appliedPrefix }) })}
          select={(data) => data.policies}
          path={['policies']}
          rowKey={(p) => p.arn}
          caption="Policies"
          empty="No policy matches."
          columns={[
            {
              header: 'Name',
              cell: (p) => (
                <>
                  <Link to={policyPath(p.arn)}>{p.policyName}</Link> {p.isBuiltIn ? <span className="badge neutral">built-in</span> : null}
                </>
              ),
            },
            { header: 'Description', cell: (p) => p.description ?? <span className="muted">—</span>, wide: true },
            { header: 'Attached to', cell: (p) => p.attachmentCount },
            { header: 'Default', cell: (p) => <code>{p.defaultVersionId}</code>, wide: true },
          ]}
        />
      </section>
    </>
  );
}
