/**
 * The header's identity, always visible as in AWS's console: the signed-in principal and its
 * account, or, while working through a switched role, the role's display name and account in the
 * role's colour. It opens a panel (a disclosure: button with aria-expanded) with who is signed in,
 * "Switch back", the recent roles (one click switches again) and the "Switch role" page.
 */
import { useEffect, useId, useRef, useState } from 'react';
import type { ApiError } from '../api/graphql.ts';
import { useRecentRoles } from '../api/recent-roles.ts';
import { useRoleSession } from '../api/role-session.ts';
import type { RoleChoice } from '../api/switch-role-form.ts';
import type { Session } from '../api/session.ts';
import { revokeRoleSession } from '../api/sign-out.ts';
import { switchRole } from '../api/switch-role.ts';
import { toApiError } from '../api/use-query.ts';
import { navigate, useLocation } from '../router.ts';
import { Link } from './link.tsx';
import { ErrorNotice } from './notice.tsx';

/** The identity button and its panel. */
export function IdentityMenu(props: { session: Session }) {
  const { session } = props;
  const { role } = useRoleSession();
  const recent = useRecentRoles();
  const { path } = useLocation();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  // Navigating (a link in the panel, or anywhere) closes it.
  useEffect(() => setOpen(false), [path]);
  // Escape and a click outside close it, as a menu would.
  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent): void => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      button.current?.focus();
    };
    const onPointer = (event: PointerEvent): void => {
      if (root.current !== null && !root.current.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);

  const switchTo = async (choice: RoleChoice): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      const refused = await switchRole(choice);
      if (refused !== undefined) {
        setError(refused.error);
        return;
      }
      setOpen(false);
      navigate('/');
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setBusy(false);
    }
  };

  const switchBack = async (): Promise<void> => {
    setOpen(false);
    // The role's token is out of use as soon as this is called (revokeRoleSession stops using it
    // before its request goes out), so the overview opens at once as the signed-in principal.
    // Navigating after the revocation's round trip took the person back to the overview from
    // whatever page they had opened meanwhile.
    const revoked = revokeRoleSession('switched-back');
    navigate('/');
    await revoked;
  };

  const others = recent.filter((choice) => role === undefined || choice.accountId !== role.accountId || choice.roleName !== role.roleName);

  return (
    <div className="identity" ref={root}>
      <button
        ref={button}
        type="button"
        className={role === undefined ? 'identity-button' : `identity-button role-badge role-${role.colour}`}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((was) => !was)}
      >
        {role === undefined ? (
          <span title={session.arn}>
            {session.userName} @ {session.accountId}
          </span>
        ) : (
          <>
            <span className="role-display" title={role.arn}>
              {role.displayName}
            </span> <span className="role-account">Account {role.accountId}</span>
          </>
        )}
        <span className="visually-hidden"> (account menu)</span>
      </button>
      <div id={panelId} className="identity-panel panel" hidden={!open}>
        <dl className="facts">
          <dt>Signed in as</dt>
          <dd>{session.userName}</dd>
          <dt>Account</dt>
          <dd className="mono">{session.accountId}</dd>
          {role === undefined ? null : (
            <>
              <dt>Currently active as</dt>
              <dd>
                role <strong>{role.roleName}</strong>
              </dd>
              <dt>Role’s account</dt>
              <dd className="mono">{role.accountId}</dd>
            </>
          )}
        </dl>
        {role === undefined ? null : (
          <button type="button" className="primary" onClick={() => void switchBack()}>
            Switch back
          </button>
        )}
        {others.length === 0 ? null : (
          <section aria-label="Recent roles">
            <p className="muted">Role history</p>
            <ul className="plain recent-roles">
              {others.map((choice) => (
                <li key={`${choice.accountId}/${choice.roleName}`}>
                  <button type="button" className={`role-badge role-${choice.colour}`} disabled={busy} onClick={() => void switchTo(choice)}>
                    {choice.displayName}
                  </button>
                </li>
              ))}
            </ul>
          </section>
        )}
        <ErrorNotice error={error} title="Could not switch role" />
        <p>
          <Link to="/switch-role">Switch role</Link>
        </p>
      </div>
    </div>
  );
}
