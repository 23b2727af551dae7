/**
 * How an instance sees its database: up or down, and since when. The outage monitor
 * (src/server/outage.ts) writes it; the live layer announces it to subscribers.
 */

/** The database as this instance last saw it. */
export interface DatabaseStatus {
  readonly state: 'up' | 'down';
  /** When the state last changed. */
  readonly since: Date;
  /** The driver's one-line reason for the last failure (never a URL or credential). */
  readonly reason: string | undefined;
}

/** Read side of the monitor: the current status and a way to hear each change. */
export interface DatabaseStatusSource {
  readonly status: DatabaseStatus;
  /** Calls `listener` on every change of state; returns the function that stops it. */
  onChange(listener: (status: DatabaseStatus) => void): () => void;
}
