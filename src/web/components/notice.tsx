import type { ReactNode } from 'react';
import type { ApiError } from '../api/graphql.ts';
import type { ErrorCode } from '../api/generated/graphql.ts';

/**
 * What a refusal is called, by its ErrorCode, whichever channel brought it (a top-level or
 * field error, or a result-union member such as AccessDenied).
 */
export const REFUSAL_TITLES: Readonly<Partial<Record<ErrorCode, string>>> = {
  ACCESS_DENIED: 'Not allowed',
  PASSWORD_RESET_REQUIRED: 'Change your password first',
};

/** Shows a refused or failed request (or part of one) with the API's own explanation and code (never a blank page). */
export function ErrorNotice(props: { error: (Pick<ApiError, 'code' | 'message'> & { readonly action?: string | undefined }) | undefined; title?: string }) {
  if (props.error === undefined) return null;
  const missing = props.error.code === 'ACCESS_DENIED' ? props.error.action : undefined;
  return (
    <div className="notice error" role="alert">
      <strong>{props.title ?? REFUSAL_TITLES[props.error.code as ErrorCode] ?? 'Something went wrong'}: </strong>
      {props.error.message} <span className="code">({props.error.code})</span>
      {missing === undefined ? null : (
        <>
          {' '}
          Missing permission: <code data-missing-permission>{missing}</code>. Ask an administrator to allow it.
        </>
      )}
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
