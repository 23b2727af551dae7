/**
 * Signing out: the API revokes the session (`signOut`), so the token is dead everywhere, not
 * just forgotten by this tab; the local session ends whatever the API answers.
 */
import { request } from './graphql.ts';
import { graphql } from './generated/gql.ts';
import { signOut } from './session.ts';

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
  }
}
