import type { ResultError } from '../api/results.ts';
import { REFUSAL_TITLES } from './notice.tsx';

/**
 * A typed mutation error that belongs to no single field, with its stable code; a refusal
 * (AccessDenied, PasswordResetRequired) reads as one, as it does when it arrives as a field error.
 */
export function ResultErrorNotice(props: { error: Pick<ResultError, 'code' | 'message'> | undefined }) {
  if (props.error === undefined) return null;
  const title = REFUSAL_TITLES[props.error.code];
  return (
    <div className="notice error" role="alert">
      {title === undefined ? null : <strong>{title}: </strong>}
      {props.error.message} <span className="code">({props.error.code})</span>
    </div>
  );
}
