/**
 * The search bar of a directory list: a path-prefix filter (ListUsers/ListGroups/ListRoles
 * `PathPrefix`) and a jump straight to an entity by name (Get*). Both run on the server.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { navigate } from '../router.ts';

/** Props of DirectorySearch. */
export interface DirectorySearchProps {
  /** e.g. "user"; used in labels. */
  readonly noun: string;
  /** Where a name leads, e.g. (name) => `/users/${name}`. */
  readonly pathOf: (name: string) => string;
  readonly pathPrefix: string;
  readonly onPathPrefix: (prefix: string) => void;
}

/** Path-prefix filter and go-to-by-name form. */
export function DirectorySearch(props: DirectorySearchProps) {
  const [prefix, setPrefix] = useState(props.pathPrefix);
  const [name, setName] = useState('');
  const applyPrefix = (event: FormEvent) => {
    event.preventDefault();
    props.onPathPrefix(prefix.trim());
  };
  const goTo = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim() !== '') navigate(props.pathOf(name.trim()));
  };
  return (
    <div className="row" style={{ marginBottom: 12 }}>
      <form role="search" aria-label={`Filter ${props.noun}s by path`} onSubmit={applyPrefix} className="row" style={{ flex: '1 1 300px' }}>
        <div className="field" style={{ flex: 1, marginBottom: 0 }}>
          <label htmlFor={`${props.noun}-prefix`}>Path prefix</label>
          <input id={`${props.noun}-prefix`} type="search" value={prefix} placeholder="/" onChange={(e) => setPrefix(e.target.value)} spellCheck={false} />
        </div>
        <button type="submit">Filter</button>
      </form>
      <form role="search" aria-label={`Find a ${props.noun} by name`} onSubmit={goTo} className="row" style={{ flex: '1 1 300px' }}>
        <div className="field" style={{ flex: 1, marginBottom: 0 }}>
          <label htmlFor={`${props.noun}-name`}>Go to {props.noun} by name</label>
          <input id={`${props.noun}-name`} type="search" value={name} onChange={(e) => setName(e.target.value)} spellCheck={false} />
        </div>
        <button type="submit">Open</button>
      </form>
    </div>
  );
}
