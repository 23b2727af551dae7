/**
 * The policies of a user, group or role: attached managed policies (attach, detach), inline
 * policies with their documents, and (users and roles) the permissions boundary (set, change, remove). Loaded apart
 * from the rest of the page, so a caller allowed to see the principal but not its policies sees
 * the API's refusal here and everything else still works.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { errorAt } from '../api/graphql.ts';
import type { PrincipalKind } from '../api/principal-kinds.ts';
import { useQuery } from '../api/use-query.ts';
import { useResultMutation } from '../api/use-result-mutation.ts';
import { policyPath } from '../pages/policies.tsx';
import { CodeBlock } from './code-block.tsx';
import { InlinePolicyForm } from './inline-policy-form.tsx';
import { EntityPicker } from './entity-picker.tsx';
import { PermissionsBoundaryForm } from './permissions-boundary.tsx';
import { Link } from './link.tsx';
import { ErrorNotice, Loading, Success } from './notice.tsx';
import { ResultErrorNotice } from './result-error.tsx';

/** The policies section of a principal's page. */
export function PrincipalPolicies(props: { principal: PrincipalKind; name: string }) {
  const p = props.principal;
  const [version, setVersion] = useState(0);
  const [policyArn, setPolicyArn] = useState('');
  const [done, setDone] = useState<string | undefined>(undefined);
  const result = useQuery(p.policies, { name: props.name }, { refreshKey: version });
  const attach = useResultMutation(p.attach, 'result', ['policyArn'], { POLICY: 'policyArn' });
  const detach = useResultMutation(p.detach, 'result', []);
  const deleteInline = useResultMutation(p.deleteInline, 'result', []);
  const data = result.data?.principal;
  const boundary = data != null && 'permissionsBoundary' in data ? data.permissionsBoundary : undefined;
  // Null means "no boundary" only when no error says it was refused.
  const boundaryError = errorAt(result.errors, 'principal', 'permissionsBoundary');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setDone(undefined);
    const arn = policyArn.trim();
    const success = await attach.submit({ name: props.name, policyArn: arn });
    if (success !== undefined) {
      setDone(`Attached ${arn} (revision ${success.revision}).`);
      setPolicyArn('');
      setVersion((v) => v + 1);
    }
  };

  return (
    <section className="panel" aria-labelledby={`${p.kind}-policies`}>
      <h2 id={`${p.kind}-policies`} style={{ marginTop: 0 }}>
        Permissions
      </h2>
      {result.loading && result.data === undefined ? <Loading what="policies" /> : null}
      <ErrorNotice error={result.error ?? errorAt(result.errors, 'principal')} />
      {data == null ? null : (
        <>
          <h3 style={{ fontSize: 15 }}>Attached managed policies</h3>
          <ErrorNotice error={errorAt(result.errors, 'principal', 'attachedPolicies')} />
          {data.attachedPolicies == null ? null : data.attachedPolicies.length === 0 ? (
            <p className="muted">No managed policy attached.</p>
          ) : (
            <ul aria-label="Attached managed policies">
              {data.attachedPolicies.map((a) => (
                <li key={a.policyArn}>
                  <Link to={policyPath(a.policyArn)}>{a.policyName}</Link> <span className="muted mono hide-narrow">{a.policyArn}</span>{' '}
                  <button
                    type="button"
                    disabled={detach.busy}
                    aria-label={`Detach ${a.policyName}`}
                    onClick={async () => {
                      setDone(undefined);
                      const success = await detach.submit({ name: props.name, policyArn: a.policyArn });
                      if (success !== undefined) {
                        setDone(`Detached ${a.policyName} (revision ${success.revision}).`);
                        setVersion((v) => v + 1);
                      }
                    }}
                  >
                    Detach
                  </button>
                </li>
              ))}
            </ul>
          )}
          <ResultErrorNotice error={detach.errors.general} />
          <ErrorNotice error={detach.failure} />
          <form onSubmit={submit} className="row" aria-label="Attach a managed policy" noValidate>
            <div style={{ flex: '1 1 320px' }}>
              <EntityPicker
                kind="policy"
                label="Attach policy"
                hint="type a name, choose from the list"
                value={policyArn}
                onChange={setPolicyArn}
                error={attach.errors.fields.policyArn}
                placeholder="ReadOnlyAccess"
                exclude={data.attachedPolicies?.map((a) => a.policyArn) ?? []}
              />
            </div>
            <div className="field">
              <button type="submit" disabled={attach.busy || policyArn.trim() === ''}>
                Attach
              </button>
            </div>
          </form>
          <ResultErrorNotice error={attach.errors.general} />
          <ErrorNotice error={attach.failure} />
          {p.kind === 'group' ? null : (
            <>
              <h3 style={{ fontSize: 15 }}>Permissions boundary</h3>
              <ErrorNotice error={boundaryError} />
              {boundaryError !== undefined ? null : boundary == null ? (
                <p className="muted">No boundary: identity policies alone decide.</p>
              ) : (
                <p>
                  <Link to={policyPath(boundary.arn)}>{boundary.policyName}</Link> caps what identity policies can grant.
                </p>
              )}
              {boundaryError !== undefined ? null : (
                <PermissionsBoundaryForm kind={p.kind} name={props.name} hasBoundary={boundary != null} onChange={() => setVersion((v) => v + 1)} />
              )}
            </>
          )}
          <h3 style={{ fontSize: 15 }}>Inline policies</h3>
          <ErrorNotice error={errorAt(result.errors, 'principal', 'inlinePolicies')} />
          {data.inlinePolicies?.length === 0 ? <p className="muted">No inline policy.</p> : null}
          {data.inlinePolicies?.map((inline) => (
            <details key={inline.policyName}>
              <summary>
                {inline.policyName} <span className="muted">(updated {new Date(inline.updateDate).toLocaleString()})</span>
              </summary>
              <CodeBlock text={inline.policyDocument} label={`Inline policy ${inline.policyName}`} />
              <p>
                <button
                  type="button"
                  className="danger"
                  disabled={deleteInline.busy}
                  onClick={async () => {
                    setDone(undefined);
                    const success = await deleteInline.submit({ name: props.name, policyName: inline.policyName });
                    if (success !== undefined) {
                      setDone(`Deleted inline policy ${inline.policyName} (revision ${success.revision}).`);
                      setVersion((v) => v + 1);
                    }
                  }}
                >
                  Delete inline policy {inline.policyName}
                </button>
              </p>
            </details>
          ))}
          <ResultErrorNotice error={deleteInline.errors.general} />
          <ErrorNotice error={deleteInline.failure} />
          <InlinePolicyForm
            principal={p}
            name={props.name}
            onSaved={(message) => {
              setDone(message);
              setVersion((v) => v + 1);
            }}
          />
          {done === undefined ? null : <Success>{done}</Success>}
        </>
      )}
    </section>
  );
}
