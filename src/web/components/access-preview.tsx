/**
 * What a policy change would do, before saving it, for a chosen principal, actions and
 * resources: what the current document and the draft each grant that principal on their own
 * (access added or removed; simulateCustomPolicy with the principal as caller, so policy
 * variables resolve to it), and the principal's effective access now and with the draft added
 * to its policies (simulatePrincipalPolicy). Neither records anything.
 */
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { graphql } from '../api/generated/gql.ts';
import type { EvalDecision } from '../api/generated/graphql.ts';
import { ApiError, request } from '../api/graphql.ts';
import { toApiError } from '../api/use-query.ts';
import { DecisionBadge } from './decision-view.tsx';
import { TextField } from './field.tsx';
import { ErrorNotice } from './notice.tsx';
import { EntityPicker } from './entity-picker.tsx';

const EVALUATION_FIELDS = graphql(`
  fragment EvaluationFields on EvaluationResult {
    evalActionName
    evalResourceName
    evalDecision
  }
`);

const POLICY_PREVIEW = graphql(`
  query PolicyPreview($current: SimulateCustomPolicyInput!, $draft: SimulateCustomPolicyInput!) {
    current: simulateCustomPolicy(input: $current) {
      ...EvaluationFields
    }
    draft: simulateCustomPolicy(input: $draft) {
      ...EvaluationFields
    }
  }
`);

const PRINCIPAL_PREVIEW = graphql(`
  query PrincipalPreview($now: SimulatePrincipalPolicyInput!, $withDraft: SimulatePrincipalPolicyInput!) {
    now: simulatePrincipalPolicy(input: $now) {
      ...EvaluationFields
    }
    withDraft: simulatePrincipalPolicy(input: $withDraft) {
      ...EvaluationFields
    }
  }
`);

/** A preview row: one action on one resource. */
interface PreviewRow {
  readonly action: string;
  readonly resource: string;
  readonly current: EvalDecision;
  readonly draft: EvalDecision;
  readonly principalNow: EvalDecision;
  readonly principalWithDraft: EvalDecision;
}

/** Splits a list typed one per line or comma-separated. */
function items(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The preview form and its table. */
export function AccessPreview(props: { currentDocument: string; draftDocument: string; disabled: boolean }) {
  const [principal, setPrincipal] = useState('');
  const [actions, setActions] = useState('');
  const [resources, setResources] = useState('*');
  const [rows, setRows] = useState<PreviewRow[] | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  // A preview answers for one pair of documents: once either changes (an edit, or a saved version
  // becoming the current one) its rows are stale, so they go until it is run again.
  useEffect(() => setRows(undefined), [props.currentDocument, props.draftDocument]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const actionNames = items(actions);
    const resourceArns = items(resources);
    const principalArn = principal.trim();
    if (actionNames.length === 0 || principalArn === '') return;
    const base = { actionNames, resourceArns: resourceArns.length === 0 ? ['*'] : resourceArns };
    setBusy(true);
    setError(undefined);
    try {
      const [policy, effective] = await Promise.all([
        request(POLICY_PREVIEW, {
          current: { ...base, callerArn: principalArn, policyInputList: [props.currentDocument] },
          draft: { ...base, callerArn: principalArn, policyInputList: [props.draftDocument] },
        }),
        request(PRINCIPAL_PREVIEW, {
          now: { ...base, policySourceArn: principalArn },
          withDraft: { ...base, policySourceArn: principalArn, policyInputList: [props.draftDocument] },
        }),
      ]);
      // The four simulations answer together or not at all: one refused part refuses the preview.
      const { current, draft } = policy.data;
      const { now, withDraft } = effective.data;
      if (current == null || draft == null || now == null || withDraft == null) {
        throw policy.errors[0] ?? effective.errors[0] ?? new ApiError('CLIENT', 'the API answered no simulation');
      }
      setRows(
        current.map((c, i) => ({
          action: c.evalActionName,
          resource: c.evalResourceName,
          current: c.evalDecision,
          draft: draft[i]!.evalDecision,
          principalNow: now[i]!.evalDecision,
          principalWithDraft: withDraft[i]!.evalDecision,
        })),
      );
    } catch (caught) {
      setRows(undefined);
      setError(toApiError(caught));
    } finally {
      setBusy(false);
    }
  };

  const change = (row: PreviewRow): string => {
    const before = row.current === 'ALLOWED';
    const after = row.draft === 'ALLOWED';
    return before === after ? 'unchanged' : after ? 'added' : 'removed';
  };

  return (
    <div>
      <h3 style={{ fontSize: 15 }}>Preview the change</h3>
      <form onSubmit={submit} aria-label="Preview access" noValidate>
        <div className="row">
          <div style={{ flex: '1 1 220px' }}>
            <TextField label="Actions" hint="(comma-separated)" value={actions} onChange={setActions} placeholder="s3:GetObject, s3:PutObject" spellCheck={false} />
          </div>
          <div style={{ flex: '1 1 220px' }}>
            <TextField label="Resources" hint="(comma-separated)" value={resources} onChange={setResources} spellCheck={false} />
          </div>
          <div style={{ flex: '1 1 220px' }}>
            <EntityPicker kind="principal" label="Principal ARN" value={principal} onChange={setPrincipal} placeholder="arn:aws:iam::111122223333:user/alice" />
          </div>
        </div>
        <button type="submit" disabled={busy || props.disabled || items(actions).length === 0 || principal.trim() === ''}>
          {busy ? 'Simulating…' : 'Preview'}
        </button>
      </form>
      <ErrorNotice error={error} />
      {rows === undefined ? null : (
        <div className="table-wrap" style={{ marginTop: 10 }}>
          <table aria-label="Access preview">
            <thead>
              <tr>
                <th scope="col">Action</th>
                <th scope="col">Resource</th>
                <th scope="col">This policy now</th>
                <th scope="col">Draft</th>
                <th scope="col">Change</th>
                <th scope="col">Principal now</th>
                <th scope="col">Principal with draft added</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={`${row.action} ${row.resource}`} data-change={change(row)}>
                  <td className="mono">{row.action}</td>
                  <td className="mono wrap">{row.resource}</td>
                  <td>
                    <DecisionBadge decision={row.current} />
                  </td>
                  <td>
                    <DecisionBadge decision={row.draft} />
                  </td>
                  <td>
                    <strong>{change(row)}</strong>
                  </td>
                  <td>
                    <DecisionBadge decision={row.principalNow} />
                  </td>
                  <td>
                    <DecisionBadge decision={row.principalWithDraft} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
