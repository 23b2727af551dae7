/**
 * Deleting a directory entity: a button that asks for confirmation by typing the name (or a
 * word, for names too long to type, such as ARNs), then runs the delete mutation;
 * DeleteConflict explains what must be removed first.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import type { TypedDocumentString } from '../api/generated/graphql.ts';
import { useResultMutation } from '../api/use-result-mutation.ts';
import type { ResultMember } from '../api/use-result-mutation.ts';
import { navigate } from '../router.ts';
import { TextField } from './field.tsx';
import { ErrorNotice } from './notice.tsx';
import { ResultErrorNotice } from './result-error.tsx';

/** Props of DeleteEntity. */
export interface DeleteEntityProps<TField extends string, TData extends { readonly [K in TField]?: ResultMember | null }, TVariables> {
  readonly noun: string;
  readonly name: string;
  /** The verb of the heading and buttons; "Delete" unless given (e.g. "Deregister"). */
  readonly verb?: string;
  /** What the user types to confirm; the name unless given. */
  readonly confirmWith?: string;
  readonly mutation: TypedDocumentString<TData, TVariables>;
  /** The mutation's root field, e.g. `deleteUser`. */
  readonly field: TField;
  readonly variables: TVariables;
  /** Where to go once deleted. */
  readonly afterDelete: string;
}

/** The "Delete" section of a detail page. */
export function DeleteEntity<TField extends string, TData extends { readonly [K in TField]?: ResultMember | null }, TVariables>(
  props: DeleteEntityProps<TField, TData, TVariables>,
) {
  const [confirming, setConfirming] = useState(false);
  const [typed, setTyped] = useState('');
  const remove = useResultMutation(props.mutation, props.field, []);
  const verb = props.verb ?? 'Delete';
  const confirmWith = props.confirmWith ?? props.name;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if ((await remove.submit(props.variables)) !== undefined) navigate(props.afterDelete);
  };

  return (
    <section className="panel" aria-labelledby="delete-title">
      <h2 id="delete-title" style={{ marginTop: 0 }}>
        {verb} {props.noun}
      </h2>
      {!confirming ? (
        <button type="button" className="danger" onClick={() => setConfirming(true)}>
          {verb} {props.noun}…
        </button>
      ) : (
        <form onSubmit={submit} aria-label={`${verb} ${props.noun} ${props.name}`}>
          <TextField label={`Type “${confirmWith}” to confirm`} value={typed} onChange={setTyped} autoFocus spellCheck={false} />
          <div className="row">
            <button type="submit" className="danger" disabled={typed !== confirmWith || remove.busy}>
              {verb}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      <ResultErrorNotice error={remove.errors.general} />
      <ErrorNotice error={remove.failure} />
    </section>
  );
}
