/**
 * Completion state for the policy editor's textarea, following the ARIA combobox pattern for a
 * text field with a list popup: the field keeps focus, `aria-activedescendant` names the active
 * option, Down/Up move, Enter or Tab choose, Escape closes, Ctrl+Space opens again.
 */
import { useId, useLayoutEffect, useRef, useState } from 'react';
import type { KeyboardEvent, RefObject } from 'react';
import type { Completion } from '../../api/catalog-completions.ts';
import { completionSlotAt } from './slot.ts';
import type { CompletionSlot } from './slot.ts';
import { queryForSlot, useCompletions } from './use-completions.ts';

/** What the editor renders and wires from the completion state. */
export interface EditorCompletion {
  readonly slot: CompletionSlot | undefined;
  readonly open: boolean;
  readonly completions: readonly Completion[];
  readonly active: number;
  readonly listId: string;
  readonly optionId: (index: number) => string;
  /** ARIA attributes for the textarea. */
  readonly fieldProps: Record<string, string | undefined>;
  /** Handles completion keys; true when the key was used (the editor then ignores it). */
  readonly onKeyDown: (event: KeyboardEvent<HTMLTextAreaElement>) => boolean;
  /** The caret moved or the text changed. */
  readonly onCaret: (caret: number) => void;
  readonly onFocusChange: (focused: boolean) => void;
  readonly choose: (index: number) => void;
  /** Puts the caret at `at` once the textarea shows `next` (call before passing `next` to onChange). */
  readonly placeCaretAfterChange: (next: string, at: number) => void;
}

/** Completion for a textarea holding `value`; `onChange` receives the text with a choice applied. */
export function useEditorCompletion(value: string, onChange: (value: string) => void, textarea: RefObject<HTMLTextAreaElement | null>): EditorCompletion {
  const listId = useId();
  const [caret, setCaret] = useState<number | undefined>(undefined);
  const [focused, setFocused] = useState(false);
  // Escape (or a final choice) closes the list until the typed text changes.
  const [dismissed, setDismissed] = useState<string | undefined>(undefined);
  const [activeState, setActiveState] = useState<{ for: string; index: number }>({ for: '', index: 0 });

  const slot = focused && caret !== undefined ? completionSlotAt(value, caret) : undefined;
  const slotKey = slot === undefined ? undefined : `${slot.from}:${slot.typed}`;
  // A dismissed list asks nothing until the typed text changes.
  const { completions, answered } = useCompletions(slot === undefined || slotKey === dismissed ? undefined : queryForSlot(slot));
  const open = slot !== undefined && slotKey !== dismissed && completions.length > 0;
  const answerKey = `${slotKey}|${answered}`;
  const active = activeState.for === answerKey ? Math.min(activeState.index, completions.length - 1) : 0;
  const optionId = (index: number): string => `${listId}-option-${index}`;
  // Where the caret goes once a choice is in the textarea: set in the same task as the key that
  // chose (a layout effect), so keys typed right after land after the choice, never before it.
  const pendingCaret = useRef<number | undefined>(undefined);
  useLayoutEffect(() => {
    const at = pendingCaret.current;
    const element = textarea.current;
    if (at === undefined || element === null || element.value !== value) return;
    pendingCaret.current = undefined;
    element.setSelectionRange(at, at);
  }, [value, textarea]);

  const placeCaretAfterChange = (next: string, at: number): void => {
    if (next === value) textarea.current?.setSelectionRange(at, at);
    else pendingCaret.current = at;
  };

  const choose = (index: number): void => {
    const completion = completions[index];
    if (slot === undefined || completion === undefined) return;
    const next = value.slice(0, slot.from) + completion.text + value.slice(slot.to);
    const at = slot.from + completion.text.length;
    placeCaretAfterChange(next, at);
    onChange(next);
    setCaret(at);
    // A finished name closes the list; a service prefix (`s3:`) goes on to that service's names.
    setDismissed(completion.continues ? undefined : `${slot.from}:${completion.text}`);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): boolean => {
    if (event.key === ' ' && event.ctrlKey) {
      setDismissed(undefined);
      event.preventDefault();
      return true;
    }
    if (!open || event.altKey || event.metaKey || event.ctrlKey) return false;
    const move = (index: number): void => setActiveState({ for: answerKey, index: (index + completions.length) % completions.length });
    switch (event.key) {
      case 'ArrowDown':
        move(active + 1);
        break;
      case 'ArrowUp':
        move(active - 1);
        break;
      case 'Enter':
      case 'Tab':
        if (event.shiftKey) return false;
        choose(active);
        break;
      case 'Escape':
        setDismissed(slotKey);
        break;
      default:
        return false;
    }
    event.preventDefault();
    return true;
  };

  return {
    slot,
    open,
    completions,
    active,
    listId,
    optionId,
    fieldProps: {
      'aria-autocomplete': 'list',
      'aria-haspopup': 'listbox',
      'aria-controls': open ? listId : undefined,
      'aria-activedescendant': open ? optionId(active) : undefined,
    },
    onKeyDown,
    onCaret: setCaret,
    onFocusChange: setFocused,
    choose,
    placeCaretAfterChange,
  };
}
