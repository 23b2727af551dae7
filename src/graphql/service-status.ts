/**
 * `serviceStatus`: this instance's view of its database, as a query and as a live stream. During an
 * outage new operations are refused with SERVICE_UNAVAILABLE, but subscriptions opened before it
 * stay open; this stream is how they hear that the database went away and came back.
 */
import { Repeater } from 'graphql-yoga';
import type { DatabaseStatus } from '../db/status.ts';
import { builder } from './builder.ts';
import { untilRevoked } from './live.ts';

const DatabaseStateRef = builder.enumType('DatabaseState', {
  description: 'Whether this instance can reach its database.',
  values: { UP: { value: 'up' }, DOWN: { value: 'down' } } as const,
});

const ServiceStatusRef = builder.objectRef<DatabaseStatus>('ServiceStatus').implement({
  description: "This instance's view of its database.",
  fields: (t) => ({
    database: t.field({ type: DatabaseStateRef, resolve: (status) => status.state }),
    updateDate: t.field({ type: 'DateTime', description: 'When `database` last changed (an outage began or ended), or when this instance started.', resolve: (status) => status.since }),
    reason: t.string({
      nullable: true,
      description: "The driver's one-line reason for the last failure while down (never a URL or credential).",
      resolve: (status) => (status.state === 'down' ? (status.reason ?? null) : null),
    }),
  }),
});

/** Any caller in the account may ask; the resource is the instance, so `*`. */
const ACTION = 'iam:ServiceStatus';

builder.queryFields((t) => ({
  serviceStatus: t.field({
    type: ServiceStatusRef,
    description: `This instance's database status. Action \`${ACTION}\` on \`*\`.`,
    resolve: async (_root, _args, context) => {
      await context.guard.require(ACTION, '*');
      return context.databaseStatus.status;
    },
  }),
}));

builder.subscriptionFields((t) => ({
  serviceStatus: t.field({
    type: ServiceStatusRef,
    description: `The current database status, then each change (outage, recovery). Action \`${ACTION}\` on \`*\`.`,
    subscribe: async (_root, _args, context) => {
      await context.guard.require(ACTION, '*');
      const source = context.databaseStatus;
      const statuses = new Repeater<DatabaseStatus>(async (push, stop) => {
        await push(source.status);
        const unsubscribe = source.onChange((status) => void push(status));
        await stop;
        unsubscribe();
      });
      return untilRevoked(context, statuses, [{ action: ACTION, resource: '*' }]);
    },
    resolve: (status) => status,
  }),
}));
