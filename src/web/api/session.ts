/**
 * The signed-in session. The session token itself lives only in an HttpOnly, SameSite=Strict
 * cookie the server sets at sign-in (page scripts can never read it); every tab of the browser
 * shares it. What the UI shows about the session (who, which account, until when) is kept in
 * localStorage, so a new tab opens signed in, and tabs follow each other's sign-in and sign-out
 * through the `storage` event. When the session expires or the API answers UNAUTHENTICATED, it
 * ends with a reason and the page the user was on, so sign-in can bring the same user back there;
 * a different user starts at the overview instead (they may not be allowed the last one's page).
 */
import { useSyncExternalStore } from 'react';

/** A live session as the dashboard knows it (no secret: the token is in the HttpOnly cookie). */
export interface Session {
  /** ISO timestamp after which the API refuses the session. */
  readonly expiration: string;
  readonly accountId: string;
  readonly userName: string;
  /** The signed-in principal's ARN, as the API reported it. */
  readonly arn: string;
  /** The password must be changed before anything else (an administrator set it, or it aged out). */
  readonly passwordResetRequired?: boolean;
}

/** Why the user is looking at the sign-in page, when it is not their first visit. */
export interface SignedOut {
  readonly reason: 'expired' | 'signed-out';
  /** The dashboard path to return to after signing in again. */
  readonly returnTo: string | undefined;
  /** Whose session ended: only the same principal is brought back to `returnTo`. */
  readonly arn: string | undefined;
}

const STORAGE_KEY = 'portcullis.session';
/** The account last signed in to, prefilled on the sign-in page (not a secret: AWS's console remembers it too). */
const ACCOUNT_KEY = 'portcullis.account';

/** The snapshot the UI renders from. */
export interface SessionState {
  readonly session: Session | undefined;
  readonly signedOut: SignedOut | undefined;
}

let state: SessionState = { session: readStored(), signedOut: undefined };
let expiryTimer: ReturnType<typeof setTimeout> | undefined;
const listeners = new Set<() => void>();

/** Reads a stored, still-valid session. */
function readStored(): Session | undefined {
  try {
    const text = window.localStorage.getItem(STORAGE_KEY);
    if (text === null) return undefined;
    const session = JSON.parse(text) as Session & { token?: unknown };
    // A record from before the cookie (it held the token) is not trusted: sign in again.
    if (session.token !== undefined) return undefined;
    return Date.parse(session.expiration) > Date.now() ? session : undefined;
  } catch {
    return undefined;
  }
}

/** Replaces the state, persists it, re-arms the expiry timer and tells subscribers. */
function setState(next: SessionState, persist = true): void {
  state = next;
  if (persist) {
    try {
      if (next.session === undefined) window.localStorage.removeItem(STORAGE_KEY);
      else window.localStorage.setItem(STORAGE_KEY, JSON.stringify(next.session));
    } catch {
      // Storage may be disabled; this tab still works, others will ask to sign in.
    }
  }
  armExpiry();
  for (const listener of listeners) listener();
}

// Another tab signed in, changed the password or signed out: follow it.
window.addEventListener('storage', (event) => {
  if (event.key !== STORAGE_KEY && event.key !== null) return;
  const stored = readStored();
  if (stored === undefined && state.session !== undefined) {
    setState({ session: undefined, signedOut: { reason: 'signed-out', returnTo: undefined, arn: state.session.arn } }, false);
  } else if (stored !== undefined && JSON.stringify(stored) !== JSON.stringify(state.session)) {
    setState({ session: stored, signedOut: undefined }, false);
  }
});

/** Ends the session when it expires, so the UI never works with a dead one. */
function armExpiry(): void {
  if (expiryTimer !== undefined) clearTimeout(expiryTimer);
  expiryTimer = undefined;
  const session = state.session;
  if (session === undefined) return;
  // setTimeout holds at most ~24.8 days; longer sessions re-arm when they fire.
  const delay = Math.min(Date.parse(session.expiration) - Date.now(), 2_000_000_000);
  expiryTimer = setTimeout(() => {
    if (Date.parse(session.expiration) <= Date.now()) expireSession(window.location.pathname + window.location.search);
    else armExpiry();
  }, Math.max(delay, 0));
}
armExpiry();

/** The current session, or undefined when signed out. */
export function currentSession(): Session | undefined {
  return state.session;
}

/** Starts a session after a successful sign-in (the server has set the cookie), remembering the account. */
export function startSession(session: Session): void {
  try {
    window.localStorage.setItem(ACCOUNT_KEY, session.accountId);
  } catch {
    // Not remembered; nothing else depends on it.
  }
  setState({ session, signedOut: undefined });
}

/** The account last signed in to in this browser, for the sign-in form. */
export function rememberedAccount(): string {
  try {
    return window.localStorage.getItem(ACCOUNT_KEY) ?? '';
  } catch {
    return '';
  }
}

/** Ends the session because the API no longer accepts it; the user returns to `returnTo` after signing in. */
export function expireSession(returnTo: string | undefined): void {
  if (state.session === undefined && state.signedOut !== undefined) return;
  setState({ session: undefined, signedOut: { reason: 'expired', returnTo, arn: state.session?.arn } });
}

/** Records that the user has changed the password they were required to change. */
export function passwordChanged(): void {
  if (state.session === undefined) return;
  setState({ session: { ...state.session, passwordResetRequired: false }, signedOut: undefined });
}

/** Ends the session at the user's request. */
export function signOut(): void {
  setState({ session: undefined, signedOut: { reason: 'signed-out', returnTo: undefined, arn: state.session?.arn } });
}

/** Subscribes a component to the session state. */
export function useSession(): SessionState {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => state,
  );
}

/**
 * Where a user lands after signing in: back where their own session ended; the overview when the
 * last session in this tab was somebody else's or was signed out; else the address they opened.
 */
export function landingAfterSignIn(session: Session, signedOut: SignedOut | undefined, openedPath: string): string {
  if (signedOut === undefined) return openedPath;
  if (signedOut.arn !== undefined && signedOut.arn !== session.arn) return '/';
  return signedOut.returnTo ?? '/';
}
