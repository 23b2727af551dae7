/**
 * Sign-in through an identity provider: the providers an account offers, where the browser goes to
 * start (a full-page navigation to the server, which redirects to the provider), and the exchange
 * of the one-time code the server puts in the URL fragment when the browser comes back.
 */
import { graphql } from './generated/gql.ts';

/** The identity providers the account offers on the sign-in page. */
export const SIGN_IN_PROVIDERS = graphql(`
  query SignInProviders($account: String!) {
    signInProviders(account: $account) {
      id
      displayName
      protocol
    }
  }
`);

/** Exchanges the one-time code (and the chosen role) for a session, as signIn answers. */
export const COMPLETE_FEDERATED_SIGN_IN = graphql(`
  mutation CompleteFederatedSignIn($input: CompleteFederatedSignInInput!) {
    completeFederatedSignIn(input: $input) {
      __typename
      ... on SignInSuccess {
        expiration
        accountId
        userName
        arn
        passwordResetRequired
      }
      ... on RoleChoiceRequired {
        roles {
          roleArn
          roleName
          accountId
        }
      }
      ... on FederatedSignInFailed {
        reason
      }
      ...ResultErrorFields
    }
  }
`);

/** The server's start URL for a provider of an account (OIDC's authorization request, or SAML's AuthnRequest). */
export function federatedStartUrl(account: string, providerId: string, protocol: string): string {
  const path = protocol === 'SAML' ? '/federation/saml/start' : '/federation/oidc/start';
  return `${path}?${new URLSearchParams({ account, provider: providerId }).toString()}`;
}

/** What the server's callback left in the URL fragment: a code to exchange, or why it refused. */
export function takeFederatedReturn(): { code?: string; error?: string } | undefined {
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  const code = fragment.get('federated-sign-in') ?? undefined;
  const error = fragment.get('federated-sign-in-error') ?? undefined;
  if (code === undefined && error === undefined) return undefined;
  // The code is single-use anyway; still, it does not stay in the address bar or the history.
  window.history.replaceState(null, '', window.location.pathname + window.location.search);
  return { ...(code === undefined ? {} : { code }), ...(error === undefined ? {} : { error }) };
}

/** People-readable reasons for a refused sign-in. */
export const REFUSAL_REASONS: Readonly<Record<string, string>> = {
  state: 'The sign-in could not be matched to one started in this browser. Start again.',
  code: 'The sign-in link has expired or was already used. Start again.',
  nonce: 'The identity provider’s answer did not match this sign-in. Start again.',
  token: 'The identity provider’s token could not be verified.',
  'no-role': 'Your identity is not allowed to use any role in this account. Ask your administrator.',
  role: 'That role is not available to you.',
  provider: 'That identity provider is not available for this account.',
  idp: 'The identity provider could not complete the sign-in.',
  assertion: 'The identity provider’s SAML response could not be verified.',
  expired: 'The identity provider’s SAML response has expired. Start again.',
  replayed: 'That SAML response was already used. Start again.',
  request: 'The identity provider’s answer does not match a sign-in started here, or was already used. Start again.',
  busy: 'Too many sign-ins are in progress for this account. Try again in a few minutes.',
};
