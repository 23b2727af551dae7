/**
 * The switched role ("Switch role", as in AWS's console): while it lasts, every request and the
 * live connection of this tab act as the role session instead of the signed-in principal. Its
 * token is kept only in this page's memory (never in storage: like the sign-in session's cookie,
 * it must not outlive the page or be found by a later script), so a reload returns to the
 * signed-in identity; the last switch's description (no secret) is kept in sessionStorage to say
 * so. The switch belongs to the principal who made it: a session of anyone else never uses it.
 */
import { useSyncExternalStore } from 'react';
import { currentSession } from './session.ts';
import type { RoleChoice } from './switch-role-form.ts';

/** The active switched role: what was chosen, who it acts as, until when, and whose switch it is. */
export interface SwitchedRole extends RoleChoice {
  /** The assumed-role ARN the API reports for the session's requests. */
  readonly arn: string;
  /** ISO timestamp when the role session's credentials expire. */
  readonly expiration: string;
  /** The ARN of the signed-in principal who switched. */
  readonly sourceArn: string;
}

/** Why the tab is no longer working through a switched role, when it did not just switch back. */
export interface RoleEnded {
  readonly reason: 'expired' | 'reloaded';
  readonly displayName: string;
}

/** The snapshot the UI renders from. */
export interface RoleState {
  readonly role: SwitchedRole | undefined;
  readonly ended: RoleEnded | undefined;
}

const DESCRIPTION_KEY = 'portcullis.switchedRole';

let active: { role: SwitchedRole; token: string } | undefined;
let state: RoleState = { role: undefined, ended: endedByReload() };
let expiryTimer: ReturnType<typeof setTimeout> | undefined;
const listeners = new Set<() => void>();

/** A switch described in this tab's storage that the page no longer has the token of: it ended with the reload. */
function endedByReload(): RoleEnded | undefined {
  try {
    const text = window.sessionStorage.getItem(DESCRIPTION_KEY);
    if (text === null) return undefined;
    window.sessionStorage.removeItem(DESCRIPTION_KEY);
    const described = JSON.parse(text) as Partial<SwitchedRole>;
    const stillValid = typeof described.expiration === 'string' && Date.parse(described.expiration) > Date.now();
    const sameUser = described.sourceArn !== undefined && described.sourceArn === currentSession()?.arn;
    return stillValid && sameUser && typeof described.displayName === 'string' ? { reason: 'reloaded', displayName: described.displayName } : undefined;
  } catch {
    return undefined;
  }
}

/** Replaces the state, re-arms the expiry timer and tells subscribers. */
function setState(next: RoleState): void {
  state = next;
  try {
    if (next.role === undefined) window.sessionStorage.removeItem(DESCRIPTION_KEY);
    else window.sessionStorage.setItem(DESCRIPTION_KEY, JSON.stringify(next.role));
  } catch {
    // Storage disabled: a reload then just does not say why the switch ended.
  }
  if (expiryTimer !== undefined) clearTimeout(expiryTimer);
  expiryTimer = undefined;
  const role = next.role;
  if (role !== undefined) {
    const delay = Math.min(Date.parse(role.expiration) - Date.now(), 2_000_000_000);
    expiryTimer = setTimeout(() => {
      if (active?.role === role) endRoleSession('expired');
    }, Math.max(delay, 0));
  }
  for (const listener of listeners) listener();
}

/** The switched role and its token, while it belongs to the signed-in principal. */
export function activeRole(): { role: SwitchedRole; token: string } | undefined {
  if (active === undefined) return undefined;
  // Signed out, or someone else signed in (another tab): the switch is over.
  if (active.role.sourceArn !== currentSession()?.arn) return undefined;
  return active;
}

/** Starts working through a role session whose credentials the API just issued. */
export function startRoleSession(role: SwitchedRole, token: string): void {
  active = { role, token };
  setState({ role, ended: undefined });
}

/**
 * Stops using the role session: `switched-back` and `signed-out` at the user's request (the
 * caller revokes the token first), `expired` when the API no longer accepts it (shown as a notice).
 */
export function endRoleSession(reason: 'switched-back' | 'signed-out' | 'expired'): void {
  const ended = active;
  active = undefined;
  // Nothing to end; but signing out also forgets the notice, which is not the next user's business.
  if (ended === undefined && state.role === undefined && (reason !== 'signed-out' || state.ended === undefined)) return;
  setState({ role: undefined, ended: reason === 'expired' && ended !== undefined ? { reason, displayName: ended.role.displayName } : undefined });
}

/**
 * Ends the switch when the signed-in principal is no longer the one who made it (signed out, the
 * session expired, or someone else signed in in another tab); returns the dropped role session's
 * token, for the caller to revoke.
 */
export function dropRoleSessionUnlessOwnedBy(arn: string | undefined): string | undefined {
  if (active !== undefined && active.role.sourceArn === arn) return undefined;
  const token = active?.token;
  if (arn === undefined || active !== undefined) endRoleSession('signed-out');
  return token;
}

/** Forgets why the last switch ended (the notice was dismissed). */
export function dismissRoleNotice(): void {
  if (state.ended !== undefined) setState({ role: state.role, ended: undefined });
}

/** The switched role as the UI shows it (only the signed-in principal's own), re-rendering on change. */
export function useRoleSession(): RoleState {
  const snapshot = useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => state,
  );
  const owner = currentSession()?.arn;
  if (snapshot.role !== undefined && snapshot.role.sourceArn !== owner) return { role: undefined, ended: undefined };
  return snapshot;
}
