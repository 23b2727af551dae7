/**
 * Per-operation observability for HTTP and graphql-ws alike: a counter and a latency histogram
 * per operation name and type, a gauge of open subscriptions, and one structured log line per
 * operation with the request id, the caller's ARN and the operation name (never variables, which
 * may carry secrets). Rendered by /metrics through `operationFamilies`.
 */
import { getOperationAST } from 'graphql';
import type { ExecutionResult, GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GraphQLContext } from '../graphql/context.ts';
import type { MetricFamily } from './metrics.ts';
import type { Logger } from '../logger.ts';

/** Histogram bucket bounds in seconds. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;
/** Distinct operation names tracked; later names share the label `other` to bound cardinality. */
const MAX_NAMES = 200;

interface Series {
  readonly labels: { operation: string; type: string };
  ok: number;
  failed: number;
  /** Observations in the histogram (subscriptions are counted but not timed). */
  timed: number;
  sum: number;
  readonly buckets: number[];
}

/** Counters and histograms of GraphQL operations. */
export class OperationMetrics {
  private readonly series = new Map<string, Series>();
  /** Subscriptions currently delivering events. */
  activeSubscriptions = 0;

  /** Records one finished operation; `seconds` undefined counts it without timing it. */
  observe(operation: string, type: string, seconds: number | undefined, failed: boolean): void {
    const name = this.series.size >= MAX_NAMES && !this.series.has(`${type}:${operation}`) ? 'other' : operation;
    const key = `${type}:${name}`;
    let series = this.series.get(key);
    if (series === undefined) {
      series = { labels: { operation: name, type }, ok: 0, failed: 0, timed: 0, sum: 0, buckets: BUCKETS.map(() => 0) };
      this.series.set(key, series);
    }
    if (failed) series.failed++;
    else series.ok++;
    if (seconds === undefined) return;
    series.timed++;
    series.sum += seconds;
    BUCKETS.forEach((bound, index) => {
      if (seconds <= bound) series.buckets[index]!++;
    });
  }

  /** The families for /metrics. */
  families(): MetricFamily[] {
    const all = [...this.series.values()];
    return [
      {
        name: 'portcullis_graphql_operations_total',
        type: 'counter',
        help: 'GraphQL operations executed (HTTP and WebSocket), by operation name, type and outcome.',
        samples: all.flatMap((s) => [
          { labels: { ...s.labels, outcome: 'ok' }, value: s.ok },
          { labels: { ...s.labels, outcome: 'error' }, value: s.failed },
        ]),
      },
      {
        name: 'portcullis_graphql_operation_duration_seconds',
        type: 'histogram',
        help: 'Time from parsing to the result of a query or mutation, by operation name and type.',
        samples: all.filter((s) => s.timed > 0).flatMap((s) => [
          ...BUCKETS.map((bound, index) => ({ suffix: '_bucket', labels: { ...s.labels, le: String(bound) }, value: s.buckets[index]! })),
          { suffix: '_bucket', labels: { ...s.labels, le: '+Inf' }, value: s.timed },
          { suffix: '_sum', labels: s.labels, value: s.sum },
          { suffix: '_count', labels: s.labels, value: s.timed },
        ]),
      },
      {
        name: 'portcullis_subscriptions_active',
        type: 'gauge',
        help: 'GraphQL subscriptions currently open on this instance.',
        samples: [{ value: this.activeSubscriptions }],
      },
    ];
  }
}

/** The error codes of a result, for the log line. */
function codesOf(errors: readonly GraphQLError[] | undefined): string[] | undefined {
  if (errors === undefined || errors.length === 0) return undefined;
  return [...new Set(errors.map((error) => String(error.extensions?.['code'] ?? 'ERROR')))];
}

