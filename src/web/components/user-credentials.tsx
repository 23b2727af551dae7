/**
 * A user's credentials as metadata only (never a secret): console password, access keys and
 * MFA devices. Loaded on its own so a caller who may see the user but not its credentials sees
 * the API's refusal here and the rest of the page still works.
 */
import { useQuery } from '../api/use-query.ts';
import { ErrorNotice, Loading } from './notice.tsx';

const CREDENTIALS = /* GraphQL */ `
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
`;

/** The credential metadata this section reads. */
interface Credentials {
  readonly loginProfile: { readonly createDate: string; readonly passwordResetRequired: boolean } | null;
  readonly accessKeys: ReadonlyArray<{ readonly accessKeyId: string; readonly status: string; readonly createDate: string }>;
  readonly mfaDevices: ReadonlyArray<{ readonly serialNumber: string; readonly enableDate: string | null }>;
}

/** The credentials section of a user's page. */
export function UserCredentials(props: { userName: string }) {
  const result = useQuery<Credentials>(CREDENTIALS, { userName: props.userName });
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
            {data.loginProfile === null
              ? 'none (cannot sign in to the dashboard)'
              : `set ${new Date(data.loginProfile.createDate).toLocaleDateString()}${data.loginProfile.passwordResetRequired ? ', must be changed at next sign-in' : ''}`}
          </dd>
          <dt>Access keys</dt>
          <dd>
            {data.accessKeys.length === 0
              ? 'none'
              : data.accessKeys.map((k) => (
                  <div key={k.accessKeyId}>
                    <code>{k.accessKeyId}</code> {k.status.toLowerCase()}, created {new Date(k.createDate).toLocaleDateString()}
                  </div>
                ))}
          </dd>
          <dt>MFA devices</dt>
          <dd>
            {data.mfaDevices.length === 0
              ? 'none'
              : data.mfaDevices.map((d) => (
                  <div key={d.serialNumber}>
                    <code>{d.serialNumber}</code> {d.enableDate === null ? 'not enabled' : `enabled ${new Date(d.enableDate).toLocaleDateString()}`}
                  </div>
                ))}
          </dd>
        </dl>
      )}
    </section>
  );
}
