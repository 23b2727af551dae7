/**
 * Live activity: the latest page of the account's change log (`changeLog`), earlier pages on
 * demand ("Load earlier changes"), then the `changes` subscription from the page's latest
 * revision, newest first, filterable by kind, entity, actor or any name in the payload,
 * each row opening to its details, with a per-minute chart.
 * After a dropped connection it resumes after the last revision seen (no gap, no duplicate) and
 * says so while reconnecting.
 */
import { Fragment, useEffect, useMemo, useRef, useState } from 'react';
import { graphql } from '../api/generated/gql.ts';
import type { ChangeKind, ChangesSubscription } from '../api/generated/graphql.ts';
import { ApiError, request } from '../api/graphql.ts';
import { toApiError } from '../api/use-query.ts';
import { subscribeLive, useLiveStatus } from '../api/live.ts';
import { ActivityChart, bucketByMinute } from '../components/activity-chart.tsx';
import { changeKindLabel } from '../components/labels.ts';
import { TextField } from '../components/field.tsx';
import { LiveIndicator } from '../components/live-indicator.tsx';
import { Empty, ErrorNotice } from '../components/notice.tsx';

const CHANGES = graphql(`
  subscription Changes($afterRevision: String) {
    changes(afterRevision: $afterRevision) {
      revision
      kind
      entityType
      entityArn
      actorArn
      createDate
      payload
    }
  }
`);

const CHANGE_LOG = graphql(`
  query ChangeLogPage($before: String, $last: Int) {
    changeLog(before: $before, last: $last) {
      hasEarlier
      latestRevision
      entries {
        revision
        kind
        entityType
        entityArn
        actorArn
        createDate
        payload
      }
    }
  }
`);

/** How many changes the page loads at first and per "Load earlier changes". */
const PAGE_SIZE = 100;

/** One change-log entry as the stream delivers it. */
type Change = NonNullable<ChangesSubscription['changes']>;

// Live changes push the oldest rows out beyond this many (or beyond what was paged back to);
// "Load earlier changes" brings them back.
const KEEP = 500;

/** Change kinds that take access away (drawn as the chart's second series and badged red). */
export function isRevoking(kind: ChangeKind): boolean {
  return /DETACH|DELETE|REMOVE|DEACTIVAT|REVOK/.test(kind);
}

/** The chart's selectable time windows. */
const WINDOWS: ReadonlyArray<{ minutes: number; label: string }> = [
  { minutes: 15, label: 'Last 15 minutes' },
  { minutes: 30, label: 'Last 30 minutes' },
  { minutes: 60, label: 'Last hour' },
  { minutes: 360, label: 'Last 6 hours' },
  { minutes: 1440, label: 'Last 24 hours' },
];

/** Bucket size for a window: at most about 60 bars. */
function bucketMinutesFor(windowMinutes: number): number {
  return windowMinutes <= 60 ? 1 : Math.ceil(windowMinutes / 60);
}

