/**
 * Tags, editable: remove one, or add or overwrite some (`key=value, …`). The writes are the
 * caller's (TagUser, TagRole, a registered resource's or an organization resource's
 * TagResource, …), each resolving with the revision it committed.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import type { ResultMutation } from '../api/use-result-mutation.ts';
import { TextField } from './field.tsx';
import { ErrorNotice, Success } from './notice.tsx';
import { ResultErrorNotice } from './result-error.tsx';
import { parseTags } from './tags.tsx';
import type { Tag } from './tags.tsx';

/** Props of TagsEditor. */
export interface TagsEditorProps {
  readonly tags: readonly Tag[];
  /** The accessible name of the list of tags. */
  readonly listLabel: string;
  /** Adds or overwrites tags. */
  readonly tag: ResultMutation<{ readonly revision: string }, readonly Tag[]>;
  /** Removes the tag of one key. */
  readonly untag: ResultMutation<{ readonly revision: string }, string>;
  /** After a write, with the revision it committed. */
  readonly onChange: (revision: string) => void;
}

/** The tags as a panel of their own, headed Tags: level 2 on a page (the default), 3 inside another panel. */
export function TagsPanel(props: TagsEditorProps & { readonly level?: 2 | 3 }) {
  const Heading = props.level === 3 ? 'h3' : 'h2';
  return (
    <section className="panel" aria-labelledby="resource-tags">
      <Heading id="resource-tags" style={{ marginTop: 0 }}>
        Tags
      </Heading>
      <TagsEditor {...props} />
    </section>
  );
}

/** The tags with a Remove button each, and a form adding some. */
export function TagsEditor(props: TagsEditorProps) {
  const [text, setText] = useState('');
  const [parseError, setParseError] = useState<string | undefined>(undefined);
  const [done, setDone] = useState<string | undefined>(undefined);
  const { tag, untag } = props;

  const add = async (event: FormEvent) => {
    event.preventDefault();
    setDone(undefined);
    const tags = parseTags(text);
    if (typeof tags === 'string' || tags.length === 0) {
      setParseError(typeof tags === 'string' ? tags : 'write at least one tag as key=value');
      return;
    }
    setParseError(undefined);
    const success = await tag.submit(tags);
    if (success !== undefined) {
      setDone(`Tagged with ${tags.map((t) => t.key).join(', ')} (revision ${success.revision}).`);
      setText('');
      props.onChange(success.revision);
    }
  };
  const remove = async (key: string) => {
    setDone(undefined);
    const success = await untag.submit(key);
    if (success !== undefined) {
      setDone(`Removed the tag ${key} (revision ${success.revision}).`);
      props.onChange(success.revision);
    }
  };

  return (
    <>
      {props.tags.length === 0 ? (
        <p className="muted">No tags.</p>
      ) : (
        <ul className="plain" aria-label={props.listLabel}>
          {props.tags.map((t) => (
            <li key={t.key} className="row center" style={{ marginBottom: 6 }}>
              <span className="mono">
                {t.key} = {t.value === '' ? <span className="muted">(empty)</span> : t.value}
              </span>
              <button type="button" disabled={untag.busy} aria-label={`Remove tag ${t.key}`} onClick={() => void remove(t.key)}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <ResultErrorNotice error={untag.errors.general} />
      <ErrorNotice error={untag.failure} />
      <form onSubmit={add} className="row" aria-label="Add tags" noValidate style={{ marginTop: 10 }}>
        <div style={{ flex: '1 1 260px' }}>
          <TextField
            label="Add or change tags"
            hint="(key=value, comma separated)"
            value={text}
            onChange={setText}
            error={parseError ?? tag.errors.fields.tags}
            placeholder="team=finance"
            spellCheck={false}
          />
        </div>
        <div className="field">
          <button type="submit" disabled={tag.busy || text.trim() === ''}>
            Save tags
          </button>
        </div>
      </form>
      <ResultErrorNotice error={tag.errors.general} />
      <ErrorNotice error={tag.failure} />
      {done === undefined ? null : <Success>{done}</Success>}
    </>
  );
}
