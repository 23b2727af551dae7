import type { ReactNode } from 'react';
import type { ApiError } from '../api/graphql.ts';

/** Shows a refused or failed request with the API's own explanation (never a blank page). */
export function ErrorNotice(props: { error: ApiError | undefined; title?: string }) {
  if (props.error === undefined) return null;
  const denied = props.error.code === 'ACCESS_DENIED';
  return (
    <div className="notice error" role="alert">
      <strong>{props.title ?? (denied ? 'Not allowed' : 'Something went wrong')}: </strong>
      {props.error.message} <span className="code">({props.error.code})</span>
    </div>
  );
}

/** A polite loading indicator for screen readers and eyes. */
export function Loading(props: { what?: string }) {
  return (
    <p className="loading" role="status">
      Loading{props.what === undefined ? '' : ` ${props.what}`}…
    </p>
  );
}

/** What an empty list says instead of an empty table. */
export function Empty(props: { children: ReactNode }) {
  return <p className="empty">{props.children}</p>;
}

/** A success message announced to screen readers. */
export function Success(props: { children: ReactNode }) {
  return (
    <div className="notice ok" role="status">
      {props.children}
    </div>
  );
}
