/**
 * A user's security credentials, managed in place: console password, access keys and MFA
 * devices. Each part loads on its own, so a caller allowed some of them sees the API's refusal
 * for the others and can still use the rest. Without a user name it is the caller's own (the
 * "My security credentials" page), run by the self-service operations (ChangePassword, and the
 * key and MFA operations with userName omitted).
 */
import { AccessKeys } from './credentials/access-keys.tsx';
import { ConsolePassword } from './credentials/console-password.tsx';
import { MfaDevices } from './credentials/mfa-devices.tsx';

/** Props of UserCredentials. */
export interface UserCredentialsProps {
  /** The user; undefined for the signed-in caller. */
  readonly userName?: string | undefined;
  /** The caller's own user name, used as the default MFA device name in self mode. */
  readonly selfName?: string;
}

/** The credentials section of a user's page, or of "My security credentials". */
export function UserCredentials(props: UserCredentialsProps) {
  return (
    <section className="panel" aria-labelledby="user-credentials">
      <h2 id="user-credentials" style={{ marginTop: 0 }}>
        {props.userName === undefined ? 'Your credentials' : 'Security credentials'}
      </h2>
      <ConsolePassword userName={props.userName} />
      <AccessKeys userName={props.userName} />
      <MfaDevices userName={props.userName} defaultDeviceName={props.userName ?? props.selfName ?? 'my-mfa-device'} />
    </section>
  );
}
