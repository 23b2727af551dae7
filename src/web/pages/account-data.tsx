/**
 * Account data: the account's IAM out and in. Export downloads GetAccountAuthorizationDetails as
 * the AWS CLI prints it (every page merged, `account-authorization-details.json`); import reads
 * such a file — from this console or from `aws iam get-account-authorization-details` of a real
 * account — and creates it all at once or nothing, showing what it replaced and skipped, or the
 * JSON path of the element it refused. Files go to POST /import/account-authorization-details,
 * which takes documents up to 50 MB (GraphQL requests stop at 1 MB). Also the credential report.
 */
import { useState } from 'react';
import type { ChangeEvent } from 'react';
import { graphql } from '../api/generated/gql.ts';
import { ApiError, CONSOLE_HEADER, request } from '../api/graphql.ts';
import { toApiError } from '../api/use-query.ts';
import { CredentialReportButton } from '../components/credential-report-button.tsx';
import { downloadText } from '../components/download.ts';
import { ErrorNotice, Success } from '../components/notice.tsx';

const DETAILS = graphql(`
  query AccountAuthorizationDetails($marker: String) {
    accountAuthorizationDetails(maxItems: 1000, marker: $marker) {
      document
      marker
    }
  }
`);

const IMPORT_PATH = '/import/account-authorization-details';
const LISTS = ['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies'] as const;

/** What the import route answers on success. */
interface ImportOutcome {
  readonly users: number;
  readonly groups: number;
  readonly roles: number;
  readonly policies: number;
  readonly policyVersions: number;
  readonly inlinePolicies: number;
  readonly attachments: number;
  readonly memberships: number;
  readonly sourceAccountId: string | null;
  readonly replacedIds: ReadonlyArray<{ path: string; previousId: string; newId: string }>;
  readonly skipped: ReadonlyArray<{ path: string; reason: string }>;
  readonly revision: string;
}

/** What it answers on failure: the API's ErrorCode, and the element's JSON path when one is at fault. */
interface ImportFailure {
  readonly code: string;
  readonly message: string;
  readonly field?: string;
}

/** Every page of the account's authorization details, merged as the AWS CLI merges them. */
async function exportDocument(): Promise<string> {
  const merged: Record<(typeof LISTS)[number], unknown[]> = { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [] };
  const pageAfter = async (marker: string | null): Promise<string | null> => {
    const answer = await request(DETAILS, { marker });
    const page = answer.data.accountAuthorizationDetails;
    if (page == null) throw answer.errors[0] ?? new ApiError('CLIENT', 'the API answered no authorization details');
    const parsed = JSON.parse(page.document) as Record<string, unknown[]>;
    for (const list of LISTS) merged[list].push(...(parsed[list] ?? []));
    return page.marker ?? null;
  };
  let marker = await pageAfter(null);
  while (marker !== null) marker = await pageAfter(marker);
  return `${JSON.stringify({ ...merged, IsTruncated: false }, null, 2)}\n`;
}

function ExportPanel() {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiError | undefined>(undefined);
  const run = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      downloadText('account-authorization-details.json', await exportDocument(), 'application/json');
    } catch (caught) {
      setFailure(toApiError(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel" aria-labelledby="export-heading">
      <h2 id="export-heading">Export</h2>
      <p>Users, groups, roles and managed policies with their relationships, as <code>aws iam get-account-authorization-details</code> prints them.</p>
      <button type="button" className="primary" onClick={run} disabled={busy}>
        {busy ? 'Exporting…' : 'Download authorization details'}
      </button>
      <ErrorNotice error={failure} />
    </section>
  );
}

function ImportPanel() {
  const [file, setFile] = useState<File | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<ImportOutcome | undefined>(undefined);
  const [failure, setFailure] = useState<ImportFailure | undefined>(undefined);

  const choose = (event: ChangeEvent<HTMLInputElement>) => {
    setFile(event.target.files?.[0]);
    setOutcome(undefined);
    setFailure(undefined);
  };

  const run = async () => {
    if (file === undefined) return;
    setBusy(true);
    setOutcome(undefined);
    setFailure(undefined);
    try {
      // The session cookie authenticates the upload, with the console's header (CSRF defence), as for GraphQL.
      const response = await fetch(IMPORT_PATH, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [CONSOLE_HEADER]: '1' },
        body: await file.text(),
      });
      const body = (await response.json()) as ImportOutcome | ImportFailure;
      if (response.ok) setOutcome(body as ImportOutcome);
      else setFailure(body as ImportFailure);
    } catch (caught) {
      setFailure(toApiError(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="import-heading">
      <h2 id="import-heading">Import</h2>
      <p>
        A GetAccountAuthorizationDetails document (up to 50 MB): everything in it is created in this account, or nothing. Names must be free; entities get new ids;
        instance profiles and service-linked roles are skipped.
      </p>
      <label className="field">
        <span className="label">Document (.json)</span>
        <input type="file" accept="application/json,.json" onChange={choose} />
      </label>
      <p>
        <button type="button" className="primary" onClick={run} disabled={busy || file === undefined}>
          {busy ? 'Importing…' : 'Import'}
        </button>
      </p>
      {failure !== undefined && (
        <div className="notice error" role="alert">
          <strong>Nothing was imported: </strong>
          {failure.message} <span className="code">({failure.code})</span>
          {failure.field !== undefined && (
            <>
              {' '}
              at <code>{failure.field}</code>
            </>
          )}
        </div>
      )}
      {outcome !== undefined && (
        <>
          <Success>
            Imported {outcome.users} users, {outcome.groups} groups, {outcome.roles} roles and {outcome.policies} policies ({outcome.policyVersions} versions),{' '}
            {outcome.inlinePolicies} inline policies, {outcome.attachments} attachments and {outcome.memberships} memberships at revision {outcome.revision}.
          </Success>
          <p>
            {outcome.replacedIds.length} ids replaced by new ones
            {outcome.sourceAccountId === null ? '' : `; ARNs of account ${outcome.sourceAccountId} now name this account`}.
          </p>
          {outcome.skipped.length > 0 && (
            <table>
              <caption>Skipped</caption>
              <thead>
                <tr>
                  <th scope="col">Element</th>
                  <th scope="col">Why</th>
                </tr>
              </thead>
              <tbody>
                {outcome.skipped.map((s) => (
                  <tr key={s.path}>
                    <td>
                      <code>{s.path}</code>
                    </td>
                    <td>{s.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}

/** The account data page. */
export function AccountDataPage() {
  return (
    <>
      <h1>Account data</h1>
      <ExportPanel />
      <ImportPanel />
      <section className="panel" aria-labelledby="report-heading">
        <h2 id="report-heading">Credential report</h2>
        <CredentialReportButton />
      </section>
    </>
  );
}
