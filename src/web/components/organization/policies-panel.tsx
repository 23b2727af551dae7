/**
 * The organization's SCPs and RCPs: one table per type, each policy editable (AWS managed ones
 * are read-only) and deletable once attached to nothing; "Create policy" opens the editor form.
 */
import { Fragment, useState } from 'react';
import { graphql } from '../../api/generated/gql.ts';
import { errorAt, request } from '../../api/graphql.ts';
import type { ApiError } from '../../api/graphql.ts';
import { useQuery, toApiError } from '../../api/use-query.ts';
import { useResultMutation } from '../../api/use-result-mutation.ts';
import { Empty, ErrorNotice, Loading, Success } from '../notice.tsx';
import { ResultErrorNotice } from '../result-error.tsx';
import { ORGANIZATION_POLICY_LIST } from './attachments.tsx';
import { OrganizationPolicyForm } from './policy-form.tsx';
import { PolicyTypeSwitch } from './policy-types.tsx';
import type { PolicyDraft } from './policy-form.tsx';

const POLICY_CONTENT = graphql(`
  query OrganizationPolicyContent($policyId: String!) {
    organizationPolicy(policyId: $policyId) {
      id
      name
      description
      type
      content
    }
  }
`);

const DELETE = graphql(`
  mutation DeleteOrganizationPolicy($input: DeleteOrganizationPolicyInput!) {
    deleteOrganizationPolicy(input: $input) {
      __typename
      ...ResultErrorFields
    }
  }
`);

const STARTER_SCP = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:DeleteBucket', Resource: '*' }] }, null, 2);

/** The two lists and the editor. */
export function OrganizationPoliciesPanel(props: { onChanged: () => void }) {
  const list = useQuery(ORGANIZATION_POLICY_LIST, {});
  const [draft, setDraft] = useState<PolicyDraft | undefined>(undefined);
  const [opening, setOpening] = useState<ApiError | undefined>(undefined);
  const [saved, setSaved] = useState<string | undefined>(undefined);
  const remove = useResultMutation(DELETE, 'deleteOrganizationPolicy', []);

  const edit = async (policyId: string) => {
    setOpening(undefined);
    setSaved(undefined);
    try {
      const answer = await request(POLICY_CONTENT, { policyId });
      const policy = answer.data.organizationPolicy;
      if (policy == null) setOpening(errorAt(answer.errors, 'organizationPolicy') ?? answer.errors[0]);
      else setDraft({ id: policy.id, name: policy.name, description: policy.description, type: policy.type, content: policy.content });
    } catch (caught) {
      setOpening(toApiError(caught));
    }
  };
  const runDelete = async (policyId: string, name: string) => {
    setSaved(undefined);
    if ((await remove.submit({ input: { policyId } })) === undefined) return;
    setSaved(`Deleted ${name}.`);
    list.reload();
  };

  if (draft !== undefined) {
    return (
      <OrganizationPolicyForm
        key={draft.id ?? 'new'}
        draft={draft}
        onCancel={() => setDraft(undefined)}
        onSaved={() => {
          setSaved(`Saved ${draft.id === undefined ? 'the new policy' : draft.name}.`);
          setDraft(undefined);
          list.reload();
          props.onChanged();
        }}
      />
    );
  }

  return (
    <section className="panel" aria-labelledby="org-policies-title">
      <div className="row">
        <h2 id="org-policies-title" style={{ margin: 0 }}>
          SCPs and RCPs
        </h2>
        <span className="spacer" />
        <button type="button" className="primary" onClick={() => setDraft({ name: '', description: '', type: 'SERVICE_CONTROL_POLICY', content: STARTER_SCP })}>
          Create policy
        </button>
      </div>
      {saved === undefined ? null : <Success>{saved}</Success>}
      <ErrorNotice error={opening} title="Could not open the policy" />
      <ResultErrorNotice error={remove.errors.general} />
      <ErrorNotice error={remove.failure} />
      <ErrorNotice error={list.error ?? errorAt(list.errors, 'scps') ?? errorAt(list.errors, 'rcps')} />
      {list.loading && list.data === undefined ? <Loading what="policies" /> : null}
      {(['scps', 'rcps'] as const).map((kind) => {
        const items = list.data?.[kind]?.items;
        if (items == null) return null;
        const caption = kind === 'scps' ? 'Service control policies (SCPs)' : 'Resource control policies (RCPs)';
        const type = kind === 'scps' ? 'SERVICE_CONTROL_POLICY' : 'RESOURCE_CONTROL_POLICY';
        const root = list.data?.organizationRoots?.[0];
        return (
          <Fragment key={kind}>
            {root == null ? null : (
              <PolicyTypeSwitch
                rootId={root.id}
                type={type}
                enabled={root.policyTypes.some((t) => t.type === type)}
                onChanged={(message) => {
                  setSaved(message);
                  list.reload();
                  props.onChanged();
                }}
              />
            )}
            {/* Focusable region: at phone width the table scrolls sideways, by keyboard too. */}
            <div className="table-wrap" tabIndex={0} role="region" aria-label={caption}>
              {items.length === 0 ? (
                <Empty>No {kind === 'scps' ? 'SCP' : 'RCP'} yet.</Empty>
              ) : (
                <table>
                  <caption>{caption}</caption>
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">Description</th>
                      <th scope="col">Version</th>
                      <th scope="col">Actions</th>
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((policy) => (
                      <tr key={policy.id}>
                        <td>
                          {policy.name} {policy.awsManaged ? <span className="badge neutral">AWS managed</span> : null}
                          <br />
                          <code className="muted">{policy.id}</code>
                        </td>
                        <td>{policy.description === '' ? <span className="muted">—</span> : policy.description}</td>
                        <td>{policy.version}</td>
                        <td>
                          {policy.awsManaged ? (
                            <span className="muted">read-only</span>
                          ) : (
                            <div className="row">
                              <button type="button" onClick={() => void edit(policy.id)} aria-label={`Edit ${policy.name}`}>
                                Edit
                              </button>
                              <button type="button" className="danger" disabled={remove.busy} onClick={() => void runDelete(policy.id, policy.name)} aria-label={`Delete ${policy.name}`}>
                                Delete
                              </button>
                            </div>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </div>
          </Fragment>
        );
      })}
    </section>
  );
}
