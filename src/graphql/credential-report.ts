/**
 * The credential report on the wire: generateCredentialReport (iam:GenerateCredentialReport on
 * `*`) and `credentialReport` (GetCredentialReport, iam:GetCredentialReport on `*`), AWS's CSV
 * with AWS's columns (src/iam/credential-report.ts).
 */
import { NoSuchEntityError } from '../errors.ts';
import { currentRevision, type WriteResult } from '../changes/outbox.ts';
import { generateCredentialReport, getCredentialReport, type CredentialReport, type GeneratedCredentialReport } from '../iam/credential-report.ts';
import { builder } from './builder.ts';
import { WriteSuccessInterface } from './errors.ts';
import { resultErrors } from './mutation-result.ts';

const ReportStateEnum = builder.enumType('ReportStateType', {
  description: "A credential report's state (AWS ReportStateType). Portcullis builds the report within the call, so it answers COMPLETE.",
  values: { STARTED: { value: 'STARTED' }, INPROGRESS: { value: 'INPROGRESS' }, COMPLETE: { value: 'COMPLETE' } } as const,
});

const GenerateSuccess = builder.objectRef<WriteResult<GeneratedCredentialReport>>('GenerateCredentialReportSuccess').implement({
  description: 'The report is ready to read with `credentialReport` (AWS GenerateCredentialReportResponse).',
  interfaces: [WriteSuccessInterface],
  fields: (t) => ({
    state: t.field({ type: ReportStateEnum, resolve: (s) => s.result.state }),
    description: t.string({ resolve: (s) => s.result.description }),
  }),
});

const CredentialReportRef = builder.objectRef<CredentialReport>('CredentialReport').implement({
  description: "The account's credential report (AWS GetCredentialReportResponse): one CSV row per user, the root user first as `<root_account>`.",
  fields: (t) => ({
    content: t.exposeString('content', { description: "The CSV text, header line first, with AWS's columns in AWS's order (AWS sends it base64-encoded)." }),
    reportFormat: t.exposeString('reportFormat', { description: 'Always `text/csv`.' }),
    // AWS calls it GeneratedTime; instants in this schema end in Date (test/graphql/dates-and-enums.test.ts).
    generatedDate: t.expose('generatedTime', { type: 'DateTime', description: 'When the report was generated (AWS `GeneratedTime`).' }),
  }),
});

builder.queryFields((t) => ({
  credentialReport: t.field({
    type: CredentialReportRef,
    description: 'GetCredentialReport: the report generateCredentialReport stored. NO_SUCH_ENTITY when none was generated or it is over four hours old (AWS ReportNotPresent / ReportExpired).',
    resolve: async (_root, _args, context) => {
      const caller = await context.guard.require('iam:GetCredentialReport', '*');
      return getCredentialReport(context.database.db, caller.accountId, new Date(context.clock.now()));
    },
  }),
}));

builder.mutationFields((t) => ({
  generateCredentialReport: t.field({
    type: GenerateSuccess,
    description: 'GenerateCredentialReport: builds the credential report, or keeps the one generated less than four hours ago, as AWS does.',
    errors: resultErrors('GenerateCredentialReport', [NoSuchEntityError]),
    resolve: async (_root, _args, context) => {
      const caller = await context.guard.require('iam:GenerateCredentialReport', '*');
      const result = await generateCredentialReport(context.database, caller.accountId, new Date(context.clock.now()));
      return { result, revision: await currentRevision(context.database) };
    },
  }),
}));
