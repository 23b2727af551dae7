/** Tags: shown as a key/value list, typed as `key=value, key2=value2`. */

/** A tag as the API returns it. */
export interface Tag {
  readonly key: string;
  readonly value: string;
}

/** Parses `key=value, …` into tags, or returns what is wrong with the text. */
export function parseTags(text: string): Tag[] | string {
  const tags: Tag[] = [];
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) return `write each tag as key=value; “${part}” has no key`;
    tags.push({ key: part.slice(0, eq).trim(), value: part.slice(eq + 1).trim() });
  }
  return tags;
}

/** The tags of an entity, or a note that it has none. */
export function TagList(props: { tags: readonly Tag[] }) {
  if (props.tags.length === 0) return <p className="muted">No tags.</p>;
  return (
    <dl className="facts">
      {props.tags.map((tag) => (
        <div key={tag.key} style={{ display: 'contents' }}>
          <dt className="mono">{tag.key}</dt>
          <dd className="mono">{tag.value === '' ? <span className="muted">(empty)</span> : tag.value}</dd>
        </div>
      ))}
    </dl>
  );
}
