/**
 * Create or edit an SCP or RCP in the policy editor. Findings come from the server's
 * validatePolicy as the user types (SCPs as guardrails, RCPs as resource policies); rules only
 * CreatePolicy/UpdatePolicy know (an SCP with a Principal, an RCP that allows) come back as
 * MalformedPolicyDocument and are shown on the document field with their findings.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { graphql } from '../../api/generated/gql.ts';
import type { OrganizationPolicyType } from '../../api/generated/graphql.ts';
import { useResultMutation } from '../../api/use-result-mutation.ts';
import { usePolicyFindings } from '../../api/validate.ts';
import { TextField } from '../field.tsx';
import { ErrorNotice } from '../notice.tsx';
import { PolicyEditor } from '../policy-editor.tsx';
import { ResultErrorNotice } from '../result-error.tsx';
import { POLICY_TYPE_LABELS } from './labels.ts';

const CREATE = graphql(`
  mutation CreateOrganizationPolicy($input: CreateOrganizationPolicyInput!) {
    createOrganizationPolicy(input: $input) {
      __typename
      ... on CreateOrganizationPolicySuccess {
        policy {
          id
        }
      }
      ...ResultErrorFields
    }
  }
`);

const UPDATE = graphql(`
  mutation UpdateOrganizationPolicy($input: UpdateOrganizationPolicyInput!) {
    updateOrganizationPolicy(input: $input) {
      __typename
      ... on UpdateOrganizationPolicySuccess {
        policy {
          id
        }
      }
      ...ResultErrorFields
    }
  }
`);

/** What the form starts from: nothing (create) or the policy being edited. */
export interface PolicyDraft {
  readonly id?: string;
  readonly name: string;
  readonly description: string;
  readonly type: OrganizationPolicyType;
  readonly content: string;
}

const FIELDS = ['name', 'description', 'type', 'content'];

/** The create/edit form; `onSaved` gets the policy id, `onCancel` closes it. */
export function OrganizationPolicyForm(props: { draft: PolicyDraft; onSaved: (policyId: string) => void; onCancel: () => void }) {
  const editing = props.draft.id !== undefined;
  const [name, setName] = useState(props.draft.name);
  const [description, setDescription] = useState(props.draft.description);
  const [type, setType] = useState<OrganizationPolicyType>(props.draft.type);
  const [content, setContent] = useState(props.draft.content);
  const check = usePolicyFindings(content, type === 'SERVICE_CONTROL_POLICY' ? 'GUARDRAIL_POLICY' : 'RESOURCE_POLICY');
  const create = useResultMutation(CREATE, 'createOrganizationPolicy', FIELDS, { ORGANIZATION_POLICY: 'name' });
  const update = useResultMutation(UPDATE, 'updateOrganizationPolicy', FIELDS, { ORGANIZATION_POLICY: 'name' });
  const active = editing ? update : create;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const saved =
      props.draft.id !== undefined
        ? await update.submit({ input: { policyId: props.draft.id, name: name.trim(), description: description.trim(), content } })
        : await create.submit({ input: { type, name: name.trim(), description: description.trim(), content } });
    if (saved !== undefined) props.onSaved(saved.policy.id);
  };
  const documentError = active.errors.fields.content;
  const label = editing ? `Edit ${props.draft.name}` : 'Create organization policy';

  return (
    <form className="panel" onSubmit={submit} aria-label={label} noValidate>
      <h2 style={{ marginTop: 0 }}>{label}</h2>
      {editing ? (
        <p>{POLICY_TYPE_LABELS[type]}</p>
      ) : (
        <div className="field">
          <label htmlFor="org-policy-type">Type</label>
          <select id="org-policy-type" value={type} onChange={(event) => setType(event.target.value === 'RESOURCE_CONTROL_POLICY' ? 'RESOURCE_CONTROL_POLICY' : 'SERVICE_CONTROL_POLICY')}>
            <option value="SERVICE_CONTROL_POLICY">{POLICY_TYPE_LABELS.SERVICE_CONTROL_POLICY} (SCP)</option>
            <option value="RESOURCE_CONTROL_POLICY">{POLICY_TYPE_LABELS.RESOURCE_CONTROL_POLICY} (RCP)</option>
          </select>
        </div>
      )}
      <TextField label="Policy name" value={name} onChange={setName} error={active.errors.fields.name} spellCheck={false} />
      <TextField label="Description" hint="(optional)" value={description} onChange={setDescription} error={active.errors.fields.description} />
      <PolicyEditor
        label="Policy document"
        value={content}
        onChange={setContent}
        findings={check.findings}
        checking={check.checking}
      />
      <ErrorNotice error={check.error} title="Could not check the document" />
      {documentError === undefined ? null : (
        <div className="field-error" role="alert">
          <strong>Not saved: </strong>
          {documentError}
        </div>
      )}
      <ResultErrorNotice error={active.errors.general} />
      <ErrorNotice error={active.failure} />
      <div className="row">
        <button type="submit" className="primary" disabled={active.busy}>
          {active.busy ? 'Saving…' : 'Save policy'}
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
