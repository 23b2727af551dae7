/**
 * The credential report (GenerateCredentialReport / GetCredentialReport): one CSV row per user of
 * the account, the root user first as `<root_account>`, with AWS's columns in AWS's order and
 * AWS's placeholders (`N/A`, `no_information`, `not_supported`). As in AWS, a report younger than
 * four hours is reused rather than generated again, and one older than that is expired.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html
 */
import { and, asc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { accessKeys, credentialReports, mfaDevices, users } from '../db/schema/index.ts';
import { NoSuchEntityError } from '../errors.ts';
import type { Queryable } from './affected-principals.ts';
import { findAccountPasswordPolicy } from './password-policy.ts';

/** AWS's columns, in AWS's order. */
export const CREDENTIAL_REPORT_COLUMNS = [
  'user',
  'arn',
  'user_creation_time',
  'password_enabled',
  'password_last_used',
  'password_last_changed',
  'password_next_rotation',
  'mfa_active',
  'access_key_1_active',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_1_last_used_region',
  'access_key_1_last_used_service',
  'access_key_2_active',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
  'access_key_2_last_used_region',
  'access_key_2_last_used_service',
  'cert_1_active',
  'cert_1_last_rotated',
  'cert_2_active',
  'cert_2_last_rotated',
] as const;

/** How long a report is served (and not regenerated): four hours, as in AWS. */
export const CREDENTIAL_REPORT_LIFETIME_MS = 4 * 3_600_000;

/** AWS's ReportStateType. */
export type CredentialReportState = 'STARTED' | 'INPROGRESS' | 'COMPLETE';

/** What GenerateCredentialReport answers. */
export interface GeneratedCredentialReport {
  readonly state: CredentialReportState;
  readonly description: string;
}

/** What GetCredentialReport answers: the CSV, its format and when it was generated. */
export interface CredentialReport {
  readonly content: string;
  readonly reportFormat: 'text/csv';
  readonly generatedTime: Date;
}

/** AWS's date form in the report: ISO 8601 with `+00:00`, whole seconds. */
function isoDate(date: Date): string {
  return `${date.toISOString().slice(0, 19)}+00:00`;
}

/** A CSV field; AWS's values never need quoting, but a user-controlled one is quoted when it must be. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

type KeyRow = Pick<typeof accessKeys.$inferSelect, 'userId' | 'status' | 'createdAt' | 'lastUsedAt' | 'lastUsedService'>;

/** The four or five columns of one access key slot. */
function keyColumns(key: KeyRow | undefined): string[] {
  if (key === undefined) return ['false', 'N/A', 'N/A', 'N/A', 'N/A'];
  const used = key.lastUsedAt;
  return [
    String(key.status === 'Active'),
    isoDate(key.createdAt),
    used === null ? 'N/A' : isoDate(used),
    // Portcullis serves one region and does not record it per request.
    'N/A',
    used === null || key.lastUsedService === null ? 'N/A' : key.lastUsedService,
  ];
}

/** Builds the CSV text of `accountId`'s credential report from the directory as it is now. */
export async function buildCredentialReport(tx: Queryable, accountId: string): Promise<string> {
  const people = await tx
    .select({
      id: users.id,
      name: users.name,
      arn: users.arn,
      isRoot: users.isRoot,
      createdAt: users.createdAt,
      passwordHash: users.passwordHash,
      passwordChangedAt: users.passwordChangedAt,
      passwordLastUsedAt: users.passwordLastUsedAt,
    })
    .from(users)
    .where(eq(users.accountId, accountId))
    .orderBy(asc(users.isRoot), asc(users.name));
  const ids = people.map((p) => p.id);
  const keys =
    ids.length === 0
      ? []
      : await tx
          .select({ userId: accessKeys.userId, status: accessKeys.status, createdAt: accessKeys.createdAt, lastUsedAt: accessKeys.lastUsedAt, lastUsedService: accessKeys.lastUsedService })
          .from(accessKeys)
          .where(inArray(accessKeys.userId, ids))
          .orderBy(asc(accessKeys.createdAt), asc(accessKeys.id));
  const withMfa = new Set(
    (await tx.select({ userId: mfaDevices.userId }).from(mfaDevices).where(and(eq(mfaDevices.accountId, accountId), isNotNull(mfaDevices.enabledAt)))).map((d) => d.userId),
  );
  const policy = await findAccountPasswordPolicy(tx, accountId);
  const keysOf = new Map<string, KeyRow[]>();
  for (const key of keys) {
    const list = keysOf.get(key.userId) ?? [];
    list.push(key);
    keysOf.set(key.userId, list);
  }
  // The root user first, then users by name, as AWS lists them.
  const ordered = [...people.filter((p) => p.isRoot), ...people.filter((p) => !p.isRoot)];
  const lines = [CREDENTIAL_REPORT_COLUMNS.join(',')];
  for (const p of ordered) {
    const hasPassword = p.passwordHash !== null;
    const lastUsed = p.passwordLastUsedAt === null ? (hasPassword || p.isRoot ? 'no_information' : 'N/A') : isoDate(p.passwordLastUsedAt);
    let enabled: string;
    let changed: string;
    let next: string;
    if (p.isRoot) {
      // AWS reports these three as not_supported for the root user.
      [enabled, changed, next] = ['not_supported', 'not_supported', 'not_supported'];
    } else if (!hasPassword) {
      [enabled, changed, next] = ['false', 'N/A', 'N/A'];
    } else {
      const since = p.passwordChangedAt ?? p.createdAt;
      enabled = 'true';
      changed = isoDate(since);
      next = policy?.maxPasswordAge == null ? 'N/A' : isoDate(new Date(since.getTime() + policy.maxPasswordAge * 86_400_000));
    }
    const [first, second] = keysOf.get(p.id) ?? [];
    const row = [
      p.isRoot ? '<root_account>' : p.name,
      p.arn,
      isoDate(p.createdAt),
      enabled,
      lastUsed,
      changed,
      next,
      String(withMfa.has(p.id)),
      ...keyColumns(first),
      ...keyColumns(second),
      // X.509 signing certificates are not part of Portcullis.
      'false',
      'N/A',
      'false',
      'N/A',
    ];
    lines.push(row.map(csvField).join(','));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * GenerateCredentialReport: builds and stores the account's report, unless one younger than four
 * hours exists (then COMPLETE at once, as AWS answers). The report is built in the call, so the
 * state is always COMPLETE; `STARTED` is for AWS clients that poll, which then read it at once.
 */
export async function generateCredentialReport(database: Database, accountId: string, now: Date): Promise<GeneratedCredentialReport> {
  const [existing] = await database.db.select({ generatedAt: credentialReports.generatedAt }).from(credentialReports).where(eq(credentialReports.accountId, accountId));
  if (existing !== undefined && now.getTime() - existing.generatedAt.getTime() < CREDENTIAL_REPORT_LIFETIME_MS) {
    return { state: 'COMPLETE', description: `the report generated at ${isoDate(existing.generatedAt)} is less than four hours old and is reused` };
  }
  const content = await buildCredentialReport(database.db, accountId);
  await database.db
    .insert(credentialReports)
    .values({ accountId, content, generatedAt: now })
    .onConflictDoUpdate({ target: credentialReports.accountId, set: { content, generatedAt: now } });
  return { state: 'COMPLETE', description: `report generated at ${isoDate(now)}` };
}

/**
 * GetCredentialReport: the stored report. None yet (AWS ReportNotPresent) or one older than four
 * hours (AWS ReportExpired) is NoSuchEntity: generate one first.
 */
export async function getCredentialReport(tx: Queryable, accountId: string, now: Date): Promise<CredentialReport> {
  const [row] = await tx.select().from(credentialReports).where(eq(credentialReports.accountId, accountId));
  if (row === undefined) throw new NoSuchEntityError('CredentialReport', accountId);
  if (now.getTime() - row.generatedAt.getTime() >= CREDENTIAL_REPORT_LIFETIME_MS) {
    throw new NoSuchEntityError('CredentialReport', `${accountId} (the report of ${isoDate(row.generatedAt)} has expired)`);
  }
  return { content: row.content, reportFormat: 'text/csv', generatedTime: row.generatedAt };
}
