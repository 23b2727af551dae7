/**
 * Unused access: the account's unused roles, access keys, passwords and permissions over a
 * window, live (`unusedAccessFindingsChanged`): a finding appears or resolves on screen as the
 * directory changes or as access is used. Resolved findings stay listed, struck out, until the
 * window is changed.
 */
import { useEffect, useState } from 'react';
import { graphql } from '../api/generated/gql.ts';
import type { UnusedAccessFindingFieldsFragment } from '../api/generated/graphql.ts';
import type { ApiError } from '../api/graphql.ts';
import { subscribeLive } from '../api/live.ts';
import { lastUsed } from '../components/access-advisor.tsx';
import { Empty, ErrorNotice } from '../components/notice.tsx';

graphql(`
  fragment UnusedAccessFindingFields on UnusedAccessFinding {
    id
    findingType
    resource
    accessKeyId
    serviceNamespace
    lastAccessedDate
    actions {
      action
    }
  }
`);

const FINDINGS = graphql(`
  subscription UnusedAccessFindings($unusedAccessAge: Int) {
    unusedAccessFindingsChanged(unusedAccessAge: $unusedAccessAge) {
      analyzedDate
      findings {
        ...UnusedAccessFindingFields
      }
      resolved {
        ...UnusedAccessFindingFields
      }
    }
  }
`);

const TYPE_LABELS: Record<UnusedAccessFindingFieldsFragment['findingType'], string> = {
  UNUSED_IAM_ROLE: 'Unused role',
  UNUSED_IAM_USER_ACCESS_KEY: 'Unused access key',
  UNUSED_IAM_USER_PASSWORD: 'Unused password',
  UNUSED_PERMISSION: 'Unused permissions',
};

const WINDOWS = [30, 60, 90, 180, 365];

/** What a finding is about, in words. */
function subjectOf(f: UnusedAccessFindingFieldsFragment): string {
  if (f.accessKeyId != null) return `key ${f.accessKeyId}`;
  if (f.serviceNamespace == null) return '';
  return f.actions.length === 0 ? `service ${f.serviceNamespace}` : `${f.actions.length} action${f.actions.length === 1 ? '' : 's'} of ${f.serviceNamespace}`;
}

/** The unused-access page. */
export function UnusedAccessPage() {
  const [age, setAge] = useState(90);
  const [active, setActive] = useState<UnusedAccessFindingFieldsFragment[] | undefined>();
  const [resolved, setResolved] = useState<UnusedAccessFindingFieldsFragment[]>([]);
  const [error, setError] = useState<ApiError | undefined>();

  useEffect(() => {
    setActive(undefined);
    setResolved([]);
    return subscribeLive(FINDINGS, () => ({ unusedAccessAge: age }), {
      next: ({ unusedAccessFindingsChanged: update }) => {
        if (update == null) return;
        setError(undefined);
        setActive(update.findings);
        const nowActive = new Set(update.findings.map((f) => f.id));
        setResolved((earlier) => [...update.resolved, ...earlier.filter((f) => !nowActive.has(f.id) && !update.resolved.some((r) => r.id === f.id))]);
      },
      error: setError,
    });
  }, [age]);

  return (
    <>
      <h1>Unused access</h1>
      <p className="muted">Roles, access keys, passwords and permissions not used in the window, as IAM Access Analyzer reports them. The list updates live.</p>
      <label>
        Window{' '}
        <select value={age} onChange={(e) => setAge(Number(e.target.value))} aria-label="Unused for at least">
          {WINDOWS.map((d) => (
            <option key={d} value={d}>
              {d} days
            </option>
          ))}
        </select>
      </label>
      <ErrorNotice error={error} title="Could not analyse unused access" />
      {active === undefined ? (
        <p className="muted">Analysing…</p>
      ) : active.length === 0 && resolved.length === 0 ? (
        <Empty>No unused access in this window.</Empty>
      ) : (
        <table aria-label="Unused access findings">
          <thead>
            <tr>
              <th scope="col">Finding</th>
              <th scope="col">Principal</th>
              <th scope="col">What</th>
              <th scope="col">Last used</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {[...active.map((f) => ({ f, status: 'Active' })), ...resolved.map((f) => ({ f, status: 'Resolved' }))].map(({ f, status }) => (
              <tr key={`${status}-${f.id}`} data-finding={f.id} className={status === 'Resolved' ? 'resolved' : undefined}>
                <td>{status === 'Resolved' ? <s>{TYPE_LABELS[f.findingType]}</s> : TYPE_LABELS[f.findingType]}</td>
                <td className="mono">{f.resource}</td>
                <td>{subjectOf(f)}</td>
                <td>{lastUsed(f.lastAccessedDate)}</td>
                <td>{status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
