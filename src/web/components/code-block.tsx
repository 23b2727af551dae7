/** Read-only policy text with line numbers; `highlight` marks a span of lines (a deciding statement). */
export function CodeBlock(props: { text: string; label: string; highlight?: { from: number; to: number } | undefined }) {
  // Shown exactly as stored: line numbers from the API (statement positions) refer to this text.
  const lines = props.text.split('\n');
  return (
    <div className="editor" role="region" aria-label={props.label}>
      <pre className="gutter mono" aria-hidden="true">
        {lines.map((_, i) => (
          <span key={i}>{i + 1}</span>
        ))}
      </pre>
      {/* Focusable so a keyboard can scroll a long line into view on a narrow screen. */}
      <pre className="mono" tabIndex={0} style={{ margin: 0, padding: 8, overflowX: 'auto', lineHeight: '18px' }}>
        {lines.map((line, i) => {
          const marked = props.highlight !== undefined && i + 1 >= props.highlight.from && i + 1 <= props.highlight.to;
          return (
            <span key={i} style={{ display: 'block', background: marked ? 'var(--warn-bg)' : undefined }} data-highlighted={marked || undefined}>
              {line === '' ? ' ' : line}
            </span>
          );
        })}
      </pre>
    </div>
  );
}

