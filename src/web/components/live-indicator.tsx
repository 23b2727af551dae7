import type { LiveStatus } from '../api/live.ts';

const LABELS: Record<LiveStatus, string> = {
  idle: 'Not connected',
  connecting: 'Connecting…',
  connected: 'Live',
  reconnecting: 'Reconnecting…',
};

/** Shows whether live updates are flowing; announced politely when it changes. */
export function LiveIndicator(props: { status: LiveStatus }) {
  const dot = props.status === 'connected' ? '' : props.status === 'idle' ? 'closed' : 'reconnecting';
  return (
    <span role="status" aria-live="polite" className="muted" data-live-status={props.status}>
      <span className={`live-dot ${dot}`} aria-hidden="true" />
      {LABELS[props.status]}
    </span>
  );
}
