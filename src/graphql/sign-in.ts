/**
 * Dashboard sign-in on the wire: `signIn` (anonymous) returns a bearer session token once;
 * `signOut` revokes the session the request is authenticated with. Both go through the console
 * session hook (`context.consoleSession`), which sets or clears the browser's HttpOnly cookie. Failures are typed result
 * members; SignInFailed is the same for every wrong account, user, password or MFA code.
 */
import { ValidationError } from '../errors.ts';
import { MfaDeviceLockedError } from '../iam/mfa/lockout.ts';
import { seedCipherFor } from '../iam/mfa/secrets-key.ts';
import {
  MfaRequiredError,
  PasswordExpiredError,
  SIGN_IN_SESSION_SECONDS,
  SignInFailedError,
  SignInThrottledError,
  signIn,
  signOut,
  type SignedIn,
} from '../sts/sign-in.ts';
import { builder } from './builder.ts';
import { errorObjectType, WriteSuccessInterface } from './errors.ts';
import { resultErrors } from './mutation-result.ts';
import { settled } from './credential-guard.ts';

errorObjectType(SignInFailedError, {
  name: 'SignInFailed',
  description: 'The account, user name, password or MFA code is wrong; deliberately not saying which.',
});
const SignInThrottledRef = errorObjectType(SignInThrottledError, {
  name: 'SignInThrottled',
  description: 'Too many failed attempts for this user name from this client address, or from this address for any user name.',
});
builder.objectFields(SignInThrottledRef, (t) => ({
  retryAfterSeconds: t.exposeInt('retryAfterSeconds', { description: 'Seconds until another attempt is accepted.' }),
}));
errorObjectType(MfaRequiredError, {
  name: 'MFARequired',
  description: 'The password was right and the user has an MFA device: repeat with `mfaCode`.',
});
errorObjectType(PasswordExpiredError, {
  name: 'PasswordExpired',
  description: 'The password passed its maximum age under hard expiry; an administrator must reset it.',
});

export const SignInSuccess = builder.objectRef<SignedIn>('SignInSuccess').implement({
  interfaces: [WriteSuccessInterface],
  description: 'A dashboard session. `sessionToken` is shown once: send it as `Authorization: Bearer <sessionToken>`.',
  fields: (t) => ({
    sessionToken: t.string({ resolve: (s) => s.credentials.sessionToken }),
    expiration: t.field({ type: 'DateTime', resolve: (s) => s.credentials.expiration }),
    accountId: t.exposeString('accountId'),
    userName: t.exposeString('userName'),
    arn: t.exposeString('arn'),
    mfaAuthenticated: t.exposeBoolean('mfaAuthenticated', { description: 'Requests with this session carry aws:MultiFactorAuthPresent = true.' }),
    passwordResetRequired: t.exposeBoolean('passwordResetRequired', { description: 'The password must be changed (changePassword).' }),
  }),
});

const SignOutSuccess = builder.objectRef<{ revision: string }>('SignOutSuccess').implement({
  interfaces: [WriteSuccessInterface],
  description: 'The session is revoked; its token now gets 401. `revision` is the write that revoked it.',
});

const SignInInput = builder.inputType('SignInInput', {
  description:
    'What signIn (the dashboard sign-in; no AWS API operation) needs: the account, user name and password, and the MFA code when the user has an enabled device. ' +
    'Sent without a credential. A wrong account, user name, password or code is the same SignInFailed; failures are throttled per user name and client address (SignInThrottled). ' +
    `The session lasts ${SIGN_IN_SESSION_SECONDS / 60} minutes.`,
  fields: (t) => ({
    account: t.string({ required: true, description: 'The 12-digit account id or the account alias.' }),
    userName: t.string({ required: true, description: '`root` for the root user.' }),
    password: t.string({ required: true }),
    mfaCode: t.string({ description: "The MFA device's current 6-digit code, when the user has one." }),
  }),
});

builder.mutationFields((t) => ({
  signIn: t.field({
    type: SignInSuccess,
    description: 'Sign in to the dashboard; needs no credential.',
    args: { input: t.arg({ type: SignInInput, required: true }) },
    errors: resultErrors('SignIn', [ValidationError, SignInFailedError, SignInThrottledError, MfaRequiredError, PasswordExpiredError, MfaDeviceLockedError]),
    resolve: async (_root, { input }, context) => {
      const signedIn = await signIn(
        context.database,
        {
          throttle: context.signInThrottle,
          cipher: () => seedCipherFor(context.config),
          now: new Date(context.clock.now()),
          ...(context.authz.facts.sourceIp === undefined ? {} : { clientAddress: context.authz.facts.sourceIp }),
        },
        input,
      );
      // The browser keeps the session as an HttpOnly cookie, shared by its tabs (console-session.ts).
      context.consoleSession.start(signedIn.credentials);
      return signedIn;
    },
  }),
  signOut: t.field({
    type: SignOutSuccess,
    description: 'Revoke the session this request is authenticated with (sign-in or STS). An access key is not a session: ValidationError.',
    errors: resultErrors('SignOut', [ValidationError]),
    resolve: async (_root, _args, context) => {
      const caller = context.guard.caller ?? (await context.guard.require('sts:SignOut', '*'));
      if (caller.credential.type !== 'session') {
        throw new ValidationError('authorization', 'session', 'signOut needs a session credential (Bearer); access keys are deleted with deleteAccessKey');
      }
      const signedOut = await settled(context, await signOut(context.database, caller, caller.credential.accessKeyId));
      context.consoleSession.end();
      return signedOut;
    },
  }),
}));
