/**
 * One managed policy: facts, who uses it, every version (view, make default, delete), a new
 * version from the policy editor with a preview of the access it adds or removes, and delete.
 */
import { Tabs } from '../components/tabs.tsx';
import { AccessAdvisor } from '../components/access-advisor.tsx';
import { useState } from 'react';
import { graphql } from '../api/generated/gql.ts';
import type { PolicyQuery } from '../api/generated/graphql.ts';
import { errorAt } from '../api/graphql.ts';
import { useQuery } from '../api/use-query.ts';
import { useResultMutation } from '../api/use-result-mutation.ts';
import { CodeBlock } from '../components/code-block.tsx';
import { AttachPolicyTo } from '../components/attach-policy-to.tsx';
import { DeleteEntity } from '../components/delete-entity.tsx';
import { Link } from '../components/link.tsx';
import { Empty, ErrorNotice, Loading, Success } from '../components/notice.tsx';
import { ResultErrorNotice } from '../components/result-error.tsx';
import { TagList } from '../components/tags.tsx';
import { NewPolicyVersion } from '../components/new-policy-version.tsx';
import { groupPath } from './groups.tsx';
import { rolePath } from './roles.tsx';
import { userPath } from './users.tsx';

const POLICY = graphql(`
  query Policy($policyArn: String!) {
    policy(policyArn: $policyArn) {
      arn
      policyId
      policyName
      path
      description
      isBuiltIn
      isAttachable
      createDate
      updateDate
      defaultVersionId
      attachmentCount
      permissionsBoundaryUsageCount
      tags {
        key
        value
      }
      versions {
        versionId
        document
        isDefaultVersion
        createDate
      }
      entities(first: 100) {
        edges {
          node {
            __typename
            arn
            ... on User {
              userName
            }
            ... on Group {
              groupName
            }
            ... on Role {
              roleName
            }
          }
        }
        pageInfo {
          hasNextPage
        }
      }
    }
  }
`);

