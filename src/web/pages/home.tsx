import { errorAt } from '../api/graphql.ts';
import { graphql } from '../api/generated/gql.ts';
import type { SummaryKeyType } from '../api/generated/graphql.ts';
import { useRoleSession } from '../api/role-session.ts';
import { useSession } from '../api/session.ts';
import { useQuery } from '../api/use-query.ts';
import { Link } from '../components/link.tsx';
import { ErrorNotice, Loading } from '../components/notice.tsx';
import { SecurityRecommendations } from '../components/security-recommendations.tsx';
import { EscalationOverview } from '../components/escalation-paths.tsx';

const SERVER_INFO = graphql(`
  query ServerInfo {
    serverInfo {
      version
      accountId
    }
  }
`);

const ACCOUNT_SUMMARY = graphql(`
  query AccountSummary {
    accountSummary {
      summaryMap {
        key
        value
      }
    }
  }
`);

// The account summary entries worth a tile, and the page each leads to.
const TILES: ReadonlyArray<{ key: SummaryKeyType; label: string; to: string }> = [
  { key: 'USERS', label: 'Users', to: '/users' },
  { key: 'GROUPS', label: 'Groups', to: '/groups' },
  { key: 'ROLES', label: 'Roles', to: '/roles' },
  { key: 'POLICIES', label: 'Customer managed policies', to: '/policies' },
  { key: 'MFA_DEVICES_IN_USE', label: 'MFA devices in use', to: '/users' },
];

/** The landing page: who is signed in, the account at a glance, and which server this is. */
export function HomePage() {
  const { session } = useSession();
  // While switched, the page is about the role's account: say so, and who switched.
  const { role } = useRoleSession();
  const info = useQuery(SERVER_INFO, {});
  const summary = useQuery(ACCOUNT_SUMMARY, {});
  const accountSummary = summary.data?.accountSummary;
  const serverInfo = info.data?.serverInfo;
  const counts = new Map(accountSummary?.summaryMap.map((e) => [e.key, e.value]));
  return (
    <>
      <h1>Overview</h1>
      <section className="panel" aria-labelledby="whoami">
        <h2 id="whoami" style={{ marginTop: 0 }}>
          Signed in
        </h2>
        <dl className="facts">
          <dt>Principal</dt>
          <dd className="mono">{session?.arn}</dd>
          <dt>Session expires</dt>
          <dd>{session === undefined ? '' : new Date(session.expiration).toLocaleString()}</dd>
          {role === undefined ? null : (
            <>
              <dt>Working as</dt>
              <dd className="mono">{role.arn}</dd>
              <dt>Account</dt>
              <dd className="mono">{role.accountId}</dd>
              <dt>Role session expires</dt>
              <dd>{new Date(role.expiration).toLocaleString()}</dd>
            </>
          )}
        </dl>
      </section>
      <section className="panel" aria-labelledby="account">
        <h2 id="account" style={{ marginTop: 0 }}>
          Account
        </h2>
        {summary.loading ? <Loading what="account summary" /> : null}
        <ErrorNotice error={summary.error ?? errorAt(summary.errors, 'accountSummary')} />
        {accountSummary == null ? null : (
          <ul className="tiles">
            {TILES.filter((t) => counts.has(t.key)).map((t) => (
              <li key={t.key}>
                <Link to={t.to}>
                  <strong>{counts.get(t.key)}</strong> {t.label}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
      <SecurityRecommendations />
      <EscalationOverview />
      <section className="panel" aria-labelledby="server">
        <h2 id="server" style={{ marginTop: 0 }}>
          Server
        </h2>
        {info.loading ? <Loading what="server facts" /> : null}
        <ErrorNotice error={info.error ?? errorAt(info.errors, 'serverInfo')} />
        {serverInfo == null ? null : (
          <dl className="facts">
            <dt>Version</dt>
            <dd>{serverInfo.version}</dd>
            <dt>Account</dt>
            <dd className="mono">{serverInfo.accountId}</dd>
          </dl>
        )}
      </section>
    </>
  );
}
