/**
 * Create a managed policy: name, description, path and the document in the policy editor. The
 * editor shows findings as the user types, and saving is refused while any finding is an error.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { graphql } from '../api/generated/gql.ts';
import type { CreatePolicyInput } from '../api/generated/graphql.ts';
import { useResultMutation } from '../api/use-result-mutation.ts';
import { usePolicyFindings } from '../api/validate.ts';
import { TextField } from '../components/field.tsx';
import { Link } from '../components/link.tsx';
import { ErrorNotice } from '../components/notice.tsx';
import { PolicyEditor } from '../components/policy-editor.tsx';
import { ResultErrorNotice } from '../components/result-error.tsx';
import { navigate } from '../router.ts';
import { policyPath } from './policies.tsx';
import { STARTER_DOCUMENT } from '../components/starter-document.ts';

const CREATE_POLICY = graphql(`
  mutation CreatePolicy($input: CreatePolicyInput!) {
    createPolicy(input: $input) {
      __typename
      ... on CreatePolicySuccess {
        revision
        policy {
          arn
        }
      }
      ...ResultErrorFields
    }
  }
`);


/** The create-policy page. */
export function NewPolicyPage() {
  const [policyName, setPolicyName] = useState('');
  const [description, setDescription] = useState('');
  const [path, setPath] = useState('');
  const [document, setDocument] = useState(STARTER_DOCUMENT);
  const [refused, setRefused] = useState(false);
  const { findings, checking, error: checkError } = usePolicyFindings(document);
  const create = useResultMutation(CREATE_POLICY, 'createPolicy', ['policyName', 'description', 'path', 'policyDocument'], { POLICY: 'policyName' });
  const errorCount = findings.filter((f) => f.findingType === 'ERROR').length;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (errorCount > 0 || checking) {
      setRefused(true);
      return;
    }
    setRefused(false);
    const input: CreatePolicyInput = { policyName: policyName.trim(), policyDocument: document };
    if (description.trim() !== '') input.description = description.trim();
    if (path.trim() !== '') input.path = path.trim();
    const success = await create.submit({ input });
    if (success !== undefined) navigate(policyPath(success.policy.arn));
  };

  return (
    <>
      <p>
        <Link to="/policies">← Policies</Link>
      </p>
      <h1>Create policy</h1>
      <form className="panel" onSubmit={submit} aria-label="Create policy" noValidate>
        <TextField label="Policy name" value={policyName} onChange={setPolicyName} error={create.errors.fields.policyName} spellCheck={false} />
        <TextField label="Description" hint="(optional)" value={description} onChange={setDescription} error={create.errors.fields.description} />
        <TextField label="Path" hint="(optional)" value={path} onChange={setPath} error={create.errors.fields.path} spellCheck={false} />
        <PolicyEditor label="Policy document" value={document} onChange={setDocument} findings={findings} checking={checking} />
        <ErrorNotice error={checkError} title="Could not check the document" />
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
        <button className="primary" type="submit" disabled={create.busy} aria-describedby="save-rule">
          {create.busy ? 'Saving…' : 'Save policy'}
        </button>{' '}
        <span id="save-rule" className="muted" style={{ fontSize: 13 }}>
          {errorCount > 0 ? `${errorCount} error${errorCount === 1 ? '' : 's'} to fix before saving` : checking ? 'Checking…' : 'Ready to save'}
        </span>
      </form>
    </>
  );
}
