/**
 * The SCPs and RCPs attached to the selected root, OU or account: detach each (the server warns
 * when it was the last of its type there: everything below is then denied), and attach one of the
 * organization's policies that is not attached yet.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { graphql } from '../../api/generated/gql.ts';
import type { AttachedPolicy } from '../../api/organization-tree.ts';
import { useQuery } from '../../api/use-query.ts';
import { errorAt } from '../../api/graphql.ts';
import { useResultMutation } from '../../api/use-result-mutation.ts';
import { ErrorNotice } from '../notice.tsx';
import { ResultErrorNotice } from '../result-error.tsx';
import { POLICY_TYPE_SHORT } from './labels.ts';

/** Every SCP and RCP of the organization (AWS managed ones included). */
export const ORGANIZATION_POLICY_LIST = graphql(`
  query OrganizationPolicyList {
    organizationRoots {
      id
      policyTypes {
        type
      }
    }
    scps: organizationPolicies(filter: SERVICE_CONTROL_POLICY, first: 1000) {
      items {
        id
        name
        type
        awsManaged
        description
        version
      }
    }
    rcps: organizationPolicies(filter: RESOURCE_CONTROL_POLICY, first: 1000) {
      items {
        id
        name
        type
        awsManaged
        description
        version
      }
    }
  }
`);

const ATTACH = graphql(`
  mutation AttachOrganizationPolicy($input: AttachOrganizationPolicyInput!) {
    attachOrganizationPolicy(input: $input) {
      __typename
      ... on AttachOrganizationPolicySuccess {
        warnings
      }
      ...ResultErrorFields
    }
  }
`);

const DETACH = graphql(`
  mutation DetachOrganizationPolicy($input: DetachOrganizationPolicyInput!) {
    detachOrganizationPolicy(input: $input) {
      __typename
      ... on DetachOrganizationPolicySuccess {
        warnings
      }
      ...ResultErrorFields
    }
  }
`);

/** Props of PolicyAttachments. */
export interface AttachmentsProps {
  readonly targetId: string;
  readonly targetName: string;
  /** Null when the caller may not list them: nothing to show or detach, and no attach form. */
  readonly attached: readonly AttachedPolicy[] | null;
  readonly onChanged: () => void;
}

/** The attached policies with detach buttons, and the attach form; a notice when they may not be listed. */
export function PolicyAttachments(props: AttachmentsProps) {
  if (props.attached === null) {
    return (
      <div>
        <h3>Attached policies</h3>
        <p className="empty">You may not list the policies attached here (organizations:ListPoliciesForTarget).</p>
      </div>
    );
  }
  return <AttachmentEditor {...props} attached={props.attached} />;
}

function AttachmentEditor(props: AttachmentsProps & { readonly attached: readonly AttachedPolicy[] }) {
  const list = useQuery(ORGANIZATION_POLICY_LIST, {});
  const [choice, setChoice] = useState('');
  const [warnings, setWarnings] = useState<readonly string[]>([]);
  const attach = useResultMutation(ATTACH, 'attachOrganizationPolicy', ['policyId']);
  const detach = useResultMutation(DETACH, 'detachOrganizationPolicy', []);
  const attachedIds = new Set(props.attached.map((p) => p.id));
  const all = [...(list.data?.scps?.items ?? []), ...(list.data?.rcps?.items ?? [])];
  const attachable = all.filter((p) => !attachedIds.has(p.id));
  const chosen = attachable.some((p) => p.id === choice) ? choice : (attachable[0]?.id ?? '');

  const runDetach = async (policy: AttachedPolicy) => {
    setWarnings([]);
    attach.reset();
    const success = await detach.submit({ input: { policyId: policy.id, targetId: props.targetId } });
    if (success === undefined) return;
    setWarnings(success.warnings);
    props.onChanged();
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setWarnings([]);
    detach.reset();
    const success = await attach.submit({ input: { policyId: chosen, targetId: props.targetId } });
    if (success === undefined) return;
    setWarnings(success.warnings);
    props.onChanged();
  };

  return (
    <div>
      <h3>Attached policies</h3>
      {props.attached.length === 0 ? (
        <p className="empty">No policy is attached here.</p>
      ) : (
        <ul className="plain org-attached" aria-label={`Policies attached to ${props.targetName}`}>
          {props.attached.map((policy) => (
            <li key={policy.id}>
              <span className="badge neutral">{POLICY_TYPE_SHORT[policy.type]}</span> {policy.name} <code className="muted">{policy.id}</code>{' '}
              <button type="button" disabled={detach.busy} onClick={() => void runDetach(policy)} aria-label={`Detach ${policy.name}`}>
                Detach
              </button>
            </li>
          ))}
        </ul>
      )}
      {warnings.map((warning) => (
        <div key={warning} className="notice warn" role="status">
          <strong>Warning: </strong>
          {warning}
        </div>
      ))}
      <ResultErrorNotice error={detach.errors.general} />
      <ErrorNotice error={detach.failure} />
      <form onSubmit={submit} aria-label={`Attach a policy to ${props.targetName}`} className="row">
        <div className="field" style={{ flex: '1 1 220px', marginBottom: 0 }}>
          <label htmlFor="attach-policy">Policy to attach</label>
          <select id="attach-policy" value={chosen} onChange={(event) => setChoice(event.target.value)} disabled={attachable.length === 0}>
            {attachable.map((policy) => (
              <option key={policy.id} value={policy.id}>
                {POLICY_TYPE_SHORT[policy.type]}: {policy.name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" disabled={attach.busy || chosen === ''}>
          Attach
        </button>
      </form>
      {attach.errors.fields.policyId === undefined ? null : (
        <div className="field-error" role="alert">
          {attach.errors.fields.policyId}
        </div>
      )}
      <ResultErrorNotice error={attach.errors.general} />
      <ErrorNotice error={attach.failure} />
      <ErrorNotice error={list.error ?? errorAt(list.errors, 'scps') ?? errorAt(list.errors, 'rcps')} title="Could not list the policies" />
    </div>
  );
}
