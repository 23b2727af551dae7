import type { ResultError } from '../api/results.ts';

/** A typed mutation error that belongs to no single field, with its stable code. */
export function ResultErrorNotice(props: { error: ResultError | undefined }) {
  if (props.error === undefined) return null;
  return (
    <div className="notice error" role="alert">
      {props.error.message} <span className="code">({props.error.code})</span>
    </div>
  );
}
