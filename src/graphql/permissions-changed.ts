/**
 * `permissionsChanged(principalArn, afterRevision)`: every committed change that can alter that
 * principal's effective permissions (it names the principal, one of its groups, or its role for a
 * session), resumable like `changes`: replayed after `afterRevision`, then live, with no gap and no
 * duplicate (src/live/change-feed.ts).
 */
import { parseRevision } from '../changes/revision.ts';
import { changeFeed } from '../live/change-feed.ts';
import { affects, mayRegroup, watchPrincipal } from '../live/watched-principals.ts';
import { builder } from './builder.ts';
import { ChangeEventRef } from './change-event.ts';
import { untilRevoked } from './live.ts';

builder.subscriptionFields((t) => ({
  permissionsChanged: t.field({
    type: ChangeEventRef,
    description:
      "A change event each time a committed change may alter the principal's effective permissions (its own policies, boundary, " +
      "groups and their policies, a managed policy's default version, or for a session its role), in revision order: first those after " +
      '`afterRevision` (replayed from the change log), then live. Resuming with the last revision received loses nothing and repeats nothing. ' +
      "The principal's groups are those it has now. Action `iam:PermissionsChanged` on `principalArn`.",
    args: {
      principalArn: t.arg.string({ required: true, description: 'A user, role, assumed-role session or root ARN in the caller\'s account.' }),
      afterRevision: t.arg.string({ description: 'Replay changes after this revision first; omitted: only changes from now on.' }),
    },
    subscribe: async (_root, { principalArn, afterRevision }, context) => {
      const caller = await context.guard.require('iam:PermissionsChanged', principalArn);
      const after = afterRevision == null ? undefined : parseRevision(afterRevision, 'afterRevision');
      let principal = await watchPrincipal(context.database, principalArn, 'principalArn');
      const database = context.database;
      // No account filter: a built-in policy's new default version is a global row, and it names
      // the affected principals by their (globally unique) ids, which is all `affects` matches.
      const feed = changeFeed(context.live.hub, {
        ...(after === undefined ? {} : { afterRevision: after }),
        matches: (event) => {
          if (!affects(event, principal)) return false;
          if (mayRegroup(event, principal)) {
            // Membership changed: refresh the group ids before the next event is matched.
            void watchPrincipal(database, principalArn, 'principalArn').then((fresh) => (principal = fresh), () => {});
          }
          return true;
        },
        // A global row (a built-in policy's new default version) lists affected principals of
        // every account: show only the watched principal's own ids.
        present: (event) =>
          event.accountId === caller.accountId ? event : { ...event, affectedPrincipalIds: event.affectedPrincipalIds.filter((id) => principal.ids.has(id)) },
      });
      return untilRevoked(context, feed, [{ action: 'iam:PermissionsChanged', resource: principalArn }]);
    },
    resolve: (event) => event,
  }),
}));
