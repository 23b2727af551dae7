/**
 * The sign-in page's identity-provider part: buttons for the providers the typed account offers,
 * and, when the browser comes back from one, the exchange of its one-time code — with a role
 * chooser first when the identity may use several roles, as AWS's console shows.
 */
import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { COMPLETE_FEDERATED_SIGN_IN, federatedStartUrl, REFUSAL_REASONS, SIGN_IN_PROVIDERS, takeFederatedReturn } from '../api/federated-sign-in.ts';
import { ApiError, request } from '../api/graphql.ts';
import { startSession } from '../api/session.ts';

interface Provider {
  readonly id: string;
  readonly displayName: string;
  readonly protocol: string;
}
interface Role {
  readonly roleArn: string;
  readonly roleName: string;
  readonly accountId: string;
}

/** Whether the text can name an account (12 digits, or an alias of at least 3 characters). */
const ACCOUNT = /^(\d{12}|[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9]))$/;

/** Provider buttons for `account`, and the return from a provider; `onSignedIn` after a session starts. */
export function FederatedSignIn({ account, onSignedIn }: { account: string; onSignedIn: () => void }) {
  const [providers, setProviders] = useState<readonly Provider[]>([]);
  const [roles, setRoles] = useState<readonly Role[] | undefined>(undefined);
  const [chosen, setChosen] = useState('');
  const [message, setMessage] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const code = useRef<string | undefined>(undefined);

  useEffect(() => {
    const trimmed = account.trim().toLowerCase();
    if (!ACCOUNT.test(trimmed)) {
      setProviders([]);
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      request(SIGN_IN_PROVIDERS, { account: trimmed }, { anonymous: true })
        .then(({ data }) => current && setProviders(data.signInProviders ?? []))
        .catch(() => current && setProviders([]));
    }, 300);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [account]);

  const exchange = async (roleArn?: string) => {
    if (code.current === undefined) return;
    setBusy(true);
    setMessage(undefined);
    try {
      const { data } = await request(COMPLETE_FEDERATED_SIGN_IN, { input: { code: code.current, ...(roleArn === undefined ? {} : { roleArn }) } }, { anonymous: true });
      const result = data.completeFederatedSignIn;
      if (result?.__typename === 'SignInSuccess') {
        // The token itself stays in the HttpOnly cookie the exchange set; the page keeps only who and until when.
        const { expiration, accountId, userName, arn, passwordResetRequired } = result;
        startSession({ expiration, accountId, userName, arn, passwordResetRequired });
        onSignedIn();
        return;
      }
      if (result?.__typename === 'RoleChoiceRequired') {
        setRoles(result.roles);
        setChosen(result.roles[0]?.roleArn ?? '');
        return;
      }
      code.current = undefined;
      setRoles(undefined);
      setMessage(result?.__typename === 'FederatedSignInFailed' ? (REFUSAL_REASONS[result.reason] ?? result.message) : (result?.message ?? 'The sign-in failed.'));
    } catch (caught) {
      setMessage(caught instanceof ApiError ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  };

  // Once per page load: the browser may just have come back from a provider.
  useEffect(() => {
    const returned = takeFederatedReturn();
    if (returned?.error !== undefined) setMessage(REFUSAL_REASONS[returned.error] ?? 'The sign-in through your identity provider failed.');
    if (returned?.code !== undefined) {
      code.current = returned.code;
      void exchange();
    }
  }, []);

  const choose = (event: FormEvent) => {
    event.preventDefault();
    void exchange(chosen);
  };

  if (roles !== undefined) {
    return (
      <form className="panel" onSubmit={choose} aria-label="Select a role">
        <h2>Select a role</h2>
        <fieldset>
          <legend>Your identity may sign in as any of these roles.</legend>
          {roles.map((role) => (
            <label key={role.roleArn} className="choice">
              <input type="radio" name="role" value={role.roleArn} checked={chosen === role.roleArn} onChange={() => setChosen(role.roleArn)} />
              {role.roleName} <span className="muted">(account {role.accountId})</span>
            </label>
          ))}
        </fieldset>
        <button className="primary" type="submit" disabled={busy || chosen === ''}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    );
  }
  return (
    <>
      {message === undefined ? null : (
        <div className="notice error" role="alert">
          {message}
        </div>
      )}
      {providers.length === 0 ? null : (
        <nav className="panel" aria-label="Sign in with your identity provider">
          <p>Or sign in through your organisation:</p>
          <ul className="providers">
            {providers.map((provider) => (
              <li key={provider.id}>
                <a className="button" href={federatedStartUrl(account.trim().toLowerCase(), provider.id, provider.protocol)}>
                  Sign in with {provider.displayName}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      )}
    </>
  );
}
