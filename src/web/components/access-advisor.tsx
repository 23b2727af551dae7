/**
 * The "Access advisor" tab of user, group, role and policy pages: the services the entity's
 * policies grant and when each was last used (generateServiceLastAccessedDetails, then
 * serviceLastAccessedDetails at ACTION_LEVEL), with each granted action's last use on demand.
 * Services never used are the ones to consider removing, as AWS's console suggests.
 */
import { useEffect, useState } from 'react';
import { graphql } from '../api/generated/gql.ts';
import type { ServiceLastAccessedFieldsFragment } from '../api/generated/graphql.ts';
import { ApiError, request } from '../api/graphql.ts';
import { toApiError } from '../api/use-query.ts';
import { Empty, ErrorNotice } from './notice.tsx';

const GENERATE = graphql(`
  query GenerateAccessAdvisor($input: GenerateServiceLastAccessedDetailsInput!) {
    generateServiceLastAccessedDetails(input: $input) {
      jobId
    }
  }
`);

graphql(`
  fragment ServiceLastAccessedFields on ServiceLastAccessed {
    serviceName
    serviceNamespace
    lastAuthenticatedDate
    lastAuthenticatedEntity
    totalAuthenticatedEntities
    trackedActionsLastAccessed {
      actionName
      lastAccessedDate
      lastAccessedEntity
    }
  }
`);

const DETAILS = graphql(`
  query AccessAdvisorDetails($input: GetServiceLastAccessedDetailsInput!) {
    serviceLastAccessedDetails(input: $input) {
      jobStatus
      isTruncated
      marker
      error {
        code
        message
      }
      servicesLastAccessed {
        ...ServiceLastAccessedFields
      }
    }
  }
`);

/** Most pages of services one tab reads (100 each). */
const MAX_PAGES = 10;

/** A date as the console shows it, or "Not accessed in the tracking period". */
export function lastUsed(value: string | null | undefined): string {
  return value == null ? 'Not accessed in the tracking period' : new Date(value).toLocaleString();
}

/** The tab's content for the entity `arn` (a user, group, role or policy ARN). */
export function AccessAdvisor(props: { arn: string; counts: 'self' | 'members' | 'attached' }) {
  const [services, setServices] = useState<ServiceLastAccessedFieldsFragment[] | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [open, setOpen] = useState<string | undefined>();

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      try {
        const { data: { generateServiceLastAccessedDetails: job } } = await request(GENERATE, { input: { arn: props.arn, granularity: 'ACTION_LEVEL' } });
        if (job == null) throw new ApiError('CLIENT', 'the report could not be started');
        const all: ServiceLastAccessedFieldsFragment[] = [];
        let marker: string | null | undefined;
        for (let page = 0; page < MAX_PAGES; page++) {
          const { data: { serviceLastAccessedDetails: details } } = await request(DETAILS, { input: { jobId: job.jobId, maxItems: 100, ...(marker == null ? {} : { marker }) } });
          if (details == null) throw new ApiError('CLIENT', 'the report could not be read');
          if (details.error != null) throw new ApiError(details.error.code, details.error.message);
          all.push(...details.servicesLastAccessed);
          marker = details.marker;
          if (!details.isTruncated) break;
        }
        if (!cancelled) setServices(all);
      } catch (caught) {
        if (!cancelled) setError(toApiError(caught));
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [props.arn]);

  if (error !== undefined) return <ErrorNotice error={error} title="Could not load access advisor data" />;
  if (services === undefined) return <p className="muted">Loading access advisor data…</p>;
  if (services.length === 0) return <Empty>The policies grant no service, so there is nothing to report.</Empty>;
  const unused = services.filter((s) => s.lastAuthenticatedDate == null).length;
  const who = props.counts === 'self' ? 'this principal' : props.counts === 'members' ? "the group's members" : 'the users and roles it is attached to';
  return (
    <section className="panel" aria-labelledby="access-advisor-heading">
      <h2 id="access-advisor-heading" style={{ marginTop: 0 }}>
        Access advisor
      </h2>
      <p className="muted">
        {services.length} service{services.length === 1 ? '' : 's'} granted; {unused} not used by {who} in the tracking period (400 days). Consider removing the permissions nobody uses.
      </p>
      <table aria-label="Services last accessed">
        <thead>
          <tr>
            <th scope="col">Service</th>
            <th scope="col">Last accessed</th>
            <th scope="col">By</th>
            <th scope="col">Principals</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {services.map((s) => (
            <ServiceRow key={s.serviceNamespace} service={s} open={open === s.serviceNamespace} toggle={() => setOpen(open === s.serviceNamespace ? undefined : s.serviceNamespace)} />
          ))}
        </tbody>
      </table>
    </section>
  );
}

function ServiceRow(props: { service: ServiceLastAccessedFieldsFragment; open: boolean; toggle: () => void }) {
  const s = props.service;
  const actions = s.trackedActionsLastAccessed ?? [];
  return (
    <>
      <tr data-service={s.serviceNamespace}>
        <th scope="row">
          {s.serviceName} <span className="mono muted">({s.serviceNamespace})</span>
        </th>
        <td className={s.lastAuthenticatedDate == null ? 'muted' : undefined}>{lastUsed(s.lastAuthenticatedDate)}</td>
        <td className="mono">{s.lastAuthenticatedEntity ?? '—'}</td>
        <td>{s.totalAuthenticatedEntities}</td>
        <td>
          <button type="button" aria-expanded={props.open} onClick={props.toggle}>
            {actions.length} action{actions.length === 1 ? '' : 's'}
          </button>
        </td>
      </tr>
      {props.open ? (
        <tr>
          <td colSpan={5}>
            <ul aria-label={`Actions of ${s.serviceNamespace}`}>
              {actions.map((a) => (
                <li key={a.actionName}>
                  <span className="mono">{`${s.serviceNamespace}:${a.actionName}`}</span> — {lastUsed(a.lastAccessedDate)}
                </li>
              ))}
            </ul>
          </td>
        </tr>
      ) : null}
    </>
  );
}
