/**
 * A registered resource's policy: shown as stored, edited in the policy editor with findings for
 * a resource policy as you type (saving refused while it has errors), or deleted. Decisions about
 * the resource use the stored policy whenever a request brings none of its own.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { graphql } from '../api/generated/gql.ts';
import { useSession } from '../api/session.ts';
import { useResultMutation } from '../api/use-result-mutation.ts';
import { usePolicyFindings } from '../api/validate.ts';
import { CodeBlock } from './code-block.tsx';
import { ErrorNotice, Success } from './notice.tsx';
import { PolicyEditor } from './policy-editor.tsx';
import { ResultErrorNotice } from './result-error.tsx';
import { starterResourcePolicy } from './resource-arn.ts';

const PUT_RESOURCE_POLICY = graphql(`
  mutation PutResourcePolicy($input: PutResourcePolicyInput!) {
    putResourcePolicy(input: $input) {
      __typename
      ... on PutResourcePolicySuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

const DELETE_RESOURCE_POLICY = graphql(`
  mutation DeleteResourcePolicy($input: DeleteResourcePolicyInput!) {
    deleteResourcePolicy(input: $input) {
      __typename
      ... on DeleteResourcePolicySuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

/** The resource-policy panel of a resource page. */
export function ResourcePolicy(props: { resourceArn: string; policy: string | null; /** After a write, with the revision it committed. */ onChange: (revision: string) => void }) {
  const { session } = useSession();
  const [editing, setEditing] = useState(false);
  const [document, setDocument] = useState('');
  const [refused, setRefused] = useState(false);
  const [done, setDone] = useState<string | undefined>(undefined);
  const { findings, checking, error: checkError } = usePolicyFindings(document, 'RESOURCE_POLICY', { skip: !editing });
  const put = useResultMutation(PUT_RESOURCE_POLICY, 'putResourcePolicy', ['policyDocument']);
  const remove = useResultMutation(DELETE_RESOURCE_POLICY, 'deleteResourcePolicy', []);
  const errorCount = findings.filter((f) => f.findingType === 'ERROR').length;

  const edit = () => {
    setDone(undefined);
    setDocument(props.policy ?? starterResourcePolicy(props.resourceArn, session?.accountId ?? ''));
    setEditing(true);
  };
  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (errorCount > 0 || checking) {
      setRefused(true);
      return;
    }
    setRefused(false);
    const success = await put.submit({ input: { resourceArn: props.resourceArn, policyDocument: document } });
    if (success !== undefined) {
      setDone(`Saved the resource policy (revision ${success.revision}).`);
      setEditing(false);
      props.onChange(success.revision);
    }
  };
  const deletePolicy = async () => {
    setDone(undefined);
    const success = await remove.submit({ input: { resourceArn: props.resourceArn } });
    if (success !== undefined) {
      setDone(`Deleted the resource policy (revision ${success.revision}).`);
      props.onChange(success.revision);
    }
  };

  return (
    <section className="panel" aria-labelledby="resource-policy">
      <h2 id="resource-policy" style={{ marginTop: 0 }}>
        Resource policy
      </h2>
      {editing ? (
        <form onSubmit={save} aria-label="Edit resource policy" noValidate>
          <PolicyEditor label="Resource policy document" value={document} onChange={setDocument} findings={findings} checking={checking} />
          <ErrorNotice error={checkError} title="Could not check the resource policy" />
          {put.errors.fields.policyDocument === undefined ? null : (
            <div className="notice error" role="alert">
              {put.errors.fields.policyDocument}
            </div>
          )}
          {refused && errorCount > 0 ? (
            <div className="notice error" role="alert">
              Not saved: the resource policy has {errorCount} error{errorCount === 1 ? '' : 's'}.
            </div>
          ) : null}
          <ResultErrorNotice error={put.errors.general} />
          <ErrorNotice error={put.failure} />
          <div className="row">
            <button className="primary" type="submit" disabled={put.busy}>
              Save resource policy
            </button>
            <button type="button" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <>
          {props.policy === null ? <p className="muted">No resource policy: only identity policies decide access to it.</p> : <CodeBlock text={props.policy} label="Resource policy document" />}
          <div className="row">
            <button type="button" onClick={edit}>
              {props.policy === null ? 'Add resource policy' : 'Edit resource policy'}
            </button>
            {props.policy === null ? null : (
              <button type="button" className="danger" disabled={remove.busy} onClick={() => void deletePolicy()}>
                Delete resource policy
              </button>
            )}
          </div>
        </>
      )}
      <ResultErrorNotice error={remove.errors.general} />
      <ErrorNotice error={remove.failure} />
      {done === undefined ? null : <Success>{done}</Success>}
    </section>
  );
}
