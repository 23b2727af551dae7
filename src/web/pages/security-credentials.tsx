/**
 * "My security credentials": any signed-in principal manages its own console password, access
 * keys and MFA within what its policies allow (AWS's self-management pattern grants these on
 * `arn:aws:iam::*:user/${aws:username}` and `arn:aws:iam::*:mfa/${aws:username}`). A role
 * session has no long-term credentials of its own, which the page says instead.
 */
import { graphql } from '../api/generated/gql.ts';
import { errorAt } from '../api/graphql.ts';
import { useSession } from '../api/session.ts';
import { useQuery } from '../api/use-query.ts';
import { ErrorNotice, Loading } from '../components/notice.tsx';
import { UserCredentials } from '../components/user-credentials.tsx';

const CALLER = graphql(`
  query SecurityCredentialsCaller {
    callerIdentity {
      arn
      account
      userId
    }
  }
`);

/** The page. */
export function SecurityCredentialsPage() {
  const { session } = useSession();
  const result = useQuery(CALLER, {});
  const caller = result.data?.callerIdentity;
  const isUser = caller == null ? undefined : /:(user\/|root$)/.test(caller.arn);
  return (
    <>
      <h1>My security credentials</h1>
      {result.loading && result.data === undefined ? <Loading what="identity" /> : null}
      <ErrorNotice error={result.error ?? errorAt(result.errors, 'callerIdentity')} />
      {caller == null ? null : (
        <section className="panel" aria-labelledby="who-am-i">
          <h2 id="who-am-i" style={{ marginTop: 0 }}>
            Signed in as
          </h2>
          <dl className="facts">
            <dt>ARN</dt>
            <dd className="mono">{caller.arn}</dd>
            <dt>Account</dt>
            <dd className="mono">{caller.account}</dd>
          </dl>
        </section>
      )}
      {isUser === false ? (
        <p>This is a role session: it has no password, access keys or MFA device of its own. Temporary credentials end with the session.</p>
      ) : isUser === true ? (
        <UserCredentials selfName={session?.userName ?? 'root'} />
      ) : null}
    </>
  );
}
