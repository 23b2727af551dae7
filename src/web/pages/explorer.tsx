/**
 * Access explorer: ask "may this principal do these actions on these resources, in this
 * context?" and see each answer explained; watch any answer to see it change live.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import type { ContextKeyType } from '../api/generated/graphql.ts';
import { authorizeBatch, isDecision } from '../api/decisions.ts';
import type { Answer, ContextEntry, Question } from '../api/decisions.ts';
import type { ApiError } from '../api/graphql.ts';
import { holdersOf } from '../api/policy-holders.ts';
import { useManagedHolders } from '../api/use-policy-holders.ts';
import { useRoleSession } from '../api/role-session.ts';
import { useSession } from '../api/session.ts';
import { toApiError } from '../api/use-query.ts';
import { questionKey, watch, useWatchList } from '../api/watch-list.ts';
import { DecisionView } from '../components/decision-view.tsx';
import { EntityPicker } from '../components/entity-picker.tsx';
import { TextField } from '../components/field.tsx';
import { ErrorNotice } from '../components/notice.tsx';
import { ResultErrorNotice } from '../components/result-error.tsx';
import { WatchList } from '../components/watch-list.tsx';

/** AWS ContextKeyType values, as the API's ContextKeyType enum spells them. */
const CONTEXT_KEY_TYPES: readonly ContextKeyType[] = [
  'STRING', 'STRING_LIST', 'NUMERIC', 'NUMERIC_LIST', 'BOOLEAN', 'BOOLEAN_LIST',
  'IP', 'IP_LIST', 'BINARY', 'BINARY_LIST', 'DATE', 'DATE_LIST',
];

/** A context entry row as typed in the form. */
interface ContextRow {
  readonly id: number;
  key: string;
  type: ContextKeyType;
  values: string;
}

