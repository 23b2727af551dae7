/**
 * A text field for one IAM action (`s3:GetObject`) that completes service prefixes, then the
 * service's actions, from the catalog: the ARIA combobox pattern (an input with a listbox popup;
 * Down/Up move, Enter chooses, Escape closes, focus stays in the field).
 */
import { useId, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { useCompletions, queryForSlot } from './policy-completion/use-completions.ts';

/** Props of ActionField. */
export interface ActionFieldProps {
  readonly label: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly hint?: string;
  readonly error?: string | undefined;
  /** The service whose actions are offered before a prefix is typed (the resource's service). */
  readonly serviceName?: string;
}

/** The combobox. */
export function ActionField(props: ActionFieldProps) {
  const id = useId();
  const listId = `${id}-list`;
  const [focused, setFocused] = useState(false);
  const [dismissed, setDismissed] = useState<string | undefined>(undefined);
  const [activeState, setActiveState] = useState<{ for: string; index: number }>({ for: '', index: -1 });
  // With a known service, a name typed without a prefix completes that service's actions
  // (`GetOb` → `s3:GetObject`); typing a prefix (`kms:`) reaches any other service.
  const typed = props.serviceName !== undefined && !props.value.includes(':') ? `${props.serviceName}:${props.value}` : props.value;
  const query = focused && dismissed !== props.value ? queryForSlot({ kind: 'action', typed, from: 0, to: typed.length }) : undefined;
  const { completions, answered } = useCompletions(query);
  const open = focused && dismissed !== props.value && completions.length > 0 && !(completions.length === 1 && completions[0]!.text === props.value);
  const answerKey = `${props.value}|${answered}`;
  // No option is active until the user moves to one, so Enter still submits what was typed.
  const active = activeState.for === answerKey ? activeState.index : -1;
  const optionId = (index: number): string => `${id}-option-${index}`;

  const choose = (index: number): void => {
    const completion = completions[index];
    if (completion === undefined) return;
    props.onChange(completion.text);
    setDismissed(completion.continues ? undefined : completion.text);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.altKey && event.key === 'ArrowDown') {
      setDismissed(undefined);
      event.preventDefault();
      return;
    }
    if (!open) return;
    const move = (index: number): void => setActiveState({ for: answerKey, index: (index + completions.length) % completions.length });
    if (event.key === 'ArrowDown') move(active + 1);
    else if (event.key === 'ArrowUp') move(active < 0 ? completions.length - 1 : active - 1);
    else if (event.key === 'Enter' && active >= 0) choose(active);
    else if (event.key === 'Escape') setDismissed(props.value);
    else return;
    event.preventDefault();
  };

  const describedBy = [props.hint === undefined ? '' : `${id}-hint`, props.error === undefined ? '' : `${id}-error`].filter(Boolean).join(' ');
  return (
    <div className="field combobox">
      <label htmlFor={id}>
        {props.label}{' '}
        {props.hint === undefined ? null : (
          <span className="hint" id={`${id}-hint`}>
            {props.hint}
          </span>
        )}
      </label>
      <input
        id={id}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={open && active >= 0 ? optionId(active) : undefined}
        aria-invalid={props.error === undefined ? undefined : true}
        aria-describedby={describedBy || undefined}
        autoComplete="off"
        spellCheck={false}
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
        onKeyDown={onKeyDown}
        onFocus={() => setFocused(true)}
        onBlur={() => setFocused(false)}
      />
      <ul id={listId} role="listbox" aria-label={`${props.label} suggestions`} className="completions" hidden={!open}>
        {open
          ? completions.map((completion, index) => (
              <li
                key={completion.text}
                id={optionId(index)}
                role="option"
                aria-selected={index === active}
                onMouseDown={(event) => event.preventDefault()}
                onClick={() => choose(index)}
              >
                <span className="mono">{completion.text}</span> <span className="muted">{completion.detail}</span>
              </li>
            ))
          : null}
      </ul>
      {props.error === undefined ? null : (
        <div className="field-error" id={`${id}-error`} role="alert">
          {props.error}
        </div>
      )}
    </div>
  );
}
