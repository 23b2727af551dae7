/**
 * Signing out: the API revokes the session (`signOut`), so the token is dead everywhere, not
 * just forgotten by this tab, and its answer clears the session cookie; the local session ends
 * whatever the API answers.
 */
import { request } from './graphql.ts';
import { graphql } from './generated/gql.ts';
import { signOut } from './session.ts';
import { navigate } from '../router.ts';

const SIGN_OUT = graphql(`
  mutation SignOut {
    signOut {
      __typename
    }
  }
`);

/** Revokes the session on the server, then ends it here. */
export async function signOutEverywhere(): Promise<void> {
  try {
    await request(SIGN_OUT, {});
  } catch {
    // Already expired or unreachable: there is nothing left to revoke from here.
  } finally {
    signOut();
    // The next user to sign in here starts at the overview, not on this user's last page.
    navigate('/', { replace: true });
  }
}
