/**
 * The optional Tags field of a create form (user, registered resource, organization account):
 * `key=value, …` typed as text, parsed on submit, and the parse error shown beside the field
 * (else the server's error on `tags`), so a form never sends tags that do not parse.
 */
import { useState } from 'react';
import { TextField } from './field.tsx';
import { parseTags, type Tag } from './tags.tsx';

/** The field's state, from `useTagsField`. */
export interface TagsFieldState {
  readonly text: string;
  readonly setText: (text: string) => void;
  readonly error: string | undefined;
  /** The tags typed (empty when none), or undefined once the parse error is shown. */
  parse(): Tag[] | undefined;
  /** Empties the field after a successful create. */
  clear(): void;
}

/** The state of one Tags field. */
export function useTagsField(): TagsFieldState {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  return {
    text,
    setText,
    error,
    parse() {
      const tags = parseTags(text);
      setError(typeof tags === 'string' ? tags : undefined);
      return typeof tags === 'string' ? undefined : tags;
    },
    clear() {
      setText('');
      setError(undefined);
    },
  };
}

/** The field itself; `serverError` is the create's typed error on `tags`, shown when the text parsed. */
export function TagsField(props: { readonly field: TagsFieldState; readonly serverError: string | undefined }) {
  const { field } = props;
  return (
    <TextField
      label="Tags"
      hint="(optional: key=value, comma-separated)"
      value={field.text}
      onChange={field.setText}
      error={field.error ?? props.serverError}
      spellCheck={false}
    />
  );
}
