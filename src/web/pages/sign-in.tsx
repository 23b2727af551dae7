/**
 * Sign-in with an account id or alias, user name, password and (when the user has an MFA device)
 * a one-time code, through the API's `signIn` mutation. On success the session starts and the
 * user lands where they were when their own previous session ended (anyone else at the overview).
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import type { SignInInput } from '../api/generated/graphql.ts';
import { ApiError, errorAt, request } from '../api/graphql.ts';
import { landingAfterSignIn, rememberedAccount, startSession, useSession } from '../api/session.ts';
import { TextField } from '../components/field.tsx';
import { ErrorNotice } from '../components/notice.tsx';
import { navigate } from '../router.ts';
import { SIGN_IN, toSession } from '../api/sign-in.ts';
import { FederatedSignIn } from '../components/federated-sign-in.tsx';

/** The sign-in form shown whenever there is no session. */
export function SignInPage() {
  const { signedOut } = useSession();
  // The account is remembered from the last sign-in in this browser, as AWS's console does.
  const [account, setAccount] = useState(rememberedAccount);
  const [userName, setUserName] = useState('');
  const [password, setPassword] = useState('');
  const [mfaCode, setMfaCode] = useState('');
  const [needsMfa, setNeedsMfa] = useState(false);
  const [busy, setBusy] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | undefined>(undefined);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setFieldErrors({});
    try {
      const input: SignInInput = { account: account.trim(), userName: userName.trim(), password };
      if (mfaCode.trim() !== '') input.mfaCode = mfaCode.trim();
      const { data, errors } = await request(SIGN_IN, { input }, { anonymous: true });
      if (data.signIn == null) {
        setError(errorAt(errors, 'signIn') ?? errors[0] ?? new ApiError('CLIENT', 'the API answered no sign-in result'));
        return;
      }
      const outcome = toSession(data.signIn);
      if (outcome.kind === 'session') {
        startSession(outcome.session);
        navigate(landingAfterSignIn(outcome.session, signedOut, window.location.pathname + window.location.search), { replace: true });
        return;
      }
      if (outcome.mfaRequired) setNeedsMfa(true);
      if (outcome.field !== undefined) setFieldErrors({ [outcome.field]: outcome.message });
      else setError(new ApiError(outcome.code, outcome.message));
    } catch (caught) {
      setError(caught instanceof ApiError ? caught : new ApiError('CLIENT', String(caught)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="sign-in" id="content">
      <h1>Sign in to Portcullis</h1>
      {signedOut?.reason === 'expired' ? (
        <div className="notice warn" role="status">
          Your session has ended. Sign in again to continue where you were.
        </div>
      ) : null}
      <form className="panel" onSubmit={submit} noValidate aria-label="Sign in">
        <TextField
          label="Account ID or alias"
          value={account}
          onChange={setAccount}
          error={fieldErrors.account}
          autoComplete="organization"
          required
        />
        <TextField label="User name" value={userName} onChange={setUserName} error={fieldErrors.userName} autoComplete="username" required />
        <TextField
          label="Password"
          type="password"
          value={password}
          onChange={setPassword}
          error={fieldErrors.password}
          autoComplete="current-password"
          required
        />
        <TextField
          label="MFA code"
          hint={needsMfa ? '(required for this user)' : '(if your user has an MFA device)'}
          value={mfaCode}
          onChange={setMfaCode}
          error={fieldErrors.mfaCode}
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9]{6}"
        />
        <ErrorNotice error={error} title="Sign-in failed" />
        <button className="primary" type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <FederatedSignIn account={account} onSignedIn={() => navigate(signedOut?.returnTo ?? '/', { replace: true })} />
    </main>
  );
}
