/**
 * The `signIn` mutation and what the sign-in page makes of its result union: a session, or an
 * error placed on the field it concerns (MFA code or locked device, a field the input validation named) or shown
 * for the whole form (wrong credentials, throttling). The token is not even asked for: the server
 * keeps it in an HttpOnly cookie (src/server/console-session.ts), out of reach of page scripts.
 */
import { graphql } from './generated/gql.ts';
import type { SignInMutation } from './generated/graphql.ts';
import { fieldOf, isSuccess } from './results.ts';
import type { Session } from './session.ts';

/** Signs in; needs no credential. */
export const SIGN_IN = graphql(`
  mutation SignIn($input: SignInInput!) {
    signIn(input: $input) {
      __typename
      ... on SignInSuccess {
        expiration
        accountId
        userName
        arn
        passwordResetRequired
      }
      ... on SignInThrottled {
        retryAfterSeconds
      }
      ...ResultErrorFields
    }
  }
`);

/** What the sign-in page does next. */
export type SignInOutcome =
  | { readonly kind: 'session'; readonly session: Session }
  | { readonly kind: 'error'; readonly code: string; readonly message: string; readonly field: string | undefined; readonly mfaRequired: boolean };

/** Interprets the result union. */
export function toSession(result: NonNullable<SignInMutation['signIn']>): SignInOutcome {
  if (isSuccess(result)) {
    return {
      kind: 'session',
      session: {
        expiration: result.expiration,
        accountId: result.accountId,
        userName: result.userName,
        arn: result.arn,
        passwordResetRequired: result.passwordResetRequired,
      },
    };
  }
  const mfaRequired = result.__typename === 'MFARequired';
  // A locked device is about the code too: its message (with when to retry) goes beside that field.
  const aboutCode = mfaRequired || result.__typename === 'MFADeviceLocked';
  return { kind: 'error', code: result.code, message: result.message, field: aboutCode ? 'mfaCode' : fieldOf(result), mfaRequired };
}
