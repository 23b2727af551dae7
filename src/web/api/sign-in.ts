/**
 * The `signIn` mutation and what the sign-in page makes of its result union: a session, or an
 * error placed on the field it concerns (MFA code or locked device, a field the input validation named) or shown
 * for the whole form (wrong credentials, throttling).
 */
import { ERROR_FIELDS } from './results.ts';
import type { ResultError } from './results.ts';
import type { Session } from './session.ts';

/** Signs in; needs no credential. */
export const SIGN_IN = /* GraphQL */ `
  mutation SignIn($input: SignInInput!) {
    signIn(input: $input) {
      __typename
      ... on SignInSuccess {
        sessionToken
        expiration
        accountId
        userName
        arn
        passwordResetRequired
      }
      ... on SignInThrottled {
        retryAfterSeconds
      }
      ${ERROR_FIELDS}
    }
  }
`;

/** The mutation's data. */
export interface SignInPayload {
  readonly signIn:
    | {
        readonly __typename: 'SignInSuccess';
        readonly sessionToken: string;
        readonly expiration: string;
        readonly accountId: string;
        readonly userName: string;
        readonly arn: string;
        readonly passwordResetRequired: boolean;
      }
    | (ResultError & { readonly retryAfterSeconds?: number });
}

/** What the sign-in page does next. */
export type SignInOutcome =
  | { readonly kind: 'session'; readonly session: Session }
  | { readonly kind: 'error'; readonly code: string; readonly message: string; readonly field: string | undefined; readonly mfaRequired: boolean };

/** Interprets the result union. */
export function toSession(data: SignInPayload): SignInOutcome {
  const result = data.signIn;
  if (result.__typename === 'SignInSuccess' && 'sessionToken' in result) {
    return {
      kind: 'session',
      session: {
        token: result.sessionToken,
        expiration: result.expiration,
        accountId: result.accountId,
        userName: result.userName,
        arn: result.arn,
        passwordResetRequired: result.passwordResetRequired,
      },
    };
  }
  const error = result as ResultError;
  const mfaRequired = error.__typename === 'MFARequired';
  // A locked device is about the code too: its message (with when to retry) goes beside that field.
  const aboutCode = mfaRequired || error.__typename === 'MFADeviceLocked';
  const named = error.field?.replace(/^input\./, '');
  return { kind: 'error', code: error.code, message: error.message, field: aboutCode ? 'mfaCode' : named, mfaRequired };
}
