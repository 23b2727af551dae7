/**
 * "Switch role": checks the form as AWS's console does before asking anything, then calls
 * `assumeRole` with the signed-in principal's own credentials (never a role session's, so
 * switching from one role to another is not chaining) and, on success, starts working through the
 * role session and remembers the role among the recent ones.
 */
import { graphql } from './generated/gql.ts';
import { ApiError, errorAt, request } from './graphql.ts';
import { closeLive } from './live.ts';
import { rememberRole } from './recent-roles.ts';
import { fieldOf, isSuccess } from './results.ts';
import { activeRole, startRoleSession } from './role-session.ts';
import { revokeSessionToken } from './sign-out.ts';
import { currentSession } from './session.ts';
import { roleArnOf, roleSessionNameFor } from './switch-role-form.ts';
import type { RoleChoice, SwitchRoleFieldErrors } from './switch-role-form.ts';

const ASSUME_ROLE = graphql(`
  mutation SwitchRole($input: AssumeRoleInput!) {
    assumeRole(input: $input) {
      __typename
      ... on AssumeRoleSuccess {
        assumedRoleUser {
          arn
        }
        credentials {
          sessionToken
          expiration
        }
      }
      ... on AccessDenied {
        action
      }
      ...ResultErrorFields
    }
  }
`);

/** Why a switch did not happen: on a field, or for the whole form (AccessDenied names the refused action). */
export type SwitchRefusal = { readonly field: keyof SwitchRoleFieldErrors | undefined; readonly error: ApiError };

/** Assumes the role with the signed-in principal's credentials and switches to it; a refusal otherwise. */
export async function switchRole(choice: RoleChoice): Promise<SwitchRefusal | undefined> {
  const session = currentSession();
  if (session === undefined) return { field: undefined, error: new ApiError('UNAUTHENTICATED', 'sign in first') };
  // No longer than the sign-in session has left (within STS's 15 minutes to the role's hour):
  // the switch ends with the sign-in anyway.
  const remaining = Math.floor((Date.parse(session.expiration) - Date.now()) / 1000);
  const durationSeconds = Math.min(Math.max(remaining, 900), 3600);
  const input = { roleArn: roleArnOf(choice), roleSessionName: roleSessionNameFor(session.arn), durationSeconds };
  const { data, errors } = await request(ASSUME_ROLE, { input }, { as: 'signed-in' });
  const result = data.assumeRole;
  if (result == null) return { field: undefined, error: errorAt(errors, 'assumeRole') ?? errors[0] ?? new ApiError('CLIENT', 'the API answered no result') };
  if (isSuccess(result)) {
    // The old identity's live streams end here; the pages subscribe again as the role.
    closeLive();
    // Switching from one role straight to another: the one left behind is revoked.
    const previous = activeRole();
    if (previous !== undefined) void revokeSessionToken(previous.token);
    startRoleSession(
      { ...choice, arn: result.assumedRoleUser.arn, expiration: result.credentials.expiration, sourceArn: session.arn },
      result.credentials.sessionToken,
    );
    rememberRole(choice);
    return undefined;
  }
  const action = result.__typename === 'AccessDenied' ? result.action : undefined;
  const field = fieldOf(result) === 'roleArn' ? 'roleName' : undefined;
  return { field, error: new ApiError(result.code, result.message, action) };
}
