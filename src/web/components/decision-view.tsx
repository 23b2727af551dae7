/**
 * An explained decision: the outcome, the statements that decided it (highlighted), statements
 * that nearly applied and why not, context keys the policies asked for but did not get, and how
 * each policy layer judged the request.
 */
import type { Decision, MatchedStatement } from '../api/decisions.ts';
import { parseIamEntityArn } from '../api/iam-arn.ts';
import { EFFECT_LABELS, SOURCE_POLICY_LABELS } from './labels.ts';
import { PrincipalLink } from './principal-link.tsx';
import { StatementSource } from './statement-source.tsx';

const DECISION_LABEL: Record<Decision['decision'], string> = {
  ALLOWED: 'Allowed',
  EXPLICIT_DENY: 'Explicitly denied',
  IMPLICIT_DENY: 'Implicitly denied',
};

/** The decision badge used in tables and the watch list. */
export function DecisionBadge(props: { decision: Decision['decision'] }) {
  return (
    <span className={`badge ${props.decision === 'ALLOWED' ? 'allowed' : 'denied'}`} data-decision={props.decision}>
      {DECISION_LABEL[props.decision]}
    </span>
  );
}

/**
 * Describes a statement: effect, policy, index/Sid and its lines in the policy text; `through`
 * names the users, groups or roles through which its policy applies (linked to their pages).
 */
export function StatementLabel(props: { statement: MatchedStatement; through?: readonly string[]; accountId?: string | undefined }) {
  const s = props.statement;
  const lines =
    s.startPosition === null ? '' : s.endPosition === null || s.endPosition.line === s.startPosition.line ? `, line ${s.startPosition.line}` : `, lines ${s.startPosition.line}–${s.endPosition.line}`;
  return (
    <>
      <strong>{EFFECT_LABELS[s.effect]}</strong> in <span className="mono">{s.policyName ?? s.sourcePolicyId}</span>
      {s.versionId === null ? '' : ` (${s.versionId})`} — statement {s.statementIndex + 1}
      {s.sid === null ? '' : ` “${s.sid}”`}
      {lines}{' '}
      <span className="muted">
        ({s.layer.toLowerCase()} layer, {SOURCE_POLICY_LABELS[s.sourcePolicyType]}
        {props.through === undefined || props.through.length === 0 ? null : (
          <span data-through>
            , {props.through.some((arn) => parseIamEntityArn(arn)?.kind !== 'user') ? 'through' : 'attached to'}{' '}
            {props.through.map((arn, i) => (
              <span key={arn}>
                {i === 0 ? '' : i === props.through!.length - 1 ? ' and ' : ', '}
                <PrincipalLink arn={arn} accountId={props.accountId} />
              </span>
            ))}
          </span>
        )}
        )
      </span>
    </>
  );
}

/**
 * The full explanation of one decision; `through` names, for a statement, the users, groups or
 * roles through which its policy applies (see api/policy-holders.ts).
 */
export function DecisionView(props: { decision: Decision; through?: (statement: MatchedStatement) => readonly string[]; accountId?: string | undefined }) {
  const d = props.decision;
  return (
    <div>
      <p>
        <DecisionBadge decision={d.decision} /> <span className="muted">at revision {d.revision}</span>
      </p>
      {d.matchedStatements.length > 0 ? (
        <>
          <h3 style={{ fontSize: 14, margin: '8px 0 4px' }}>Deciding statements</h3>
          {d.matchedStatements.map((s, i) => (
            <div key={`${s.sourcePolicyId}-${s.statementIndex}-${i}`} className="statement deciding">
              <StatementLabel statement={s} through={props.through?.(s)} accountId={props.accountId} />
              <StatementSource statement={s} />
            </div>
          ))}
        </>
      ) : (
        <p className="muted">No statement allowed or denied this request{d.decision === 'IMPLICIT_DENY' ? ', so it is denied by default' : ''}.</p>
      )}
      {d.nearMisses.length > 0 ? (
        <>
          <h3 style={{ fontSize: 14, margin: '8px 0 4px' }}>Statements that did not apply</h3>
          {d.nearMisses.map((m, i) => (
            <div key={`${m.statement.sourcePolicyId}-${m.statement.statementIndex}-${i}`} className="statement">
              <StatementLabel statement={m.statement} through={props.through?.(m.statement)} accountId={props.accountId} /> — matched the action but not the {m.failedPart.toLowerCase()}
              {m.conditionOperator === null ? '' : ` (${m.conditionOperator}${m.conditionKey === null ? '' : ` on ${m.conditionKey}`})`}
            </div>
          ))}
        </>
      ) : null}
      {d.missingContextValues.length > 0 ? (
        <div className="notice warn" role="note">
          Missing context values: {d.missingContextValues.map((key) => <code key={key}>{key} </code>)} — add them as context
          entries to see how the conditions decide.
        </div>
      ) : null}
      {d.layers.length > 0 ? (
        <p className="muted" style={{ fontSize: 13 }}>
          Layers: {d.layers.map((l) => `${l.layer.toLowerCase()} ${l.outcome.toLowerCase().replace('_', ' ')}`).join(' · ')}
        </p>
      ) : null}
    </div>
  );
}
