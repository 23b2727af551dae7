/**
 * Console sign-in through an identity provider on the wire. `signInProviders(account)` lists what
 * the sign-in page offers (public); the browser then goes through GET /federation/oidc/start (or
 * /federation/saml/start, or the IdP posts to /saml) and comes back with a one-time code that `completeFederatedSignIn` exchanges for the same
 * SignInSuccess the password sign-in returns (a role session), or answers RoleChoiceRequired.
 */
import { ValidationError } from '../errors.ts';
import { completeFederatedSignIn } from '../sts/federated-sign-in.ts';
import { FederatedSignInFailedError, RoleChoiceRequiredError, type SignInRole } from '../sts/sign-in-codes.ts';
import { listSignInProviders, type SignInProvider } from '../sts/sign-in-providers.ts';
import { builder } from './builder.ts';
import { errorObjectType } from './errors.ts';
import { resultErrors } from './mutation-result.ts';
import { SignInSuccess } from './sign-in.ts';

const FailedRef = errorObjectType(FederatedSignInFailedError, {
  name: 'FederatedSignInFailed',
  description: 'The sign-in through the identity provider was refused; `reason` says which check failed. Recorded once in the audit trail.',
});
builder.objectFields(FailedRef, (t) => ({
  reason: t.exposeString('reason', { description: 'state, code (wrong, expired or used), nonce, token, no-role, role, provider, idp; for SAML also assertion, expired, replayed, request, busy.' }),
}));

const SignInRoleRef = builder.objectRef<SignInRole>('SignInRole').implement({
  description: 'A role the person may sign in as, as on AWS\'s role chooser.',
  fields: (t) => ({
    roleArn: t.exposeString('roleArn'),
    roleName: t.exposeString('roleName'),
    accountId: t.exposeString('accountId'),
  }),
});

const ChoiceRef = errorObjectType(RoleChoiceRequiredError, {
  name: 'RoleChoiceRequired',
  description: 'The identity allows several roles: choose one and repeat with `roleArn`. The code stays valid until it expires or is exchanged.',
});
builder.objectFields(ChoiceRef, (t) => ({
  roles: t.field({ type: [SignInRoleRef], resolve: (e) => [...e.roles] }),
}));

const SignInProviderRef = builder.objectRef<SignInProvider>('SignInProvider').implement({
  description: 'An identity provider offered on the sign-in page: its display name, and the id to start with (GET /federation/oidc/start or /federation/saml/start ?account=…&provider=<id>).',
  fields: (t) => ({
    id: t.exposeID('id'),
    displayName: t.exposeString('displayName'),
    protocol: t.exposeString('protocol', { description: '`OIDC` or `SAML`.' }),
  }),
});

const CompleteFederatedSignInInput = builder.inputType('CompleteFederatedSignInInput', {
  description: 'What completeFederatedSignIn needs: the one-time code the callback put in the console URL, and the chosen role when several are allowed. Sent without a credential.',
  fields: (t) => ({
    code: t.string({ required: true, description: 'The `federated-sign-in` value of the URL fragment; valid two minutes, once.' }),
    roleArn: t.string({ description: 'One of the roles RoleChoiceRequired listed.' }),
  }),
});

builder.queryFields((t) => ({
  signInProviders: t.field({
    type: [SignInProviderRef],
    description:
      "The identity providers the account (12-digit id or alias) offers for console sign-in: OIDC and SAML providers tagged `portcullis:console-sign-in` (the tag's value is the display name). Public and rate limited; an unknown account lists none.",
    args: { account: t.arg.string({ required: true }) },
    resolve: (_root, { account }, context) => listSignInProviders(context.database, account.trim()),
  }),
}));

builder.mutationFields((t) => ({
  completeFederatedSignIn: t.field({
    type: SignInSuccess,
    description: 'Exchange the one-time code of a sign-in through an identity provider for a role session (the same answer as signIn); needs no credential.',
    args: { input: t.arg({ type: CompleteFederatedSignInInput, required: true }) },
    errors: resultErrors('CompleteFederatedSignIn', [ValidationError, FederatedSignInFailedError, RoleChoiceRequiredError]),
    resolve: async (_root, { input }, context) => {
      const signedIn = await completeFederatedSignIn(context.database, input, context.authz.facts, new Date(context.clock.now()));
      // As signIn: the browser keeps the session as its HttpOnly console cookie (console-session.ts).
      context.consoleSession.start(signedIn.credentials);
      return signedIn;
    },
  }),
}));
