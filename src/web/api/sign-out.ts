/**
 * Signing out: the API revokes the session (`signOut`), so the token is dead everywhere, not
 * just forgotten by this tab, and its answer clears the session cookie; the local session ends
 * whatever the API answers. A switched role's session is revoked first (sign-out ends both), and
 * "Switch back" revokes it alone.
 */
import { GRAPHQL_PATH, request } from './graphql.ts';
import { graphql } from './generated/gql.ts';
import { closeLive } from './live.ts';
import { activeRole, endRoleSession } from './role-session.ts';
import { signOut } from './session.ts';
import { navigate } from '../router.ts';

const SIGN_OUT = graphql(`
  mutation SignOut {
    signOut {
      __typename
    }
  }
`);

/** Revokes the switched role's session, if any, and stops using it; the signed-in session stays. */
export async function revokeRoleSession(reason: 'switched-back' | 'signed-out'): Promise<void> {
  const role = activeRole();
  // Stop using it first, so nothing else goes out with a token that is being revoked; its live
  // streams end too, and the pages subscribe again as the signed-in principal.
  if (role !== undefined) closeLive();
  endRoleSession(reason);
  if (role !== undefined) await revokeSessionToken(role.token);
}

/** Revokes a role session by its token (one this page no longer uses); failures are ignored. */
export async function revokeSessionToken(token: string): Promise<void> {
  try {
    await request(SIGN_OUT, {}, { as: { bearer: token } });
  } catch {
    // Already expired or unreachable: it dies at its expiry anyway.
  }
}

// The role token lives only in this page's memory: when the page goes (reload, tab closed), revoke
// it rather than leave a live credential nobody holds. keepalive lets the request outlive the page.
window.addEventListener('pagehide', () => {
  const role = activeRole();
  if (role === undefined) return;
  void fetch(GRAPHQL_PATH, {
    method: 'POST',
    keepalive: true,
    credentials: 'omit',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${role.token}` },
    body: JSON.stringify({ query: SIGN_OUT.toString(), variables: {} }),
  }).catch(() => {
    // Unreachable: it dies at its expiry anyway.
  });
});

let signingOut: Promise<void> | undefined;

/** Revokes the session on the server, then ends it here; a call while one runs joins it. */
export function signOutEverywhere(): Promise<void> {
  signingOut ??= revokeAndEnd().finally(() => {
    signingOut = undefined;
  });
  return signingOut;
}

async function revokeAndEnd(): Promise<void> {
  try {
    await revokeRoleSession('signed-out');
    await request(SIGN_OUT, {}, { as: 'signed-in' });
  } catch {
    // Already expired or unreachable: there is nothing left to revoke from here.
  } finally {
    signOut();
    // The next user to sign in here starts at the overview, not on this user's last page.
    navigate('/', { replace: true });
  }
}
