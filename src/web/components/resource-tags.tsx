/**
 * A registered resource's tags, editable: remove one (UntagResource), or add or overwrite some
 * (TagResource, `key=value, …`). Decisions see them as `aws:ResourceTag/<key>`.
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

const TAG_RESOURCE = graphql(`
  mutation TagResource($input: TagResourceInput!) {
    tagResource(input: $input) {
      __typename
      ... on TagResourceSuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

const UNTAG_RESOURCE = graphql(`
  mutation UntagResource($input: UntagResourceInput!) {
    untagResource(input: $input) {
      __typename
      ... on UntagResourceSuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

/** The tags panel of a resource page. */
export function ResourceTags(props: { resourceArn: string; tags: readonly Tag[]; /** After a write, with the revision it committed. */ onChange: (revision: string) => void }) {
  const [text, setText] = useState('');
  const [parseError, setParseError] = useState<string | undefined>(undefined);
  const [done, setDone] = useState<string | undefined>(undefined);
  const tag = useResultMutation(TAG_RESOURCE, 'tagResource', ['tags']);
  const untag = useResultMutation(UNTAG_RESOURCE, 'untagResource', []);

  const add = async (event: FormEvent) => {
    event.preventDefault();
    setDone(undefined);
    const tags = parseTags(text);
    if (typeof tags === 'string' || tags.length === 0) {
      setParseError(typeof tags === 'string' ? tags : 'write at least one tag as key=value');
      return;
    }
    setParseError(undefined);
    const success = await tag.submit({ input: { resourceArn: props.resourceArn, tags } });
    if (success !== undefined) {
      setDone(`Tagged with ${tags.map((t) => t.key).join(', ')} (revision ${success.revision}).`);
      setText('');
      props.onChange(success.revision);
    }
  };
  const remove = async (key: string) => {
    setDone(undefined);
    const success = await untag.submit({ input: { resourceArn: props.resourceArn, tagKeys: [key] } });
    if (success !== undefined) {
      setDone(`Removed the tag ${key} (revision ${success.revision}).`);
      props.onChange(success.revision);
    }
  };

  return (
    <section className="panel" aria-labelledby="resource-tags">
      <h2 id="resource-tags" style={{ marginTop: 0 }}>
        Tags
      </h2>
      {props.tags.length === 0 ? (
        <p className="muted">No tags.</p>
      ) : (
        <ul className="plain" aria-label="Resource tags">
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
    </section>
  );
}
