/**
 * The overview's security recommendations, as AWS's IAM dashboard shows them: add MFA for the
 * root user, remove the root user's access keys, add MFA for users who sign in, rotate access
 * keys older than 90 days and deactivate those unused for 90 days. Each recommendation links to where it is fixed. When the account
 * has no users and no roles yet, it says how to load the demo organisation.
 */
import { useEffect, useState } from 'react';
import { graphql } from '../api/generated/gql.ts';
import { errorAt } from '../api/graphql.ts';
import { loadKeysLastUsed } from '../api/keys-last-used.ts';
import type { KeysLastUsed } from '../api/keys-last-used.ts';
import { useQuery } from '../api/use-query.ts';
import { Link } from './link.tsx';
import { ErrorNotice, Loading } from './notice.tsx';
import { keysToCheckForUse, recommendationsFor } from './recommendations.ts';

/** Users looked at: the first page (the recommendation says when there are more). */
const USERS_EXAMINED = 100;

const SECURITY_RECOMMENDATIONS = graphql(`
  query SecurityRecommendations($first: Int!) {
    accountSummary {
      summaryMap {
        key
        value
      }
    }
    users(first: $first) {
      pageInfo {
        hasNextPage
      }
      edges {
        node {
          userName
          loginProfile {
            createDate
          }
          mfaDevices {
            serialNumber
          }
          accessKeys {
            accessKeyId
            status
            createDate
          }
        }
      }
    }
  }
`);

/** The recommendations panel of the overview. */
export function SecurityRecommendations() {
  const result = useQuery(SECURITY_RECOMMENDATIONS, { first: USERS_EXAMINED });
  const data = result.data;
  const counts = new Map(data?.accountSummary?.summaryMap.map((entry) => [entry.key, entry.value]));
  const empty = counts.get('USERS') === 0 && counts.get('ROLES') === 0 && counts.get('GROUPS') === 0;
  const lastUsed = useKeysLastUsed(data === undefined ? undefined : keysToCheckForUse(data, Date.now()));
  const recommendations = data === undefined ? [] : recommendationsFor(data, Date.now(), lastUsed);
  const open = recommendations.filter((r) => !r.done).length;
  return (
    <section className="panel" aria-labelledby="security-recommendations">
      <h2 id="security-recommendations" style={{ marginTop: 0 }}>
        Security recommendations {data === undefined ? null : <span className={`badge ${open === 0 ? 'allowed' : 'denied'}`}>{open === 0 ? 'all done' : `${open} to do`}</span>}
      </h2>
      {empty ? (
        <div className="notice" role="note">
          This account has no users, groups or roles yet. To explore the console with a sample organisation, stop the server and run{' '}
          <code>npm run seed -- demo</code> (with PostgreSQL it can stay running), or create a user under <Link to="/users">Users</Link>.
        </div>
      ) : null}
      {result.loading ? <Loading what="recommendations" /> : null}
      <ErrorNotice error={result.error ?? errorAt(result.errors, 'accountSummary') ?? errorAt(result.errors, 'users')} />
      {recommendations.length === 0 ? null : (
        <ul className="recommendations">
          {recommendations.map((r) => (
            <li key={r.id} data-recommendation={r.id} data-done={r.done}>
              <span className={`badge ${r.done ? 'allowed' : 'denied'}`}>{r.done ? 'Done' : 'To do'}</span> <strong>{r.title}</strong>
              <br />
              <span>{r.detail}</span>
              {r.done || r.fix === undefined ? null : (
                <>
                  {' '}
                  <Link to={r.fix.to}>{r.fix.label}</Link>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The last use of `keys` once looked up (undefined until then, or while there is nothing to look up yet). */
function useKeysLastUsed(keys: readonly string[] | undefined): KeysLastUsed | undefined {
  const wanted = keys === undefined ? undefined : keys.join(',');
  const [answer, setAnswer] = useState<{ for: string; lastUsed: KeysLastUsed } | undefined>(undefined);
  useEffect(() => {
    if (wanted === undefined) return;
    const controller = new AbortController();
    loadKeysLastUsed(wanted === '' ? [] : wanted.split(','), controller.signal).then(
      (lastUsed) => setAnswer({ for: wanted, lastUsed }),
      () => undefined,
    );
    return () => controller.abort();
  }, [wanted]);
  return answer !== undefined && answer.for === wanted ? answer.lastUsed : undefined;
}
