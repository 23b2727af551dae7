/**
 * A JSON policy editor: a plain textarea beside a line-number gutter that marks lines with
 * findings, and the findings listed below it. Choosing a finding puts the caret on its spot.
 */
import { useId, useRef } from 'react';
import type { KeyboardEvent } from 'react';
import type { PolicyFinding } from '../api/results.ts';

/** Props of PolicyEditor. */
export interface PolicyEditorProps {
  readonly label: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly findings: readonly PolicyFinding[];
  /** True while findings for the current text are being computed. */
  readonly checking?: boolean;
}

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
    if (event.key !== 'Tab' || event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.currentTarget.dataset.escaped === 'true') return;
    event.preventDefault();
    const element = event.currentTarget;
    const { selectionStart, selectionEnd } = element;
    const next = `${props.value.slice(0, selectionStart)}  ${props.value.slice(selectionEnd)}`;
    props.onChange(next);
    requestAnimationFrame(() => element.setSelectionRange(selectionStart + 2, selectionStart + 2));
  };

  return (
    <div>
      <label htmlFor={id}>{props.label}</label>
      <p className="hint muted" id={`${id}-help`} style={{ margin: '0 0 6px', fontSize: 12 }}>
        Tab indents; press Escape, then Tab, to leave the editor.
      </p>
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
          onChange={(event) => props.onChange(event.target.value)}
          onKeyDown={onKeyDown}
          onKeyUp={(event) => {
            event.currentTarget.dataset.escaped = event.key === 'Escape' ? 'true' : 'false';
          }}
          onScroll={(event) => {
            if (gutter.current !== null) gutter.current.scrollTop = event.currentTarget.scrollTop;
          }}
        />
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
