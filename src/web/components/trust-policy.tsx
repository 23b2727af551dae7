/**
 * A role's trust policy (who may assume it): shown as stored, and edited in place with the policy
 * editor's inline findings (checked with the trust-policy grammar), saved by
 * UpdateAssumeRolePolicy. A document with errors is not sent.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { graphql } from '../api/generated/gql.ts';
import { useResultMutation } from '../api/use-result-mutation.ts';
import { usePolicyFindings } from '../api/validate.ts';
import { CodeBlock } from './code-block.tsx';
import { ErrorNotice, Success } from './notice.tsx';
import { PolicyEditor } from './policy-editor.tsx';
import { ResultErrorNotice } from './result-error.tsx';

const UPDATE_TRUST_POLICY = graphql(`
  mutation UpdateAssumeRolePolicy($input: UpdateAssumeRolePolicyInput!) {
    updateAssumeRolePolicy(input: $input) {
      __typename
      ... on UpdateAssumeRolePolicySuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

/** The trust policy panel of a role page. */
export function TrustPolicy(props: { roleName: string; document: string; onSaved: () => void }) {
  const [editing, setEditing] = useState(false);
  const [done, setDone] = useState<string | undefined>(undefined);
  return (
    <section className="panel" aria-labelledby="role-trust">
      <h2 id="role-trust" style={{ marginTop: 0 }}>
        Trust policy
      </h2>
      {editing ? (
        <TrustPolicyForm
          roleName={props.roleName}
          initial={props.document}
          onCancel={() => setEditing(false)}
          onSaved={(message) => {
            setEditing(false);
            setDone(message);
            props.onSaved();
          }}
        />
      ) : (
        <>
          <CodeBlock text={props.document} label="Trust policy document" />
          <p>
            <button
              type="button"
              onClick={() => {
                setDone(undefined);
                setEditing(true);
              }}
            >
              Edit trust policy
            </button>
          </p>
        </>
      )}
      {done === undefined ? null : <Success>{done}</Success>}
    </section>
  );
}

function TrustPolicyForm(props: { roleName: string; initial: string; onCancel: () => void; onSaved: (message: string) => void }) {
  const [document, setDocument] = useState(props.initial);
  const { findings, checking, error: checkError } = usePolicyFindings(document, 'TRUST_POLICY');
  const update = useResultMutation(UPDATE_TRUST_POLICY, 'updateAssumeRolePolicy', ['policyDocument']);
  const errorCount = findings.filter((f) => f.findingType === 'ERROR').length;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (errorCount > 0 || checking) return;
    const success = await update.submit({ input: { roleName: props.roleName, policyDocument: document } });
    if (success !== undefined) props.onSaved(`Saved the trust policy (revision ${success.revision}).`);
  };

  return (
    <form onSubmit={submit} aria-label="Edit trust policy" noValidate>
      <PolicyEditor label="Trust policy document" value={document} onChange={setDocument} findings={findings} checking={checking} />
      <ErrorNotice error={checkError} title="Could not check the document" />
      {update.errors.fields.policyDocument === undefined ? null : (
        <div className="notice error" role="alert">
          {update.errors.fields.policyDocument}
        </div>
      )}
      <ResultErrorNotice error={update.errors.general} />
      <ErrorNotice error={update.failure} />
      <div className="row" style={{ marginTop: 8 }}>
        <button type="submit" className="primary" disabled={update.busy || checking || errorCount > 0}>
          Save trust policy
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
