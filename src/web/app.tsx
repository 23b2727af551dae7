/**
 * The dashboard shell: sign-in gate, header with navigation and the identity (the signed-in
 * principal's, or the switched role's in its colour), and the page for the current path. An ended
 * session shows sign-in in place of the page and returns there. The page is keyed by the identity
 * it acts as, so switching role (or back) drops everything loaded in the other account and the
 * page loads and subscribes again with the new credentials.
 */
import { Suspense, useEffect, useRef, useState } from 'react';
import { closeLive } from './api/live.ts';
import { dismissRoleNotice, dropRoleSessionUnlessOwnedBy, useRoleSession } from './api/role-session.ts';
import { useSession } from './api/session.ts';
import { revokeSessionToken, signOutEverywhere } from './api/sign-out.ts';
import { IdentityMenu } from './components/identity-menu.tsx';
import { Link } from './components/link.tsx';
import { Loading } from './components/notice.tsx';
import { ChangePasswordPage } from './pages/change-password.tsx';
import { SignInPage } from './pages/sign-in.tsx';
import { matchPath, useLocation } from './router.ts';
import { routes } from './routes.tsx';

/** The root component. */
export function App() {
  const { session } = useSession();
  const { role, ended: roleEnded } = useRoleSession();
  const { pathname } = useLocation();

  const match = routes
    .map((route) => ({ route, params: matchPath(route.path, pathname) }))
    .find((candidate) => candidate.params !== undefined);
  const title = match?.route.nav ?? match?.route.title ?? (match === undefined ? 'Not found' : Object.values(match.params ?? {}).join(' / '));
  // After an in-app navigation, move focus to the new page so keyboard and screen-reader users
  // start there (not on the link they left); the first render keeps the browser's own focus.
  const firstPath = useRef(pathname);
  useEffect(() => {
    if (pathname === firstPath.current) return;
    firstPath.current = '';
    document.getElementById('content')?.focus({ preventScroll: true });
  }, [pathname]);
  // The live connection belongs to the session: close it when the session ends.
  useEffect(() => {
    if (session === undefined) closeLive();
  }, [session]);
  // A switched role belongs to whoever switched: it ends (revoked) when they are no longer signed in here.
  const signedInArn = session?.arn;
  useEffect(() => {
    const orphan = dropRoleSessionUnlessOwnedBy(signedInArn);
    if (orphan !== undefined) void revokeSessionToken(orphan);
  }, [signedInArn]);
  useEffect(() => {
    document.title = session === undefined ? 'Sign in · Portcullis' : `${title} · Portcullis`;
  }, [session, title]);

  if (session === undefined) return <SignInPage />;

  return (
    <>
      <a className="skip-link" href="#content">
        Skip to content
      </a>
      <header className={role === undefined ? 'shell-header' : `shell-header switched role-edge-${role.colour}`}>
        <Link to="/" className="brand">
          Portcullis
        </Link>
        {session.passwordResetRequired === true ? null : (
          <nav className="shell-nav" aria-label="Main">
            <ul>
              {routes
                .filter((route) => route.nav !== undefined)
                .map((route) => (
                  <li key={route.path}>
                    <Link to={route.path} nav={route.path === '/' ? 'exact' : 'prefix'}>
                      {route.nav}
                    </Link>
                  </li>
                ))}
            </ul>
          </nav>
        )}
        <div className="shell-user">
          <IdentityMenu session={session} />
          {session.passwordResetRequired === true ? null : <Link to="/security-credentials">My security credentials</Link>}
          <SignOutButton />
        </div>
      </header>
      <main id="content" tabIndex={-1} key={role === undefined ? session.arn : `${role.arn} ${role.expiration}`}>
        {roleEnded === undefined ? null : (
          <div className="notice warn row center" role="status">
            <span>
              {roleEnded.reason === 'expired'
                ? `The session of role “${roleEnded.displayName}” has ended.`
                : `Reloading the page ended the switched role “${roleEnded.displayName}” (its credentials live only in the page).`}{' '}
              You are back as {session.userName} in account {session.accountId}.
            </span>
            <button type="button" onClick={dismissRoleNotice}>
              Dismiss
            </button>
          </div>
        )}
        {session.passwordResetRequired === true ? (
          <ChangePasswordPage />
        ) : match === undefined ? (
          <>
            <h1>Page not found</h1>
            <p>
              There is no page at <code>{pathname}</code>. <Link to="/">Go to the overview</Link>.
            </p>
          </>
        ) : (
          <Suspense fallback={<Loading what="page" />}>{match.route.render(match.params!)}</Suspense>
        )}
      </main>
    </>
  );
}

/**
 * Sign out, disabled while the revocation is on its way: a second click would send the session
 * being revoked, which the server refuses (401).
 */
function SignOutButton() {
  const [signingOut, setSigningOut] = useState(false);
  const signOut = (): void => {
    setSigningOut(true);
    void signOutEverywhere().finally(() => setSigningOut(false));
  };
  return (
    <button type="button" onClick={signOut} disabled={signingOut} aria-busy={signingOut}>
      Sign out
    </button>
  );
}
