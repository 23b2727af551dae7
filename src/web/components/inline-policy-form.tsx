/**
 * Adding or replacing an inline policy of a user, group or role (Put{User,Group,Role}Policy):
 * a name and the document in the policy editor, refused while the document has errors.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import type { PrincipalKind } from '../api/principal-kinds.ts';
import { useResultMutation } from '../api/use-result-mutation.ts';
import { usePolicyFindings } from '../api/validate.ts';
import { TextField } from './field.tsx';
import { ErrorNotice } from './notice.tsx';
import { PolicyEditor } from './policy-editor.tsx';
import { ResultErrorNotice } from './result-error.tsx';
import { STARTER_DOCUMENT } from './starter-document.ts';

/** The form, collapsed behind a button until wanted. */
export function InlinePolicyForm(props: { principal: PrincipalKind; name: string; onSaved: (message: string) => void }) {
  const p = props.principal;
  const [open, setOpen] = useState(false);
  const [policyName, setPolicyName] = useState('');
  const [document, setDocument] = useState(STARTER_DOCUMENT);
  const [refused, setRefused] = useState(false);
  const { findings, checking, error: checkError } = usePolicyFindings(document);
  const put = useResultMutation(p.putInline, 'result', ['policyName', 'policyDocument']);
  const errorCount = findings.filter((f) => f.findingType === 'ERROR').length;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (errorCount > 0 || checking) {
      setRefused(true);
      return;
    }
    setRefused(false);
    const success = await put.submit({ name: props.name, policyName: policyName.trim(), policyDocument: document });
    if (success !== undefined) {
      props.onSaved(`Saved inline policy ${policyName.trim()} (revision ${success.revision}).`);
      setOpen(false);
      setPolicyName('');
      setDocument(STARTER_DOCUMENT);
    }
  };

  if (!open) {
    return (
      <button type="button" onClick={() => setOpen(true)}>
        Add inline policy
      </button>
    );
  }
  return (
    <form onSubmit={submit} aria-label="Add inline policy" noValidate className="panel">
      <TextField label="Inline policy name" hint="(an existing one is replaced)" value={policyName} onChange={setPolicyName} error={put.errors.fields.policyName} spellCheck={false} />
      <PolicyEditor label="Inline policy document" value={document} onChange={setDocument} findings={findings} checking={checking} />
      <ErrorNotice error={checkError} title="Could not check the document" />
      {put.errors.fields.policyDocument === undefined ? null : (
        <div className="notice error" role="alert">
          {put.errors.fields.policyDocument}
        </div>
      )}
      {refused && errorCount > 0 ? (
        <div className="notice error" role="alert">
          Not saved: the document has {errorCount} error{errorCount === 1 ? '' : 's'}.
        </div>
      ) : null}
      <ResultErrorNotice error={put.errors.general} />
      <ErrorNotice error={put.failure} />
      <div className="row">
        <button className="primary" type="submit" disabled={put.busy}>
          Save inline policy
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
