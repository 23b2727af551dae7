/**
 * `changeLog`: the account's change log read backwards a page at a time (src/changes/change-log-page.ts),
 * so a client shows the latest changes at once, pages back on demand, and follows `changes` from
 * `latestRevision` for what comes next. Guarded as `changes` is: `iam:Changes` on the account.
 */
import { CHANGE_LOG_PAGE_MAX, readChangeLogPage, type ChangeLogPage } from '../changes/change-log-page.ts';
import { parseRevision } from '../changes/revision.ts';
import { ValidationError } from '../errors.ts';
import { builder } from './builder.ts';
import { ChangeEventRef } from './change-event.ts';

const DEFAULT_PAGE = 50;

const ChangeLogPageRef = builder.objectRef<ChangeLogPage>('ChangeLogPage').implement({
  description: 'One page of the change log, newest first.',
  fields: (t) => ({
    entries: t.field({ type: [ChangeEventRef], resolve: (page) => [...page.entries], description: 'The changes, newest first.' }),
    hasEarlier: t.exposeBoolean('hasEarlier', { description: 'Whether older changes exist: ask again with `before` set to the last entry\'s revision.' }),
    latestRevision: t.string({
      resolve: (page) => page.latestRevision.toString(),
      description: "The account's newest revision when the page was read (\"0\" for an empty log): subscribe to `changes(afterRevision:)` with it to follow on with no gap and no duplicate.",
    }),
  }),
});

builder.queryFields((t) => ({
  changeLog: t.field({
    type: ChangeLogPageRef,
    description:
      "A page of the caller's account's change log, newest first: the latest `last` changes, or those before the revision `before`. " +
      'Audit-only rows (ACCESS_DENIED, SIGN_IN_FAILED) only with `includeAudit`. Action `iam:Changes` on `arn:aws:iam::<account>:root`.',
    args: {
      before: t.arg.string({ description: 'Only changes with a smaller revision (the oldest revision already shown); omitted: the latest changes.' }),
      last: t.arg.int({ defaultValue: DEFAULT_PAGE, description: `How many changes: 1-${CHANGE_LOG_PAGE_MAX}, default ${DEFAULT_PAGE}.` }),
      includeAudit: t.arg.boolean({ defaultValue: false, description: 'Also return audit-only rows (attempts that changed nothing).' }),
    },
    resolve: async (_root, { before, last, includeAudit }, context) => {
      const caller = await context.guard.require('iam:Changes', `arn:aws:iam::${context.guard.caller?.accountId ?? '*'}:root`);
      const count = last ?? DEFAULT_PAGE;
      if (!Number.isInteger(count) || count < 1 || count > CHANGE_LOG_PAGE_MAX) {
        throw new ValidationError('last', 'range', `last must be from 1 to ${CHANGE_LOG_PAGE_MAX}; got ${count}`);
      }
      return readChangeLogPage(context.database, {
        accountId: caller.accountId,
        ...(before == null ? {} : { before: parseRevision(before, 'before') }),
        last: count,
        includeAudit: includeAudit ?? false,
      });
    },
  }),
}));
