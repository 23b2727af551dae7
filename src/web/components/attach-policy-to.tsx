/**
 * Attach a managed policy from its own page, as the AWS console's "Attach" on a policy does:
 * choose whether it goes to a user, a group or a role, pick the entity by name, and run
 * AttachUserPolicy, AttachGroupPolicy or AttachRolePolicy.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { PRINCIPAL_KINDS } from '../api/principal-kinds.ts';
import type { PrincipalKind } from '../api/principal-kinds.ts';
import { useResultMutation } from '../api/use-result-mutation.ts';
import { EntityPicker } from './entity-picker.tsx';
import { ErrorNotice, Success } from './notice.tsx';
import { ResultErrorNotice } from './result-error.tsx';

type Kind = keyof typeof PRINCIPAL_KINDS;

/** The kinds as their common interface, so one form runs whichever attach document is chosen. */
const KINDS: Readonly<Record<Kind, PrincipalKind>> = PRINCIPAL_KINDS;

/** The form; `onAttached` lets the page reload its "Attached to" list. */
export function AttachPolicyTo(props: { policyArn: string; policyName: string; onAttached: () => void }) {
  const [kind, setKind] = useState<Kind>('user');
  const [name, setName] = useState('');
  const [done, setDone] = useState<string | undefined>(undefined);
  const attach = useResultMutation(KINDS[kind].attach, 'result', ['name'], { USER: 'name', GROUP: 'name', ROLE: 'name' });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setDone(undefined);
    const success = await attach.submit({ name: name.trim(), policyArn: props.policyArn });
    if (success !== undefined) {
      setDone(`Attached ${props.policyName} to ${kind} ${name.trim()} (revision ${success.revision}).`);
      setName('');
      props.onAttached();
    }
  };

  return (
    <form onSubmit={submit} aria-label={`Attach ${props.policyName}`} noValidate>
      <div className="row">
        <div className="field">
          <label htmlFor="attach-kind">Attach to a</label>
          <select
            id="attach-kind"
            value={kind}
            onChange={(e) => {
              setKind(e.target.value as Kind);
              setName('');
              attach.reset();
            }}
          >
            <option value="user">User</option>
            <option value="group">Group</option>
            <option value="role">Role</option>
          </select>
        </div>
        <div style={{ flex: '1 1 240px' }}>
          <EntityPicker key={kind} kind={kind} label={`${KINDS[kind].word} name`} value={name} onChange={setName} error={attach.errors.fields.name} />
        </div>
        <div className="field">
          <button type="submit" disabled={attach.busy || name.trim() === ''}>
            Attach
          </button>
        </div>
      </div>
      <ResultErrorNotice error={attach.errors.general} />
      <ErrorNotice error={attach.failure} />
      {done === undefined ? null : <Success>{done}</Success>}
    </form>
  );
}
