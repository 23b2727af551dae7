/**
 * The completion popup of the policy editor: a listbox under the string being typed. Options are
 * chosen with the keyboard from the textarea (see useEditorCompletion) or by pointer; pressing
 * an option keeps focus in the textarea.
 */
import { useEffect } from 'react';
import type { EditorCompletion } from './use-editor-completion.ts';

/** Where the popup sits, in pixels from the top-left of the editor's text area. */
export interface PopupPosition {
  readonly top: number;
  readonly left: number;
}

/** The listbox, or nothing while closed; always a polite count for screen readers. */
export function CompletionList(props: { completion: EditorCompletion; position: PopupPosition }) {
  const c = props.completion;
  const count = c.open ? c.completions.length : 0;
  const activeId = c.open ? c.optionId(c.active) : undefined;
  useEffect(() => {
    if (activeId !== undefined) document.getElementById(activeId)?.scrollIntoView({ block: 'nearest' });
  }, [activeId]);
  return (
    <>
      <span className="visually-hidden" role="status">
        {count === 0 ? '' : `${count} suggestion${count === 1 ? '' : 's'}; Up and Down to move, Enter to choose, Escape to close.`}
      </span>
      {c.open ? (
        <ul id={c.listId} role="listbox" aria-label="Suggestions" className="completions" style={{ top: props.position.top, left: props.position.left }}>
          {c.completions.map((completion, index) => (
            <li
              key={completion.text}
              id={c.optionId(index)}
              role="option"
              aria-selected={index === c.active}
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => c.choose(index)}
            >
              <span className="mono">{completion.text}</span> <span className="muted">{completion.detail}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
