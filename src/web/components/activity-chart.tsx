/**
 * A small SVG bar chart of events per time bucket, two series side by side (e.g. changes and
 * denials per minute). No chart library: a few rectangles and a text alternative.
 */

/** One time bucket and its counts. */
export interface ChartBucket {
  /** Bucket start, ms since the epoch. */
  readonly start: number;
  readonly primary: number;
  readonly secondary: number;
}

/** Props of ActivityChart. */
export interface ActivityChartProps {
  readonly buckets: readonly ChartBucket[];
  readonly primaryLabel: string;
  readonly secondaryLabel: string;
  readonly title: string;
}

// A wide, short drawing area: at 1280 px it is about 160 px tall.
const WIDTH = 1000;
const HEIGHT = 150;
const AXIS = 16;

/** Draws the buckets left (oldest) to right (newest), scaled to the busiest bucket. */
export function ActivityChart(props: ActivityChartProps) {
  const max = Math.max(1, ...props.buckets.map((b) => Math.max(b.primary, b.secondary)));
  const slot = WIDTH / Math.max(props.buckets.length, 1);
  const bar = Math.max(slot / 2 - 1, 1);
  const scale = (n: number): number => (n / max) * (HEIGHT - AXIS - 4);
  const totalPrimary = props.buckets.reduce((sum, b) => sum + b.primary, 0);
  const totalSecondary = props.buckets.reduce((sum, b) => sum + b.secondary, 0);
  const summary = `${props.title}: ${totalPrimary} ${props.primaryLabel.toLowerCase()} and ${totalSecondary} ${props.secondaryLabel.toLowerCase()} over the last ${props.buckets.length} minutes; busiest minute ${max}.`;
  const first = props.buckets[0];
  const last = props.buckets[props.buckets.length - 1];
  return (
    <figure style={{ margin: 0 }}>
      <svg className="chart" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary}>
        <line x1={0} x2={WIDTH} y1={HEIGHT - AXIS} y2={HEIGHT - AXIS} stroke="currentColor" strokeOpacity={0.3} />
        {props.buckets.map((b, i) => (
          <g key={b.start}>
            <rect className="changes" x={i * slot} y={HEIGHT - AXIS - scale(b.primary)} width={bar} height={scale(b.primary)}>
              <title>{`${new Date(b.start).toLocaleTimeString()}: ${b.primary} ${props.primaryLabel.toLowerCase()}`}</title>
            </rect>
            <rect className="denials" x={i * slot + bar + 1} y={HEIGHT - AXIS - scale(b.secondary)} width={bar} height={scale(b.secondary)}>
              <title>{`${new Date(b.start).toLocaleTimeString()}: ${b.secondary} ${props.secondaryLabel.toLowerCase()}`}</title>
            </rect>
          </g>
        ))}
        {first === undefined || last === undefined ? null : (
          <>
            <text x={0} y={HEIGHT - 3} fontSize={11} fill="currentColor" opacity={0.7}>
              {new Date(first.start).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}
            </text>
            <text x={WIDTH} y={HEIGHT - 3} fontSize={11} fill="currentColor" opacity={0.7} textAnchor="end">
              {new Date(last.start).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}
            </text>
          </>
        )}
      </svg>
      <figcaption className="muted" style={{ fontSize: 12 }}>
        <span className="live-dot" style={{ background: 'var(--accent)' }} aria-hidden="true" />
        {props.primaryLabel} per minute{' '}
        <span className="live-dot" style={{ background: 'var(--danger)', marginLeft: 12 }} aria-hidden="true" />
        {props.secondaryLabel} per minute
      </figcaption>
    </figure>
  );
}

/** Counts events into one-minute buckets over the last `minutes` minutes up to `now`: all in `primary`, flagged ones also in `secondary`. */
export function bucketByMinute(
  events: ReadonlyArray<{ time: number; secondary: boolean }>,
  now: number,
  minutes = 30,
): ChartBucket[] {
  const minute = 60_000;
  const end = Math.floor(now / minute) * minute;
  const buckets = Array.from({ length: minutes }, (_, i) => ({ start: end - (minutes - 1 - i) * minute, primary: 0, secondary: 0 }));
  for (const event of events) {
    const index = minutes - 1 - Math.floor((end - Math.floor(event.time / minute) * minute) / minute);
    const bucket = buckets[index];
    if (bucket === undefined) continue;
    bucket.primary++;
    if (event.secondary) bucket.secondary++;
  }
  return buckets;
}
