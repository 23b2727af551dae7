/**
 * The dashboard shell: sign-in gate, header with navigation and the signed-in identity, and the
 * page for the current path. An ended session shows sign-in in place of the page and returns there.
 */
import { Suspense, useEffect, useRef } from 'react';
import { closeLive } from './api/live.ts';
import { useSession } from './api/session.ts';
import { signOutEverywhere } from './api/sign-out.ts';
import { Link } from './components/link.tsx';
import { Loading } from './components/notice.tsx';
import { ChangePasswordPage } from './pages/change-password.tsx';
import { SignInPage } from './pages/sign-in.tsx';
import { matchPath, useLocation } from './router.ts';
import { routes } from './routes.tsx';

/** The root component. */
export function App() {
  const { session } = useSession();
  const { pathname } = useLocation();

  const match = routes
    .map((route) => ({ route, params: matchPath(route.path, pathname) }))
    .find((candidate) => candidate.params !== undefined);
  const title = match?.route.nav ?? (match === undefined ? 'Not found' : Object.values(match.params ?? {}).join(' / '));
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
  useEffect(() => {
    document.title = session === undefined ? 'Sign in · Portcullis' : `${title} · Portcullis`;
  }, [session, title]);

  if (session === undefined) return <SignInPage />;

  return (
    <>
      <a className="skip-link" href="#content">
        Skip to content
      </a>
      <header className="shell-header">
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
          <span title={session.arn}>
            {session.userName} @ {session.accountId}
          </span>
          {session.passwordResetRequired === true ? null : <Link to="/security-credentials">My security credentials</Link>}
          <button type="button" onClick={() => void signOutEverywhere()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="content" tabIndex={-1}>
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
