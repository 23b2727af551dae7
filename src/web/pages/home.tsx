import { useSession } from '../api/session.ts';
import { useQuery } from '../api/use-query.ts';
import { ErrorNotice, Loading } from '../components/notice.tsx';

const SERVER_INFO = /* GraphQL */ `
  query ServerInfo {
    serverInfo {
      version
      accountId
    }
  }
`;

/** The landing page: who is signed in, and which server this is. */
export function HomePage() {
  const { session } = useSession();
  const info = useQuery<{ serverInfo: { version: string; accountId: string } }>(SERVER_INFO);
  return (
    <>
      <h1>Overview</h1>
      <section className="panel" aria-labelledby="whoami">
        <h2 id="whoami">Signed in</h2>
        <dl className="facts">
          <dt>Principal</dt>
          <dd className="mono">{session?.arn}</dd>
          <dt>Session expires</dt>
          <dd>{session === undefined ? '' : new Date(session.expiration).toLocaleString()}</dd>
        </dl>
      </section>
      <section className="panel" aria-labelledby="server">
        <h2 id="server">Server</h2>
        {info.loading ? <Loading what="server facts" /> : null}
        <ErrorNotice error={info.error} />
        {info.data === undefined ? null : (
          <dl className="facts">
            <dt>Version</dt>
            <dd>{info.data.serverInfo.version}</dd>
            <dt>Account</dt>
            <dd className="mono">{info.data.serverInfo.accountId}</dd>
          </dl>
        )}
      </section>
    </>
  );
}
