/**
 * One registered resource: facts, tags (edit), resource policy (edit with findings, delete), who
 * can perform a chosen action on it, and deregister.
 */
import { useState } from 'react';
import { graphql } from '../api/generated/gql.ts';
import { errorAt } from '../api/graphql.ts';
import { useQuery } from '../api/use-query.ts';
import { DeleteEntity } from '../components/delete-entity.tsx';
import { Link } from '../components/link.tsx';
import { Empty, ErrorNotice, Loading } from '../components/notice.tsx';
import { ResourcePolicy } from '../components/resource-policy.tsx';
import { ResourceTags } from '../components/resource-tags.tsx';
import { WhoCan } from '../components/who-can.tsx';
import { resourcesPath } from './resources.tsx';

const RESOURCE = graphql(`
  query Resource($resourceArn: String!) {
    resource(resourceArn: $resourceArn) {
      id
      resourceArn
      serviceName
      resourceType
      tags {
        key
        value
      }
      resourcePolicy
      createDate
      updateDate
    }
  }
`);

const DEREGISTER_RESOURCE = graphql(`
  mutation DeregisterResource($input: DeregisterResourceInput!) {
    deregisterResource(input: $input) {
      __typename
      ...ResultErrorFields
    }
  }
`);

/** The resource page. */
export function ResourceDetailPage(props: { resourceArn: string }) {
  const [version, setVersion] = useState(0);
  // The revision of this page's last write: who can answers from state at least that fresh.
  const [revision, setRevision] = useState<string | undefined>(undefined);
  const result = useQuery(RESOURCE, { resourceArn: props.resourceArn }, { refreshKey: version });
  const afterWrite = (committed: string) => {
    setRevision(committed);
    setVersion((v) => v + 1);
  };
  const resource = result.data?.resource;

  return (
    <>
      <p>
        <Link to="/resources">← Resources</Link>
      </p>
      <h1 style={{ wordBreak: 'break-all' }}>Resource {props.resourceArn}</h1>
      {result.loading && result.data === undefined ? <Loading what="resource" /> : null}
      <ErrorNotice error={result.error ?? errorAt(result.errors, 'resource')} />
      {result.data !== undefined && resource === null && result.errors.length === 0 ? (
        <Empty>
          No resource with the ARN “{props.resourceArn}” is registered in this account. <Link to="/resources">Back to resources</Link>
        </Empty>
      ) : null}
      {resource == null ? null : (
        <>
          <section className="panel" aria-labelledby="resource-facts">
            <h2 id="resource-facts" style={{ marginTop: 0 }}>
              Summary
            </h2>
            <dl className="facts">
              <dt>ARN</dt>
              <dd className="mono">{resource.resourceArn}</dd>
              <dt>Service</dt>
              <dd>
                <Link to={resourcesPath({ serviceName: resource.serviceName })}>
                  <code>{resource.serviceName}</code>
                </Link>
              </dd>
              <dt>Resource type</dt>
              <dd>
                <Link to={resourcesPath({ serviceName: resource.serviceName, resourceType: resource.resourceType })}>{resource.resourceType}</Link>
              </dd>
              <dt>Registered</dt>
              <dd>{new Date(resource.createDate).toLocaleString()}</dd>
              <dt>Updated</dt>
              <dd>{new Date(resource.updateDate).toLocaleString()}</dd>
            </dl>
          </section>
          <WhoCan resourceArn={resource.resourceArn} serviceName={resource.serviceName} minRevision={revision} />
          <ErrorNotice error={errorAt(result.errors, 'resource', 'tags')} />
          {resource.tags == null ? null : <ResourceTags resourceArn={resource.resourceArn} tags={resource.tags} onChange={afterWrite} />}
          <ResourcePolicy resourceArn={resource.resourceArn} policy={resource.resourcePolicy ?? null} onChange={afterWrite} />
          <DeleteEntity
            noun="resource"
            verb="Deregister"
            confirmWith="deregister"
            name={resource.resourceArn}
            mutation={DEREGISTER_RESOURCE}
            field="deregisterResource"
            variables={{ input: { resourceArn: resource.resourceArn } }}
            afterDelete="/resources"
          />
        </>
      )}
    </>
  );
}