/** Splits a multi-line or comma-separated field into its non-empty items. */
function items(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The explorer page. */
export function ExplorerPage() {
  const [principal, setPrincipal] = useState('');
  const [actions, setActions] = useState('');
  const [resources, setResources] = useState('*');
  const [rows, setRows] = useState<ContextRow[]>([]);
  const [nextId, setNextId] = useState(1);
  const [answers, setAnswers] = useState<Array<{ question: Question; answer: Answer }> | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [formError, setFormError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const watched = new Set(useWatchList().map(questionKey));
  // Whose policies the shown answers are about (the caller's own when no principal was given),
  // and the account whose pages its groups and roles link to.
  const { session } = useSession();
  const { role } = useRoleSession();
  const answeredFor = answers === undefined ? undefined : (answers[0]?.question.principalArn ?? role?.arn ?? session?.arn);
  const newestRevision = Math.max(0, ...(answers ?? []).map(({ answer }) => (isDecision(answer) ? Number(answer.revision) : 0)));
  const managedHolders = useManagedHolders(answeredFor, newestRevision);
  const accountId = role?.accountId ?? session?.accountId;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const actionList = items(actions);
    if (actionList.length === 0) {
      setFormError('enter at least one action, e.g. s3:GetObject');
      return;
    }
    setFormError(undefined);
    const contextEntries: ContextEntry[] = rows
      .filter((r) => r.key.trim() !== '')
      .map((r) => ({
        contextKeyName: r.key.trim(),
        contextKeyType: r.type,
        contextKeyValues: r.type.endsWith('_LIST') ? items(r.values) : [r.values.trim()],
      }));
    const resourceList = items(resources);
    const questions: Question[] = [];
    for (const action of actionList) {
      for (const resourceArn of resourceList.length === 0 ? ['*'] : resourceList) {
        questions.push({ ...(principal.trim() === '' ? {} : { principalArn: principal.trim() }), action, resourceArn, contextEntries });
      }
    }
    setBusy(true);
    setError(undefined);
    try {
      const result = await authorizeBatch(questions);
      setAnswers(questions.map((question, i) => ({ question, answer: result[i]! })));
    } catch (caught) {
      setAnswers(undefined);
      setError(toApiError(caught));
    } finally {
      setBusy(false);
    }
  };

  const updateRow = (id: number, patch: Partial<ContextRow>): void => setRows(rows.map((r) => (r.id === id ? { ...r, ...patch } : r)));

  return (
    <>
      <h1>Access explorer</h1>
      <form className="panel" onSubmit={submit} aria-label="Ask an authorization question" noValidate>
        <EntityPicker kind="principal" label="Principal ARN" hint="(empty: you)" value={principal} onChange={setPrincipal} placeholder="arn:aws:iam::111122223333:user/alice" />
        <div className="field">
          <label htmlFor="explorer-actions">
            Actions <span className="hint">(one per line or comma-separated)</span>
          </label>
          <textarea
            id="explorer-actions"
            className="code"
            rows={2}
            value={actions}
            onChange={(e) => setActions(e.target.value)}
            placeholder="s3:GetObject"
            aria-invalid={formError === undefined ? undefined : true}
            aria-describedby={formError === undefined ? undefined : 'explorer-actions-error'}
          />
          {formError === undefined ? null : (
            <div className="field-error" id="explorer-actions-error" role="alert">
              {formError}
            </div>
          )}
        </div>
        <div className="field">
          <label htmlFor="explorer-resources">
            Resources <span className="hint">(ARNs, one per line; * for any)</span>
          </label>
          <textarea id="explorer-resources" className="code" rows={2} value={resources} onChange={(e) => setResources(e.target.value)} />
        </div>
        <fieldset style={{ border: 'none', padding: 0, margin: '0 0 12px' }}>
          <legend style={{ fontWeight: 600, fontSize: 13, marginBottom: 6 }}>Context</legend>
          {rows.map((row) => (
            <div className="row" key={row.id} style={{ marginBottom: 6 }}>
              <div className="field" style={{ flex: '2 1 180px' }}>
                <label htmlFor={`ctx-key-${row.id}`}>Key</label>
                <input id={`ctx-key-${row.id}`} value={row.key} placeholder="aws:SourceIp" onChange={(e) => updateRow(row.id, { key: e.target.value })} />
              </div>
              <div className="field" style={{ flex: '1 1 120px' }}>
                <label htmlFor={`ctx-type-${row.id}`}>Type</label>
                <select id={`ctx-type-${row.id}`} value={row.type} onChange={(e) => updateRow(row.id, { type: CONTEXT_KEY_TYPES.find((t) => t === e.target.value) ?? 'STRING' })}>
                  {CONTEXT_KEY_TYPES.map((t) => (
                    <option key={t}>{t}</option>
                  ))}
                </select>
              </div>
              <div className="field" style={{ flex: '2 1 180px' }}>
                <label htmlFor={`ctx-values-${row.id}`}>Value{row.type.endsWith('_LIST') ? 's (comma-separated)' : ''}</label>
                <input id={`ctx-values-${row.id}`} value={row.values} onChange={(e) => updateRow(row.id, { values: e.target.value })} />
              </div>
              <div className="field">
                <button type="button" onClick={() => setRows(rows.filter((r) => r.id !== row.id))} aria-label={`Remove context key ${row.key || row.id}`}>
                  Remove
                </button>
              </div>
            </div>
          ))}
          <button
            type="button"
            onClick={() => {
              setRows([...rows, { id: nextId, key: '', type: 'STRING', values: '' }]);
              setNextId(nextId + 1);
            }}
          >
            Add context key
          </button>
        </fieldset>
        <button className="primary" type="submit" disabled={busy}>
          {busy ? 'Deciding…' : 'Decide'}
        </button>
      </form>
      <ErrorNotice error={error} />
      {answers === undefined ? null : (
        <section aria-label="Decisions">
          <h2>Decisions</h2>
          {answers.map(({ question, answer }) => (
            <article className="panel" key={questionKey(question)} aria-label={`${question.action} on ${question.resourceArn}`}>
              <div className="row">
                <p style={{ margin: 0 }}>
                  <code>{question.action}</code> on <code>{question.resourceArn}</code>
                  {question.principalArn === undefined ? null : (
                    <>
                      {' '}
                      for <code>{question.principalArn}</code>
                    </>
                  )}
                </p>
                <span className="spacer" />
                <button type="button" disabled={watched.has(questionKey(question))} onClick={() => watch(question)}>
                  {watched.has(questionKey(question)) ? 'Watching' : 'Watch'}
                </button>
              </div>
              {isDecision(answer) ? (
                <DecisionView decision={answer} accountId={accountId} through={(statement) => holdersOf(statement, answeredFor ?? '', managedHolders)} />
              ) : (
                <ResultErrorNotice error={answer} />
              )}
            </article>
          ))}
        </section>
      )}
      <WatchList
        onLiveAnswer={(question, answer) => {
          // A watched question's card shows the answer the watch list just received, not the one asked for earlier.
          const key = questionKey(question);
          setAnswers((previous) => previous?.map((card) => (questionKey(card.question) === key ? { question: card.question, answer } : card)));
        }}
      />
    </>
  );
}
