/**
 * A JSON policy editor: a plain textarea beside a line-number gutter that marks lines with
 * findings, and the findings listed below it. Choosing a finding puts the caret on its spot.
 * Inside an action or a condition key, names from the service catalog are offered as you type.
 */
import { useId, useRef } from 'react';
import type { KeyboardEvent } from 'react';
import type { PolicyFinding } from '../api/results.ts';
import { CompletionList } from './policy-completion/completion-list.tsx';
import type { PopupPosition } from './policy-completion/completion-list.tsx';
import { useEditorCompletion } from './policy-completion/use-editor-completion.ts';

/** Props of PolicyEditor. */
export interface PolicyEditorProps {
  readonly label: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly findings: readonly PolicyFinding[];
  /** True while findings for the current text are being computed. */
  readonly checking?: boolean;
}

/** The stylesheet's line height and padding of the editor's textarea (see styles.css). */
const LINE_HEIGHT = 18;
const PADDING = 8;

const SEVERITY_LABEL: Record<PolicyFinding['findingType'], string> = {
  ERROR: 'Error',
  SECURITY_WARNING: 'Security warning',
  WARNING: 'Warning',
  SUGGESTION: 'Suggestion',
};

/** The editor with inline findings. */
export function PolicyEditor(props: PolicyEditorProps) {
  const id = useId();
  const textarea = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLPreElement>(null);
  const measure = useRef<HTMLSpanElement>(null);
  const completion = useEditorCompletion(props.value, props.onChange, textarea);
  const lineCount = props.value.split('\n').length;
  const severityByLine = new Map<number, 'has-error' | 'has-warning'>();
  for (const finding of props.findings) {
    if (finding.findingType === 'ERROR') severityByLine.set(finding.line, 'has-error');
    else if (!severityByLine.has(finding.line) && finding.findingType !== 'SUGGESTION') severityByLine.set(finding.line, 'has-warning');
  }
  const errors = props.findings.filter((f) => f.findingType === 'ERROR').length;

  const focusFinding = (finding: PolicyFinding): void => {
    const element = textarea.current;
    if (element === null) return;
    const lines = props.value.split('\n');
    let offset = 0;
    for (let i = 0; i < finding.line - 1 && i < lines.length; i++) offset += lines[i]!.length + 1;
    offset += Math.max(finding.column - 1, 0);
    element.focus();
    element.setSelectionRange(offset, offset);
    // Scroll the line into view: line height is fixed at 18px by the stylesheet.
    element.scrollTop = Math.max((finding.line - 4) * 18, 0);
  };

  // Tab indents (two spaces) instead of leaving the field; Escape then Tab still leaves it.
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (completion.onKeyDown(event)) return;
    if (event.key !== 'Tab' || event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.currentTarget.dataset.escaped === 'true') return;
    event.preventDefault();
    const element = event.currentTarget;
    const { selectionStart, selectionEnd } = element;
    const next = `${props.value.slice(0, selectionStart)}  ${props.value.slice(selectionEnd)}`;
    completion.placeCaretAfterChange(next, selectionStart + 2);
    props.onChange(next);
  };

  // The popup opens under the start of the string being completed (monospace: columns are equal).
  const popupPosition = (): PopupPosition => {
    const slot = completion.slot;
    const element = textarea.current;
    if (slot === undefined || element === null) return { top: 0, left: 0 };
    const before = props.value.slice(0, slot.from);
    const line = before.split('\n').length;
    const column = slot.from - (before.lastIndexOf('\n') + 1);
    const charWidth = (measure.current?.getBoundingClientRect().width ?? 80) / 10;
    const left = element.offsetLeft + PADDING + column * charWidth - element.scrollLeft;
    return {
      top: element.offsetTop + PADDING + line * LINE_HEIGHT - element.scrollTop,
      // Keep it inside the editor: at least 260 px wide, no further right than the editor allows.
      left: Math.max(0, Math.min(left, element.offsetLeft + element.clientWidth - 260)),
    };
  };
  const trackCaret = (element: HTMLTextAreaElement): void => completion.onCaret(element.selectionStart === element.selectionEnd ? element.selectionStart : -1);

  return (
    <div>
      <label htmlFor={id}>{props.label}</label>
      <p className="hint muted" id={`${id}-help`} style={{ margin: '0 0 6px', fontSize: 12 }}>
        Tab indents; press Escape, then Tab, to leave the editor. In an action or condition key, names from the service catalog are suggested (Ctrl+Space
        shows them again).
      </p>
      <div className="editor-frame">
        <span className="measure mono" ref={measure} aria-hidden="true">
          0000000000
        </span>
        <div className="editor">
          <pre className="gutter mono" ref={gutter} aria-hidden="true">
            {Array.from({ length: lineCount }, (_, i) => (
              <span key={i} className={severityByLine.get(i + 1)}>
                {i + 1}
              </span>
            ))}
          </pre>
          <textarea
            id={id}
            ref={textarea}
            className="code"
            spellCheck={false}
            autoCapitalize="off"
            autoComplete="off"
            value={props.value}
            rows={Math.min(Math.max(lineCount + 1, 14), 40)}
            aria-invalid={errors > 0}
            aria-describedby={`${id}-help ${id}-findings`}
            {...completion.fieldProps}
            onChange={(event) => {
              props.onChange(event.target.value);
              trackCaret(event.target);
            }}
            onKeyDown={onKeyDown}
            onKeyUp={(event) => {
              event.currentTarget.dataset.escaped = event.key === 'Escape' ? 'true' : 'false';
              trackCaret(event.currentTarget);
            }}
            onSelect={(event) => trackCaret(event.currentTarget)}
            onFocus={(event) => {
              completion.onFocusChange(true);
              trackCaret(event.currentTarget);
            }}
            onBlur={() => completion.onFocusChange(false)}
            onScroll={(event) => {
              if (gutter.current !== null) gutter.current.scrollTop = event.currentTarget.scrollTop;
            }}
          />
        </div>
        <CompletionList completion={completion} position={popupPosition()} />
      </div>
      <div id={`${id}-findings`} aria-live="polite">
        {props.checking === true ? <p className="muted">Checking…</p> : null}
        {props.checking !== true && props.findings.length === 0 ? <p className="muted">No findings.</p> : null}
        {props.findings.length > 0 ? (
          <ul className="findings" aria-label="Policy findings">
            {props.findings.map((finding, i) => (
              <li key={`${finding.issueCode}-${finding.line}-${finding.column}-${i}`} className={finding.findingType}>
                <button type="button" className="link" onClick={() => focusFinding(finding)}>
                  Line {finding.line}, column {finding.column}
                </button>{' '}
                <strong>{SEVERITY_LABEL[finding.findingType]}</strong> <code>{finding.issueCode}</code>: {finding.message}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </div>
  );
}
