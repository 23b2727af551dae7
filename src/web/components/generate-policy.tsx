/**
 * "Generate policy" on user and role pages: a least-privilege draft from the principal's allowed
 * decisions over a window (`generatedPolicy`), opened in the policy editor, with every widening
 * the draft makes listed and the access preview: what the draft would deny that its policies
 * grant today. The draft can be edited and saved as a new managed policy.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { graphql } from '../api/generated/gql.ts';
import type { GeneratedPolicyQuery } from '../api/generated/graphql.ts';
import { request } from '../api/graphql.ts';
import type { ApiError } from '../api/graphql.ts';
import { toApiError } from '../api/use-query.ts';
import { usePolicyFindings } from '../api/validate.ts';
import { TextField } from './field.tsx';
import { ErrorNotice } from './notice.tsx';
import { PolicyEditor } from './policy-editor.tsx';

const GENERATED_POLICY = graphql(`
  query GeneratedPolicy($input: GeneratedPolicyInput!) {
    generatedPolicy(input: $input) {
      policyDocument
      actions
      statementCount
      isComplete
      widenings {
        resource
        actions
        replaces
        reason
        message
      }
      accessPreview {
        grantedActionCount
        deniedActionCount
        deniedActions
        newlyGrantedActions
      }
    }
  }
`);

type Generated = NonNullable<GeneratedPolicyQuery['generatedPolicy']>;

/** The panel for the user or role `principalArn`. */
export function GeneratePolicy(props: { principalArn: string }) {
  const [days, setDays] = useState('30');
  const [generated, setGenerated] = useState<Generated | undefined>();
  const [document, setDocument] = useState('');
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const { findings, checking } = usePolicyFindings(document);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const startTime = new Date(Date.now() - Number(days) * 86_400_000).toISOString();
      const { data } = await request(GENERATED_POLICY, { input: { principalArn: props.principalArn, startDate: startTime } });
      if (data.generatedPolicy == null) return;
      setGenerated(data.generatedPolicy);
      setDocument(data.generatedPolicy.policyDocument);
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="generate-policy-heading">
      <h2 id="generate-policy-heading" style={{ marginTop: 0 }}>
        Generate policy from use
      </h2>
      <form onSubmit={submit} aria-label="Generate policy">
        <TextField label="Days of activity (1-90)" value={days} onChange={setDays} inputMode="numeric" />
        <button className="primary" type="submit" disabled={busy}>
          {busy ? 'Generating…' : 'Generate policy'}
        </button>
      </form>
      <ErrorNotice error={error} title="Could not generate a policy" />
      {generated === undefined ? null : (
        <>
          <p role="status">
            {generated.actions.length === 0
              ? 'No allowed decision in this window: the draft grants nothing.'
              : `${generated.actions.length} action${generated.actions.length === 1 ? '' : 's'} used, in ${generated.statementCount} statement${generated.statementCount === 1 ? '' : 's'}.`}
            {generated.isComplete ? '' : ' Only part of the window\u2019s activity was read.'}
          </p>
          {generated.widenings.length === 0 ? (
            <p className="muted">The draft allows exactly the actions and resources that were used.</p>
          ) : (
            <div className="notice warning" role="note" aria-label="Widenings">
              <strong>The draft allows more than was used in {generated.widenings.length} place{generated.widenings.length === 1 ? '' : 's'}:</strong>
              <ul>
                {generated.widenings.map((w) => (
                  <li key={`${w.reason}-${w.resource}`}>{w.message}</li>
                ))}
              </ul>
            </div>
          )}
          <PolicyEditor label="Generated policy" value={document} onChange={setDocument} findings={findings} checking={checking} />
          <section aria-label="Access preview">
            <h3>Access preview</h3>
            <p>
              Granted today: {generated.accessPreview.grantedActionCount} actions. The draft would deny{' '}
              <strong>{generated.accessPreview.deniedActionCount}</strong> of them.
            </p>
            {generated.accessPreview.deniedActions.length === 0 ? null : (
              <ul aria-label="Denied by the draft" className="mono" style={{ maxHeight: 240, overflow: 'auto' }}>
                {generated.accessPreview.deniedActions.map((a) => (
                  <li key={a}>{a}</li>
                ))}
              </ul>
            )}
            {generated.accessPreview.newlyGrantedActions.length === 0 ? null : (
              <p>Used through a resource policy, not granted by its own policies today: {generated.accessPreview.newlyGrantedActions.join(', ')}</p>
            )}
          </section>
        </>
      )}
    </section>
  );
}
