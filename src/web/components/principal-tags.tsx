/**
 * A user's or role's tags, editable in place: remove one (UntagUser / UntagRole), or add or
 * overwrite some (TagUser / TagRole, `key=value, …`). Decisions see them as
 * `aws:PrincipalTag/<key>` (and `iam:ResourceTag/<key>` when the principal is the resource).
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { graphql } from '../api/generated/gql.ts';
import { useResultMutation } from '../api/use-result-mutation.ts';
import { TextField } from './field.tsx';
import { ErrorNotice, Success } from './notice.tsx';
import { ResultErrorNotice } from './result-error.tsx';
import { parseTags } from './tags.tsx';
import type { Tag } from './tags.tsx';

const TAG_USER = graphql(`
  mutation TagUserInPlace($name: String!, $tags: [TagInput!]!) {
    result: tagUser(input: { userName: $name, tags: $tags }) {
      __typename
      ... on TagUserSuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

const UNTAG_USER = graphql(`
  mutation UntagUserInPlace($name: String!, $tagKeys: [String!]!) {
    result: untagUser(input: { userName: $name, tagKeys: $tagKeys }) {
      __typename
      ... on UntagUserSuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

const TAG_ROLE = graphql(`
  mutation TagRoleInPlace($name: String!, $tags: [TagInput!]!) {
    result: tagRole(input: { roleName: $name, tags: $tags }) {
      __typename
      ... on TagRoleSuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

const UNTAG_ROLE = graphql(`
  mutation UntagRoleInPlace($name: String!, $tagKeys: [String!]!) {
    result: untagRole(input: { roleName: $name, tagKeys: $tagKeys }) {
      __typename
      ... on UntagRoleSuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

/** The tags list with remove buttons and the add form. */
export function PrincipalTags(props: { kind: 'user' | 'role'; name: string; tags: readonly Tag[]; onChange: () => void }) {
  const [text, setText] = useState('');
  const [parseError, setParseError] = useState<string | undefined>(undefined);
  const [done, setDone] = useState<string | undefined>(undefined);
  const tagUser = useResultMutation(TAG_USER, 'result', ['tags']);
  const tagRole = useResultMutation(TAG_ROLE, 'result', ['tags']);
  const untagUser = useResultMutation(UNTAG_USER, 'result', []);
  const untagRole = useResultMutation(UNTAG_ROLE, 'result', []);
  const tag = props.kind === 'user' ? tagUser : tagRole;
  const untag = props.kind === 'user' ? untagUser : untagRole;

  const add = async (event: FormEvent) => {
    event.preventDefault();
    setDone(undefined);
    const tags = parseTags(text);
    if (typeof tags === 'string' || tags.length === 0) {
      setParseError(typeof tags === 'string' ? tags : 'write at least one tag as key=value');
      return;
    }
    setParseError(undefined);
    const success = await tag.submit({ name: props.name, tags });
    if (success !== undefined) {
      setDone(`Tagged with ${tags.map((t) => t.key).join(', ')} (revision ${success.revision}).`);
      setText('');
      props.onChange();
    }
  };

  return (
    <>
      {props.tags.length === 0 ? (
        <p className="muted">No tags.</p>
      ) : (
        <ul className="plain" aria-label={`Tags of ${props.name}`}>
          {props.tags.map((t) => (
            <li key={t.key} className="row center" style={{ marginBottom: 6 }}>
              <span className="mono">
                {t.key} = {t.value === '' ? <span className="muted">(empty)</span> : t.value}
              </span>
              <button
                type="button"
                disabled={untag.busy}
                aria-label={`Remove tag ${t.key}`}
                onClick={async () => {
                  setDone(undefined);
                  const success = await untag.submit({ name: props.name, tagKeys: [t.key] });
                  if (success !== undefined) {
                    setDone(`Removed the tag ${t.key} (revision ${success.revision}).`);
                    props.onChange();
                  }
                }}
              >
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
