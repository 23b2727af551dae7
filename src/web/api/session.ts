/**
 * The signed-in session: a bearer token with its expiry and who it belongs to. Kept in
 * sessionStorage (gone when the tab closes; never written to localStorage or the URL). When the
 * token expires or the API answers UNAUTHENTICATED, the session ends with a reason and the page
 * the user was on, so sign-in can bring them back there.
 */
import { useSyncExternalStore } from 'react';

/** A live session as the dashboard keeps it. */
export interface Session {
  readonly token: string;
  /** ISO timestamp after which the API refuses the token. */
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
}

const STORAGE_KEY = 'portcullis.session';

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
    const text = window.sessionStorage.getItem(STORAGE_KEY);
    if (text === null) return undefined;
    const session = JSON.parse(text) as Session;
    return Date.parse(session.expiration) > Date.now() ? session : undefined;
  } catch {
    return undefined;
  }
}

/** Replaces the state, persists it, re-arms the expiry timer and tells subscribers. */
function setState(next: SessionState): void {
  state = next;
  if (next.session === undefined) window.sessionStorage.removeItem(STORAGE_KEY);
  else window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(next.session));
  armExpiry();
  for (const listener of listeners) listener();
}

/** Ends the session when its token expires, so the UI never sends a dead token. */
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

/** Starts a session after a successful sign-in. */
export function startSession(session: Session): void {
  setState({ session, signedOut: undefined });
}

/** Ends the session because the API no longer accepts it; the user returns to `returnTo` after signing in. */
export function expireSession(returnTo: string | undefined): void {
  if (state.session === undefined && state.signedOut !== undefined) return;
  setState({ session: undefined, signedOut: { reason: 'expired', returnTo } });
}

/** Records that the user has changed the password they were required to change. */
export function passwordChanged(): void {
  if (state.session === undefined) return;
  setState({ session: { ...state.session, passwordResetRequired: false }, signedOut: undefined });
}

/** Ends the session at the user's request. */
export function signOut(): void {
  setState({ session: undefined, signedOut: { reason: 'signed-out', returnTo: undefined } });
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
