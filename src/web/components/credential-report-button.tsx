/**
 * Downloads the account's credential report as AWS's CSV (`credential-report.csv`): generates it
 * (AWS keeps one younger than four hours), then reads it. Shown on the users page.
 */
import { useState } from 'react';
import { graphql } from '../api/generated/gql.ts';
import { ApiError, errorAt, request } from '../api/graphql.ts';
import { toApiError } from '../api/use-query.ts';
import { downloadText } from './download.ts';
import { ErrorNotice } from './notice.tsx';

const GENERATE = graphql(`
  mutation GenerateCredentialReport {
    generateCredentialReport {
      __typename
      ... on ResultError {
        code
        message
      }
    }
  }
`);

const REPORT = graphql(`
  query CredentialReport {
    credentialReport {
      content
      generatedDate
    }
  }
`);

/** The button and, when it fails, why. */
export function CredentialReportButton() {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Pick<ApiError, 'code' | 'message'> | undefined>(undefined);
  const [generated, setGenerated] = useState<string | undefined>(undefined);

  const download = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      const generation = (await request(GENERATE, {})).data.generateCredentialReport;
      if (generation != null && generation.__typename !== 'GenerateCredentialReportSuccess' && 'code' in generation) {
        setFailure({ code: generation.code, message: generation.message });
        return;
      }
      const answer = await request(REPORT, {});
      const report = answer.data.credentialReport;
      if (report == null) {
        setFailure(errorAt(answer.errors, 'credentialReport') ?? new ApiError('CLIENT', 'the API answered no report'));
        return;
      }
      setGenerated(new Date(report.generatedDate).toLocaleString());
      downloadText('credential-report.csv', report.content, 'text/csv');
    } catch (caught) {
      setFailure(toApiError(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="credential-report">
      <button type="button" onClick={download} disabled={busy} aria-describedby="credential-report-hint">
        {busy ? 'Preparing credential report…' : 'Download credential report'}
      </button>{' '}
      <span id="credential-report-hint" className="hint">
        CSV of every user's password, access keys and MFA, as AWS's credential report{generated === undefined ? '' : ` (generated ${generated})`}.
      </span>
      <ErrorNotice error={failure} />
    </div>
  );
}
