/**
 * A user's credentials as metadata only (never a secret): console password, access keys and
 * MFA devices. Loaded on its own so a caller who may see the user but not its credentials sees
 * the API's refusal here and the rest of the page still works; each of the three is refused on its own.
 */
import { graphql } from '../api/generated/gql.ts';
import { errorAt } from '../api/graphql.ts';
import { useQuery } from '../api/use-query.ts';
import { ErrorNotice, Loading } from './notice.tsx';

const CREDENTIALS = graphql(`
  query UserCredentials($userName: String!) {
    loginProfile(userName: $userName) {
      createDate
      passwordResetRequired
    }
    accessKeys(userName: $userName) {
      accessKeyId
      status
      createDate
    }
    mfaDevices(userName: $userName) {
      serialNumber
      enableDate
    }
  }
`);

/** The credentials section of a user's page. */
export function UserCredentials(props: { userName: string }) {
  const result = useQuery(CREDENTIALS, { userName: props.userName });
  const data = result.data;
  return (
    <section className="panel" aria-labelledby="user-credentials">
      <h2 id="user-credentials" style={{ marginTop: 0 }}>
        Credentials
      </h2>
      {result.loading && data === undefined ? <Loading what="credentials" /> : null}
      <ErrorNotice error={result.error} />
      {data === undefined ? null : (
        <dl className="facts">
          <dt>Console password</dt>
          <dd>
            <ErrorNotice error={errorAt(result.errors, 'loginProfile')} />
            {data.loginProfile != null
              ? `set ${new Date(data.loginProfile.createDate).toLocaleDateString()}${data.loginProfile.passwordResetRequired ? ', must be changed at next sign-in' : ''}`
              : errorAt(result.errors, 'loginProfile') === undefined
                ? 'none (cannot sign in to the dashboard)'
                : null}
          </dd>
          <dt>Access keys</dt>
          <dd>
            <ErrorNotice error={errorAt(result.errors, 'accessKeys')} />
            {data.accessKeys == null
              ? null
              : data.accessKeys.length === 0
                ? 'none'
                : data.accessKeys.map((k) => (
                    <div key={k.accessKeyId}>
                      <code>{k.accessKeyId}</code> {k.status.toLowerCase()}, created {new Date(k.createDate).toLocaleDateString()}
                    </div>
                  ))}
          </dd>
          <dt>MFA devices</dt>
          <dd>
            <ErrorNotice error={errorAt(result.errors, 'mfaDevices')} />
            {data.mfaDevices == null
              ? null
              : data.mfaDevices.length === 0
                ? 'none'
                : data.mfaDevices.map((d) => (
                    <div key={d.serialNumber}>
                      <code>{d.serialNumber}</code> {d.enableDate == null ? 'not enabled' : `enabled ${new Date(d.enableDate).toLocaleDateString()}`}
                    </div>
                  ))}
          </dd>
        </dl>
      )}
    </section>
  );
}
