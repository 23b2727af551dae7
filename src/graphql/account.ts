/**
 * The account summary on the wire: `getAccountSummary` (iam:GetAccountSummary on `*`, as AWS
 * scopes it) returns the account's usage and quotas as AWS's SummaryMap entries.
 */
import { getAccountSummary, type SummaryEntry } from '../iam/account-summary.ts';
import { builder } from './builder.ts';

/** One SummaryMap entry, e.g. `{ key: "Users", value: 12 }`. */
const SummaryEntryRef = builder.objectRef<SummaryEntry>('AccountSummaryEntry').implement({
  description: 'One SummaryMap entry: a usage count (`Users`) or a quota (`UsersQuota`).',
  fields: (t) => ({
    key: t.exposeString('key', { description: 'The SummaryMap key as AWS names it.' }),
    value: t.exposeInt('value'),
  }),
});

/** The account's usage and quotas. */
const AccountSummaryRef = builder.objectRef<{ accountId: string; entries: SummaryEntry[] }>('AccountSummary').implement({
  description: "Usage of the account's IAM entities next to their quotas (GetAccountSummary).",
  fields: (t) => ({
    accountId: t.exposeString('accountId'),
    summaryMap: t.field({ type: [SummaryEntryRef], description: 'Every entry, sorted by key.', resolve: (s) => s.entries }),
    value: t.int({
      nullable: true,
      description: 'The value of one SummaryMap key, or null when there is no such key.',
      args: { key: t.arg.string({ required: true }) },
      resolve: (s, { key }) => s.entries.find((e) => e.key === key)?.value ?? null,
    }),
  }),
});

builder.queryFields((t) => ({
  getAccountSummary: t.field({
    type: AccountSummaryRef,
    description: "The caller's account's usage and quotas (GetAccountSummary).",
    resolve: async (_root, _args, context) => {
      const caller = await context.guard.require('iam:GetAccountSummary', '*');
      return { accountId: caller.accountId, entries: await getAccountSummary(context.database.db, caller.accountId) };
    },
  }),
}));
