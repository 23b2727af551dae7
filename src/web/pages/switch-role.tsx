/**
 * "Switch role", as AWS's console has it: the account (12-digit id) and role name, an optional
 * display name and colour for the header. The address may prefill it as AWS's switch-role links
 * do (`?account=…&roleName=…&displayName=…&color=…`). The form is checked before anything is
 * sent; a refusal shows the API's own message and, when it names one, the missing permission.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import type { ApiError } from '../api/graphql.ts';
import { useRoleSession } from '../api/role-session.ts';
import { ROLE_COLOURS } from '../api/switch-role-form.ts';
import type { RoleColour, SwitchRoleFieldErrors } from '../api/switch-role-form.ts';
import { useSession } from '../api/session.ts';
import { switchRole } from '../api/switch-role.ts';
import { validateSwitchRole } from '../api/switch-role-form.ts';
import { toApiError } from '../api/use-query.ts';
import { TextField } from '../components/field.tsx';
import { Link } from '../components/link.tsx';
import { ErrorNotice } from '../components/notice.tsx';
import { navigate, useLocation } from '../router.ts';

const COLOUR_NAMES: Readonly<Record<RoleColour, string>> = { red: 'Red', orange: 'Orange', yellow: 'Yellow', green: 'Green', blue: 'Blue' };

/** The switch-role form. */
export function SwitchRolePage() {
  const { session } = useSession();
  const { role } = useRoleSession();
  const { search } = useLocation();
  const [account, setAccount] = useState(() => search.get('account') ?? '');
  const [roleName, setRoleName] = useState(() => search.get('roleName') ?? '');
  const [displayName, setDisplayName] = useState(() => search.get('displayName') ?? '');
  const [colour, setColour] = useState<RoleColour>(() => {
    const asked = search.get('color');
    return ROLE_COLOURS.find((c) => c === asked) ?? 'blue';
  });
  const [fieldErrors, setFieldErrors] = useState<SwitchRoleFieldErrors>({});
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    const checked = validateSwitchRole({ account, roleName, displayName, colour });
    if ('errors' in checked) {
      setFieldErrors(checked.errors);
      return;
    }
    setFieldErrors({});
    setBusy(true);
    try {
      const refused = await switchRole(checked.choice);
      if (refused === undefined) {
        navigate('/');
        return;
      }
      if (refused.field !== undefined) setFieldErrors({ [refused.field]: refused.error.message });
      else setError(refused.error);
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1>Switch role</h1>
      <p>
        Work in another account (or with other permissions) through an IAM role, without signing out. The role’s trust policy must
        trust you or your account, and your own policies must allow <code>sts:AssumeRole</code> on it. You switch as{' '}
        <strong>
          {session?.userName} @ {session?.accountId}
        </strong>
        {role === undefined ? '' : `, not as the role you are working through now (${role.displayName})`}; “Switch back” in the
        account menu returns to your own identity.
      </p>
      <form className="panel switch-role-form" onSubmit={submit} noValidate aria-label="Switch role">
        <TextField
          label="Account ID"
          hint="(12 digits)"
          value={account}
          onChange={setAccount}
          error={fieldErrors.account}
          inputMode="numeric"
          autoComplete="off"
          required
        />
        <TextField label="Role name" value={roleName} onChange={setRoleName} error={fieldErrors.roleName} autoComplete="off" required />
        <TextField
          label="Display name"
          hint="(optional; shown in the header)"
          value={displayName}
          onChange={setDisplayName}
          error={fieldErrors.displayName}
          autoComplete="off"
          maxLength={64}
        />
        <fieldset className="colour-choice">
          <legend>Colour</legend>
          {ROLE_COLOURS.map((c) => (
            <label key={c} className={`swatch role-badge role-${c}`}>
              <input type="radio" name="colour" value={c} checked={colour === c} onChange={() => setColour(c)} /> {COLOUR_NAMES[c]}
            </label>
          ))}
        </fieldset>
        <ErrorNotice error={error} title="Could not switch role" />
        <div className="row center">
          <button className="primary" type="submit" disabled={busy}>
            {busy ? 'Switching…' : 'Switch role'}
          </button>
          <Link to="/">Cancel</Link>
        </div>
      </form>
    </>
  );
}