/** Yoga plugin feeding `metrics` and writing the per-operation log line. */
export function useOperationMetrics(metrics: OperationMetrics, root: Logger): Plugin {
  const started = new WeakMap<object, number>();
  return {
    onParse({ context }) {
      started.set(context, performance.now());
    },
    onExecute({ args }) {
      const begin = started.get(args.contextValue as object) ?? performance.now();
      const operation = getOperationAST(args.document, args.operationName);
      const name = operation?.name?.value ?? 'anonymous';
      const type = operation?.operation ?? 'query';
      return {
        onExecuteDone({ result }) {
          if (Symbol.asyncIterator in result) return;
          const seconds = (performance.now() - begin) / 1000;
          const errors = codesOf((result as ExecutionResult).errors);
          metrics.observe(name, type, seconds, errors !== undefined);
          logOperation(root, args.contextValue as Partial<GraphQLContext>, { operationName: name, operationType: type, durationMs: Math.round(seconds * 1000), errors });
        },
      };
    },
    onSubscribe({ args }) {
      const operation = getOperationAST(args.document, args.operationName);
      const name = operation?.name?.value ?? 'anonymous';
      return {
        onSubscribeResult({ result }) {
          if (!(Symbol.asyncIterator in result)) {
            const errors = codesOf((result as ExecutionResult).errors);
            metrics.observe(name, 'subscription', undefined, true);
            logOperation(root, args.contextValue as Partial<GraphQLContext>, { operationName: name, operationType: 'subscription', errors });
            return undefined;
          }
          metrics.activeSubscriptions++;
          metrics.observe(name, 'subscription', undefined, false);
          logOperation(root, args.contextValue as Partial<GraphQLContext>, { operationName: name, operationType: 'subscription', subscribed: true });
          return {
            onEnd() {
              metrics.activeSubscriptions--;
            },
          };
        },
      };
    },
  };
}

/**
 * One JSON line per operation on the request's logger (which carries the request id). The root
 * logger's level is checked first, so a request that logs nothing never binds a child logger.
 */
function logOperation(root: Logger, context: Partial<GraphQLContext>, fields: Record<string, unknown>): void {
  if (!root.isLevelEnabled('info')) return;
  if (context.logger === undefined) return;
  const caller = context.guard?.caller?.arn;
  context.logger().info({ ...fields, ...(caller === undefined ? {} : { caller }) }, 'graphql operation');
}

/** What `serviceFamilies` reads. */
export interface ServiceMetricSources {
  readonly database: { poolStats?(): Promise<{ readonly open: number; readonly active: number }> };
  readonly outage: { readonly status: { readonly state: 'up' | 'down' }; readonly outages: number };
  readonly limiter: { readonly refused: Readonly<Record<string, number>> };
  /** Live change-bus listeners (subscriptions and watched connections). */
  readonly liveListeners: () => number;
}

/** Database pool, outage and rate-limit families for /metrics. */
export async function serviceFamilies(sources: ServiceMetricSources): Promise<MetricFamily[]> {
  // Asked of the database itself; absent while it is unreachable.
  const pool = await sources.database.poolStats?.().catch(() => undefined);
  const families: MetricFamily[] = [
    {
      name: 'portcullis_database_up',
      type: 'gauge',
      help: '1 while the periodic ping reaches the database, 0 during an outage.',
      samples: [{ value: sources.outage.status.state === 'up' ? 1 : 0 }],
    },
    { name: 'portcullis_database_outages_total', type: 'counter', help: 'Database outages detected since start.', samples: [{ value: sources.outage.outages }] },
    {
      name: 'portcullis_rate_limited_total',
      type: 'counter',
      help: 'Operations refused with RATE_LIMITED, by transport.',
      samples: Object.entries(sources.limiter.refused).map(([transport, value]) => ({ labels: { transport }, value })),
    },
    {
      name: 'portcullis_live_listeners',
      type: 'gauge',
      help: 'Change-bus listeners of live subscriptions and watched WebSocket credentials.',
      samples: [{ value: sources.liveListeners() }],
    },
  ];
  const memory = process.memoryUsage();
  families.push(
    { name: 'portcullis_process_resident_memory_bytes', type: 'gauge', help: 'Resident set size of this process.', samples: [{ value: memory.rss }] },
    { name: 'portcullis_process_heap_used_bytes', type: 'gauge', help: 'V8 heap in use by this process.', samples: [{ value: memory.heapUsed }] },
  );
  if (pool !== undefined) {
    families.push(
      { name: 'portcullis_database_pool_connections', type: 'gauge', help: 'Open connections of this instance, as pg_stat_activity shows them.', samples: [{ value: pool.open }] },
      {
        name: 'portcullis_database_pool_in_use',
        type: 'gauge',
        help: 'Connections of this instance running a statement or transaction (the metrics query itself excluded).',
        samples: [{ value: pool.active }],
      },
    );
  }
  return families;
}
