/**
 * A new version of a managed policy, edited in the policy editor (starting from the default
 * version), with inline findings, a preview of the access it changes, and refusal to save while
 * the document has errors.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { graphql } from '../api/generated/gql.ts';
import { useResultMutation } from '../api/use-result-mutation.ts';
import { usePolicyFindings } from '../api/validate.ts';
import { AccessPreview } from './access-preview.tsx';
import { ErrorNotice, Success } from './notice.tsx';
import { PolicyEditor } from './policy-editor.tsx';
import { ResultErrorNotice } from './result-error.tsx';

const CREATE_POLICY_VERSION = graphql(`
  mutation CreatePolicyVersion($input: CreatePolicyVersionInput!) {
    createPolicyVersion(input: $input) {
      __typename
      ... on CreatePolicyVersionSuccess {
        revision
        policyVersion {
          versionId
        }
      }
      ...ResultErrorFields
    }
  }
`);

/** The new-version panel of a policy page. */
export function NewPolicyVersion(props: { policyArn: string; currentDocument: string; versionCount: number; onCreated: (versionId: string) => void }) {
  const [document, setDocument] = useState(props.currentDocument);
  const [setAsDefault, setSetAsDefault] = useState(true);
  const [refused, setRefused] = useState(false);
  const [done, setDone] = useState<string | undefined>(undefined);
  const { findings, checking, error: checkError } = usePolicyFindings(document);
  const create = useResultMutation(CREATE_POLICY_VERSION, 'createPolicyVersion', ['policyDocument']);
  const errorCount = findings.filter((f) => f.findingType === 'ERROR').length;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setDone(undefined);
    if (errorCount > 0 || checking) {
      setRefused(true);
      return;
    }
    setRefused(false);
    const success = await create.submit({ input: { policyArn: props.policyArn, policyDocument: document, setAsDefault } });
    if (success !== undefined) {
      setDone(`Saved as ${success.policyVersion.versionId}${setAsDefault ? ', now the default' : ''} (revision ${success.revision}).`);
      props.onCreated(success.policyVersion.versionId);
    }
  };

  return (
    <section className="panel" aria-labelledby="new-version">
      <h2 id="new-version" style={{ marginTop: 0 }}>
        Edit: new version
      </h2>
      {props.versionCount >= 5 ? (
        <p className="notice warn">A policy keeps at most five versions: delete one before saving another.</p>
      ) : null}
      <form onSubmit={submit} aria-label="Create policy version" noValidate>
        <PolicyEditor label="Policy document" value={document} onChange={setDocument} findings={findings} checking={checking} />
        <ErrorNotice error={checkError} title="Could not check the document" />
        <label style={{ display: 'flex', gap: 6, alignItems: 'center', fontWeight: 400, margin: '8px 0' }}>
          <input type="checkbox" style={{ width: 'auto' }} checked={setAsDefault} onChange={(e) => setSetAsDefault(e.target.checked)} />
          Make it the default version (takes effect at once)
        </label>
        {create.errors.fields.policyDocument === undefined ? null : (
          <div className="notice error" role="alert">
            {create.errors.fields.policyDocument}
          </div>
        )}
        {refused && errorCount > 0 ? (
          <div className="notice error" role="alert">
            Not saved: the document has {errorCount} error{errorCount === 1 ? '' : 's'}. Fix {errorCount === 1 ? 'it' : 'them'} and save again.
          </div>
        ) : null}
        <ResultErrorNotice error={create.errors.general} />
        <ErrorNotice error={create.failure} />
        {done === undefined ? null : <Success>{done}</Success>}
        <button className="primary" type="submit" disabled={create.busy}>
          {create.busy ? 'Saving…' : 'Save version'}
        </button>{' '}
        <span className="muted" style={{ fontSize: 13 }}>
          {errorCount > 0 ? `${errorCount} error${errorCount === 1 ? '' : 's'} to fix before saving` : checking ? 'Checking…' : 'Ready to save'}
        </span>
      </form>
      <AccessPreview currentDocument={props.currentDocument} draftDocument={document} disabled={errorCount > 0} />
    </section>
  );
}