/** The live activity page. */
export function ActivityPage() {
  const [changes, setChanges] = useState<Change[]>([]);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [filter, setFilter] = useState('');
  const [windowMinutes, setWindowMinutes] = useState(30);
  const [opened, setOpened] = useState<ReadonlySet<string>>(() => new Set());
  const toggle = (revision: string): void =>
    setOpened((previous) => {
      const next = new Set(previous);
      if (!next.delete(revision)) next.add(revision);
      return next;
    });
  const [now, setNow] = useState(() => Date.now());
  const lastRevision = useRef<string | undefined>(undefined);
  const [hasEarlier, setHasEarlier] = useState(false);
  const [loadingEarlier, setLoadingEarlier] = useState(false);
  const status = useLiveStatus();

  useEffect(() => {
    // Replayed history arrives as a burst of messages: collect them and render once per frame.
    let pending: Change[] = [];
    let frame: number | undefined;
    const flush = (): void => {
      frame = undefined;
      // Newest first; computed outside the updater, which React may run more than once.
      const newestFirst = pending.reverse();
      pending = [];
      setChanges((previous) => {
        const combined = [...newestFirst, ...previous];
        const kept = combined.slice(0, Math.max(KEEP, previous.length));
        if (kept.length < combined.length) setHasEarlier(true);
        return kept;
      });
    };
    let stop: (() => void) | undefined;
    let cancelled = false;
    const follow = (): void => {
      stop = subscribeLive(
        CHANGES,
        // After the latest page on first open; after a drop, from the last one seen.
        () => ({ afterRevision: lastRevision.current ?? '0' }),
        {
          next: ({ changes: change }) => {
            // Null only with an error, which `error` reports.
            if (change == null) return;
            setError(undefined);
            // Revisions are digit strings that grow: a resubscription never shows one twice.
            const last = lastRevision.current;
            if (last !== undefined && compareRevisions(change.revision, last) <= 0) return;
            lastRevision.current = change.revision;
            pending.push(change);
            frame ??= requestAnimationFrame(flush);
          },
          error: setError,
        },
      );
    };
    // The latest page first; the subscription follows on from the newest revision it read.
    request(CHANGE_LOG, { last: PAGE_SIZE }).then(
      ({ data, errors }) => {
        if (cancelled) return;
        const page = data.changeLog;
        if (page == null) {
          // Refused (or failed): say why, and open no subscription that would be refused too.
          setError(errors[0] ?? new ApiError('CLIENT', 'the API answered no change log'));
          return;
        }
        lastRevision.current = page.latestRevision;
        setChanges(page.entries);
        setHasEarlier(page.hasEarlier);
        follow();
      },
      (caught: unknown) => {
        if (!cancelled) setError(toApiError(caught));
      },
    );
    return () => {
      cancelled = true;
      stop?.();
      if (frame !== undefined) cancelAnimationFrame(frame);
    };
  }, []);

  const loadEarlier = async (): Promise<void> => {
    const oldest = changes.at(-1)?.revision;
    if (oldest === undefined) return;
    setLoadingEarlier(true);
    try {
      const { data, errors } = await request(CHANGE_LOG, { before: oldest, last: PAGE_SIZE });
      const page = data.changeLog;
      if (page == null) {
        setError(errors[0] ?? new ApiError('CLIENT', 'the API answered no change log'));
        return;
      }
      // Only rows older than the oldest shown (live rows may have pushed some out meanwhile).
      setChanges((previous) => {
        const floor = previous.at(-1)?.revision;
        return [...previous, ...page.entries.filter((c) => floor === undefined || compareRevisions(c.revision, floor) < 0)];
      });
      setHasEarlier(page.hasEarlier);
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setLoadingEarlier(false);
    }
  };

  // Move the chart's time window along even when nothing happens.
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);

  const needle = filter.trim().toLowerCase();
  const shown = useMemo(
    () =>
      needle === ''
        ? changes
        : // The kind matches as shown (`policy attached`) and as the API spells it (`POLICY_ATTACHED`).
        // The payload names every other principal and policy the row is about (the group a user
        // joined, the policy attached, …), so the filter matches all of them.
        changes.filter((c) => [changeKindLabel(c.kind), c.kind, c.entityType, c.entityArn, c.actorArn, c.revision, c.payload].some((v) => v.toLowerCase().includes(needle))),
    [changes, needle],
  );
  const buckets = useMemo(
    () => bucketByMinute(shown.map((c) => ({ time: Date.parse(c.createDate), secondary: isRevoking(c.kind) })), now, windowMinutes, bucketMinutesFor(windowMinutes)),
    [shown, now, windowMinutes],
  );

  return (
    <>
      <div className="row center">
        <h1>Live activity</h1>
        <span className="spacer" />
        <LiveIndicator status={status} />
      </div>
      <ErrorNotice error={error} title="The activity stream was refused" />
      <section className="panel" aria-label="Changes per minute">
        <div className="row center">
          <label htmlFor="activity-window">Time window</label>
          <select id="activity-window" value={windowMinutes} onChange={(event) => setWindowMinutes(Number(event.target.value))}>
            {WINDOWS.map((w) => (
              <option key={w.minutes} value={w.minutes}>
                {w.label}
              </option>
            ))}
          </select>
        </div>
        <ActivityChart
          buckets={buckets}
          bucketMinutes={bucketMinutesFor(windowMinutes)}
          title="Directory changes"
          primaryLabel="All changes"
          secondaryLabel="Revoking changes (detach, delete, remove)"
        />
      </section>
      <div className="panel">
        <TextField label="Filter" hint="(kind, revision, or any name in the row)" value={filter} onChange={setFilter} type="search" />
        {shown.length === 0 ? (
          <Empty>{changes.length === 0 ? 'Waiting for changes… Every directory write appears here as it commits.' : 'No change matches the filter.'}</Empty>
        ) : (
          <div className="table-wrap">
            <table aria-label="Changes, newest first">
              <thead>
                <tr>
                  <th scope="col">Revision</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Entity</th>
                  <th scope="col" className="hide-narrow">
                    Actor
                  </th>
                  <th scope="col" className="hide-narrow">
                    Time
                  </th>
                </tr>
              </thead>
              <tbody aria-live="polite" aria-relevant="additions">
                {shown.map((c) => (
                  <ChangeRow key={c.revision} change={c} open={opened.has(c.revision)} onToggle={() => toggle(c.revision)} />
                ))}
              </tbody>
            </table>
          </div>
        )}
        {hasEarlier ? (
          <p>
            <button type="button" onClick={() => void loadEarlier()} disabled={loadingEarlier}>
              {loadingEarlier ? 'Loading…' : 'Load earlier changes'}
            </button>
          </p>
        ) : null}
      </div>
    </>
  );
}

