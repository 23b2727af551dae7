/**
 * A small SVG bar chart of events per time bucket, two series side by side (e.g. changes and
 * denials per minute), with a value axis, each bucket's count above its bar and time labels.
 * No chart library: a few rectangles and a text alternative.
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
  /** Minutes per bucket (1 by default). */
  readonly bucketMinutes?: number;
}

// A wide, short drawing area: at 1280 px it is about 160 px tall.
const WIDTH = 1000;
const HEIGHT = 150;
const AXIS = 16;
// Room on the left for the value axis.
const GUTTER = 28;

/** Draws the buckets left (oldest) to right (newest), scaled to the busiest bucket. */
export function ActivityChart(props: ActivityChartProps) {
  const max = Math.max(1, ...props.buckets.map((b) => Math.max(b.primary, b.secondary)));
  const slot = (WIDTH - GUTTER) / Math.max(props.buckets.length, 1);
  const bar = Math.max(slot / 2 - 1, 1);
  const top = 14;
  const scale = (n: number): number => (n / max) * (HEIGHT - AXIS - top);
  const per = props.bucketMinutes === undefined || props.bucketMinutes === 1 ? 'minute' : `${props.bucketMinutes} minutes`;
  const totalPrimary = props.buckets.reduce((sum, b) => sum + b.primary, 0);
  const totalSecondary = props.buckets.reduce((sum, b) => sum + b.secondary, 0);
  const span = props.buckets.length * (props.bucketMinutes ?? 1);
  const summary = `${props.title}: ${totalPrimary} ${props.primaryLabel.toLowerCase()} and ${totalSecondary} ${props.secondaryLabel.toLowerCase()} over the last ${span} minutes; busiest ${per} ${max}.`;
  const first = props.buckets[0];
  const middle = props.buckets[Math.floor(props.buckets.length / 2)];
  const last = props.buckets[props.buckets.length - 1];
  const label = (time: number): string => new Date(time).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const base = HEIGHT - AXIS;
  return (
    <figure style={{ margin: 0 }}>
      <svg className="chart" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary}>
        {/* Value axis: 0 and the busiest bucket's count, with a faint guide line at the top. */}
        <line x1={GUTTER} x2={GUTTER} y1={top} y2={base} stroke="currentColor" strokeOpacity={0.3} />
        <line x1={GUTTER} x2={WIDTH} y1={top} y2={top} stroke="currentColor" strokeOpacity={0.1} />
        <text x={GUTTER - 4} y={top + 4} fontSize={11} fill="currentColor" textAnchor="end" data-axis="max">
          {max}
        </text>
        <text x={GUTTER - 4} y={base} fontSize={11} fill="currentColor" textAnchor="end">
          0
        </text>
        <line x1={GUTTER} x2={WIDTH} y1={base} y2={base} stroke="currentColor" strokeOpacity={0.3} />
        {props.buckets.map((b, i) => {
          const x = GUTTER + i * slot;
          return (
            <g key={b.start}>
              <rect className="changes" x={x} y={base - scale(b.primary)} width={bar} height={scale(b.primary)}>
                <title>{`${new Date(b.start).toLocaleString()}: ${b.primary} ${props.primaryLabel.toLowerCase()}`}</title>
              </rect>
              <rect className="denials" x={x + bar + 1} y={base - scale(b.secondary)} width={bar} height={scale(b.secondary)}>
                <title>{`${new Date(b.start).toLocaleString()}: ${b.secondary} ${props.secondaryLabel.toLowerCase()}`}</title>
              </rect>
              {b.primary === 0 ? null : (
                <text x={x + bar / 2} y={base - scale(b.primary) - 2} fontSize={10} fill="currentColor" textAnchor="middle" data-value={b.primary}>
                  {b.primary}
                </text>
              )}
            </g>
          );
        })}
        {first === undefined || last === undefined || middle === undefined ? null : (
          <>
            <text x={GUTTER} y={HEIGHT - 3} fontSize={11} fill="currentColor">
              {label(first.start)}
            </text>
            <text x={GUTTER + (WIDTH - GUTTER) / 2} y={HEIGHT - 3} fontSize={11} fill="currentColor" textAnchor="middle">
              {label(middle.start)}
            </text>
            <text x={WIDTH} y={HEIGHT - 3} fontSize={11} fill="currentColor" textAnchor="end">
              {label(last.start)}
            </text>
          </>
        )}
      </svg>
      <figcaption className="muted" style={{ fontSize: 12 }}>
        <span className="live-dot" style={{ background: 'var(--accent)' }} aria-hidden="true" />
        {props.primaryLabel} per {per}{' '}
        <span className="live-dot" style={{ background: 'var(--danger)', marginLeft: 12 }} aria-hidden="true" />
        {props.secondaryLabel} per {per}
      </figcaption>
    </figure>
  );
}

/**
 * Counts events into buckets of `bucketMinutes` minutes over the last `minutes` minutes up to
 * `now`: all in `primary`, flagged ones also in `secondary`.
 */
export function bucketByMinute(
  events: ReadonlyArray<{ time: number; secondary: boolean }>,
  now: number,
  minutes = 30,
  bucketMinutes = 1,
): ChartBucket[] {
  const size = 60_000 * Math.max(1, Math.floor(bucketMinutes));
  const count = Math.max(1, Math.ceil(minutes / (size / 60_000)));
  const end = Math.floor(now / size) * size;
  const buckets = Array.from({ length: count }, (_, i) => ({ start: end - (count - 1 - i) * size, primary: 0, secondary: 0 }));
  for (const event of events) {
    const index = count - 1 - Math.floor((end - Math.floor(event.time / size) * size) / size);
    const bucket = buckets[index];
    if (bucket === undefined) continue;
    bucket.primary++;
    if (event.secondary) bucket.secondary++;
  }
  return buckets;
}
