/**
 * `permissionsChanged(principalArn)`: every committed change that can alter that principal's
 * effective permissions (it names the principal, one of its groups, or its role for a session).
 */
import { changeFeed } from '../live/change-feed.ts';
import { affects, mayRegroup, watchPrincipal } from '../live/watched-principals.ts';
import { builder } from './builder.ts';
import { ChangeEventRef } from './changes.ts';
import { untilRevoked } from './live.ts';

builder.subscriptionFields((t) => ({
  permissionsChanged: t.field({
    type: ChangeEventRef,
    description:
      "A change event each time a committed change may alter the principal's effective permissions (its own policies, boundary, " +
      "groups and their policies, a managed policy's default version, or for a session its role). Live from now on. Action `iam:PermissionsChanged` on `principalArn`.",
    args: { principalArn: t.arg.string({ required: true, description: 'A user, role, assumed-role session or root ARN in the caller\'s account.' }) },
    subscribe: async (_root, { principalArn }, context) => {
      const caller = await context.guard.require('iam:PermissionsChanged', principalArn);
      let principal = await watchPrincipal(context.database, principalArn, 'principalArn');
      const database = context.database;
      // No account filter: a built-in policy's new default version is a global row, and it names
      // the affected principals by their (globally unique) ids, which is all `affects` matches.
      const feed = changeFeed(context.live.hub, {
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
