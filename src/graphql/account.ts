/**
 * The account summary on the wire: `accountSummary` (iam:GetAccountSummary on `*`, as AWS
 * scopes it) returns the account's usage and quotas as AWS's SummaryMap entries.
 */
import { getAccountSummary, SUMMARY_KEYS, type SummaryEntry, type SummaryKey } from '../iam/account-summary.ts';
import { builder } from './builder.ts';

/** `UsersQuota` → `USERS_QUOTA`, `MFADevicesInUse` → `MFA_DEVICES_IN_USE`. */
function upperSnake(awsKey: string): string {
  return awsKey
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toUpperCase();
}

/** AWS's SummaryKeyType; each value's internal value is AWS's key, so the domain keeps AWS's spelling. */
const SummaryKeyEnum = builder.enumType('SummaryKeyType', {
  description: 'A SummaryMap key (AWS SummaryKeyType): a usage count such as `USERS` or a quota such as `USERS_QUOTA`.',
  values: Object.fromEntries(SUMMARY_KEYS.map((key) => [upperSnake(key), { value: key, description: `AWS \`${key}\`.` }])) as Record<
    string,
    { value: SummaryKey; description: string }
  >,
});

/** One SummaryMap entry, e.g. `{ key: USERS, value: 12 }`. */
const SummaryEntryRef = builder.objectRef<SummaryEntry>('AccountSummaryEntry').implement({
  description: 'One SummaryMap entry: a usage count (`USERS`) or a quota (`USERS_QUOTA`).',
  fields: (t) => ({
    key: t.expose('key', { type: SummaryKeyEnum }),
    value: t.exposeInt('value'),
  }),
});

/** The account's usage and quotas. */
const AccountSummaryRef = builder.objectRef<{ accountId: string; entries: SummaryEntry[] }>('AccountSummary').implement({
  description: "Usage of the account's IAM entities next to their quotas (GetAccountSummary).",
  fields: (t) => ({
    accountId: t.exposeString('accountId'),
    summaryMap: t.field({ type: [SummaryEntryRef], description: "Every entry, sorted by AWS's key name.", resolve: (s) => s.entries }),
    value: t.int({
      description: 'The value of one SummaryMap key.',
      args: { key: t.arg({ type: SummaryKeyEnum, required: true }) },
      resolve: (s, { key }) => s.entries.find((e) => e.key === key)!.value,
    }),
  }),
});

builder.queryFields((t) => ({
  accountSummary: t.field({
    type: AccountSummaryRef,
    description: "The caller's account's usage and quotas (GetAccountSummary).",
    resolve: async (_root, _args, context) => {
      const caller = await context.guard.require('iam:GetAccountSummary', '*');
      return { accountId: caller.accountId, entries: await getAccountSummary(context.database.db, caller.accountId) };
    },
  }),
}));