/** One change and, when opened, its details: when, by whom, what it names (the payload's fields). */
function ChangeRow(props: { change: Change; open: boolean; onToggle: () => void }) {
  const c = props.change;
  const when = new Date(c.createDate);
  return (
    <>
      <tr>
        <td className="mono">
          <button type="button" className="link-button disclosure" aria-expanded={props.open} onClick={props.onToggle} title="Show the details of this change">
            {c.revision}
          </button>
        </td>
        <td>
          <span className={`badge ${isRevoking(c.kind) ? 'denied' : 'neutral'}`}>{changeKindLabel(c.kind)}</span>
        </td>
        <td className="mono wrap">{c.entityArn}</td>
        <td className="mono wrap hide-narrow">{c.actorArn}</td>
        <td className="hide-narrow" style={{ whiteSpace: 'nowrap' }}>
          <time dateTime={c.createDate}>
            {when.toLocaleDateString()} {when.toLocaleTimeString()}
          </time>
        </td>
      </tr>
      {props.open ? (
        <tr className="change-details">
          <td colSpan={5}>
            <dl className="facts">
              <dt>When</dt>
              <dd>
                <time dateTime={c.createDate}>{when.toLocaleString()}</time>
              </dd>
              <dt>By</dt>
              <dd className="mono wrap">{c.actorArn}</dd>
              <dt>Entity</dt>
              <dd className="mono wrap">{c.entityArn}</dd>
              {payloadFacts(c.payload).map(([key, value]) => (
                <Fragment key={key}>
                  <dt>{key}</dt>
                  <dd className="mono wrap">{value}</dd>
                </Fragment>
              ))}
            </dl>
          </td>
        </tr>
      ) : null}
    </>
  );
}

/** The payload's fields as label/value pairs (nested values as JSON); nothing for an unreadable payload. */
function payloadFacts(payload: string): Array<[string, string]> {
  try {
    const parsed = JSON.parse(payload) as unknown;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return [];
    return Object.entries(parsed as Record<string, unknown>)
      .filter(([, value]) => value !== null && value !== undefined && value !== '')
      .map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]);
  } catch {
    return [];
  }
}

/** Orders two revision strings numerically. */
function compareRevisions(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}
