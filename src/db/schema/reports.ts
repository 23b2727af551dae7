/**
 * Generated reports kept between the call that generates them and the calls that read them, as
 * AWS keeps the credential report: GenerateCredentialReport stores the CSV, GetCredentialReport
 * returns it until a newer one replaces it. One row per account.
 */
import { pgTable, text } from 'drizzle-orm/pg-core';
import { accounts } from './accounts.ts';
import { timestamptz } from './columns.ts';

/** The account's latest credential report (CSV text; holds no secret, only dates and flags). */
export const credentialReports = pgTable('credential_reports', {
  accountId: text('account_id')
    .primaryKey()
    .references(() => accounts.id),
  content: text('content').notNull(),
  generatedAt: timestamptz('generated_at').notNull(),
});
