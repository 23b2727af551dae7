/**
 * `decisionChanged(checks)`: the current decision of each check, then a new one each time a
 * committed change flips it (src/live/decision-watch.ts decides with the authorizer's Decider).
 */
import type { AuthorizeQuestion } from '../authz/decide.ts';
import { watchDecisions, type DecisionUpdate } from '../live/decision-watch.ts';
import { builder } from './builder.ts';
import { ChangeEventRef } from './changes.ts';
import { AuthorizeInputRef, DecisionRef } from './decision.ts';
import { untilRevoked } from './live.ts';
import { wireError } from './wire-errors.ts';

/** One decision of a watched check. */
const DecisionChangeRef = builder.objectRef<DecisionUpdate>('DecisionChange').implement({
  description: 'The decision of check `index`: first its current one, then each time a committed change flips it.',
  fields: (t) => ({
    index: t.exposeInt('index', { description: 'Position of the check in `checks`.' }),
    decision: t.field({ type: DecisionRef, resolve: (u) => u.decision }),
    revision: t.exposeString('revision', { description: 'The change-log revision the decision reflects.' }),
    change: t.field({
      type: ChangeEventRef,
      nullable: true,
      description: 'The change that flipped the decision; null for the initial decisions.',
      resolve: (u) => u.change,
    }),
  }),
});

builder.subscriptionFields((t) => ({
  decisionChanged: t.field({
    type: DecisionChangeRef,
    description:
      'Watches up to 100 authorization questions: emits the current decision of each, then a new one whenever a committed change flips it ' +
      '(only changes that affect a watched principal are re-evaluated). Action `iam:DecisionChanged` on each principal ARN, plus `iam:Authorize` as for `authorize`.',
    args: { checks: t.arg({ type: [AuthorizeInputRef], required: true }) },
    subscribe: async (_root, { checks }, context) => {
      const caller = await context.guard.require('iam:DecisionChanged', checks[0]?.principalArn ?? context.guard.caller?.arn ?? '*');
      const principals = [...new Set(checks.map((q) => q.principalArn ?? caller.arn))];
      for (const arn of principals) await context.guard.require('iam:DecisionChanged', arn);
      const updates = await watchDecisions({
        runtime: context.authz.runtime,
        rounds: context.live.decisionRounds,
        caller,
        facts: context.authz.facts,
        checks: checks as readonly AuthorizeQuestion[],
        toWireError: wireError,
      });
      // Each check stays allowed only while its asker may watch and ask about its principal: both
      // are decided again whenever a change may alter the subscriber's permissions.
      const permissions = principals.flatMap((arn) => [
        { action: 'iam:DecisionChanged', resource: arn },
        { action: 'iam:Authorize', resource: arn },
      ]);
      return untilRevoked(context, updates, permissions);
    },
    resolve: (update) => update,
  }),
}));
