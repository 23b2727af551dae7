/**
 * The text of the managed-policy version a statement came from, with the statement's lines
 * highlighted: opened on demand from an explained decision.
 */
import { useState } from 'react';
import { graphql } from '../api/generated/gql.ts';
import type { MatchedStatement } from '../api/decisions.ts';
import { errorAt } from '../api/graphql.ts';
import { useQuery } from '../api/use-query.ts';
import { CodeBlock } from './code-block.tsx';
import { ErrorNotice, Loading } from './notice.tsx';

const POLICY_VERSION = graphql(`
  query StatementSource($policyArn: String!, $versionId: String!) {
    policyVersion(policyArn: $policyArn, versionId: $versionId) {
      document
    }
  }
`);

/** A "Show statement" toggle and, when open, the highlighted policy text. */
export function StatementSource(props: { statement: MatchedStatement }) {
  const [open, setOpen] = useState(false);
  const s = props.statement;
  if (s.policyArn == null || s.versionId == null || s.startPosition == null) return null;
  return (
    <>
      {' '}
      <button type="button" className="link" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? 'Hide statement' : 'Show statement'}
      </button>
      {open ? <Source policyArn={s.policyArn} versionId={s.versionId} from={s.startPosition.line} to={s.endPosition?.line ?? s.startPosition.line} /> : null}
    </>
  );
}

/** Loads and shows one version's document with lines `from`..`to` marked. */
function Source(props: { policyArn: string; versionId: string; from: number; to: number }) {
  const result = useQuery(POLICY_VERSION, { policyArn: props.policyArn, versionId: props.versionId });
  if (result.loading) return <Loading what="statement" />;
  const error = result.error ?? errorAt(result.errors, 'policyVersion');
  if (error !== undefined) return <ErrorNotice error={error} />;
  const document = result.data?.policyVersion?.document;
  if (document == null) return <p className="muted">That policy version no longer exists.</p>;
  return <CodeBlock text={document} label={`${props.policyArn} ${props.versionId}`} highlight={{ from: props.from, to: props.to }} />;
}
