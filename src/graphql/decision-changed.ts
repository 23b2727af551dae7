/**
 * `decisionChanged(checks, minRevision)`: the current result of each check, then a new one each
 * time a committed change alters it; a check that fails (refused, invalid, principal deleted)
 * gets its error as its result and the others go on (src/live/decision-watch.ts decides with the
 * authorizer's Decider).
 */
import type { AuthorizeQuestion } from '../authz/question.ts';
import { watchDecisions, type DecisionUpdate } from '../live/decision-watch.ts';
import { builder } from './builder.ts';
import { ChangeEventRef } from './change-event.ts';
import { asAuthorizeResult, AuthorizeInputRef, AuthorizeResultRef } from './decision.ts';
import { untilRevoked } from './live.ts';
import { wireError } from './wire-errors.ts';

/** One result of a watched check. */
const DecisionChangeRef = builder.objectRef<DecisionUpdate>('DecisionChange').implement({
  description: 'The result of check `index`: first its current one, then each time it changes (a decision flips, or the check starts or stops failing).',
  fields: (t) => ({
    key: t.string({ nullable: true, description: "The check's `key`, as given; null when it had none.", resolve: (u) => u.key }),
    index: t.exposeInt('index', { description: 'Position of the check in `checks` (0-based).' }),
    result: t.field({
      type: AuthorizeResultRef,
      description:
        "The check's Decision, or its own error: AccessDenied while the subscriber may not ask about or watch its principal, NoSuchEntity while the " +
        'principal does not exist, ValidationError or MalformedPolicyDocument for a malformed check.',
      resolve: (u) => asAuthorizeResult(u.result),
    }),
    revision: t.exposeString('revision', { description: 'The change-log revision the result reflects.' }),
    change: t.field({
      type: ChangeEventRef,
      nullable: true,
      description:
        "The change that altered the result; null for the initial results, when the subscriber's own permission changed it, and when the change " +
        "is not the subscriber's account's (another account's registered resource the check asks about, a built-in policy's new version): " +
        'that change-log row is its account\'s own, `revision` still says which revision the result reflects.',
      // Another account's row (its actor, payload, affected principals) is not the subscriber's to read.
      resolve: (u, _args, context) => (u.change !== null && u.change.accountId === context.guard.caller?.accountId ? u.change : null),
    }),
  }),
});

builder.subscriptionFields((t) => ({
  decisionChanged: t.field({
    type: DecisionChangeRef,
    description:
      'Watches up to 100 authorization questions: emits the current result of each, then a new one whenever a committed change alters it ' +
      '(only changes that affect a watched principal, or the subscriber\'s own permissions, are re-evaluated). Each check needs ' +
      '`iam:DecisionChanged` and `iam:Authorize` on its principal ARN, decided again as the subscriber\'s permissions change: a check that ' +
      'is refused, or fails otherwise, fails alone and the stream goes on with the others.',
    args: {
      checks: t.arg({ type: [AuthorizeInputRef], required: true }),
      minRevision: t.arg.string({
        description: 'The first results reflect at least this revision (as returned by a write); later ones always reflect the change they follow.',
      }),
    },
    subscribe: async (_root, { checks, minRevision }, context) => {
      const caller = context.guard.caller ?? (await context.guard.require('iam:DecisionChanged', '*'));
      const updates = await watchDecisions({
        runtime: context.authz.runtime,
        rounds: context.live.decisionRounds,
        caller,
        facts: context.authz.facts,
        checks: checks as readonly AuthorizeQuestion[],
        minRevision: minRevision ?? null,
        // iam:Authorize is also asked by every evaluation; deciding it here too lets a lost
        // permission reach the check without waiting for a change to its principal.
        checkPermissions: (arn) => [
          { action: 'iam:DecisionChanged', resource: arn },
          { action: 'iam:Authorize', resource: arn },
        ],
        guard: context.guard,
        toWireError: wireError,
      });
      return untilRevoked(context, updates, []);
    },
    resolve: (update) => update,
  }),
}));