const SET_DEFAULT = graphql(`
  mutation SetDefaultPolicyVersion($input: SetDefaultPolicyVersionInput!) {
    setDefaultPolicyVersion(input: $input) {
      __typename
      ... on SetDefaultPolicyVersionSuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

const DELETE_VERSION = graphql(`
  mutation DeletePolicyVersion($input: DeletePolicyVersionInput!) {
    deletePolicyVersion(input: $input) {
      __typename
      ... on DeletePolicyVersionSuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

const DELETE_POLICY = graphql(`
  mutation DeletePolicy($input: DeletePolicyInput!) {
    deletePolicy(input: $input) {
      __typename
      ...ResultErrorFields
    }
  }
`);

/** A user, group or role the policy is attached to, as the page lists it. */
type Holder = NonNullable<NonNullable<PolicyQuery['policy']>['entities']>['edges'][number]['node'];

/** A holder's kind, name and page. */
function describeHolder(holder: Holder): { kind: string; name: string; path: string } {
  switch (holder.__typename) {
    case 'User':
      return { kind: 'User', name: holder.userName, path: userPath(holder.userName) };
    case 'Group':
      return { kind: 'Group', name: holder.groupName, path: groupPath(holder.groupName) };
    case 'Role':
      return { kind: 'Role', name: holder.roleName, path: rolePath(holder.roleName) };
  }
}

/** The policy page. */
export function PolicyDetailPage(props: { policyArn: string }) {
  const [version, setVersion] = useState(0);
  const [shown, setShown] = useState<string | undefined>(undefined);
  const [done, setDone] = useState<string | undefined>(undefined);
  const result = useQuery(POLICY, { policyArn: props.policyArn }, { refreshKey: version });
  const setDefault = useResultMutation(SET_DEFAULT, 'setDefaultPolicyVersion', []);
  const deleteVersion = useResultMutation(DELETE_VERSION, 'deletePolicyVersion', []);
  const policy = result.data?.policy;
  const reload = () => setVersion((v) => v + 1);
  const versions = policy?.versions ?? [];
  const defaultVersion = versions.find((v) => v.isDefaultVersion);
  const shownVersion = versions.find((v) => v.versionId === (shown ?? defaultVersion?.versionId));

  return (
    <>
      <p>
        <Link to="/policies">← Policies</Link>
      </p>
      <h1>Policy {policy?.policyName ?? props.policyArn}</h1>
      {result.loading && result.data === undefined ? <Loading what="policy" /> : null}
      <ErrorNotice error={result.error ?? errorAt(result.errors, 'policy')} />
      {result.data !== undefined && policy === null && result.errors.length === 0 ? <Empty>There is no policy with the ARN “{props.policyArn}”.</Empty> : null}
      {policy == null ? null : (
        <Tabs
          label={`Policy ${policy.policyName}`}
          tabs={[
            {
              id: 'overview',
              label: 'Overview',
              render: () => (
        <>
          <section className="panel" aria-labelledby="policy-facts">
            <h2 id="policy-facts" style={{ marginTop: 0 }}>
              Summary
            </h2>
            <dl className="facts">
              <dt>ARN</dt>
              <dd className="mono">{policy.arn}</dd>
              <dt>Description</dt>
              <dd>{policy.description ?? <span className="muted">—</span>}</dd>
              <dt>Kind</dt>
              <dd>{policy.isBuiltIn ? 'Built-in (shared by every account, read-only)' : 'Customer managed'}</dd>
              <dt>Default version</dt>
              <dd className="mono">{policy.defaultVersionId}</dd>
              <dt>Used</dt>
              <dd>
                attached {policy.attachmentCount} time{policy.attachmentCount === 1 ? '' : 's'}, boundary of {policy.permissionsBoundaryUsageCount}
              </dd>
              <dt>Updated</dt>
              <dd>{new Date(policy.updateDate).toLocaleString()}</dd>
            </dl>
          </section>
          <section className="panel" aria-labelledby="policy-versions">
            <h2 id="policy-versions" style={{ marginTop: 0 }}>
              Versions
            </h2>
            <ErrorNotice error={errorAt(result.errors, 'policy', 'versions')} />
            <div className="table-wrap">
              <table aria-label="Policy versions">
                <thead>
                  <tr>
                    <th scope="col">Version</th>
                    <th scope="col">Created</th>
                    <th scope="col">Actions</th>
                  </tr>
                </thead>
                <tbody>
                  {versions.map((v) => (
                    <tr key={v.versionId}>
                      <td>
                        <code>{v.versionId}</code> {v.isDefaultVersion ? <span className="badge allowed">default</span> : null}
                      </td>
                      <td>{new Date(v.createDate).toLocaleString()}</td>
                      <td className="row" style={{ gap: 6 }}>
                        <button type="button" onClick={() => setShown(v.versionId)} aria-pressed={shownVersion?.versionId === v.versionId}>
                          View
                        </button>
                        {policy.isBuiltIn || v.isDefaultVersion ? null : (
                          <>
                            <button
                              type="button"
                              disabled={setDefault.busy}
                              onClick={async () => {
                                setDone(undefined);
                                const ok = await setDefault.submit({ input: { policyArn: policy.arn, versionId: v.versionId } });
                                if (ok !== undefined) {
                                  setDone(`${v.versionId} is now the default (revision ${ok.revision}).`);
                                  reload();
                                }
                              }}
                            >
                              Make default
                            </button>
                            <button
                              type="button"
                              className="danger"
                              disabled={deleteVersion.busy}
                              onClick={async () => {
                                setDone(undefined);
                                const ok = await deleteVersion.submit({ input: { policyArn: policy.arn, versionId: v.versionId } });
                                if (ok !== undefined) {
                                  setDone(`Deleted ${v.versionId}.`);
                                  setShown(undefined);
                                  reload();
                                }
                              }}
                            >
                              Delete
                            </button>
                          </>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <ResultErrorNotice error={setDefault.errors.general ?? deleteVersion.errors.general} />
            <ErrorNotice error={setDefault.failure ?? deleteVersion.failure} />
            {done === undefined ? null : <Success>{done}</Success>}
            {shownVersion === undefined ? null : (
              <>
                <h3 style={{ fontSize: 15 }}>Document of {shownVersion.versionId}</h3>
                <CodeBlock text={shownVersion.document} label={`Policy document ${shownVersion.versionId}`} />
              </>
            )}
          </section>
          {policy.isBuiltIn || defaultVersion === undefined ? null : (
            <NewPolicyVersion policyArn={policy.arn} currentDocument={defaultVersion.document} versionCount={versions.length}
              onCreated={(versionId) => {
                // Show the version just saved, not the one viewed before (or the old default).
                setShown(versionId);
                reload();
              }}
            />
          )}
          <section className="panel" aria-labelledby="policy-entities">
            <h2 id="policy-entities" style={{ marginTop: 0 }}>
              Attached to
            </h2>
            <ErrorNotice error={errorAt(result.errors, 'policy', 'entities')} />
            {policy.entities == null ? null : policy.entities.edges.length === 0 ? (
              <p className="muted">Not attached to any user, group or role of this account.</p>
            ) : (
              <ul>
                {policy.entities.edges.map(({ node }) => {
                  const holder = describeHolder(node);
                  return (
                    <li key={node.arn}>
                      {holder.kind} <Link to={holder.path}>{holder.name}</Link>
                    </li>
                  );
                })}
              </ul>
            )}
            {policy.entities?.pageInfo.hasNextPage === true ? (
              <p className="muted">
                Showing the first {policy.entities.edges.length} of {policy.attachmentCount}.
              </p>
            ) : null}
            {policy.isAttachable ? <AttachPolicyTo policyArn={policy.arn} policyName={policy.policyName} onAttached={reload} /> : null}
          </section>
          <section className="panel" aria-labelledby="policy-tags">
            <h2 id="policy-tags" style={{ marginTop: 0 }}>
              Tags
            </h2>
            <ErrorNotice error={errorAt(result.errors, 'policy', 'tags')} />
            {policy.tags == null ? null : <TagList tags={policy.tags} />}
          </section>
          {policy.isBuiltIn ? null : (
            <DeleteEntity noun="policy" name={policy.policyName} mutation={DELETE_POLICY} field="deletePolicy" variables={{ input: { policyArn: policy.arn } }} afterDelete="/policies" />
          )}
        </>
              ),
            },
            { id: 'access-advisor', label: 'Access advisor', render: () => <AccessAdvisor arn={policy.arn} counts="attached" /> },
          ]}
        />
      )}
    </>
  );
}
