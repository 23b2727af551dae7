/**
 * A typeahead for a user, group, role or managed policy wherever a name or ARN is asked: the
 * ARIA combobox pattern (an input with a listbox popup; Down/Up move, Enter chooses, Escape
 * closes, focus stays in the field). The list is read on first focus; what is typed is matched
 * in the browser. Anything may still be typed by hand, so a caller who may not list the
 * entities (the list is refused) keeps a working text field and is told why nothing is offered.
 */
import { useEffect, useId, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { matchOptions } from '../api/entity-match.ts';
import type { EntityOption } from '../api/entity-match.ts';
import { loadEntityOptions } from '../api/entity-options.ts';
import type { EntityKind } from '../api/entity-options.ts';

/** Props of EntityPicker. */
export interface EntityPickerProps {
  readonly kind: EntityKind;
  readonly label: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly hint?: string;
  readonly error?: string | undefined;
  readonly placeholder?: string;
  /** Values not to offer (e.g. groups the user is already in). */
  readonly exclude?: readonly string[];
}

/** The combobox. */
export function EntityPicker(props: EntityPickerProps) {
  const id = useId();
  const listId = `${id}-list`;
  const [focused, setFocused] = useState(false);
  const [wanted, setWanted] = useState(false);
  const [options, setOptions] = useState<readonly EntityOption[] | undefined>(undefined);
  const [listError, setListError] = useState<string | undefined>(undefined);
  const [dismissed, setDismissed] = useState<string | undefined>(undefined);
  const [activeState, setActiveState] = useState<{ for: string; index: number }>({ for: '', index: -1 });

  useEffect(() => {
    if (!wanted) return;
    const controller = new AbortController();
    loadEntityOptions(props.kind, controller.signal).then(setOptions, (error: unknown) => {
      if (!controller.signal.aborted) setListError(error instanceof Error ? error.message : String(error));
    });
    return () => controller.abort();
  }, [wanted, props.kind]);

  const excluded = new Set(props.exclude ?? []);
  const matches = matchOptions(
    (options ?? []).filter((o) => !excluded.has(o.value)),
    props.value,
  );
  const open = focused && dismissed !== props.value && matches.length > 0 && !(matches.length === 1 && matches[0]!.value === props.value);
  const answerKey = `${props.value}|${matches.length}`;
  const active = activeState.for === answerKey ? activeState.index : -1;
  const optionId = (index: number): string => `${id}-option-${index}`;

  const choose = (index: number): void => {
    const option = matches[index];
    if (option === undefined) return;
    props.onChange(option.value);
    setDismissed(option.value);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.altKey && event.key === 'ArrowDown') {
      setDismissed(undefined);
      event.preventDefault();
      return;
    }
    if (!open) return;
    const move = (index: number): void => setActiveState({ for: answerKey, index: (index + matches.length) % matches.length });
    if (event.key === 'ArrowDown') move(active + 1);
    else if (event.key === 'ArrowUp') move(active < 0 ? matches.length - 1 : active - 1);
    else if (event.key === 'Enter' && active >= 0) choose(active);
    else if (event.key === 'Escape') setDismissed(props.value);
    else return;
    event.preventDefault();
  };

  const hint = listError === undefined ? props.hint : `${props.hint === undefined ? '' : `${props.hint}; `}no suggestions: ${listError}`;
  const describedBy = [hint === undefined ? '' : `${id}-hint`, props.error === undefined ? '' : `${id}-error`].filter(Boolean).join(' ');
  return (
    <div className="field combobox">
      <label htmlFor={id}>
        {props.label}{' '}
        {hint === undefined ? null : (
          <span className="hint" id={`${id}-hint`}>
            {hint}
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
        placeholder={props.placeholder}
        value={props.value}
        onChange={(event) => {
          setDismissed(undefined);
          props.onChange(event.target.value);
        }}
        onKeyDown={onKeyDown}
        onFocus={() => {
          setFocused(true);
          setWanted(true);
        }}
        onBlur={() => setFocused(false)}
      />
      <ul id={listId} role="listbox" aria-label={`${props.label} suggestions`} className="completions" hidden={!open}>
        {open
          ? matches.map((option, index) => (
              <li
                key={option.value}
                id={optionId(index)}
                role="option"
                aria-selected={index === active}
                onMouseDown={(event) => event.preventDefault()}
                onClick={() => choose(index)}
              >
                <span className="mono">{option.label}</span> <span className="muted">{option.detail}</span>
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
