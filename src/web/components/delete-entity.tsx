/**
 * Deleting a directory entity: a button that asks for confirmation by typing the name, then
 * runs the delete mutation; DeleteConflict explains what must be removed first.
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

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if ((await remove.submit(props.variables)) !== undefined) navigate(props.afterDelete);
  };

  return (
    <section className="panel" aria-labelledby="delete-title">
      <h2 id="delete-title" style={{ marginTop: 0 }}>
        Delete {props.noun}
      </h2>
      {!confirming ? (
        <button type="button" className="danger" onClick={() => setConfirming(true)}>
          Delete {props.noun}…
        </button>
      ) : (
        <form onSubmit={submit} aria-label={`Delete ${props.noun} ${props.name}`}>
          <TextField label={`Type “${props.name}” to confirm`} value={typed} onChange={setTyped} autoFocus spellCheck={false} />
          <div className="row">
            <button type="submit" className="danger" disabled={typed !== props.name || remove.busy}>
              Delete
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
