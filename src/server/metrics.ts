/**
 * GET /metrics in the Prometheus text exposition format (version 0.0.4): decisions by outcome,
 * cache hits, misses, sizes and evictions, and how far this instance has applied the change log.
 */
import type { ServerResponse } from 'node:http';
import { currentRevision } from '../changes/outbox.ts';
import type { AuthzRuntime } from '../authz/runtime.ts';
import type { LruCache } from '../authz/lru.ts';

/** One metric family: name, type, help and samples (labels → value; `suffix` for histogram series). */
interface Family {
  readonly name: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  readonly help: string;
  readonly samples: ReadonlyArray<{ readonly suffix?: string; readonly labels?: Readonly<Record<string, string>>; readonly value: number }>;
}

/** A metric family other server parts contribute to /metrics. */
export type MetricFamily = Family;

/** Escapes a label value as the text format requires. */
function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

/** Renders families in the text format. */
export function renderMetrics(families: readonly Family[]): string {
  const lines: string[] = [];
  for (const family of families) {
    lines.push(`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} ${family.type}`);
    for (const sample of family.samples) {
      const labels = Object.entries(sample.labels ?? {});
      const labelText = labels.length === 0 ? '' : `{${labels.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`;
      lines.push(`${family.name}${sample.suffix ?? ''}${labelText} ${Number.isFinite(sample.value) ? sample.value : 0}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The metric families of one server, reading the latest committed revision from the database. */
export async function collectMetrics(authz: AuthzRuntime): Promise<Family[]> {
  const caches: Array<[string, LruCache<unknown, unknown>]> = [
    ['effective_policies', authz.effective.cache as LruCache<unknown, unknown>],
    ['compiled_policy_versions', authz.compiled.versions as LruCache<unknown, unknown>],
    ['compiled_documents', authz.compiled.documents as LruCache<unknown, unknown>],
    ['compiled_caller_documents', authz.compiled.callerDocuments as LruCache<unknown, unknown>],
    ['access_keys', authz.authenticator.keys as LruCache<unknown, unknown>],
    ['sessions', authz.authenticator.sessions as LruCache<unknown, unknown>],
  ];
  const perCache = (pick: (c: LruCache<unknown, unknown>) => number) => caches.map(([cache, c]) => ({ labels: { cache }, value: pick(c) }));
  const applied = authz.bus.currentRevision;
  // The database's latest revision shows how far behind this instance is; absent if the query fails.
  const latest = await currentRevision(authz.database).then(BigInt, () => undefined);
  const families: Family[] = [
    {
      name: 'portcullis_decisions_total',
      type: 'counter',
      help: 'Authorization decisions answered by authorize and authorizeBatch, by outcome.',
      samples: Object.entries(authz.decisionCounts).map(([outcome, value]) => ({ labels: { outcome }, value })),
    },
    { name: 'portcullis_cache_hits_total', type: 'counter', help: 'Cache lookups that found an entry.', samples: perCache((c) => c.stats.hits) },
    { name: 'portcullis_cache_misses_total', type: 'counter', help: 'Cache lookups that found nothing.', samples: perCache((c) => c.stats.misses) },
    { name: 'portcullis_cache_evictions_total', type: 'counter', help: 'Entries evicted to stay within capacity.', samples: perCache((c) => c.stats.evictions) },
    {
      name: 'portcullis_cache_invalidations_total',
      type: 'counter',
      help: 'Entries dropped because the change log named something they were built from.',
      samples: perCache((c) => c.stats.invalidations),
    },
    { name: 'portcullis_cache_entries', type: 'gauge', help: 'Entries currently cached.', samples: perCache((c) => c.size) },
    { name: 'portcullis_cache_capacity', type: 'gauge', help: 'Maximum entries per cache.', samples: perCache((c) => c.capacity) },
    {
      name: 'portcullis_change_log_revision_applied',
      type: 'gauge',
      help: 'Highest change-log revision this instance has applied to its caches.',
      samples: [{ value: Number(applied) }],
    },
    {
      name: 'portcullis_change_log_lag_revisions',
      type: 'gauge',
      help: 'Committed revisions this instance has not applied yet.',
      samples: latest === undefined ? [] : [{ value: Number(latest > applied ? latest - applied : 0n) }],
    },
    {
      name: 'portcullis_change_log_lag_seconds',
      type: 'gauge',
      help: 'Seconds between the commit of the last applied change and applying it.',
      samples: [{ value: authz.listener.lastLagSeconds }],
    },
    { name: 'portcullis_change_log_rows_applied_total', type: 'counter', help: 'Change-log rows applied since start.', samples: [{ value: authz.listener.appliedRows }] },
    {
      name: 'portcullis_change_log_notifications_total',
      type: 'counter',
      help: 'Change-log notifications heard since start (rows applied while this stays flat came by the safety poll: LISTEN is lost).',
      samples: [{ value: authz.listener.notifications }],
    },
    {
      name: 'portcullis_change_log_read_throughs_total',
      type: 'counter',
      help: 'minRevision waits the listener did not meet in time, answered by reading the change log directly.',
      samples: [{ value: authz.readThroughs }],
    },
    {
      name: 'portcullis_last_accessed_rows_flushed_total',
      type: 'counter',
      help: 'Last-accessed rows written in batches.',
      samples: [{ value: authz.lastAccessed.flushedRows }],
    },
    {
      name: 'portcullis_last_accessed_dropped_total',
      type: 'counter',
      help: 'Decisions not recorded in service last-accessed data: the in-memory buffer was full until the next flush, or the principal had the most services stored.',
      samples: [{ value: authz.lastAccessed.dropped }],
    },
    {
      name: 'portcullis_access_denied_events_written_total',
      type: 'counter',
      help: 'AccessDenied audit rows appended to the change log in batches.',
      samples: [{ value: authz.denials.flushedRows }],
    },
    {
      name: 'portcullis_access_denied_events_dropped_total',
      type: 'counter',
      help: 'AccessDenied audit events dropped because the in-memory buffer was full.',
      samples: [{ value: authz.denials.dropped }],
    },
    {
      name: 'portcullis_action_usage_rows_flushed_total',
      type: 'counter',
      help: 'Action-usage rows (principal, action, resource, day) written in batches.',
      samples: [{ value: authz.actionUsage.flushedRows }],
    },
    {
      name: 'portcullis_action_usage_pending_entries',
      type: 'gauge',
      help: 'Entries the action-usage buffer holds until its next flush (principals, actions, resources).',
      samples: [{ value: authz.actionUsage.heldEntries }],
    },
    {
      name: 'portcullis_action_usage_dropped_total',
      type: 'counter',
      help: 'Decisions not counted in action usage: the in-memory buffer was full until the next flush, or the principal had the most actions stored that day.',
      samples: [{ value: authz.actionUsage.dropped }],
    },
    {
      name: 'portcullis_access_key_last_used_dropped_total',
      type: 'counter',
      help: 'Access-key uses not recorded because the in-memory buffer was full.',
      samples: [{ value: authz.keyLastUsed.dropped }],
    },
  ];
  return families;
}

/** GET /metrics. Unauthenticated, like most Prometheus targets: it carries counts, never identities. */
export async function serveMetrics(
  res: ServerResponse,
  authz: AuthzRuntime,
  extra: () => Promise<readonly Family[]> = async () => [],
): Promise<void> {
  const text = renderMetrics([...(await collectMetrics(authz)), ...(await extra())]);
  res.writeHead(200, {
    'content-type': 'text/plain; version=0.0.4; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}
