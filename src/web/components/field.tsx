import { useId } from 'react';
import type { InputHTMLAttributes, ReactNode } from 'react';

/** A labelled input with its hint and error wired to it for assistive technology. */
export function TextField(
  props: {
    label: string;
    value: string;
    onChange: (value: string) => void;
    error?: string | undefined;
    hint?: ReactNode;
  } & Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'>,
) {
  const { label, value, onChange, error, hint, ...rest } = props;
  const id = useId();
  const describedBy = [hint === undefined ? '' : `${id}-hint`, error === undefined ? '' : `${id}-error`].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>
        {label} {hint === undefined ? null : <span className="hint" id={`${id}-hint`}>{hint}</span>}
      </label>
      <input
        id={id}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error === undefined ? undefined : true}
        aria-describedby={describedBy || undefined}
        {...rest}
      />
      {error === undefined ? null : (
        <div className="field-error" id={`${id}-error`} role="alert">
          {error}
        </div>
      )}
    </div>
  );
}
